import Foundation
import EdgePackFormat
import EdgePackRuntime

/// Activations at or next to 0 where a model binarizes. ONNX's Sign(0) is 0, so such a term drops
/// out of the layer's sum; EdgePack packs 0 as +1. And a value within float rounding of 0 can come
/// out on the other side of 0 after a different summation order. Either way one sign differs: a
/// difference in the outputs with such values present is a sign flip there, not a wrong conversion.
public struct NearZero: Sendable {
    public var sample: Int
    /// The converted model's name for the Sign's input (ONNX value name, or a moved layout op's).
    public var value: String
    public var count: Int
    /// |x| ≤ 1e-6, and exactly 0, in onnxruntime's values.
    public var near: Int
    public var zeros: Int

    static func parse(_ d: Data) -> [NearZero] {
        String(decoding: d, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let s = o["sample"] as? Int, let v = o["value"] as? String, let c = o["count"] as? Int,
                  let n = o["near"] as? Int, let z = o["zeros"] as? Int else { return nil }
            return NearZero(sample: s, value: v, count: c, near: n, zeros: z)
        }
    }
}

extension Verifier {
    /// Names of the float values the model's SignPack operators binarize.
    public static func binarizedInputs(model: [UInt8]) throws -> [String] {
        try model.withUnsafeBytes { raw in
            let f = try ModelFile(bytes: raw)
            var names: [String] = []
            for op in f.operators where op.code == OpCode.signPack.rawValue {
                let name = f.tensors[op.inputs[0]].name
                if !names.contains(name) { names.append(name) }
            }
            return names
        }
    }
}
