#!/usr/bin/env python3
"""make_stream.py's stream spoken by Pico's held-out voice (pico_gb, `kws/pico.py`): a validation
stream from another engine than espeak-ng and a speaker no training clip has, for choosing the detector
setting (tune_detector.py) beside the espeak-ng validation streams. Never a test stream.
Each word gets its own rate (80-125 %) and pitch (110-280 Hz), so one voice stands for many talkers.
Usage: python -m Datasets.kws.validation_stream --out OUT --seconds 1200 --seed 31 [--snr-db 10] [--phrases]
"""
from . import pico, synth
from .make_stream import other_engine_main


class PicoVoices:
    """The held-out Pico voice(s) at a random rate and pitch per word."""

    def __init__(self):
        self.voices = pico.pico_voices(pico.VALIDATION_VOICES)
        if not self.voices:
            raise SystemExit("validation_stream needs PyPI's ttspico (Datasets/requirements-train.txt)")

    def pick(self, rng):
        return self.voices[int(rng.integers(len(self.voices)))]

    def say(self, rng, voice, word):
        stretch, f0 = rng.uniform(0.8, 1.25), rng.uniform(110, 280)
        return synth.trim(pico.pico_batch(voice, [(word, stretch, f0)])[0])


if __name__ == "__main__":
    other_engine_main(__doc__, PicoVoices, "held-out pico voices")
