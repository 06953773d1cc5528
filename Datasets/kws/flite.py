"""flite: speech for EVALUATION ONLY. Nothing that trains, validates or tunes a model imports this
module; its figures measure a synthesizer the model never heard.
"""
import subprocess
import tempfile
from pathlib import Path

from . import synth
from .wavio import read_wav, to_16k

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


class FliteVoices:
    """flite's voices (evaluation only) at a random duration stretch per word."""

    def __init__(self, voices=None):
        self.voices = voices or flite_voices()

    def pick(self, rng):
        return self.voices[int(rng.integers(len(self.voices)))]

    def say(self, rng, voice, word):
        return synth.trim(flite_speak(word, voice, rng.uniform(0.8, 1.25)))
