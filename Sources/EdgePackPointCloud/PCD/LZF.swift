// LZF decompression (the codec PCD's binary_compressed uses). A control byte below 32 starts a
// literal run of ctrl+1 bytes; otherwise it is a back-reference of (ctrl>>5)+2 bytes (a length
// byte follows when that field is 7) at distance ((ctrl&31)<<8) + next byte + 1.
// Every read and write is bounds-checked: corrupt input produces an LZFError, never a trap.

public enum LZF {
    /// The most output one input byte can produce: a 3-byte back-reference yields 264 bytes.
    /// Used to refuse stated sizes that no stream of the given length could reach, before allocating.
    public static let maxExpansion = 88

    /// Decodes `input` into `output`, which must be exactly the stated uncompressed size.
    public static func decompress(_ input: UnsafeRawBufferPointer,
                                  into output: UnsafeMutableRawBufferPointer) throws(LZFError) {
        let inCount = input.count
        let outCount = output.count
        var ip = 0
        var op = 0
        while ip < inCount {
            let ctrl = Int(input[ip])
            let at = ip
            ip += 1
            if ctrl < 32 {
                let run = ctrl + 1
                guard run <= inCount - ip else { throw .inputTruncated(inputOffset: at) }
                guard run <= outCount - op else {
                    throw .outputOverrun(inputOffset: at, outputOffset: op, limit: outCount)
                }
                // Literal bytes are copied as they are.
                for k in 0..<run { output[op + k] = input[ip + k] }
                ip += run
                op += run
            } else {
                var length = ctrl >> 5
                if length == 7 {
                    guard ip < inCount else { throw .inputTruncated(inputOffset: at) }
                    length += Int(input[ip])
                    ip += 1
                }
                guard ip < inCount else { throw .inputTruncated(inputOffset: at) }
                let distance = ((ctrl & 31) << 8) + Int(input[ip]) + 1
                ip += 1
                length += 2
                guard distance <= op else {
                    throw .badReference(inputOffset: at, outputOffset: op, distance: distance)
                }
                guard length <= outCount - op else {
                    throw .outputOverrun(inputOffset: at, outputOffset: op, limit: outCount)
                }
                // Byte by byte: the source may overlap the bytes being written (run-length case).
                var from = op - distance
                for _ in 0..<length {
                    output[op] = output[from]
                    op += 1
                    from += 1
                }
            }
        }
        guard op == outCount else { throw .outputUnderrun(produced: op, expected: outCount) }
    }

    /// Convenience: decodes into a new array of `size` bytes.
    public static func decompress(_ input: UnsafeRawBufferPointer, size: Int) throws(LZFError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var failure: LZFError? = nil
        out.withUnsafeMutableBytes { raw in
            do throws(LZFError) {
                try decompress(input, into: raw)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }
}
