#!/usr/bin/env python3
"""Training windows cut from synthesized streams: what the streaming detector actually sees.

Clips in the dataset each hold one whole word, but a sliding 1 s window also sees words cut
at either edge, two words at once, and long stretches of drifting noise. A model that never
saw those scores "ri(ght)" or "(do)wn" like the keyword and raises false alarms. Here every
window of a stream (make_stream.synthesize, voices of one split) gets a label from where the
words lie in it:

  keyword   the whole keyword (at least FULL of its trimmed length) is inside the window
  (skipped) 50 %…FULL of a keyword is inside: ambiguous, not trained on
  unknown   otherwise, when any word overlaps by at least 15 % (cut keywords, other words)
  silence   otherwise (noise, at most a sliver of a word)

Usage (preview counts): python -m Datasets.kws.stream_windows --split train --minutes 2 --seed 5
"""
import argparse

import numpy as np

from . import synth
from .features import logmel
from .make_stream import split_variants_of, synthesize
from .vocabulary import LABELS, NEAR_MISSES, SILENCE_INDEX, UNKNOWN_INDEX, UNKNOWN_WORDS

SR = 16000
FULL = 0.95
AMBIGUOUS = 0.5
SPEECH = 0.15


def window_labels(events, starts, window=SR):
    """Label per window start (sample index); -1 marks windows left out."""
    labels = np.full(len(starts), SILENCE_INDEX, dtype=np.int64)
    for i, s in enumerate(starts):
        a, b = s / SR, (s + window) / SR
        whole, ambiguous, speech = [], False, False
        for on, end, word, kind, *_ in events:
            if end <= a or on >= b:
                continue
            frac = (min(b, end) - max(a, on)) / max(end - on, 1e-6)
            if kind == "keyword" and frac >= FULL:
                whole.append(word)
            elif kind == "keyword" and frac >= AMBIGUOUS:
                ambiguous = True
            if frac >= SPEECH:
                speech = True
        if len(whole) == 1 and not ambiguous:
            labels[i] = LABELS.index(whole[0])
        elif whole or ambiguous:
            labels[i] = -1
        elif speech:
            labels[i] = UNKNOWN_INDEX
    return labels


def stream_windows(split, minutes, seed, stride_seconds=0.1, data="/work/data/kws", dataset_seed=1,
                   unknown_share=0.35, near_miss_weight=1, log=print):
    """Log-mel windows (N, 1, 32, 32) float32 and labels (N,) from `minutes` of one split's
    voices, in 10-minute streams seeded (seed, k). near_miss_weight > 1 draws the keywords'
    near neighbours (top, lift, now, ...) that many times as often as other unknown words:
    those are where false alarms come from."""
    accents = synth.english_accents()
    variants = split_variants_of(data, dataset_seed, split)
    xs, ys = [], []
    stride = int(round(stride_seconds * SR))
    pieces = max(1, int(np.ceil(minutes / 10)))
    for k in range(pieces):
        rng = np.random.default_rng([seed, 131, k])
        seconds = min(600.0, minutes * 60 - 600 * k)
        pool = UNKNOWN_WORDS + [w for w in NEAR_MISSES for _ in range(max(0, near_miss_weight - 1))]
        mix, events = synthesize(rng, seconds, accents, variants, unknown_share, unknown_words=pool)
        starts = np.arange(0, mix.size - SR + 1, stride)
        y = window_labels(events, starts)
        keep = np.nonzero(y >= 0)[0]
        view = np.lib.stride_tricks.sliding_window_view(mix, SR)[::stride]
        for c in range(0, len(keep), 2048):
            idx = keep[c:c + 2048]
            xs.append(logmel(np.ascontiguousarray(view[idx]))[:, None].astype(np.float32))
        ys.append(y[keep])
        log(f"stream windows {split} {k + 1}/{pieces}: {seconds:.0f} s, {len(keep)} windows "
            f"({len(starts) - len(keep)} ambiguous left out)")
    return np.concatenate(xs), np.concatenate(ys)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="train", choices=["train", "validation", "test"])
    ap.add_argument("--minutes", type=float, default=2)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--data", default="/work/data/kws")
    args = ap.parse_args()
    x, y = stream_windows(args.split, args.minutes, args.seed, data=args.data)
    print(x.shape, dict(zip(LABELS, np.bincount(y, minlength=len(LABELS)).tolist())))


if __name__ == "__main__":
    main()
