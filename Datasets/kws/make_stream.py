#!/usr/bin/env python3
"""Build a continuous test stream for streaming keyword-spotting evaluation.

Words are spoken by TEST voices only (variants never heard in training; taken from the
dataset's voices.tsv, or recomputed from the seed as make_dataset.py does), with random
speed, pitch, gain and (sometimes) reverberation, over continuous background noise
(pink/brown noise whose level drifts, occasional mains hum) at 8–20 dB SNR per word.
Most words are keywords; some are unknown-class words; some stretches are noise only.

Writes  OUT.wav (16 kHz mono 16-bit)
        OUT.tsv         onset seconds<TAB>keyword      (keywords only: the detection targets)
        OUT_words.tsv   onset<TAB>end<TAB>word<TAB>kind<TAB>voice   (every spoken word)
Usage: python -m Datasets.kws.make_stream --out Datasets/trained/kws_test_stream [--seconds 90] [--seed 1]
"""
import argparse
from pathlib import Path

import numpy as np

from . import augment as A
from . import synth
from .vocabulary import KEYWORDS, UNKNOWN_WORDS
from .wavio import write_wav

SR = 16000


def split_variants_of(data, seed, split):
    """Voice variants of one split (train / validation / test) as make_dataset.py assigned them."""
    p = Path(data) / "voices.tsv" if data else None
    if p is not None and p.exists():
        rows = [line.split("\t") for line in p.read_text().splitlines()[1:]]
        return sorted(v for v, s in rows if s.strip() == split)
    from .make_dataset import split_variants
    assigned = split_variants(seed, synth.variants())
    return sorted(v for v, s in assigned.items() if s == split)


def background(rng, n):
    """Pink + brown noise with a slowly drifting level, plus hum in some stretches. Unit-ish RMS."""
    x = A.coloured_noise(rng, n, "pink") + 0.5 * A.coloured_noise(rng, n, "brown")
    drift = np.interp(np.arange(n), np.linspace(0, n, 12), rng.uniform(0.5, 1.5, 12))
    x = x * drift
    h = A.hum(rng, n) * 0.3
    gate = np.interp(np.arange(n), np.linspace(0, n, 8), (rng.random(8) < 0.4).astype(float))
    return (x + h * gate).astype(np.float32)


def synthesize(rng, seconds, accents, variants, unknown_share=0.2, noise_dbfs=-42.0,
               unknown_words=UNKNOWN_WORDS):
    """A stream of words over drifting noise. Returns (samples float32, events), an event being
    (onset s, end s, word, kind 'keyword'|'unknown', voice, snr dB); onset/end bound the
    trimmed word."""
    n = int(seconds * SR)
    noise = background(rng, n)
    noise *= 10 ** (noise_dbfs / 20) / A.rms(noise)
    speech = np.zeros(n, dtype=np.float32)
    events = []
    t = 1.0
    kw_cycle = []
    while True:
        t += rng.uniform(1.2, 2.4)          # gap before the next word (noise only)
        if rng.random() < unknown_share:
            word, kind = unknown_words[int(rng.integers(len(unknown_words)))], "unknown"
        else:
            if not kw_cycle:                 # every keyword equally often
                kw_cycle = list(rng.permutation(KEYWORDS))
            word, kind = str(kw_cycle.pop()), "keyword"
        voice = f"{accents[int(rng.integers(len(accents)))]}+{variants[int(rng.integers(len(variants)))]}"
        w = synth.trim(synth.speak(word, voice, int(rng.integers(130, 231)), int(rng.integers(25, 76))))
        if rng.random() < 0.3:
            w = A.reverberate(rng, w)
        start = int(t * SR)
        if start + w.size >= n - SR // 2:
            break
        snr = rng.uniform(8, 20)
        local = A.rms(noise[start:start + w.size])
        w = w * (local * 10 ** (snr / 20) / A.rms(w))
        speech[start:start + w.size] += w
        events.append((start / SR, (start + w.size) / SR, word, kind, voice, snr))
        t = (start + w.size) / SR
    mix = speech + noise
    peak = np.max(np.abs(mix))
    if peak > 0.9:
        mix *= 0.9 / peak
    return mix, events


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="path without extension")
    ap.add_argument("--data", default="/work/data/kws", help="dataset dir with voices.tsv")
    ap.add_argument("--seconds", type=float, default=90.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dataset-seed", type=int, default=1,
                    help="make_dataset.py's seed, which assigned the voices to splits (default 1)")
    ap.add_argument("--split", default="test", choices=["train", "validation", "test"],
                    help="whose voices speak (default test: never heard in training)")
    ap.add_argument("--unknown-share", type=float, default=0.2)
    ap.add_argument("--noise-dbfs", type=float, default=-42.0, help="background RMS level")
    args = ap.parse_args()
    rng = np.random.default_rng([args.seed, 97])
    accents, variants = synth.english_accents(), split_variants_of(args.data, args.dataset_seed, args.split)
    mix, events = synthesize(rng, args.seconds, accents, variants, args.unknown_share, args.noise_dbfs)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_wav(out.with_suffix(".wav"), mix)
    with open(out.with_suffix(".tsv"), "w") as f:
        for on, _, word, kind, _, _ in events:
            if kind == "keyword":
                f.write(f"{on:.3f}\t{word}\n")
    with open(str(out) + "_words.tsv", "w") as f:
        f.write("onset\tend\tword\tkind\tvoice\tsnr_db\n")
        for on, end, word, kind, voice, snr in events:
            f.write(f"{on:.3f}\t{end:.3f}\t{word}\t{kind}\t{voice}\t{snr:.1f}\n")
    nk = sum(1 for e in events if e[3] == "keyword")
    print(f"{out.with_suffix('.wav')}: {args.seconds:.0f} s, {nk} keywords, "
          f"{len(events) - nk} unknown words, {args.split} voices from {len(variants)} variants")


if __name__ == "__main__":
    main()
