"""Speech from the other English synthesizers Debian offers: festival (training) and flite (evaluation only).

Why two engines besides espeak-ng: a model trained on one synthesizer learns that synthesizer.
festival's voices (kal and ked diphones, the slt HTS voice) add speakers and a different vocoder to
training; flite is kept out of training, validation and detector tuning entirely, so its figures
measure speech the model never heard.

festival starts slowly (about 2.5 s per process), so words are synthesized in one batch per voice
(`festival_batch`) and cached. flite starts in milliseconds and is called per word.
"""
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from .wavio import read_wav

SR = 16000

# festival voice -> its Scheme selector; only the ones installed are used
FESTIVAL_VOICES = {
    "kal": "voice_kal_diphone",
    "ked": "voice_ked_diphone",
    "slt": "voice_cmu_us_slt_arctic_hts",
}
_FESTIVAL_DIRS = {"kal": "english/kal_diphone", "ked": "english/ked_diphone",
                  "slt": "us/cmu_us_slt_arctic_hts"}


def to_16k(x, rate):
    if rate == SR:
        return x.astype(np.float32)
    g = np.gcd(rate, SR)
    return resample_poly(x.astype(np.float64), SR // g, rate // g).astype(np.float32)


def festival_voices():
    """Installed festival voices among FESTIVAL_VOICES, sorted."""
    root = Path("/usr/share/festival/voices")
    return sorted(v for v, d in _FESTIVAL_DIRS.items() if (root / d).is_dir())


def _scheme_string(text):
    if any(c in text for c in '"\\'):
        raise ValueError(f"text for festival must not hold quotes or backslashes: {text!r}")
    return f'"{text}"'


def festival_batch(voice, requests):
    """Synthesize [(text, duration_stretch)] with one festival process; returns 16 kHz float32 arrays."""
    if voice not in FESTIVAL_VOICES:
        raise ValueError(f"unknown festival voice {voice!r}")
    with tempfile.TemporaryDirectory() as tmp:
        lines = [f"({FESTIVAL_VOICES[voice]})"]
        for i, (text, stretch) in enumerate(requests):
            lines.append(f"(Parameter.set 'Duration_Stretch {float(stretch):.3f})")
            lines.append(f"(utt.save.wave (utt.synth (Utterance Text {_scheme_string(text)})) "
                         f"\"{tmp}/{i}.wav\" 'riff)")
        script = Path(tmp) / "batch.scm"
        script.write_text("\n".join(lines) + "\n")
        subprocess.run(["festival", "-b", str(script)], check=True, capture_output=True)
        out = []
        for i in range(len(requests)):
            x, rate = read_wav(Path(tmp) / f"{i}.wav")
            out.append(to_16k(x, rate))
        return out


# flite's limited-domain voices: awb_time only says clock times ("left" comes out as 0.14 s of fragments)
FLITE_LIMITED_DOMAIN = {"awb_time"}


def flite_voices():
    """flite's built-in general-purpose voices (`flite -lv` without the limited-domain ones), sorted."""
    out = subprocess.run(["flite", "-lv"], capture_output=True, text=True, check=True).stdout
    return sorted(set(out.split(":", 1)[1].split()) - FLITE_LIMITED_DOMAIN)


def flite_speak(text, voice, stretch=1.0):
    """flite voice `voice` saying `text`, slowed by `stretch` (>1 slower); 16 kHz float32."""
    if voice not in flite_voices():
        raise ValueError(f"unknown flite voice {voice!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.wav"
        subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={float(stretch):.3f}",
                        "-t", text, "-o", str(path)], check=True, capture_output=True)
        x, rate = read_wav(path)
    return to_16k(x, rate)
