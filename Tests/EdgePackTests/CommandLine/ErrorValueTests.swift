import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

/// Errors name the same values on host and device: a shape in a message is printed, not
/// replaced by Embedded Swift's "(cannot print value in embedded Swift)".
@Suite struct ErrorValueTests {
    @Test(arguments: Program.available)
    func shapeErrorsCarryTheShapes(program: Program) throws {
        let url = temporaryDirectory().appendingPathComponent("bad.epk")
        try Data(ConcatOpTests.mismatchedModel()).write(to: url)
        let (status, _, err) = try program.run(["inspect", url.path])
        #expect(status == 1, "\(program): \(err)")
        #expect(err.contains("input [1, 3, 4] does not match [1, 2, 3] outside axis 1"), "\(program): \(err)")
        #expect(!err.contains("cannot print"), "\(program): \(err)")
    }
}
