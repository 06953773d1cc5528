import EdgePackRuntime
import EdgePackPointCloud

// `edgepack pcd FILE.pcd [--npy OUT.npy] [--fields x,y,z]`: prints a PCD header and exports the
// chosen fields of the valid points (no NaN/Inf among them) as an N×F float32 array.
// Text is built from integers and formatFixed only, so host and device print the same.

public enum PCDInfo {
    public static let defaultFields = ["x", "y", "z"]

    /// "x,y,z" → ["x", "y", "z"] (blank entries ignored).
    public static func parseFieldList(_ text: String) -> [String] {
        var out: [String] = []
        for part in text.split(separator: ",") {
            let name = String(part.filter { $0 != " " })
            if !name.isEmpty { out.append(name) }
        }
        return out
    }

    /// The header as text, one entry per line, then a table of the fields.
    public static func summary(_ h: PCDHeader, fileBytes: Int) -> String {
        var s = ""
        s += "format:    PCD " + terminalSafe(h.version) + ", " + h.encoding.name + ", " + String(fileBytes) + " bytes\n"
        s += "points:    " + String(h.points) + " (width " + String(h.width) + " × height " + String(h.height)
        s += h.isOrganized ? ", organized)\n" : ", unorganized)\n"
        var vp = ""
        for v in h.viewpoint.values { vp += (vp.isEmpty ? "" : " ") + numberText(v) }
        s += "viewpoint: " + vp + "\n"
        s += "record:    " + String(h.pointSize) + " bytes, data at byte " + String(h.dataOffset) + "\n"
        s += "fields:    " + padRight("name", 12) + padLeft("type", 5) + padLeft("size", 5) + padLeft("count", 6) + padLeft("offset", 7) + "\n"
        for f in h.fields {
            s += "           " + padRight(f.isPadding ? "_ (padding)" : terminalSafe(f.name), 12) + padLeft(f.type.letter, 5)
            s += padLeft(String(f.size), 5) + padLeft(String(f.count), 6) + padLeft(String(f.offset), 7) + "\n"
        }
        return s
    }

    /// Summary of a selection: which columns, how many valid points, how many dropped.
    public static func selectionText(_ m: PCDMatrix<Float>) -> String {
        var names = ""
        for c in m.columns { names += (names.isEmpty ? "" : " ") + terminalSafe(c.name) }
        return "selected:  " + names + " -> " + String(m.rows) + " valid points × " + String(m.columns.count)
            + " (dropped " + String(m.dropped) + " with NaN/Inf)\n"
    }

    /// Reads the file in `bytes`, returns the printed text and the N×F matrix of valid points.
    public static func inspect(_ bytes: UnsafeRawBufferPointer, fields: [String]) throws(PCDError) -> (text: String, matrix: PCDMatrix<Float>) {
        let cloud = try PCDReader.read(bytes)
        let matrix = try cloud.floatMatrix(fields: fields, dropInvalid: true)
        return (summary(cloud.header, fileBytes: bytes.count) + selectionText(matrix), matrix)
    }

    /// The whole command: prints to stdout; a file that cannot be read or written is an error.
    public static func run(path: String, npyPath: String?, fields: [String]) throws(AppError) -> ExitStatus {
        if let npyPath { try refuseOverwritingInputs(output: npyPath, inputs: [path]) }
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw AppError(error) }
        let result: (text: String, matrix: PCDMatrix<Float>)
        do throws(PCDError) {
            result = try inspect(file.bytes, fields: fields.isEmpty ? defaultFields : fields)
        } catch {
            throw AppError(terminalSafe(path) + ": " + error.description)
        }
        var text = result.text
        if let npyPath {
            try saveNPY(path: npyPath, NPYArray(shape: [result.matrix.rows, result.matrix.columns.count], data: result.matrix.values))
            text += "wrote:     " + terminalSafe(npyPath) + " (float32 " + String(result.matrix.rows) + "×" + String(result.matrix.columns.count) + ")\n"
        }
        if text.hasSuffix("\n") { text.removeLast() }
        try StandardOutput.line(text)
        return .success
    }
}
