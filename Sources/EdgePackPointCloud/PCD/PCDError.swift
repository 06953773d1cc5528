// Why a PCD file (or frame) was refused. Every case carries enough to name the problem: the header
// line, the byte offset, or the sizes that disagree.

public enum PCDError: Error, Equatable, Sendable {
    /// The input ends before the header's DATA line (also: a stream frame that is not complete yet).
    case headerIncomplete(bytes: Int)
    /// A header line that cannot be understood (bad token, wrong number of values...).
    case headerLine(line: Int, problem: String)
    /// A header entry appears where another one was required (order is fixed by the PCD spec).
    case headerOrder(line: Int, found: String, expected: String)
    /// A required entry is missing: `found` came where `entry` was required.
    case headerMissing(line: Int, entry: String, found: String)
    /// WIDTH × HEIGHT disagrees with POINTS.
    case pointCountMismatch(width: Int, height: Int, points: Int)
    /// A size computed from the header does not fit in a machine integer (or the 32-bit fields PCD uses).
    case sizeOverflow(what: String)
    /// The data section is shorter than the header says.
    case truncatedData(offset: Int, needed: Int, available: Int)
    /// ascii data: a point line with the wrong number of values.
    case asciiValueCount(line: Int, found: Int, expected: Int)
    /// ascii data: a value that does not parse as its field's type, or is out of range.
    case asciiValue(line: Int, field: String, token: String, problem: String)
    /// ascii data: fewer point lines than POINTS.
    case asciiMissingPoints(found: Int, expected: Int)
    /// binary_compressed: the stored sizes disagree with the header or with each other.
    case compressedSize(problem: String)
    /// binary_compressed: the LZF stream is corrupt.
    case lzf(LZFError)
    /// A frame larger than the reader's limit (`bytes` stated or already buffered).
    case frameTooLarge(bytes: Int, limit: Int)
    /// A requested field is not in the file (or is padding).
    case unknownField(name: String, available: String)

    public var description: String {
        switch self {
        case .headerIncomplete(let bytes):
            return "PCD header incomplete: \(bytes) bytes end before the DATA line"
        case .headerLine(let line, let problem):
            return "PCD header line \(line): \(problem)"
        case .headerOrder(let line, let found, let expected):
            return "PCD header line \(line): found \(found) where \(expected) must come (order is VERSION FIELDS SIZE TYPE COUNT WIDTH HEIGHT VIEWPOINT POINTS DATA)"
        case .headerMissing(let line, let entry, let found):
            return "PCD header line \(line): \(found) comes with no \(entry) entry before it"
        case .pointCountMismatch(let width, let height, let points):
            return "PCD header: WIDTH \(width) × HEIGHT \(height) ≠ POINTS \(points)"
        case .sizeOverflow(let what):
            return "PCD size overflow: \(what)"
        case .truncatedData(let offset, let needed, let available):
            return "PCD data truncated: \(needed) bytes needed from offset \(offset), \(available) present"
        case .asciiValueCount(let line, let found, let expected):
            return "PCD ascii line \(line): \(found) values, the fields need \(expected)"
        case .asciiValue(let line, let field, let token, let problem):
            return "PCD ascii line \(line), field \(field): '\(token)' \(problem)"
        case .asciiMissingPoints(let found, let expected):
            return "PCD ascii data ends after \(found) points, POINTS says \(expected)"
        case .compressedSize(let problem):
            return "PCD binary_compressed: \(problem)"
        case .lzf(let error):
            return "PCD binary_compressed: " + error.description
        case .frameTooLarge(let bytes, let limit):
            return "PCD frame of \(bytes) bytes exceeds the \(limit)-byte limit"
        case .unknownField(let name, let available):
            return "PCD has no field '\(name)' (fields: \(available))"
        }
    }
}

/// Why an LZF stream could not be decoded into its stated size.
public enum LZFError: Error, Equatable, Sendable {
    /// A literal run or back-reference needs more input bytes than remain.
    case inputTruncated(inputOffset: Int)
    /// Decoding would write past the stated uncompressed size.
    case outputOverrun(inputOffset: Int, outputOffset: Int, limit: Int)
    /// A back-reference points before the start of the output.
    case badReference(inputOffset: Int, outputOffset: Int, distance: Int)
    /// The stream ended having produced fewer bytes than stated.
    case outputUnderrun(produced: Int, expected: Int)

    public var description: String {
        switch self {
        case .inputTruncated(let at):
            return "LZF stream truncated at input byte \(at)"
        case .outputOverrun(let at, let out, let limit):
            return "LZF stream at input byte \(at) writes past the stated size \(limit) (output at \(out))"
        case .badReference(let at, let out, let distance):
            return "LZF back-reference at input byte \(at) reaches \(distance) bytes back from output \(out), before the start"
        case .outputUnderrun(let produced, let expected):
            return "LZF stream decodes to \(produced) bytes, the stated size is \(expected)"
        }
    }
}
