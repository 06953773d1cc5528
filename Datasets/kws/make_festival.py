#!/usr/bin/env python3
"""Training clips from festival's and SVOX Pico's English voices, with speaker and channel variability.

espeak-ng alone teaches a model espeak-ng. This adds festival's voices (kal, ked, slt: diphone and
HTS vocoders, none related to espeak-ng), Pico's training voice (pico_us: `kws/pico.py`) and, for every
utterance, the variability a microphone in a home sees: speed perturbation (pitch and formants shift
together, like another vocal tract), a simulated room (image-source impulse responses, pyroomacoustics), a capture chain (band limits, a
resonance, saturation), quiet and loud speech, home noises and babble. Keywords also come inside
short phrases ("turn left", "stop it": the words around them from make_stream's lists), cut to a 1 s
window that holds the whole keyword, and the phrase words alone come as the unknown class.

Output: a train-only Speech Commands folder (OUT/<word>/<voice>.<n>_nohash_<k>.wav, no lists), read by
`python -m Datasets.train kws --extra-data OUT`. Deterministic from --seed.
Usage: python -m Datasets.kws.make_festival --out /work/data/kws_festival [--seed 1] [--renders 14]
                                          [--f0-means 80,105,135,170]
--f0-means gives every utterance of the diphone and Pico voices (kal, ked, pico_us) a pitch drawn from
the list (Hz), so one recorded speaker stands for lower and higher talkers; without it they keep their
own pitch.
"""
import argparse
import time
from pathlib import Path

import numpy as np

from . import augment as A
from . import festival, pico, synth
from .make_stream import LEAD_WORDS, TAIL_WORDS
from .vocabulary import KEYWORDS, NEAR_MISSES, OTHER_WORDS
from .wavio import write_wav

N = 16000
KEYWORD_STRETCHES = (0.75, 0.85, 0.95, 1.05, 1.15, 1.3)
NEAR_MISS_STRETCHES = (0.8, 1.0, 1.25)
ROOMS = 160                      # impulse responses computed once, drawn per clip
NOISES = ["white", "pink", "brown", "blue"]


def training_voices():
    """The installed festival and Pico voices, in a fixed order."""
    return festival.festival_voices() + pico.pico_voices()


def say(voice, requests):
    """[(text, stretch, f0)] said by one festival or Pico voice, 16 kHz float32 arrays."""
    if voice in pico.PICO_VOICES:
        return pico.pico_batch(voice, requests)
    return festival.festival_batch(voice, requests)


def utterances(seed, f0_means=()):
    """[(voice, text, stretch, label word, kind, f0)] to synthesize: kind 'word', 'phrase' or 'carrier';
    f0 a pitch mean from f0_means for the diphone voices, or None."""
    pitch_rng = np.random.default_rng([seed, 4])

    def f0(voice):
        pitched = voice in festival.PITCHED_VOICES or voice in pico.PICO_VOICES
        return float(pitch_rng.choice(f0_means)) if f0_means and pitched else None
    return [u + (f0(u[0]),) for u in _utterances(np.random.default_rng([seed, 3]))]


def _utterances(rng):
    out = []
    carriers = sorted(set(LEAD_WORDS) | set(TAIL_WORDS))
    for voice in training_voices():
        for word in KEYWORDS:
            out += [(voice, word, s, word, "word") for s in KEYWORD_STRETCHES]
            for _ in range(6):
                lead = LEAD_WORDS[int(rng.integers(len(LEAD_WORDS)))] if rng.random() < 0.7 else None
                tail = TAIL_WORDS[int(rng.integers(len(TAIL_WORDS)))] if (lead is None or rng.random() < 0.4) else None
                out.append((voice, (lead, word, tail), float(rng.choice(NEAR_MISS_STRETCHES)), word, "phrase"))
        for word in NEAR_MISSES:
            out += [(voice, word, s, word, "word") for s in NEAR_MISS_STRETCHES]
        for word in OTHER_WORDS:
            out.append((voice, word, float(rng.choice(NEAR_MISS_STRETCHES)), word, "word"))
        out += [(voice, w, 1.0, w, "carrier") for w in carriers]
    return out


def synthesize_all(items):
    """Waveform per item; a phrase is its words said apart and joined 30-150 ms apart, returned as
    (samples, keyword start, keyword end)."""
    rng = np.random.default_rng(5)
    by_voice = {}
    for i, (voice, text, stretch, _, kind, f0) in enumerate(items):
        words = [w for w in text if w] if kind == "phrase" else [text]
        by_voice.setdefault(voice, []).extend((i, w, stretch, f0) for w in words)
    said = {}
    for voice, reqs in by_voice.items():
        waves = say(voice, [(w, s, f0) for _, w, s, f0 in reqs])
        for (i, w, _, _), x in zip(reqs, waves):
            said.setdefault(i, []).append((w, synth.trim(x)))
    out = []
    for i, (_, text, _, label, kind, _) in enumerate(items):
        parts = said[i]
        if kind != "phrase":
            x = parts[0][1]
            out.append((x, 0, x.size))
            continue
        seq, k0, k1 = [], 0, 0
        for w, x in parts:
            if seq:
                seq.append(np.zeros(int(rng.uniform(0.03, 0.15) * N), dtype=np.float32))
            if w == label:
                k0 = sum(p.size for p in seq)
                k1 = k0 + x.size
            seq.append(x)
        out.append((np.concatenate(seq), k0, k1))
    return out


