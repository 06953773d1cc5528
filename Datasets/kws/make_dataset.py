#!/usr/bin/env python3
"""Build a Speech-Commands-style 12-class keyword-spotting set with espeak-ng.

Every English espeak-ng accent x every voice variant is one "speaker". Variants are split
into train / validation / test, so no test voice (variant, under any accent) is heard in
training. Each speaker says every keyword twice (random speed and pitch) and a few words
of the unknown class (half of them near neighbours of the keywords: top, lift, town...);
every utterance is gain-scaled, optionally reverberated, placed at
a random offset of a 1 s window, and mixed with coloured noise / hum / babble of other
words at a random SNR. Silence clips are noise alone.

Output (Speech Commands v2 layout, so speech_commands.py loads it like the real set):
  OUT/<word>/<accent>.<variant>_nohash_<k>.wav   16 kHz mono 16-bit, 1 s
  OUT/_silence_/...                              noise-only clips
  OUT/_background_noise_/<colour>.wav            60 s noise files
  OUT/validation_list.txt, OUT/testing_list.txt  relative paths
  OUT/manifest.tsv                               one line per clip: how it was made
  OUT/voices.tsv                                 variant -> split

Deterministic from --seed (independent of --jobs).

--extra-round R builds more training data for the same voice split (same --seed): every training
speaker says every near miss once and every keyword once more, with fresh random prosody and
augmentation (round R seeds them). It writes OUT/<word>/<speaker>_nohash_r<R>.wav and no
validation/testing lists, so speech_commands.load_split(OUT, "train", train_only=True) reads it
as training clips. Near misses are the words a streaming detector falsely fires on (bright →
right, top → stop); the base set has about 65 clips of each.
Usage: python -m Datasets.kws.make_dataset --out /work/data/kws [--seed 1] [--jobs 2] [--extra-round R]
"""
import argparse
import multiprocessing as mp
import os
import time
from pathlib import Path

import numpy as np

from . import augment as A
from . import synth
from .vocabulary import KEYWORDS, NEAR_MISSES, OTHER_WORDS, SILENCE, UNKNOWN_WORDS
from .wavio import write_wav

N = 16000
SPLITS = ["train", "validation", "test"]
SPLIT_FRACTIONS = {"test": 0.18, "validation": 0.12}
KEYWORD_TAKES = 2
UNKNOWN_PER_SPEAKER = 10
NEAR_MISS_PER_SPEAKER = 5      # of the unknown words, how many are keyword neighbours
SILENCE_PER_SPEAKER = 2
BABBLE_POOL = 240
SNRS_DB = [5, 10, 15, 20, 30]


def split_variants(seed, variants):
    rng = np.random.default_rng([seed, 7])
    order = list(rng.permutation(len(variants)))
    n_test = round(SPLIT_FRACTIONS["test"] * len(variants))
    n_val = round(SPLIT_FRACTIONS["validation"] * len(variants))
    split = {}
    for rank, i in enumerate(order):
        split[variants[i]] = "test" if rank < n_test else (
            "validation" if rank < n_test + n_val else "train")
    return split


def random_prosody(rng):
    return int(rng.integers(130, 231)), int(rng.integers(25, 76))


def say(word, accent, variant, speed, pitch):
    return synth.trim(synth.speak(word, f"{accent}+{variant}", speed, pitch))


# ---- babble pools (phase 1) -------------------------------------------------------------

def babble_job(args):
    seed, split, idx, accent, variant = args
    rng = np.random.default_rng([seed, 11, SPLITS.index(split), idx])
    word = UNKNOWN_WORDS[int(rng.integers(len(UNKNOWN_WORDS)))]
    speed, pitch = random_prosody(rng)
    return split, say(word, accent, variant, speed, pitch)


# ---- speaker clips (phase 2) ------------------------------------------------------------

_POOLS = {}


def _init(pools):
    _POOLS.update(pools)


