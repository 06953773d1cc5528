// The damage one trial does to a model file, drawn from a seeded generator so that a trial can
// be repeated from its number.
import EdgePackPointCloud

/// The point sampler's SplitMix64, with the draws a corruption needs.
typealias Random = SplitMixRandom
extension SplitMixRandom {
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : next(below: n) }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

enum CorruptionKind: String, CaseIterable {
    case bitFlips = "bit flips", byteChanges = "byte changes", truncation = "truncation",
         insertion = "inserted range", deletion = "deleted range", offset = "overwritten 4-byte word"
}

struct Corruption {
    /// Where damage lands: anywhere in the file, or (half the time) outside the constant buffers,
    /// where the FlatBuffer's offsets, options and strings are.
    struct Targets {
        let size: Int
        let structure: [Int]   // byte positions outside every constant buffer
        func position(_ r: inout Random) -> Int {
            r.below(2) == 0 || structure.isEmpty ? r.below(size) : structure[r.below(structure.count)]
        }
    }

    /// Applies one to three corruptions to `bytes`; returns what was done, in words.
    static func apply(_ bytes: inout [UInt8], _ targets: Targets, _ r: inout Random) -> String {
        var done: [String] = []
        let count = [1, 1, 1, 1, 2, 3][r.below(6)]
        for _ in 0..<count {
            guard !bytes.isEmpty else { break }
            let kind = CorruptionKind.allCases[r.below(CorruptionKind.allCases.count)]
            // Positions are drawn in the original file's terms and clamped after a size change.
            let at = min(targets.position(&r), bytes.count - 1)
            switch kind {
            case .bitFlips:
                let n = 1 + r.below(4)
                var bits: [String] = []
                for k in 0..<n {
                    let p = k == 0 ? at : min(targets.position(&r), bytes.count - 1)
                    let bit = r.below(8)
                    bytes[p] ^= 1 << UInt8(bit)
                    bits.append("\(p).\(bit)")
                }
                done.append("bit flips at " + bits.joined(separator: ", "))
            case .byteChanges:
                let n = 1 + r.below(4)
                var changes: [String] = []
                for k in 0..<n {
                    let p = k == 0 ? at : min(targets.position(&r), bytes.count - 1)
                    let old = bytes[p]
                    bytes[p] = old &+ 1 &+ UInt8(r.below(255))   // never the same value
                    changes.append("\(p): \(old) -> \(bytes[p])")
                }
                done.append("byte changes " + changes.joined(separator: ", "))
            case .truncation:
                done.append("truncated to \(at) of \(bytes.count) bytes")
                bytes.removeSubrange(at...)
            case .insertion:
                let n = 1 + r.below(64)
                bytes.insert(contentsOf: (0..<n).map { _ in r.byte() }, at: at)
                done.append("\(n) random bytes inserted at \(at)")
            case .deletion:
                let n = min(1 + r.below(64), bytes.count - at)
                bytes.removeSubrange(at..<(at + n))
                done.append("\(n) bytes deleted at \(at)")
            case .offset:
                let p = at & ~3
                guard p + 4 <= bytes.count else { continue }
                var old: UInt32 = 0
                for k in 0..<4 { old |= UInt32(bytes[p + k]) << (8 * UInt32(k)) }
                let n = UInt32(truncatingIfNeeded: bytes.count)
                let delta = UInt32(1 + r.below(64))
                let choices: [UInt32] = [0, 1, 4, 0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, n, n &- 4, n &+ 4,
                                         old &+ delta, old &- delta, old &+ delta * 4, old &- delta * 4,
                                         UInt32(truncatingIfNeeded: r.next())]
                var value = choices[r.below(choices.count)]
                if value == old { value = old ^ 1 }
                for k in 0..<4 { bytes[p + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) }
                done.append("word at \(p): \(old) -> \(value)")
            }
        }
        return done.joined(separator: "; ")
    }
}
