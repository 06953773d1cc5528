"""Waveform augmentation: coloured noise, reverberation, babble, placement, mixing."""
import numpy as np
from scipy.signal import fftconvolve

# spectral slope of the noise power in dB/octave terms: power ~ f^exponent
NOISE_COLOURS = {"white": 0.0, "pink": -1.0, "brown": -2.0, "blue": 1.0, "violet": 2.0}


def coloured_noise(rng, n, colour):
    """Unit-RMS Gaussian noise whose power spectrum goes as f^exponent."""
    exponent = NOISE_COLOURS[colour]
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spec.size, dtype=np.float64)
    f[0] = 1.0
    spec *= f ** (exponent / 2.0)
    spec[0] = 0.0
    x = np.fft.irfft(spec, n)
    return (x / (np.sqrt(np.mean(x ** 2)) + 1e-12)).astype(np.float32)


def hum(rng, n, sample_rate=16000):
    """Mains hum with a few harmonics (50 or 60 Hz), unit RMS."""
    base = 50.0 if rng.random() < 0.5 else 60.0
    t = np.arange(n) / sample_rate
    x = np.zeros(n)
    for k in range(1, 6):
        x += rng.uniform(0.1, 1.0) / k * np.sin(2 * np.pi * base * k * t + rng.uniform(0, 2 * np.pi))
    return (x / np.sqrt(np.mean(x ** 2))).astype(np.float32)


def room_impulse(rng, sample_rate=16000):
    """Simple synthetic room: direct path, then exponentially decaying noise tail."""
    rt60 = rng.uniform(0.15, 0.7)
    length = int(rt60 * sample_rate)
    t = np.arange(length) / sample_rate
    tail = rng.standard_normal(length) * np.exp(-6.9 * t / rt60)  # -60 dB at rt60
    pre = int(rng.uniform(0.003, 0.02) * sample_rate)
    tail[:pre] = 0.0
    ir = tail * 10 ** (rng.uniform(-18, -6) / 20) / (np.sqrt(np.sum(tail ** 2)) + 1e-12)
    ir[0] = 1.0
    return ir


def reverberate(rng, x, sample_rate=16000):
    y = fftconvolve(x.astype(np.float64), room_impulse(rng, sample_rate))
    y = y[:x.size + int(0.3 * sample_rate)]
    return (y * (np.max(np.abs(x)) / (np.max(np.abs(y)) + 1e-12))).astype(np.float32)


def rms(x):
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)) + 1e-20))


def place(rng, speech, n=16000, margin=0):
    """Put `speech` at a random offset in an n-sample window (time-shift augmentation).
    Too long utterances are cut around their centre with short fades."""
    out = np.zeros(n, dtype=np.float32)
    if speech.size >= n - 2 * margin:
        keep = n - 2 * margin
        start = (speech.size - keep) // 2
        seg = speech[start:start + keep].copy()
        fade = min(160, keep // 4)
        ramp = np.linspace(0, 1, fade, dtype=np.float32)
        seg[:fade] *= ramp
        seg[-fade:] *= ramp[::-1]
        out[margin:margin + keep] = seg
        return out, margin
    offset = int(rng.integers(margin, n - margin - speech.size + 1))
    out[offset:offset + speech.size] = speech
    return out, offset


def mix_at_snr(signal, signal_rms, noise, snr_db):
    """signal + noise scaled so that signal_rms / rms(noise) = snr_db."""
    scale = signal_rms / (rms(noise) * 10 ** (snr_db / 20))
    return signal + noise * scale


def babble(rng, pool, n=16000, count=(2, 4)):
    """Sum of a few other words at random offsets and levels (words from `pool`)."""
    out = np.zeros(n, dtype=np.float32)
    for _ in range(int(rng.integers(count[0], count[1] + 1))):
        w = pool[int(rng.integers(len(pool)))]
        w = w[:n]
        off = int(rng.integers(-w.size // 2, n - w.size // 2))
        lo, hi = max(0, off), min(n, off + w.size)
        out[lo:hi] += w[lo - off:hi - off] * rng.uniform(0.3, 1.0) / (np.max(np.abs(w)) + 1e-9)
    return out


def to_int16(x):
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)


# ---- speaker and channel variability (make_festival.py) ---------------------------------------

def speed_perturb(x, factor):
    """Kaldi-style speed perturbation: resample so the word plays `factor` times faster. Pitch and
    formants move together, as between a shorter and a longer vocal tract."""
    from fractions import Fraction
    from scipy.signal import resample_poly
    f = Fraction(float(factor)).limit_denominator(50)
    return resample_poly(x.astype(np.float64), f.denominator, f.numerator).astype(np.float32)


def image_source_room(rng, sample_rate=16000):
    """Room impulse response of a random shoebox room by the image-source method (pyroomacoustics):
    room 3-8 m x 3-7 m x 2.4-3.5 m, RT60 0.15-0.8 s, talker and microphone at random places."""
    import pyroomacoustics as pra
    dims = np.array([rng.uniform(3, 8), rng.uniform(3, 7), rng.uniform(2.4, 3.5)])
    rt60 = rng.uniform(0.15, 0.8)
    absorption, max_order = pra.inverse_sabine(rt60, dims)
    room = pra.ShoeBox(dims, fs=sample_rate, materials=pra.Material(absorption),
                       max_order=min(max_order, 12))
    room.add_source(rng.uniform([0.5, 0.5, 1.0], dims - [0.5, 0.5, 0.8]))
    room.add_microphone(rng.uniform([0.5, 0.5, 0.7], dims - [0.5, 0.5, 0.9]))
    room.compute_rir()
    ir = np.asarray(room.rir[0][0], dtype=np.float64)
    return ir / (np.max(np.abs(ir)) + 1e-12)


def room(rng, x, sample_rate=16000):
    """x played in a random simulated room (image-source), same peak."""
    y = fftconvolve(x.astype(np.float64), image_source_room(rng, sample_rate))
    y = y[:x.size + int(0.3 * sample_rate)]
    return (y * (np.max(np.abs(x)) / (np.max(np.abs(y)) + 1e-12))).astype(np.float32)


def microphone(rng, x, sample_rate=16000):
    """A random capture chain: telephone-like or cheap-mic band limits, a resonance peak or dip, a USB
    mic's DC offset and low-frequency roll-off. Returns (y, description)."""
    from scipy.signal import butter, iirpeak, sosfilt, lfilter
    y = x.astype(np.float64)
    lo = rng.uniform(60, 400)
    hi = rng.uniform(3200, 7800)
    y = sosfilt(butter(2, [lo, hi], btype="bandpass", fs=sample_rate, output="sos"), y)
    desc = f"band {lo:.0f}-{hi:.0f} Hz"
    if rng.random() < 0.6:
        f0 = rng.uniform(800, 5000)
        b, a = iirpeak(f0, rng.uniform(1.5, 6), fs=sample_rate)
        gain = rng.uniform(-0.6, 1.2)
        y = y + gain * lfilter(b, a, y)
        desc += f", peak {f0:.0f} Hz x{gain:+.1f}"
    if rng.random() < 0.3:  # soft saturation of a hot input stage
        drive = rng.uniform(1.5, 6)
        y = np.tanh(drive * y / (np.max(np.abs(y)) + 1e-12)) * np.max(np.abs(y))
        desc += f", drive {drive:.1f}"
    return y.astype(np.float32), desc