def render(rng, speech, pool):
    """Augment one trimmed utterance into a 1 s clip; returns (clip, description)."""
    desc = {}
    gain_db = rng.uniform(-24, -1)
    speech = speech * (10 ** (gain_db / 20) / (np.max(np.abs(speech)) + 1e-9))
    desc["gain_db"] = f"{gain_db:.1f}"
    if rng.random() < 0.3:
        speech = A.reverberate(rng, speech)
        desc["reverb"] = "1"
    speech_rms = A.rms(speech)
    clip, offset = A.place(rng, speech, N)
    desc["offset"] = str(offset)
    if rng.random() < 0.85:
        r = rng.random()
        if r < 0.1:
            colour, noise = "hum", A.hum(rng, N)
        else:
            colour = list(A.NOISE_COLOURS)[int(rng.integers(len(A.NOISE_COLOURS)))]
            noise = A.coloured_noise(rng, N, colour)
        snr = SNRS_DB[int(rng.integers(len(SNRS_DB)))]
        clip = A.mix_at_snr(clip, speech_rms, noise, snr)
        desc["noise"] = f"{colour}@{snr}dB"
    if rng.random() < 0.2:
        snr = rng.uniform(8, 20)
        clip = A.mix_at_snr(clip, speech_rms, A.babble(rng, pool, N), snr)
        desc["babble"] = f"{snr:.0f}dB"
    peak = np.max(np.abs(clip))
    if peak > 0.99:
        clip = clip * (0.99 / peak)
    return clip.astype(np.float32), desc


def silence_clip(rng):
    level_db = rng.uniform(-70, -25)
    r = rng.random()
    if r < 0.1:
        colour, noise = "hum", A.hum(rng, N)
    else:
        colour = list(A.NOISE_COLOURS)[int(rng.integers(len(A.NOISE_COLOURS)))]
        noise = A.coloured_noise(rng, N, colour)
    if rng.random() < 0.3:  # a second, different noise underneath
        c2 = list(A.NOISE_COLOURS)[int(rng.integers(len(A.NOISE_COLOURS)))]
        noise = noise + A.coloured_noise(rng, N, c2) * rng.uniform(0.1, 1.0)
    clip = noise * (10 ** (level_db / 20) / A.rms(noise))
    return np.clip(clip, -0.99, 0.99).astype(np.float32), {"noise": f"{colour}@{level_db:.0f}dBFS"}


def write_clip(out, folder, name, split, word, accent, variant, clip, desc, speed=None, pitch=None):
    """Writes OUT/FOLDER/NAME.wav; returns its manifest row."""
    rel = f"{folder}/{name}.wav"
    write_wav(Path(out) / rel, clip)
    extra = ";".join(f"{a}={b}" for a, b in sorted(desc.items()))
    return "\t".join([rel, split, word, accent, variant, str(speed or ""), str(pitch or ""), extra])


def write_manifest(out, rows):
    with open(Path(out) / "manifest.tsv", "w") as f:
        f.write("path\tsplit\tword\taccent\tvariant\tspeed_wpm\tpitch\taugmentation\n")
        f.write("\n".join(rows) + "\n")


def speaker_job(args):
    seed, out, split, idx, accent, variant = args
    rng = np.random.default_rng([seed, 23, SPLITS.index(split), idx])
    pool = _POOLS[split]
    rows = []

    def emit(folder, word, k, clip, desc, speed=None, pitch=None):
        rows.append(write_clip(out, folder, f"{accent}.{variant}_nohash_{k}", split, word, accent, variant,
                               clip, desc, speed, pitch))

    for word in KEYWORDS:
        for k in range(KEYWORD_TAKES):
            speed, pitch = random_prosody(rng)
            clip, desc = render(rng, say(word, accent, variant, speed, pitch), pool)
            emit(word, word, k, clip, desc, speed, pitch)
    near = rng.choice(len(NEAR_MISSES), size=NEAR_MISS_PER_SPEAKER, replace=False)
    other = rng.choice(len(OTHER_WORDS), size=UNKNOWN_PER_SPEAKER - NEAR_MISS_PER_SPEAKER, replace=False)
    for word in [NEAR_MISSES[int(i)] for i in near] + [OTHER_WORDS[int(i)] for i in other]:
        speed, pitch = random_prosody(rng)
        clip, desc = render(rng, say(word, accent, variant, speed, pitch), pool)
        emit(word, word, 0, clip, desc, speed, pitch)
    for k in range(SILENCE_PER_SPEAKER):
        clip, desc = silence_clip(rng)
        emit(SILENCE, SILENCE, k, clip, desc)
    return rows


