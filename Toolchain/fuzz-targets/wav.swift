// libFuzzer target: the WAV reader, and resampling to a 16 kHz (and an 8 kHz) model rate.
import EdgePackAudio

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    _ = try? WAVReader.decode(bytes)
    for rate in [16000, 8000] {
        if let audio = try? WAVReader.decode(bytes, requiredRate: rate, resample: true) {
            precondition(audio.format.sampleRate == rate)
        }
    }
    return 0
}
