#!/usr/bin/env python3
"""Build a continuous test stream for streaming keyword-spotting evaluation.

Words are spoken by TEST voices only (variants never heard in training; taken from the
dataset's voices.tsv, or recomputed from the seed as make_dataset.py does), with random
speed, pitch, gain and (sometimes) reverberation, over continuous background noise
(pink/brown noise whose level drifts, occasional mains hum) at 8–20 dB SNR per word.
Most words are keywords; some are unknown-class words; some stretches are noise only.
--snr-db fixes the SNR; --phrases says every keyword inside a short phrase ("turn left").

Writes  OUT.wav (16 kHz mono 16-bit)
        OUT.tsv         onset seconds<TAB>keyword      (keywords only: the detection targets)
        OUT_words.tsv   onset<TAB>end<TAB>word<TAB>kind<TAB>voice   (every spoken word)
Usage: python -m Datasets.kws.make_stream --out Datasets/trained/kws_test_stream [--seconds 90] [--seed 1]
       [--snr-db 10] [--phrases]
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


class EspeakVoices:
    """espeak-ng speakers: an accent, a voice variant and random speed and pitch per word."""

    def __init__(self, accents, variants):
        self.accents, self.variants = accents, variants

    def pick(self, rng):
        return f"{self.accents[int(rng.integers(len(self.accents)))]}+{self.variants[int(rng.integers(len(self.variants)))]}"

    def say(self, rng, voice, word):
        return synth.trim(synth.speak(word, voice, int(rng.integers(130, 231)), int(rng.integers(25, 76))))


# Words around a keyword said in a phrase ("turn left", "stop it"): none is a keyword or a near miss
# of one, so a detection on a phrase can only be the keyword itself.
LEAD_WORDS = ["turn", "please", "then", "and", "look", "move", "say", "just", "keep"]
TAIL_WORDS = ["please", "it", "again", "there", "side", "then", "first", "quickly", "for me"]


def say_phrase(rng, voices, voice, keyword):
    """keyword with a word before, after or both, in one voice, 30-150 ms apart. Returns
    (samples, keyword start, keyword end) in samples."""
    form = int(rng.integers(3))
    lead = LEAD_WORDS[int(rng.integers(len(LEAD_WORDS)))] if form in (0, 2) else None
    tail = TAIL_WORDS[int(rng.integers(len(TAIL_WORDS)))] if form in (1, 2) else None
    parts, kw = [], None
    for word in (lead, keyword, tail):
        if word is None:
            continue
        if parts:
            parts.append(np.zeros(int(rng.uniform(0.03, 0.15) * SR), dtype=np.float32))
        w = voices.say(rng, voice, word)
        if word is keyword:
            start = sum(p.size for p in parts)
            kw = (start, start + w.size)
        parts.append(w)
    return np.concatenate(parts), kw[0], kw[1]


def synthesize(rng, seconds, accents, variants, unknown_share=0.2, noise_dbfs=-42.0,
               unknown_words=UNKNOWN_WORDS, voices=None, snr_db=None, phrases=False):
    """A stream of words over drifting noise. Returns (samples float32, events), an event being
    (onset s, end s, word, kind 'keyword'|'unknown'|'carrier', voice, snr dB); onset/end bound the
    trimmed word (for a keyword in a phrase, the keyword itself).
    voices: EspeakVoices(accents, variants) unless given; snr_db: fixed SNR instead of 8-20 dB;
    phrases: every keyword said inside a short phrase (say_phrase)."""
    voices = voices or EspeakVoices(accents, variants)
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
        voice = voices.pick(rng)
        in_phrase = phrases and kind == "keyword"
        if in_phrase:
            w, k0, k1 = say_phrase(rng, voices, voice, word)
        else:
            w = voices.say(rng, voice, word)
        if rng.random() < 0.3:
            w = A.reverberate(rng, w)
        if not in_phrase:
            k0, k1 = 0, w.size
        start = int(t * SR)
        if start + w.size >= n - SR // 2:
            break
        snr = rng.uniform(8, 20) if snr_db is None else float(snr_db)
        local = A.rms(noise[start:start + w.size])
        w = w * (local * 10 ** (snr / 20) / A.rms(w))  # a phrase: SNR of the whole phrase
        speech[start:start + w.size] += w
        events.append(((start + k0) / SR, (start + k1) / SR, word, kind, voice, snr))
        if in_phrase:
            events.append((start / SR, (start + w.size) / SR, "(phrase)", "carrier", voice, snr))
        t = (start + w.size) / SR
    mix = speech + noise
    peak = np.max(np.abs(mix))
    if peak > 0.9:
        mix *= 0.9 / peak
    return mix, events


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    stream_arguments(ap)
    ap.add_argument("--data", default="/work/data/kws", help="dataset dir with voices.tsv")
    ap.add_argument("--dataset-seed", type=int, default=1,
                    help="make_dataset.py's seed, which assigned the voices to splits (default 1)")
    ap.add_argument("--split", default="test", choices=["train", "validation", "test"],
                    help="whose voices speak (default test: never heard in training)")
    args = ap.parse_args()
    accents, variants = synth.english_accents(), split_variants_of(args.data, args.dataset_seed, args.split)
    make(args, EspeakVoices(accents, variants), accents, variants,
         f"{args.split} voices from {len(variants)} variants")


def stream_arguments(ap):
    """Options every stream recipe shares."""
    ap.add_argument("--out", required=True, help="path without extension")
    ap.add_argument("--seconds", type=float, default=90.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--unknown-share", type=float, default=0.2)
    ap.add_argument("--noise-dbfs", type=float, default=-42.0, help="background RMS level")
    ap.add_argument("--snr-db", type=float, default=None, help="every word at this SNR (default 8-20 dB)")
    ap.add_argument("--phrases", action="store_true",
                    help="say every keyword inside a short phrase (turn left, stop it, ...)")


def other_engine_main(doc, make_voices, who):
    """The command line of a stream spoken by another engine's voices (e.g. validation_stream.py):
    make_voices() gives an object with .voices, .pick and .say; `who` prefixes the voice names."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    stream_arguments(ap)
    args = ap.parse_args()
    voices = make_voices()
    make(args, voices, [], [], f"{who} {' '.join(voices.voices)}")


def make(args, voices, accents, variants, who):
    """Synthesizes the stream of `args` spoken by `voices` and writes OUT.wav, OUT.tsv, OUT_words.tsv."""
    rng = np.random.default_rng([args.seed, 97])
    mix, events = synthesize(rng, args.seconds, accents, variants, args.unknown_share, args.noise_dbfs,
                             voices=voices, snr_db=args.snr_db, phrases=args.phrases)
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
          f"{sum(1 for e in events if e[3] == 'unknown')} unknown words, {who}")


if __name__ == "__main__":
    main()
