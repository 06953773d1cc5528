import EdgePackApp
import Testing

// The shared command-line definitions parsed in-process (the device's parser; the host feeds the
// same ParsedCommandLine from swift-argument-parser): values, spellings and the exact messages.

@Suite("Shared command-line parsing")
struct OptionParsingTests {
    func kws(_ args: [String]) throws(AppError) -> KWSOptions {
        try KWSCommandLine.options(try KWSCommandLine.spec.parse(ArraySlice(["--model", "m.epk", "--wav", "a.wav"] + args)))
    }

    func message(_ args: [String]) -> (String, EdgePackApp.ExitStatus)? {
        do { _ = try kws(args); return nil } catch { return (error.message, error.status) }
    }

    @Test func valuesAndSpellings() throws {
        let o = try kws(["--threshold=0.25", "--stride", "2", "--average", "4", "--refractory", "0.5", "--seconds", "1e3", "--json"])
        #expect(o.threshold == 0.25 && o.strideFrames == 2 && o.averageCount == 4 && o.refractorySeconds == 0.5)
        #expect(o.maxSeconds == 1000 && o.json && o.modelPath == "m.epk")
        if case .wav(let path) = o.source { #expect(path == "a.wav") } else { Issue.record("source \(o.source)") }
        let defaults = try kws([])
        #expect(defaults.threshold == nil && defaults.strideFrames == 1 && defaults.periodFrames == 512 && defaults.bufferFrames == 4096)
    }

    @Test(arguments: [
        (["--threshold", "-1"], "--threshold must be between 0 and 1, got -1"),
        (["--threshold", "1.5"], "--threshold must be between 0 and 1, got 1.5"),
        (["--threshold", "abc"], "--threshold must be a number, got abc"),
        (["--threshold", "0,5"], "--threshold must be a number, got 0,5"),
        (["--threshold", "0x1p-1"], "--threshold must be a number, got 0x1p-1"),
        (["--threshold", " 0.5"], "--threshold must be a number, got  0.5"),
        (["--threshold", "nan"], "--threshold must be a finite number, got nan"),
        (["--average", "9223372036854775807"], "--average must be between 1 and 100, got 9223372036854775807"),
        (["--average", "99999999999999999999"], "--average must be a whole number, got 99999999999999999999"),
        (["--stride", "1.5"], "--stride must be a whole number, got 1.5"),
        (["--refractory", "inf"], "--refractory must be a finite number, got inf"),
        (["--refractory", "-0.1"], "--refractory must be between 0 and 3600, got -0.1"),
        (["--seconds", "nan"], "--seconds must be a finite number, got nan"),
        (["--seconds", "1e300"], "--seconds must be between 0 and 1000000000, got 1e300"),
        (["--buffer", "256"], "--buffer must be at least --period (512), got 256"),
        (["--threshold"], "--threshold needs a value"),
        (["--json=1"], "--json takes no value"),
        (["--bogus", "1"], "unknown option --bogus"),
        (["-t", "1"], "unknown option -t"),
        (["stray"], "unexpected argument stray"),
        (["--raw", "-"], "give exactly one of --wav, --raw, --alsa"),
    ])
    func invalidValuesAreUsageErrors(args: [String], expected: String) {
        let got = message(args)
        #expect(got?.0 == expected)
        #expect(got?.1 == .usage)
    }

    @Test func missingRequiredAndHelp() throws {
        do { _ = try KWSCommandLine.spec.parse(["--wav", "a.wav"]); Issue.record("parsed without --model") } catch {
            #expect(error.message == "missing --model MODEL.epk" && error.status == .usage)
        }
        // --help wins over everything else, even a missing required option.
        #expect(try KWSCommandLine.spec.parse(["--help"]).helpRequested)
        #expect(try KWSCommandLine.spec.parse(["--threshold", "abc", "-h"]).helpRequested)
    }

    @Test func positionalsShortNamesAndDoubleDash() throws {
        let p = try RunCommandLine.spec.parse(["m.epk", "-i", "a.npy", "--input", "x=b.npy", "-o", "-out.npy", "-i", "c.npy"])
        #expect(p.text(RunCommandLine.model) == "m.epk" && p.text(RunCommandLine.output) == "-out.npy")
        let inputs = try RunCommandLine.inputs(p)
        #expect(inputs.map { $0.path } == ["a.npy", "c.npy", "b.npy"] && inputs.map { $0.name } == [nil, nil, "x"])
        #expect(try RunCommandLine.spec.parse(["--output", "o.npy", "--", "-model.epk"]).text(RunCommandLine.model) == "-model.epk")
        do { _ = try RunCommandLine.inputs(try RunCommandLine.spec.parse(["m", "--input", "b.npy", "-o", "o"])); Issue.record("accepted") }
        catch { #expect(error.message == "--input must be NAME=PATH, got b.npy") }
    }

    @Test func otherCommandsCheckTheirRanges() {
        func usage(_ c: AppCommand, _ args: [String]) -> String? {
            do { _ = try c.spec.parse(ArraySlice(args)); return nil } catch { return error.message }
        }
        #expect(usage(.bench, ["m.epk", "--iterations", "0"]) == "--iterations must be between 1 and 1000000, got 0")
        #expect(usage(.bench, ["m.epk", "--only", "half"]) == "--only must be binary or float, got half")
        #expect(usage(.pointCloud, ["--model", "m", "--dir", "d", "--top", "-3"]) == "--top must be between 1 and 1000, got -3")
        #expect(usage(.kernelBench, ["bgemm", "0", "1", "1", "1"]) == "M must be between 1 and 4096, got 0")
        #expect(usage(.kernelBench, ["fft", "1", "1", "1", "1"]) == "KERNEL must be bgemm or gemm, got fft")
        #expect(usage(.kernelBench, ["gemm", "1", "1", "-1", "1"]) == "K must be between 1 and 16384, got -1")
        do { _ = try PointCloudCommandLine.options(try PointCloudCommandLine.spec.parse(["--model", "m", "--pcd", "f", "--follow"])) }
        catch { #expect(error.message == "--follow needs --dir") }
    }

    /// Options set in code go through the same ranges before anything is sized by them.
    @Test func optionsSetInCodeAreChecked() {
        var o = KWSOptions(); o.modelPath = "m.epk"; o.refractorySeconds = .infinity
        do { _ = try runKeywordSpotter(o) { _ in }; Issue.record("ran") } catch {
            #expect(error.message == "--refractory must be a finite number, got inf")
        }
    }

    @Test func helpListsEveryOptionWithItsRangeAndDefault() {
        let help = KWSCommandLine.spec.helpText(program: "edgepack-device")
        #expect(help.hasPrefix("usage: edgepack-device kws --model MODEL.epk (--wav FILE | --raw FILE | --alsa DEVICE) [options]\n"))
        for o in KWSCommandLine.spec.arguments { #expect(help.contains(o.synopsis) && help.contains(o.fullHelp)) }
        #expect(help.contains("(0 to 1; default: the model's tuned value, else 0.7)"))
        #expect(help.contains("(16 to 65536; default 512)"))
        #expect(help.contains(EdgePackApp.ExitStatus.helpText))
    }
}
