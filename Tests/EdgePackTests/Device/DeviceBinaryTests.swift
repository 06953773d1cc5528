import Foundation
import Testing

// What an install on a Raspberry Pi needs of the device program itself, read from the ELF file by
// binutils: it must load on Raspberry Pi OS bullseye (glibc 2.31) as well as bookworm, and fit
// in 1 MiB stripped with ALSA capture in it.

let glibcFloor = [2, 31]
let strippedSizeLimit = 1 << 20

/// "GLIBC_2.28" (or "(GLIBC_2.28)", as objdump -T writes it) -> [2, 28]
func glibcVersion<S: StringProtocol>(_ word: S) -> [Int]? {
    let name = word.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
    guard name.hasPrefix("GLIBC_") else { return nil }
    let parts = name.dropFirst(6).split(separator: ".").map { Int($0) }
    return parts.isEmpty || parts.contains(nil) ? nil : parts.map { $0! }
}

func aboveGlibcFloor(_ version: [Int]) -> Bool { glibcFloor.lexicographicallyPrecedes(version) }

@Suite("The device program runs on older Pi OS and stays small")
struct DeviceBinaryTests {
    static let tools = which("aarch64-linux-gnu-readelf") && which("aarch64-linux-gnu-objdump")
        && which("aarch64-linux-gnu-strip")
    static let enabled = FileManager.default.isExecutableFile(atPath: deviceBinary) && tools

    /// Every glibc version the binary needs (its .gnu.version_r), whatever symbol asks for it.
    @Test(.enabled(if: enabled))
    func needsNoGlibcAboveTheFloor() throws {
        let (status, out, err) = try shell(["aarch64-linux-gnu-readelf", "-V", "-W", deviceBinary])
        #expect(status == 0, "\(err)")
        let needed = out.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap(glibcVersion)
        #expect(needed.contains([2, 17]), "no GLIBC versions found in readelf -V output:\n\(out)")
        if needed.contains(where: aboveGlibcFloor) {
            // Name the symbols, so the failure says what to fix.
            let (_, symbols, _) = try shell(["aarch64-linux-gnu-objdump", "-T", deviceBinary])
            let culprits = symbols.split(separator: "\n").filter { line in
                line.split(separator: " ").contains { glibcVersion($0).map(aboveGlibcFloor) ?? false }
            }
            Issue.record("needs glibc above 2.31:\n\(culprits.joined(separator: "\n"))")
        }
    }

    @Test(.enabled(if: enabled))
    func strippedBinaryFitsInOneMebibyteWithALSA() throws {
        let stripped = temporaryDirectory().appendingPathComponent("edgepack-device").path
        let (status, _, err) = try shell(["aarch64-linux-gnu-strip", "-o", stripped, deviceBinary])
        #expect(status == 0, "\(err)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: stripped)[.size] as? Int)
        print("edgepack-device stripped: \(size) bytes")
        #expect(size <= strippedSizeLimit, "stripped device program is \(size) bytes, over \(strippedSizeLimit)")
        // libasound is opened at the first capture: its name and the functions looked up in it.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: stripped))
        for name in ["libasound.so.2", "snd_pcm_open", "snd_pcm_readi"] {
            #expect(bytes.range(of: Data((name + "\0").utf8)) != nil, "the device program has no ALSA capture (\(name))")
        }
    }

    /// Without libasound installed, everything but capture works, and capture says what is missing.
    @Test(.enabled(if: enabled && which("qemu-aarch64")))
    func captureWithoutLibasoundNamesTheLibrary() throws {
        let model = repoRoot.appendingPathComponent("Datasets/trained/kws_bifsmn.epk").path
        // qemu straight, without run-device's LD_LIBRARY_PATH to the arm64 libasound.
        let qemu = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", deviceBinary]
        let (status, out, err) = try shell(qemu + ["kws", "--model", model, "--alsa", "default", "--seconds", "1"])
        #expect(status == 1, "\(out)\(err)")
        #expect(err.contains("libasound.so.2 could not be loaded (install libasound2)"), "\(err)")
        let (inspected, _, inspectErr) = try shell(qemu + ["inspect", model])
        #expect(inspected == 0, "\(inspectErr)")
    }
}
