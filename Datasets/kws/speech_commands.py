"""Loader for the Speech Commands layout (real v1/v2 data, or make_dataset.py's output).

Layout: ROOT/<word>/<speaker>_nohash_<k>.wav, ROOT/_background_noise_/*.wav,
ROOT/validation_list.txt and ROOT/testing_list.txt (paths relative to ROOT); training is
every other clip. 12-class convention: the ten keywords, words of every other folder are
"unknown", and "silence" comes from ROOT/_silence_ if that folder exists (make_dataset.py
writes it) or else is cut from the background-noise files (as TensorFlow's recipe does),
about --silence-fraction of the split. Clips shorter than 1 s are zero-padded at the end.

Everything random is drawn from a seeded generator, so a split loads identically every time.
"""
from pathlib import Path

import numpy as np

from .vocabulary import KEYWORDS, LABELS, SILENCE, SILENCE_INDEX, UNKNOWN_INDEX
from .wavio import read_wav

N = 16000
BACKGROUND = "_background_noise_"
SPLITS = ("train", "validation", "test")


def _read_list(root, name):
    p = Path(root) / name
    if not p.exists():
        return set()
    return {line.strip() for line in p.read_text().splitlines() if line.strip()}


def label_of(folder):
    if folder == SILENCE:
        return SILENCE_INDEX
    return KEYWORDS.index(folder) if folder in KEYWORDS else UNKNOWN_INDEX


def list_split(root, split, seed=1, silence_fraction=0.1, unknown_fraction=None, train_only=False):
    """[(relative path or None for generated silence, label)] of one split, sorted by path.

    train_only: ROOT holds training clips only (make_dataset.py --extra-round), no lists."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    root = Path(root)
    val, test = _read_list(root, "validation_list.txt"), _read_list(root, "testing_list.txt")
    if train_only and (val or test or split != "train"):
        raise ValueError(f"{root}: train_only reads the train split of a folder without lists")
    if not val and not test and not train_only:
        raise FileNotFoundError(f"{root}: no validation_list.txt / testing_list.txt")
    items = []
    for d in sorted(p for p in root.iterdir() if p.is_dir() and p.name != BACKGROUND):
        for f in sorted(d.glob("*.wav")):
            rel = f"{d.name}/{f.name}"
            s = "validation" if rel in val else ("test" if rel in test else "train")
            if s == split:
                items.append((rel, label_of(d.name)))
    rng = np.random.default_rng([seed, SPLITS.index(split), 1])
    if unknown_fraction is not None:
        known = [it for it in items if it[1] != UNKNOWN_INDEX]
        unknown = [it for it in items if it[1] == UNKNOWN_INDEX]
        want = int(round(unknown_fraction * len(known) / max(1e-9, 1 - unknown_fraction)))
        if want < len(unknown):
            keep = np.sort(rng.choice(len(unknown), size=want, replace=False))
            unknown = [unknown[i] for i in keep]
        items = sorted(known + unknown)
    if not (root / SILENCE).is_dir() and silence_fraction > 0:
        items += [(None, SILENCE_INDEX)] * int(round(silence_fraction * len(items)))
    return items


class _Background:
    def __init__(self, root):
        self.noises = []
        d = Path(root) / BACKGROUND
        for f in sorted(d.glob("*.wav")) if d.is_dir() else []:
            x, rate = read_wav(f)
            if rate == 16000 and x.size >= N:
                self.noises.append(x)

    def cut(self, rng):
        if not self.noises:
            return np.zeros(N, dtype=np.float32)
        x = self.noises[int(rng.integers(len(self.noises)))]
        o = int(rng.integers(0, x.size - N + 1))
        return x[o:o + N]


def load_split(root, split, seed=1, silence_fraction=0.1, unknown_fraction=None,
               augment=False, time_shift=1600, background_frequency=0.8, background_volume=0.1,
               train_only=False):
    """Waveforms (n, 16000) float32, labels (n,) int64 and the relative paths.

    augment=True applies TensorFlow's Speech Commands training augmentation (random time
    shift up to `time_shift` samples, background noise at volume U(0, background_volume) with
    probability `background_frequency`); meant for real recordings, since make_dataset.py's
    clips are augmented already.
    """
    root = Path(root)
    items = list_split(root, split, seed, silence_fraction, unknown_fraction, train_only)
    bg = _Background(root)
    rng = np.random.default_rng([seed, SPLITS.index(split), 2])
    waves = np.zeros((len(items), N), dtype=np.float32)
    labels = np.zeros(len(items), dtype=np.int64)
    for i, (rel, label) in enumerate(items):
        labels[i] = label
        if rel is None:
            waves[i] = bg.cut(rng) * rng.uniform(0, 1)
            continue
        x, rate = read_wav(root / rel)
        if rate != 16000:
            raise ValueError(f"{rel}: {rate} Hz, expected 16000")
        x = x[:N]
        waves[i, :x.size] = x
        if augment:
            shift = int(rng.integers(-time_shift, time_shift + 1))
            waves[i] = np.roll(waves[i], shift)
            if shift > 0:
                waves[i, :shift] = 0
            elif shift < 0:
                waves[i, shift:] = 0
            if rng.random() < background_frequency:
                waves[i] = np.clip(waves[i] + bg.cut(rng) * rng.uniform(0, background_volume), -1, 1)
    return waves, labels, [rel or "(silence)" for rel, _ in items]


__all__ = ["LABELS", "list_split", "load_split", "label_of"]
