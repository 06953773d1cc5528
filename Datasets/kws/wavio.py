"""16-bit PCM WAV read/write with the standard library (no extra dependency)."""
import wave

import numpy as np


def write_wav(path, x, sample_rate=16000):
    """x: float in [-1, 1] or int16."""
    if x.dtype != np.int16:
        x = np.clip(np.round(np.asarray(x, dtype=np.float64) * 32767.0), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(x.astype("<i2").tobytes())


def read_wav(path):
    """Returns (float32 samples in [-1, 1) as torchaudio loads them: int16 / 32768, rate).
    Multi-channel files are averaged."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: only 16-bit PCM is supported")
        rate, ch = w.getframerate(), w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    x = data.astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    return x, rate


def to_16k(x, rate):
    """x at `rate` Hz resampled to 16 kHz (polyphase, in float64), float32."""
    if rate == 16000:
        return x.astype(np.float32)
    from scipy.signal import resample_poly
    g = np.gcd(rate, 16000)
    return resample_poly(x.astype(np.float64), 16000 // g, rate // g).astype(np.float32)
