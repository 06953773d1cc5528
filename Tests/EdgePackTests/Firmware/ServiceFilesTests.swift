import Foundation
import Testing

// The Raspberry Pi service (Firmware/raspberry-pi) and the .deb (Toolchain/build-deb): the unit
// under systemd's own security review, install.sh into a throwaway root, and the package taken
// apart with dpkg-deb.

let raspberryPi = repoRoot.appendingPathComponent("Firmware/raspberry-pi")

@Suite("Raspberry Pi service files", .serialized)
struct ServiceFilesTests {
    /// A folder laid out as install.sh expects, with `program` as edgepack-device.
    func kit(program: Data) throws -> URL {
        let dir = temporaryDirectory().appendingPathComponent("kit")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for f in ["install.sh", "edgepack-kws.service", "edgepack-kws.conf"] {
            try FileManager.default.copyItem(at: raspberryPi.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        try program.write(to: dir.appendingPathComponent("edgepack-device"))
        try Data("model".utf8).write(to: dir.appendingPathComponent("kws_test.epk"))
        return dir
    }

    /// The first 64 bytes of an ELF file for `machine` (183 aarch64, 62 x86-64).
    func elfHeader(machine: UInt8) -> Data {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0...3] = [0x7F, 0x45, 0x4C, 0x46]
        bytes[4] = 2; bytes[5] = 1; bytes[18] = machine
        return Data(bytes)
    }

    @Test(.enabled(if: which("systemd-analyze"))) func unitScoresSafeInSystemdSecurityReview() throws {
        let unit = raspberryPi.appendingPathComponent("edgepack-kws.service").path
        let (status, out, err) = try shell(["systemd-analyze", "security", "--offline=true", "--threshold=30", unit])
        print(out.split(separator: "\n").last ?? "")
        #expect(status == 0, "exposure above 3.0: \(out) \(err)")
        let level = out.components(separatedBy: "Overall exposure level for edgepack-kws.service: ").last?.split(separator: " ").first
        #expect(level.flatMap { Double($0) }.map { $0 <= 3.0 } == true, "\(out)")
    }

    @Test func installIntoDestdirKeepsTheSettingsAndUninstalls() throws {
        let dir = try kit(program: elfHeader(machine: 183))
        let root = dir.deletingLastPathComponent().appendingPathComponent("root").path
        let script = dir.appendingPathComponent("install.sh").path
        let (status, out, err) = try shell(["sh", script], environment: ["DESTDIR": root])
        #expect(status == 0, "\(err)")
        #expect(out.contains("placed under \(root)"))
        let fm = FileManager.default
        let program = root + "/opt/edgepack/bin/edgepack-device"
        #expect(fm.isExecutableFile(atPath: program))
        #expect(fm.contents(atPath: root + "/opt/edgepack/models/kws_test.epk") == Data("model".utf8))
        #expect(fm.contents(atPath: root + "/etc/systemd/system/edgepack-kws.service")
                == fm.contents(atPath: raspberryPi.appendingPathComponent("edgepack-kws.service").path))
        let conf = root + "/etc/edgepack/kws.conf"
        #expect(fm.contents(atPath: conf) == fm.contents(atPath: raspberryPi.appendingPathComponent("edgepack-kws.conf").path))
        // A reinstall replaces the program and keeps the settings an operator changed.
        try Data("ALSA_DEVICE=plughw:CARD=Mine,DEV=0\n".utf8).write(to: URL(fileURLWithPath: conf))
        let (again, _, againErr) = try shell(["sh", script], environment: ["DESTDIR": root])
        #expect(again == 0, "\(againErr)")
        #expect(try String(contentsOfFile: conf, encoding: .utf8) == "ALSA_DEVICE=plughw:CARD=Mine,DEV=0\n")
        let (removed, removedOut, removedErr) = try shell(["sh", script, "--uninstall"], environment: ["DESTDIR": root])
        #expect(removed == 0, "\(removedErr)")
        #expect(removedOut.contains("kept \(root)/etc/edgepack/kws.conf"))
        #expect(!fm.fileExists(atPath: root + "/opt/edgepack"))
        #expect(!fm.fileExists(atPath: root + "/etc/systemd/system/edgepack-kws.service"))
        #expect(fm.fileExists(atPath: conf))
    }

    @Test func installRefusesAHostProgramAndUnknownArguments() throws {
        let dir = try kit(program: elfHeader(machine: 62))
        let root = dir.deletingLastPathComponent().appendingPathComponent("root").path
        let script = dir.appendingPathComponent("install.sh").path
        let (status, _, err) = try shell(["sh", script], environment: ["DESTDIR": root])
        #expect(status == 1 && err.contains("edgepack-device is not an aarch64 program"), "\(err)")
        #expect(!FileManager.default.fileExists(atPath: root + "/opt"))
        let (usage, _, usageErr) = try shell(["sh", script, "--frobnicate"], environment: ["DESTDIR": root])
        #expect(usage == 64 && usageErr.contains("usage: install.sh"))
    }

