"""Log-mel features identical to the runtime front end (BiFSMN recipe).

Equivalent to torchaudio
  MelSpectrogram(sample_rate=16000, n_fft=2048, hop_length=512, n_mels=32, normalized=True)
  followed by AmplitudeToDB() (power, amin 1e-10, ref 1, no top_db):
periodic Hann window of n_fft, centre padding by reflection, STFT divided by
sqrt(sum(window^2)), power 2, HTK mel filterbank over 0..sr/2 without area
normalisation, 10*log10(max(x, 1e-10)). Computed in float64, returned as float32.
check_features.py compares this against torchaudio itself.
"""
import numpy as np

FRONT_END = dict(sample_rate=16000, clip_samples=16000, n_fft=2048, win_length=2048,
                 hop_length=512, window="hann", center=True, pad_reflect=True, n_mels=32,
                 f_min=0.0, f_max=8000.0, mel_scale="htk", power=2.0, normalized=True,
                 to_db=True, db_multiplier=10.0, amin=1e-10, top_db=0.0)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m, dtype=np.float64) / 2595.0) - 1.0)


def mel_filterbank(n_freqs, f_min, f_max, n_mels, sample_rate):
    """(n_freqs, n_mels) triangular HTK filters, peaks 1, no normalisation."""
    freqs = np.linspace(0.0, sample_rate // 2, n_freqs)
    f_pts = mel_to_hz(np.linspace(hz_to_mel(f_min), hz_to_mel(f_max), n_mels + 2))
    f_diff = np.diff(f_pts)
    slopes = f_pts[None, :] - freqs[:, None]
    down = -slopes[:, :-2] / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    return np.maximum(0.0, np.minimum(down, up))


def hann_periodic(n):
    return 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)


class LogMel:
    def __init__(self, p=FRONT_END):
        self.p = dict(p)
        n_fft = p["n_fft"]
        self.window = hann_periodic(n_fft)
        self.fb = mel_filterbank(n_fft // 2 + 1, p["f_min"], p["f_max"], p["n_mels"], p["sample_rate"])

    def __call__(self, x, chunk=256):
        """x: (..., samples) float waveform in [-1, 1). Returns (..., n_mels, frames) float32."""
        x = np.asarray(x, dtype=np.float64)
        lead = x.shape[:-1]
        x = x.reshape(-1, x.shape[-1])
        outs = [self._batch(x[i:i + chunk]) for i in range(0, x.shape[0], chunk)]
        y = np.concatenate(outs, axis=0) if outs else np.zeros((0, self.p["n_mels"], 0))
        return y.reshape(lead + y.shape[1:]).astype(np.float32)

    def _batch(self, x):
        n_fft, hop = self.p["n_fft"], self.p["hop_length"]
        if self.p["center"]:
            x = np.pad(x, ((0, 0), (n_fft // 2, n_fft // 2)),
                       mode="reflect" if self.p["pad_reflect"] else "constant")
        n_frames = 1 + (x.shape[1] - n_fft) // hop
        idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
        frames = x[:, idx] * self.window                      # (B, T, n_fft)
        spec = np.fft.rfft(frames, axis=-1)
        if self.p["normalized"]:
            spec = spec / np.sqrt(np.sum(self.window ** 2))
        power = np.abs(spec) ** self.p["power"]              # (B, T, F)
        mel = np.einsum("btf,fm->bmt", power, self.fb)
        if not self.p["to_db"]:
            return mel
        return self.p["db_multiplier"] * np.log10(np.maximum(mel, self.p["amin"]))


_DEFAULT = None


def logmel(x):
    """(..., 16000) waveforms -> (..., 32, 32) float32 log-mel (the model input without batch/channel)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LogMel()
    return _DEFAULT(x)
