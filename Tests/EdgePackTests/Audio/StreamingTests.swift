import EdgePackAudio
import EdgePackFormat
import Testing

@Suite struct StreamingTests {
    /// Pushes `samples` in chunks of the given sizes (cycled), collecting every window.
    static func windows(_ samples: [Float], chunks: [Int], spec: AudioFrontEndSpec) throws -> [(Int64, [Float])] {
        let extractor = try StreamingFeatureExtractor(spec: spec)
        var out: [(Int64, [Float])] = []
        var buffer = [Float](repeating: 0, count: spec.nMels * spec.framesPerClip)
        var at = 0, c = 0
        while at < samples.count {
            let n = min(chunks[c % chunks.count], samples.count - at)
            c += 1
            samples[at..<(at + n)].withUnsafeBufferPointer { chunk in
                extractor.push(chunk) { frame in
                    guard extractor.windowReady else { return }
                    buffer.withUnsafeMutableBufferPointer { extractor.window(into: $0) }
                    out.append((frame, buffer))
                }
            }
            at += n
        }
        return out
    }

    /// Every streaming window equals the matching 32 columns of torchaudio's features of the
    /// whole stream (computed offline by the fixture script): features are updated one frame
    /// per hop and the window is the last second of them.
    @Test func windowsMatchTorchaudioOnTheStream() throws {
        let audio = try AudioFixtures.wav("stream.wav")
        let reference = try AudioFixtures.npy("stream.bifsmn.npy")
        let spec = AudioFrontEndSpec()
        let total = reference.shape[1]
        #expect(total == 1 + audio.samples.count / 512)
        let windows = try Self.windows(audio.samples, chunks: [160, 1, 777, 4096], spec: spec)
        // Frames whose n_fft support ends inside the stream: k*512 + 1024 <= length.
        let computable = (audio.samples.count - 1024) / 512 + 1
        #expect(windows.count == computable - 31)
        var worst: Float = 0
        for (frame, window) in windows {
            let first = Int(frame) - 31
            for m in 0..<32 {
                for t in 0..<32 {
                    worst = max(worst, abs(window[m * 32 + t] - reference.data[m * total + first + t]))
                }
            }
        }
        print("streaming windows vs torchaudio stream features: max |diff| = \(worst) dB")
        #expect(worst <= 1e-3)
    }

    /// Chunking does not change anything (same frames, bit for bit).
    @Test func chunkSizeIndependent() throws {
        let audio = try AudioFixtures.wav("stream.wav")
        let a = try Self.windows(audio.samples, chunks: [audio.samples.count], spec: AudioFrontEndSpec())
        let b = try Self.windows(audio.samples, chunks: [1, 2, 3, 511, 513], spec: AudioFrontEndSpec())
        #expect(a.count == b.count)
        for i in 0..<min(a.count, b.count) { #expect(a[i].0 == b[i].0 && a[i].1 == b[i].1) }
    }

    /// A stream that is one clip: the first window equals the offline clip features except in
    /// the frames whose support reaches past the clip's end (where torchaudio reflects).
    @Test func singleClipMatchesOfflineUpToTheEdge() throws {
        let audio = try AudioFixtures.wav("yes.wav")
        let spec = AudioFrontEndSpec()
        let offline = try LogMelFrontEnd(spec: spec).clipFeatures(audio.samples)
        // Append 896 samples of the continuation so frame 31 (centred at 15872) can be computed.
        let tail = [Float](repeating: 0, count: 896)
        let windows = try Self.windows(audio.samples + tail, chunks: [300], spec: spec)
        #expect(windows.count == 1)
        guard let (_, window) = windows.first else { return }
        // Frames 0...29 only touch samples < 16000 (reflection at the start is as torchaudio's).
        for m in 0..<32 { for t in 0..<30 { #expect(window[m * 32 + t] == offline[m * 32 + t]) } }
    }

    /// The spotter hands a window to the classifier every `stride` hops, with sample-accurate
    /// clip bounds, and the window is the extractor's.
    @Test func spotterStrideAndTiming() throws {
        var spec = AudioFrontEndSpec()
        spec.labels = ["silence", "unknown", "yes"]
        spec.silenceLabel = 0; spec.unknownLabel = 1
        let spotter = try KeywordSpotter(spec: spec, detector: DetectorConfig(), strideFrames: 3)
        let audio = try AudioFixtures.wav("stream.wav")
        var starts: [Int64] = []
        spotter.push(audio.samples, classify: { window in
            #expect(window.features.count == 32 * 32 && window.endSample - window.startSample == 16000)
            starts.append(window.startSample)
            return [1, 0, 0]
        }, onDetection: { _ in Issue.record("silence must never be reported") })
        // Windows start at multiples of 3 hops; the last complete window ends at frame 54.
        var expected: [Int64] = []
        var first: Int64 = 0
        while first + 31 <= 54 { expected.append(first * 512); first += 3 }
        #expect(starts == expected)
        #expect(spotter.windowsClassified == Int64(expected.count))
    }
}
