// One load-and-run of a (damaged) model, as the CLI does it: ModelFile over bytes at a mapping's
// alignment, then the interpreter on fixed inputs. Runs in a child process; its exit status is
// the outcome, so a trap or a hang in here is counted by the parent, not fatal to the campaign.
import EdgePackFormat
import EdgePackPointCloud
import EdgePackRuntime

enum Outcome: Int32, CaseIterable {
    case refusedChecksum = 10, refusedVerifier = 11, refusedPlanner = 12, same = 13, different = 14
    // Decided by the parent from how the child ended.
    case crash = 20, hang = 21

    var label: String {
        switch self {
        case .refusedChecksum: "refused: checksum"
        case .refusedVerifier: "refused: verifier"
        case .refusedPlanner: "refused: planner"
        case .same: "accepted, same output"
        case .different: "accepted, DIFFERENT output"
        case .crash: "CRASH"
        case .hang: "HANG"
        }
    }
}

/// Outputs of a model, every input set, every output, as bits (with their shapes).
struct Outputs: Equatable {
    var shapes: [[Int]] = []
    var bits: [[UInt32]] = []
}

enum Trial {
    /// Input sets: a ramp in [−1, 1] and larger pseudo-random values in [−4, 4).
    static func fill(_ set: Int, _ buf: UnsafeMutableBufferPointer<Float>) {
        var r = Random(seed: 17)
        for k in buf.indices {
            buf[k] = set == 0 ? Float((k &* 7919) % 2001 - 1000) / 1000 : Float(Int(r.next() % 8192) - 4096) / 1024
        }
    }

    static func run(_ model: ModelFile) throws(RuntimeError) -> Outputs {
        let interp = try Interpreter(model: model)
        var out = Outputs()
        for set in 0..<2 {
            for i in 0..<interp.inputCount { interp.withInput(i) { fill(set, $0) } }
            interp.invoke()
            for o in 0..<interp.outputCount {
                out.shapes.append(interp.outputShape(o))
                out.bits.append(interp.output(o).map(\.bitPattern))
            }
        }
        return out
    }

    /// Loads `bytes` (after making its checksum right, if `resum`) and compares with `reference`.
    static func outcome(_ bytes: [UInt8], resum: Bool, reference: Outputs) -> Outcome {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 4096)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        let view = UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count])
        if resum {
            guard let at = try? ModelFile.checksumOffset(view), at >= 0, at + 4 <= bytes.count else { return .refusedVerifier }
            copy.storeBytes(of: ModelFile.checksum(view, excluding: at).littleEndian, toByteOffset: at, as: UInt32.self)
        }
        let model: ModelFile
        do { model = try ModelFile(bytes: view) } catch {
            return error.message.hasPrefix("checksum mismatch") ? .refusedChecksum : .refusedVerifier
        }
        guard let outputs = try? run(model) else { return .refusedPlanner }
        return outputs == reference ? .same : .different
    }
}
