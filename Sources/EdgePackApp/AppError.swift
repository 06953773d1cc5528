import CEdgePackSys
import EdgePackFormat
import EdgePackRuntime

/// Any failure a command reports to its user, with the message to print and the exit status.
public struct AppError: Error {
    public let message: String
    public let status: ExitStatus
    public init(_ message: String) { self.message = message; status = .failure }
    public init(usage message: String) { self.message = message; status = .usage }
    public init(output message: String) { self.message = message; status = .output }
    public init(_ e: IOError) { message = e.description; status = e.action == "write" ? .output : .failure }
    public init(_ e: ModelError) { message = e.description; status = .failure }
    public init(_ e: RuntimeError) { message = e.description; status = .failure }
    public init(_ e: NPYError) { message = e.description; status = .failure }
}

/// A model file mapped and verified; keeps the mapping alive as long as the model is used.
public final class LoadedModel {
    public let file: MappedFile
    public let model: ModelFile

    public init(path: String) throws(AppError) {
        do { file = try MappedFile(path: path) } catch { throw AppError(error) }
        do { model = try ModelFile(bytes: file.bytes) } catch { throw AppError(terminalSafe(path) + ": " + error.description) }
    }
}

/// Reads a .npy file as float32.
public func loadNPY(path: String) throws(AppError) -> NPYArray {
    let f: MappedFile
    do { f = try MappedFile(path: path) } catch { throw AppError(error) }
    do { return try NPY.parse(f.bytes) } catch { throw AppError(terminalSafe(path) + ": " + error.description) }
}

public func saveNPY(path: String, _ array: NPYArray) throws(AppError) {
    do { try writeFile(path: path, bytes: NPY.encode(array)) } catch { throw AppError(error) }
}
