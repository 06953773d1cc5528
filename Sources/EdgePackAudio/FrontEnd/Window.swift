import EdgePackFormat
import EdgePackRuntime

/// Analysis windows as torch builds them by default (periodic: the window of length N is the
/// first N points of the symmetric window of length N + 1).
public enum AnalysisWindow {
    /// `length` coefficients of `kind`, periodic.
    public static func coefficients(_ kind: WindowKind, length: Int) -> [Double] {
        var w = [Double](repeating: 1, count: length)
        let (alpha, beta): (Double, Double)
        switch kind {
        case .rectangular: return w
        case .hann: (alpha, beta) = (0.5, 0.5)          // torch.hann_window
        case .hamming: (alpha, beta) = (0.54, 0.46)     // torch.hamming_window
        }
        for n in 0..<length {
            w[n] = alpha - beta * EPMath.cos(2.0 * Double.pi * Double(n) / Double(length))
        }
        return w
    }

    /// The window of `winLength` centered in `nFFT` zeros, as torch.stft pads a shorter window.
    public static func padded(_ kind: WindowKind, winLength: Int, nFFT: Int) -> [Double] {
        var out = [Double](repeating: 0, count: nFFT)
        let w = coefficients(kind, length: winLength)
        let left = (nFFT - winLength) / 2
        for i in 0..<winLength { out[left + i] = w[i] }
        return out
    }
}
