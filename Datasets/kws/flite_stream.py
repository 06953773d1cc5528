#!/usr/bin/env python3
"""The streaming test of make_stream.py spoken by every general-purpose flite voice: a synthesizer never
used in training, validation or tuning (evaluation only).
Usage: python -m Datasets.kws.flite_stream --out OUT --seconds 1200 --seed 21 [--snr-db 10] [--phrases]
"""
from .flite import FliteVoices
from .make_stream import other_engine_main


if __name__ == "__main__":
    other_engine_main(__doc__, FliteVoices, "flite voices")
