"""Vocal-tract-length perturbation on log-mel features (after Jaitly & Hinton, 2013).

A longer or shorter vocal tract scales every formant by about the same factor, so a clip's
spectrum read at f·alpha sounds like another speaker saying the same word. On the runtime's HTK mel
bins this is a resampling along the mel axis: bin m takes the value the clip has at frequency
centre(m)·alpha (linear interpolation between bins, clamped at the band edges).
"""
import numpy as np

from .features import FRONT_END, hz_to_mel, mel_to_hz


def warp_tables(alphas, p=FRONT_END):
    """For each alpha: (lower bin index, upper bin index, upper weight) per output mel bin."""
    n = p["n_mels"]
    lo_mel, hi_mel = hz_to_mel(p["f_min"]), hz_to_mel(p["f_max"])
    centres = mel_to_hz(np.linspace(lo_mel, hi_mel, n + 2)[1:-1])   # bin m's centre frequency
    tables = []
    for a in alphas:
        pos = (hz_to_mel(np.clip(centres * a, p["f_min"], p["f_max"])) - lo_mel) / (hi_mel - lo_mel) * (n + 1) - 1
        pos = np.clip(pos, 0, n - 1)
        i0 = np.floor(pos).astype(np.int64)
        i1 = np.minimum(i0 + 1, n - 1)
        tables.append((i0, i1, (pos - i0).astype(np.float32)))
    return tables


class VTLP:
    """Batch augmentation: with probability p each clip (B, 1, mels, frames) is warped by an alpha
    drawn from `steps` values evenly spread over [1 - spread, 1 + spread]."""

    def __init__(self, spread=0.12, p=0.5, steps=13):
        self.alphas = np.linspace(1 - spread, 1 + spread, steps)
        self.tables = warp_tables(self.alphas)
        self.p = p

    def __call__(self, xb, rng):
        out = xb.copy()
        for i in np.flatnonzero(rng.random(len(xb)) < self.p):
            i0, i1, w = self.tables[int(rng.integers(len(self.tables)))]
            x = xb[i, 0]
            out[i, 0] = x[i0] * (1 - w[:, None]) + x[i1] * w[:, None]
        return out