def window_of(rng, x, k0, k1):
    """A 1 s clip of x that holds x[k0:k1] whole (the keyword of a phrase), at a random position."""
    if x.size <= N:
        clip, off = A.place(rng, x, N)
        return clip
    lo = max(0, k1 - N)
    hi = min(k0, x.size - N)
    start = int(rng.integers(lo, max(lo, hi) + 1))
    return x[start:start + N].copy()


def render(rng, x, k0, k1, rooms, babble_pool):
    """One augmented 1 s clip of an utterance; returns (clip, description)."""
    desc = []
    factor = rng.uniform(0.85, 1.18)
    x = A.speed_perturb(x, factor)
    k0, k1 = int(k0 / factor), min(x.size, int(np.ceil(k1 / factor)))
    desc.append(f"speed {factor:.2f}")
    if rng.random() < 0.5:
        from scipy.signal import fftconvolve
        ir = rooms[int(rng.integers(len(rooms)))]
        y = fftconvolve(x.astype(np.float64), ir)[:x.size + int(0.3 * N)]
        x = (y * (np.max(np.abs(x)) / (np.max(np.abs(y)) + 1e-12))).astype(np.float32)
        desc.append("room")
    if rng.random() < 0.6:
        x, d = A.microphone(rng, x)
        desc.append(d)
    gain_db = rng.uniform(-36, 0)
    x = x * (10 ** (gain_db / 20) / (np.max(np.abs(x)) + 1e-9))
    desc.append(f"peak {gain_db:.0f} dBFS")
    speech_rms = A.rms(x[k0:k1])
    clip = window_of(rng, x, k0, k1)
    if rng.random() < 0.85:
        r = rng.random()
        noise = A.hum(rng, N) if r < 0.1 else A.coloured_noise(rng, N, NOISES[int(rng.integers(len(NOISES)))])
        snr = rng.uniform(0, 30)
        clip = A.mix_at_snr(clip, speech_rms, noise, snr)
        desc.append(f"noise {snr:.0f} dB")
    if rng.random() < 0.2:
        clip = A.mix_at_snr(clip, speech_rms, A.babble(rng, babble_pool, N), rng.uniform(5, 20))
        desc.append("babble")
    if gain_db > -3 and rng.random() < 0.3:
        clip = np.clip(clip * rng.uniform(1.5, 3), -1, 1)  # a loud talker clipping the input
        desc.append("clipped")
    return np.clip(clip, -0.99, 0.99).astype(np.float32), "; ".join(desc)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--renders", type=int, default=14, help="augmented clips per keyword utterance")
    ap.add_argument("--other-renders", type=int, default=3, help="augmented clips per other utterance")
    ap.add_argument("--f0-means", default="", help="pitch means (Hz, comma-separated) drawn per diphone-voice utterance")
    args = ap.parse_args()
    t = time.time()
    items = utterances(args.seed, [float(f) for f in args.f0_means.split(",") if f])
    waves = synthesize_all(items)
    print(f"{len(items)} utterances from voices {training_voices()} in {time.time() - t:.0f} s",
          flush=True)
    rng = np.random.default_rng([args.seed, 17])
    rooms = [A.image_source_room(rng) for _ in range(ROOMS)]
    pool = [w for (w, _, _), it in zip(waves, items) if it[4] == "word" and it[3] in OTHER_WORDS]
    out = Path(args.out)
    rows = ["path\tword\tvoice\ttext\tstretch\tf0\taugmentation"]
    counts = {}
    for n, ((x, k0, k1), (voice, text, stretch, label, kind, f0)) in enumerate(zip(waves, items)):
        folder = label if kind != "carrier" else "_carrier_"
        renders = args.renders if label in KEYWORDS else args.other_renders
        for k in range(renders):
            clip, desc = render(rng, x, k0, k1, rooms, pool)
            rel = f"{folder}/{voice}.{n}_nohash_{k}.wav"
            (out / folder).mkdir(parents=True, exist_ok=True)
            write_wav(out / rel, clip)
            said = " ".join(w for w in text if w) if kind == "phrase" else text
            rows.append(f"{rel}\t{label}\t{voice}\t{said}\t{stretch}\t{f0 or ''}\t{desc}")
            counts[folder] = counts.get(folder, 0) + 1
    (out / "manifest.tsv").write_text("\n".join(rows) + "\n")
    print(f"{out}: {len(rows) - 1} clips in {time.time() - t:.0f} s; keywords "
          + ", ".join(f"{w} {counts.get(w, 0)}" for w in KEYWORDS))


if __name__ == "__main__":
    main()
