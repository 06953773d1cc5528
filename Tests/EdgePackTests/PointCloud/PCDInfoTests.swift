import Foundation
import Testing
@testable import EdgePackApp
@testable import EdgePackPointCloud
import EdgePackRuntime

// `edgepack pcd`: the header summary and the exported N×F matrix of valid points, checked
// against PCL's own ascii text of the same file and read back through the NPY parser.

@Suite("pcd utility core")
struct PCDInfoTests {
    @Test("Field list parsing")
    func fieldList() {
        #expect(PCDInfo.parseFieldList("x,y,z") == ["x", "y", "z"])
        #expect(PCDInfo.parseFieldList(" x , normal_x,,rgb ") == ["x", "normal_x", "rgb"])
        #expect(PCDInfo.parseFieldList("") == [])
    }

    @Test("Summary and matrix of a PCL file with NaN points")
    func pclFile() throws {
        guard PCLTools.available("pcl_generate", "pcl_pcd_introduce_nan", "pcl_convert_pcd_ascii_binary") else { return }
        let dir = TestDirectory()
        let g = dir.file("g.pcd"), n = dir.file("n.pcd"), c = dir.file("c.pcd"), a = dir.file("a.pcd")
        try PCLTools.run("pcl_generate", [g, "-size", "400"], creates: g)
        try PCLTools.run("pcl_pcd_introduce_nan", [g, n, "25"], creates: n)
        try PCLTools.convert(n, c, mode: 2)
        try PCLTools.convert(n, a, mode: 0)
        let ref = try ReferenceAscii(path: a)
        let bytes = try readBytes(c)
        let (text, matrix) = try bytes.withUnsafeBytes { raw in
            do throws(PCDError) { return try PCDInfo.inspect(raw, fields: ["x", "z", "rgba"]) }
            catch { throw PCLTools.Failure(description: error.description) }
        }
        #expect(text.contains("binary_compressed"))
        #expect(text.contains("points:    400 (width 400 × height 1, unorganized)"))
        #expect(text.contains("viewpoint: 0 0 0 1 0 0 0"))
        #expect(text.contains("rgba"))
        // Rows: PCL's points whose x and z are not "nan", in order, as float32.
        let xi = ref.fields.firstIndex(of: "x")!, zi = ref.fields.firstIndex(of: "z")!, ci = ref.fields.firstIndex(of: "rgba")!
        let rows = ref.tokens.filter { $0[xi] != "nan" && $0[zi] != "nan" }
        #expect(matrix.rows == rows.count && matrix.dropped == 400 - rows.count && matrix.dropped > 0)
        var expected: [Float] = []
        for r in rows { expected += [Float(r[xi])!, Float(r[zi])!, Float(UInt32(r[ci])!)] }
        #expect(matrix.values == expected)
        #expect(text.contains("selected:  x z rgba -> \(rows.count) valid points × 3 (dropped \(400 - rows.count) with NaN/Inf)"))

        // The command writes the same matrix as float32 .npy (read back with the NPY parser).
        let npy = dir.file("out.npy")
        #expect(pcdStatus(c, npy, ["x", "z", "rgba"]) == 0)
        let array = try readBytes(npy).withUnsafeBytes { raw in
            do throws(NPYError) { return try NPY.parse(raw) } catch { throw PCLTools.Failure(description: error.description) }
        }
        #expect(array.shape == [rows.count, 3])
        #expect(array.data == expected)
    }

    @Test("Organized cloud with padding and COUNT > 1 in the summary")
    func summary() throws {
        let text = "VERSION .7\nFIELDS x _ fpfh\nSIZE 4 1 2\nTYPE F U I\nCOUNT 1 2 3\nWIDTH 2\nHEIGHT 2\n" +
                   "VIEWPOINT 1.5 0 -2 0.7071 0 0.7071 0\nPOINTS 4\nDATA ascii\n" +
                   "1 0 0 1 2 3\n2 0 0 4 5 6\nnan 0 0 7 8 9\n4 0 0 -1 -2 -3\n"
        let (summary, matrix) = try Array(text.utf8).withUnsafeBytes { raw in
            do throws(PCDError) { return try PCDInfo.inspect(raw, fields: ["fpfh", "x"]) }
            catch { throw PCLTools.Failure(description: error.description) }
        }
        let expected = """
            format:    PCD .7, ascii, \(text.utf8.count) bytes
            points:    4 (width 2 × height 2, organized)
            viewpoint: 1.5 0 -2 0.7071 0 0.7071 0
            record:    12 bytes, data at byte \(text.utf8.count - 53)
            fields:    name         type size count offset
                       x               F    4     1      0
                       _ (padding)     U    1     2      4
                       fpfh            I    2     3      6
            selected:  fpfh[0] fpfh[1] fpfh[2] x -> 3 valid points × 4 (dropped 1 with NaN/Inf)

            """
        #expect(summary == expected)
        #expect(matrix.values == [1, 2, 3, 1, 4, 5, 6, 2, -1, -2, -3, 4])
    }

    @Test("Errors: missing file, unknown field")
    func errors() throws {
        let dir = TestDirectory()
        #expect(pcdStatus(dir.file("none.pcd"), nil, []) == 1)
        try writeText("VERSION 0.7\nFIELDS a\nSIZE 4\nTYPE F\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA ascii\n1\n", dir.file("a.pcd"))
        #expect(pcdStatus(dir.file("a.pcd"), nil, []) == 1, "no x y z by default")
        #expect(pcdStatus(dir.file("a.pcd"), nil, ["a"]) == 0)
    }
}

/// The `pcd` command's exit status, with its error message on stderr as the CLI prints it.
private func pcdStatus(_ path: String, _ npy: String?, _ fields: [String]) -> Int32 {
    do { return try PCDInfo.run(path: path, npyPath: npy, fields: fields).rawValue } catch {
        print("error: " + error.message)
        return error.status.rawValue
    }
}
