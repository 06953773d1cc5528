#!/usr/bin/env python3
"""The streaming test of make_stream.py spoken by every general-purpose flite voice: a synthesizer never
used in training, validation or tuning (evaluation only).
Usage: python -m Datasets.kws.flite_stream --out OUT --seconds 1200 --seed 21 [--snr-db 10] [--phrases]
"""
import argparse

from .flite import FliteVoices
from .make_stream import make, stream_arguments


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    stream_arguments(ap)
    args = ap.parse_args()
    voices = FliteVoices()
    make(args, voices, [], [], f"flite voices {' '.join(voices.voices)}")


if __name__ == "__main__":
    main()
