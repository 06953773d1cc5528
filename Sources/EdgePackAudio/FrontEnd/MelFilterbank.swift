import EdgePackFormat
import EdgePackRuntime

/// Triangular mel filters over the one-sided FFT bins, as torchaudio.functional.melscale_fbanks
/// with norm=None: band edges equally spaced on the mel scale between f_min and f_max, each
/// filter rising from its lower edge to its centre and falling to its upper edge, evaluated at
/// the bin frequencies linspace(0, sample_rate // 2, n_fft/2 + 1). Only the nonzero span of each
/// filter is stored.
public struct MelFilterbank {
    public let melCount: Int
    public let binCount: Int
    /// First bin of each filter's nonzero span.
    public private(set) var firstBin: [Int]
    /// Offset of each filter's weights in `weights`; filter m has offsets[m+1] - offsets[m] bins.
    public private(set) var offsets: [Int]
    public private(set) var weights: [Double]

    public init(sampleRate: Int, nFFT: Int, nMels: Int, fMin: Double, fMax: Double, scale: MelScale) {
        melCount = nMels
        binCount = nFFT / 2 + 1
        let nyquist = Double(sampleRate / 2)
        var binHz = [Double](repeating: 0, count: binCount)
        for i in 0..<binCount { binHz[i] = binCount > 1 ? nyquist * Double(i) / Double(binCount - 1) : 0 }
        let mMin = MelFilterbank.hzToMel(fMin, scale), mMax = MelFilterbank.hzToMel(fMax, scale)
        var edges = [Double](repeating: 0, count: nMels + 2)
        for i in 0..<(nMels + 2) {
            edges[i] = MelFilterbank.melToHz(mMin + (mMax - mMin) * Double(i) / Double(nMels + 1), scale)
        }
        firstBin = []; offsets = [0]; weights = []
        var from = 0   // bins at or below every later filter's lower edge
        for m in 0..<nMels {
            let lower = edges[m], centre = edges[m + 1], upper = edges[m + 2]
            var first = -1
            // A filter is nonzero only strictly between its edges (the bins are in increasing
            // order), so only those bins are evaluated; a degenerate filter (edges not increasing,
            // or not finite) is evaluated at every bin.
            var bins = 0..<binCount
            if lower.isFinite && upper.isFinite && lower < centre && centre < upper {
                while from < binCount && binHz[from] <= lower { from += 1 }
                var end = from
                while end < binCount && binHz[end] < upper { end += 1 }
                bins = from..<end
            }
            for k in bins {
                let down = (binHz[k] - lower) / (centre - lower)
                let up = (upper - binHz[k]) / (upper - centre)
                let w = max(0, min(down, up))
                if w > 0 {
                    if first < 0 { first = k }
                    // Zeros inside the span cannot occur for a triangle; keep the span contiguous.
                    while first + (weights.count - offsets[m]) < k { weights.append(0) }
                    weights.append(w)
                }
            }
            firstBin.append(max(first, 0))
            offsets.append(weights.count)
        }
    }

    /// mel[m] = sum_k power[k] * weight[m][k].
    public func apply(_ power: UnsafeBufferPointer<Double>, into mel: UnsafeMutableBufferPointer<Double>) {
        weights.withUnsafeBufferPointer { w in
            for m in 0..<melCount {
                var sum = 0.0
                var k = firstBin[m]
                for i in offsets[m]..<offsets[m + 1] { sum += power[k] * w[i]; k += 1 }
                mel[m] = sum
            }
        }
    }

    /// Dense weight of filter `mel` at `bin` (0 outside its span), for inspection and tests.
    public func weight(mel: Int, bin: Int) -> Double {
        let i = bin - firstBin[mel]
        if i < 0 || i >= offsets[mel + 1] - offsets[mel] { return 0 }
        return weights[offsets[mel] + i]
    }

    public static func hzToMel(_ hz: Double, _ scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 2595.0 * EPMath.log10(1.0 + hz / 700.0)
        case .slaney:
            // Linear below 1 kHz (200/3 Hz per mel), logarithmic above.
            let fSp = 200.0 / 3.0
            if hz < 1000 { return hz / fSp }
            let logStep = EPMath.log(6.4) / 27.0
            return 1000.0 / fSp + EPMath.log(hz / 1000.0) / logStep
        }
    }

    public static func melToHz(_ mel: Double, _ scale: MelScale) -> Double {
        switch scale {
        case .htk:
            return 700.0 * (EPMath.exp(mel / 2595.0 * 2.30258509299404568401799145468) - 1.0)  // 10^(mel/2595)
        case .slaney:
            let fSp = 200.0 / 3.0
            let minLogMel = 1000.0 / fSp
            if mel < minLogMel { return mel * fSp }
            let logStep = EPMath.log(6.4) / 27.0
            return 1000.0 * EPMath.exp(logStep * (mel - minLogMel))
        }
    }
}
