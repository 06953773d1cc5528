import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

/// Errors name the same values on host and device: a shape in a message is printed, not
/// replaced by Embedded Swift's "(cannot print value in embedded Swift)".
@Suite struct ErrorValueTests {
    @Test(arguments: Program.available)
    func shapeErrorsCarryTheShapes(program: Program) throws {
        let b = ModelBuilder(name: "bad-concat")
        let x = b.addInput("x", shape: [1, 2, 3])
        let c = b.addConstant("c", shape: [1, 3, 4], floats: [Float](repeating: 1, count: 12))
        let y = b.addActivation("y", shape: [1, 5, 3])
        b.addOperator(.concat, inputs: [x, c], outputs: [y], options: ConcatOptions(axis: 1), name: "cat")
        b.markOutput(y)
        let url = temporaryDirectory().appendingPathComponent("bad.epk")
        try Data(b.serialize()).write(to: url)
        let (status, _, err) = try program.run(["inspect", url.path])
        #expect(status == 1, "\(program): \(err)")
        #expect(err.contains("input [1, 3, 4] does not match [1, 2, 3] outside axis 1"), "\(program): \(err)")
        #expect(!err.contains("cannot print"), "\(program): \(err)")
    }
}
