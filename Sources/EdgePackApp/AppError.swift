import CEdgePackSys
import EdgePackFormat
import EdgePackRuntime

/// Any failure a command reports to its user, with the message to print.
public struct AppError: Error {
    public let message: String
    public init(_ message: String) { self.message = message }
    public init(_ e: IOError) { message = e.description }
    public init(_ e: ModelError) { message = e.description }
    public init(_ e: RuntimeError) { message = e.description }
    public init(_ e: NPYError) { message = e.description }
}

/// A model file mapped and verified; keeps the mapping alive as long as the model is used.
public final class LoadedModel {
    public let file: MappedFile
    public let model: ModelFile

    public init(path: String) throws(AppError) {
        do { file = try MappedFile(path: path) } catch { throw AppError(error) }
        do { model = try ModelFile(bytes: file.bytes) } catch { throw AppError("\(path): " + error.description) }
    }
}

/// Reads a .npy file as float32.
public func loadNPY(path: String) throws(AppError) -> NPYArray {
    let f: MappedFile
    do { f = try MappedFile(path: path) } catch { throw AppError(error) }
    do { return try NPY.parse(f.bytes) } catch { throw AppError("\(path): " + error.description) }
}

public func saveNPY(path: String, _ array: NPYArray) throws(AppError) {
    do { try writeFile(path: path, bytes: NPY.encode(array)) } catch { throw AppError(error) }
}

/// A decimal number from a command-line argument. Embedded Swift's Double(String) needs a
/// runtime hook the device build lacks, so this goes through the C library (C locale).
public func parseNumber(_ text: String) -> Double? {
    var value = 0.0
    var t = text
    let used = t.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { ep_parse_double($0.baseAddress, $0.count, &value) }
    }
    return used == text.utf8.count && used > 0 ? value : nil
}
