// LZF compression for binary_compressed PCD files: greedy matching through a hash of the next
// three bytes. Output obeys the format's limits (literal runs ≤ 32 bytes, references 3–264 bytes
// long and at most 8192 bytes back), which is all a decoder such as PCL's relies on.

public enum LZFCompressor {
    static let hashBits = 14
    static let maxLiteral = 32
    static let maxDistance = 8192
    static let maxLength = 264

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        let n = input.count
        var out: [UInt8] = []
        out.reserveCapacity(n + n / 32 + 8)
        var table = [Int](repeating: -1, count: 1 << hashBits)
        var literalStart = 0
        var i = 0

        func flushLiterals(upTo end: Int) {
            var s = literalStart
            while s < end {
                let run = min(maxLiteral, end - s)
                out.append(UInt8(run - 1))
                out.append(contentsOf: input[s..<(s + run)])
                s += run
            }
        }
        @inline(__always) func hash(_ at: Int) -> Int {
            let v = UInt32(input[at]) << 16 | UInt32(input[at + 1]) << 8 | UInt32(input[at + 2])
            return Int((v &* 2_654_435_761) >> UInt32(32 - hashBits))
        }

        while i + 2 < n {
            let h = hash(i)
            let candidate = table[h]
            table[h] = i
            if candidate >= 0, i - candidate <= maxDistance,
               input[candidate] == input[i], input[candidate + 1] == input[i + 1], input[candidate + 2] == input[i + 2] {
                let limit = min(maxLength, n - i)
                var length = 3
                while length < limit, input[candidate + length] == input[i + length] { length += 1 }
                flushLiterals(upTo: i)
                let offset = i - candidate - 1
                let lengthCode = length - 2
                if lengthCode < 7 {
                    out.append(UInt8(lengthCode << 5 | offset >> 8))
                } else {
                    out.append(UInt8(7 << 5 | offset >> 8))
                    out.append(UInt8(lengthCode - 7))
                }
                out.append(UInt8(offset & 0xFF))
                // Index the positions inside the match so later data can refer to them.
                var k = i + 1
                while k < i + length, k + 2 < n {
                    table[hash(k)] = k
                    k += 1
                }
                i += length
                literalStart = i
            } else {
                i += 1
            }
        }
        flushLiterals(upTo: n)
        return out
    }
}
