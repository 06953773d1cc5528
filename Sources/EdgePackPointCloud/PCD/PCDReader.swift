// Reading whole PCD files. Sizes taken from the input are checked with overflow-reporting
// arithmetic against the bytes actually present before anything is allocated or read.

public enum PCDReader {
    /// Decoded data (binary_compressed, ascii) larger than this is refused before allocating:
    /// a small file may state up to 4 GB of compressed points.
    public static let maxDecodedBytes = 1 << 28

    /// Parses the header and decodes the data of the PCD file in `bytes`. For binary files the
    /// returned cloud reads from `bytes` in place, so they must stay alive while it is used.
    /// Bytes after the data are ignored (PCL pads its files to whole pages).
    public static func read(_ bytes: UnsafeRawBufferPointer) throws(PCDError) -> PCDCloud {
        let header = try PCDHeader.parse(bytes)
        return try read(bytes, header: header)
    }

    /// Decodes the data of a file whose header is already parsed.
    public static func read(_ bytes: UnsafeRawBufferPointer, header: PCDHeader) throws(PCDError) -> PCDCloud {
        switch header.encoding {
        case .binary: return try readBinary(bytes, header)
        case .binaryCompressed: return try readCompressed(bytes, header)
        case .ascii: return try PCDAsciiDecoder.decode(bytes, header)
        }
    }

    /// Bytes of data a binary or binary_compressed body occupies from `header.dataOffset`, for
    /// finding where a file ends in a stream. nil when more bytes are needed to know
    /// (the compressed size prefix has not arrived yet). ascii bodies are measured by PCDStreamSplitter.
    public static func binaryDataLength(_ bytes: UnsafeRawBufferPointer, header: PCDHeader) throws(PCDError) -> Int? {
        switch header.encoding {
        case .binary:
            return try binarySize(header)
        case .binaryCompressed:
            guard bytes.count - header.dataOffset >= 8 else { return nil }
            let (compressed, _) = try compressedSizes(bytes, header)
            return 8 + compressed
        case .ascii:
            return nil
        }
    }

    static func binarySize(_ header: PCDHeader) throws(PCDError) -> Int {
        let (need, o) = header.points.multipliedReportingOverflow(by: header.pointSize)
        guard !o else { throw .sizeOverflow(what: "POINTS \(header.points) × \(header.pointSize)-byte records") }
        return need
    }

    static func readBinary(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader) throws(PCDError) -> PCDCloud {
        let need = try binarySize(header)
        let available = bytes.count - header.dataOffset
        guard need <= available else {
            throw .truncatedData(offset: header.dataOffset, needed: need, available: available)
        }
        let data = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset..<(header.dataOffset + need)])
        var base: [Int] = []
        var stride: [Int] = []
        for f in header.fields {
            base.append(f.offset)
            stride.append(header.pointSize)
        }
        return PCDCloud(header: header, storage: .borrowed(data), fieldBase: base, fieldStride: stride)
    }

    /// The two little-endian u32 sizes in front of the LZF data, checked against the header and
    /// against what an LZF stream of that length could produce.
    static func compressedSizes(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader) throws(PCDError) -> (compressed: Int, uncompressed: Int) {
        let at = header.dataOffset
        guard bytes.count - at >= 8 else {
            throw .truncatedData(offset: at, needed: 8, available: bytes.count - at)
        }
        let compressed = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        let uncompressed = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
        // Padding fields are not stored in the field-major layout.
        let (expected, o) = header.points.multipliedReportingOverflow(by: header.compressedPointSize)
        guard !o, expected <= Int(UInt32.max) else {
            throw .sizeOverflow(what: "POINTS \(header.points) × \(header.compressedPointSize) bytes exceeds the 32-bit size binary_compressed can store")
        }
        guard uncompressed == expected else {
            throw .compressedSize(problem: "stated uncompressed size \(uncompressed) bytes, but \(header.points) points × \(header.compressedPointSize) bytes = \(expected)")
        }
        guard uncompressed <= compressed * LZF.maxExpansion else {
            throw .compressedSize(problem: "\(compressed) compressed bytes cannot expand to the stated \(uncompressed) bytes")
        }
        guard uncompressed <= maxDecodedBytes else { throw .frameTooLarge(bytes: uncompressed, limit: maxDecodedBytes) }
        return (compressed, uncompressed)
    }

    static func readCompressed(_ bytes: UnsafeRawBufferPointer, _ header: PCDHeader) throws(PCDError) -> PCDCloud {
        let (compressed, uncompressed) = try compressedSizes(bytes, header)
        let start = header.dataOffset + 8
        let available = bytes.count - start
        guard compressed <= available else {
            throw .truncatedData(offset: start, needed: compressed, available: available)
        }
        let input = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + compressed)])
        let data: [UInt8]
        do throws(LZFError) {
            data = try LZF.decompress(input, size: uncompressed)
        } catch {
            throw .lzf(error)
        }
        // Field-major planes: all of field 0 for every point, then field 1, ...
        var base: [Int] = []
        var stride: [Int] = []
        var plane = 0
        for f in header.fields {
            if f.isPadding {
                base.append(0)
                stride.append(0)
                continue
            }
            base.append(plane)
            stride.append(f.byteCount)
            plane += f.byteCount * header.points
        }
        return PCDCloud(header: header, storage: .owned(data), fieldBase: base, fieldStride: stride)
    }
}