    /// Without DESTDIR the script installs for real, so these runs must stop at the checks: as a
    /// user that is not root, and as root on a userland dpkg calls armhf (a stand-in dpkg on PATH).
    @Test(.enabled(if: getuid() == 0 && which("setpriv"))) func liveInstallChecksRootAndUserland() throws {
        let dir = try kit(program: elfHeader(machine: 183))
        let script = dir.appendingPathComponent("install.sh").path
        let (user, _, userErr) = try shell(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", script])
        #expect(user == 1 && userErr.contains("run as root"), "\(userErr)")
        let fakeBin = dir.appendingPathComponent("fake-bin")
        try FileManager.default.createDirectory(at: fakeBin, withIntermediateDirectories: true)
        try "#!/bin/sh\necho armhf\n".write(to: fakeBin.appendingPathComponent("dpkg"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeBin.appendingPathComponent("dpkg").path)
        let path = fakeBin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let (arch, _, archErr) = try shell(["sh", script], environment: ["PATH": path])
        #expect(arch == 1 && archErr.contains("this system's userland is armhf; the program needs arm64"), "\(archErr)")
    }

    @Test(.enabled(if: which("dpkg-deb"))) func debHoldsTheProgramUnitSettingsAndModel() throws {
        guard deviceAvailable else {
            print("deb test skipped: \(deviceBinary) not built (run Toolchain/build-device)")
            return
        }
        let out = temporaryDirectory()
        let (status, built, err) = try shell([repoRoot.appendingPathComponent("Toolchain/build-deb").path, out.path])
        #expect(status == 0, "\(err)")
        let deb = built.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("_arm64.deb") && deb.contains("/edgepack-kws_0."), "\(deb)")
        let (_, info, _) = try shell(["dpkg-deb", "-I", deb])
        for field in ["Package: edgepack-kws", "Architecture: arm64", "Depends: libc6 (>= 2.28), libasound2 | libasound2t64",
                      "postinst", "prerm", "postrm", "conffiles"] {
            #expect(info.contains(field), "no \(field) in \(info)")
        }
        let (_, version, _) = try shell(["dpkg-deb", "-f", deb, "Version"])
        #expect(version.hasPrefix("0.1.0+g"), "\(version)")
        let (_, listing, _) = try shell(["dpkg-deb", "-c", deb])
        for path in ["./opt/edgepack/bin/edgepack-device", "./opt/edgepack/models/kws_bifsmn.epk",
                     "./etc/edgepack/kws.conf", "./lib/systemd/system/edgepack-kws.service"] {
            #expect(listing.contains(path), "\(path) not in the package")
        }
        #expect(listing.contains("-rwxr-xr-x root/root"), "the program is not root-owned and executable")
        #expect(listing.split(separator: "\n").first?.hasPrefix("drwxr-xr-x root/root") == true, "the package root (/) must be 0755")
        let root = out.appendingPathComponent("root")
        let (x, _, xErr) = try shell(["dpkg-deb", "-x", deb, root.path])
        #expect(x == 0, "\(xErr)")
        let fm = FileManager.default
        #expect(fm.contents(atPath: root.path + "/lib/systemd/system/edgepack-kws.service")
                == fm.contents(atPath: raspberryPi.appendingPathComponent("edgepack-kws.service").path))
        #expect(fm.contents(atPath: root.path + "/etc/edgepack/kws.conf")
                == fm.contents(atPath: raspberryPi.appendingPathComponent("edgepack-kws.conf").path))
        #expect(fm.contents(atPath: root.path + "/opt/edgepack/models/kws_bifsmn.epk")
                == fm.contents(atPath: repoRoot.appendingPathComponent("Datasets/trained/kws_bifsmn.epk").path))
        // The packed program is the built one, stripped: it runs and checks the packed model.
        let program = root.path + "/opt/edgepack/bin/edgepack-device"
        let size = (try fm.attributesOfItem(atPath: program)[.size] as? Int) ?? 0
        #expect(size > 0 && size < 1_048_576, "\(size) bytes")
        let (ran, inspected, ranErr) = try shell(["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", program, "inspect",
                                                 root.path + "/opt/edgepack/models/kws_bifsmn.epk"])
        #expect(ran == 0 && !inspected.isEmpty, "\(ranErr)")
        let control = out.appendingPathComponent("control")
        let (e, _, eErr) = try shell(["dpkg-deb", "-e", deb, control.path])
        #expect(e == 0, "\(eErr)")
        for script in ["postinst", "prerm", "postrm"] {
            let (syntax, _, syntaxErr) = try shell(["sh", "-n", control.appendingPathComponent(script).path])
            #expect(syntax == 0, "\(script): \(syntaxErr)")
        }
    }
}