def extra_job(args):
    """Round R of a training speaker: every near miss once, every keyword once more."""
    seed, out, rnd, idx, accent, variant = args
    rng = np.random.default_rng([seed, 29, rnd, idx])
    pool = _POOLS["train"]
    rows = []
    for word in NEAR_MISSES + KEYWORDS:
        speed, pitch = random_prosody(rng)
        clip, desc = render(rng, say(word, accent, variant, speed, pitch), pool)
        rows.append(write_clip(out, word, f"{accent}.{variant}_nohash_r{rnd}", "train", word, accent, variant,
                               clip, desc, speed, pitch))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit-variants", type=int, default=0,
                    help="use only the first N variants of each split (quick test)")
    ap.add_argument("--extra-round", type=int, default=0,
                    help="R >= 1: only extra training clips (near misses + keywords), see above")
    args = ap.parse_args()
    out = Path(args.out)
    t0 = time.time()

    accents, variants = synth.english_accents(), synth.variants()
    split_of = split_variants(args.seed, variants)
    by_split = {s: [v for v in variants if split_of[v] == s] for s in SPLITS}
    if args.limit_variants:
        by_split = {s: v[:args.limit_variants] for s, v in by_split.items()}
    print(f"{len(accents)} accents, {len(variants)} variants: " +
          ", ".join(f"{s} {len(by_split[s])}" for s in SPLITS), flush=True)

    for folder in KEYWORDS + UNKNOWN_WORDS + [SILENCE, "_background_noise_"]:
        (out / folder).mkdir(parents=True, exist_ok=True)
    with open(out / "voices.tsv", "w") as f:
        f.write("variant\tsplit\n")
        for v in variants:
            f.write(f"{v}\t{split_of[v]}\n")

    speakers = {s: [(a, v) for v in by_split[s] for a in accents] for s in SPLITS}
    ctx = mp.get_context("fork")

    # phase 1: per split, a pool of unknown words said by that split's speakers (babble)
    jobs = []
    for s in SPLITS:
        rng = np.random.default_rng([args.seed, 5, SPLITS.index(s)])
        for i in range(BABBLE_POOL):
            a, v = speakers[s][int(rng.integers(len(speakers[s])))]
            jobs.append((args.seed, s, i, a, v))
    pools = {s: [] for s in SPLITS}
    with ctx.Pool(args.jobs) as p:
        for s, w in p.imap(babble_job, jobs, chunksize=8):
            pools[s].append(w)
    print(f"babble pools ready ({time.time() - t0:.0f} s)", flush=True)

    # phase 2: every speaker's clips (or, for an extra round, the training speakers' extra clips)
    if args.extra_round:
        work = extra_job
        jobs = [(args.seed, str(out), args.extra_round, i, a, v) for i, (a, v) in enumerate(speakers["train"])]
    else:
        work = speaker_job
        jobs = [(args.seed, str(out), s, i, a, v) for s in SPLITS for i, (a, v) in enumerate(speakers[s])]
    rows = []
    with ctx.Pool(args.jobs, initializer=_init, initargs=(pools,)) as p:
        for n, r in enumerate(p.imap(work, jobs, chunksize=2), 1):
            rows.extend(r)
            if n % 40 == 0 or n == len(jobs):
                el = time.time() - t0
                print(f"  speakers {n}/{len(jobs)}  clips {len(rows)}  {el:.0f} s", flush=True)

    if args.extra_round:
        write_manifest(out, rows)
        print(f"done: {len(rows)} extra training clips (round {args.extra_round}) in "
              f"{time.time() - t0:.0f} s -> {out}", flush=True)
        return

    # background noise files (used by the Speech Commands loader to cut silence clips)
    rng = np.random.default_rng([args.seed, 31])
    for colour in A.NOISE_COLOURS:
        write_wav(out / "_background_noise_" / f"{colour}_noise.wav",
                  0.1 * A.coloured_noise(rng, 60 * N, colour) / 4)

    write_manifest(out, rows)
    for s, name in [("validation", "validation_list.txt"), ("test", "testing_list.txt")]:
        with open(out / name, "w") as f:
            f.write("".join(r.split("\t")[0] + "\n" for r in rows if r.split("\t")[1] == s))
    counts = {s: sum(1 for r in rows if r.split("\t")[1] == s) for s in SPLITS}
    print(f"done: {counts} clips in {time.time() - t0:.0f} s -> {out}", flush=True)


if __name__ == "__main__":
    main()
