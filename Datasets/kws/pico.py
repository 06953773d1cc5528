"""SVOX Pico's English voices as training speech (en-US and en-GB, from PyPI's `ttspico`).

Pico is a third engine beside espeak-ng (formant) and festival (diphone, HTS): HMM-driven unit
synthesis from Android, with its own two speakers. The wheel carries the voice files, so nothing
beyond PyPI is needed; without it, pico_voices() is empty and training uses the other engines.
Pico speaks at 16 kHz, 16-bit; rate and pitch are percentages of the voice's own (100).
"""
import numpy as np

# voice name used in file names -> pico language code
PICO_VOICES = {"pico_us": "en-US", "pico_gb": "en-GB"}
# training speech uses pico_us; pico_gb is held out as the validation speaker of another engine than
# espeak-ng (kws/validation_stream.py), so the detector is tuned on an engine and speaker never trained on
TRAINING_VOICES = ("pico_us",)
VALIDATION_VOICES = ("pico_gb",)
# the speakers' own pitch (Hz: autocorrelation peak of six keywords, as test_recipes measures), so an f0 target maps to pico's pitch percentage
_OWN_F0 = {"pico_us": 155.0, "pico_gb": 175.0}


def pico_voices(which=TRAINING_VOICES):
    """Those of `which` that load here (none when ttspico is not installed)."""
    try:
        import ttspico  # noqa: F401
    except ImportError:
        return []
    return sorted(which)


def pico_batch(voice, requests):
    """Synthesize [(text, duration_stretch, f0_mean_hz or None)] with one engine; returns 16 kHz float32
    arrays. A stretch s slows speech to 1/s of pico's rate; f0 moves the pitch by f0 / the voice's own."""
    import ttspico
    if voice not in PICO_VOICES:
        raise ValueError(f"unknown pico voice {voice!r}")
    engine = ttspico.TtsEngine(PICO_VOICES[voice])
    out = []
    for text, stretch, *pitch in requests:
        f0 = pitch[0] if pitch else None
        engine.rate = int(np.clip(round(100 / float(stretch)), 20, 500))
        engine.pitch = int(np.clip(round(100 * (f0 / _OWN_F0[voice] if f0 else 1.0)), 50, 200))
        pcm = engine.speak(text) or b""
        out.append(np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768.0)
    return out
