#!/usr/bin/env python3
"""Compare features.logmel with torchaudio's MelSpectrogram + AmplitudeToDB.

torchaudio's compiled extension may be unloadable (e.g. a CUDA build on a CPU machine);
its transforms are pure PyTorch, so the extension is stubbed out before import.
Usage: python -m Datasets.kws.check_features [WAV ...]   (default: random noise, tones and silence)
Exit status 1 if the largest difference exceeds 1e-3 dB.
"""
import sys
import types

import numpy as np
import torch

from .features import logmel
from .wavio import read_wav


def import_torchaudio():
    try:
        import torchaudio  # noqa: F401
    except Exception:
        for k in [k for k in sys.modules if k.startswith("torchaudio")]:
            del sys.modules[k]
        stub = types.ModuleType("torchaudio._extension")
        stub._IS_TORCHAUDIO_EXT_AVAILABLE = False
        stub._IS_ALIGN_AVAILABLE = False
        stub.fail_if_no_align = lambda f: f
        sys.modules["torchaudio._extension"] = stub
    import torchaudio.transforms as T
    return T


def main():
    T = import_torchaudio()
    mel = T.MelSpectrogram(sample_rate=16000, n_fft=2048, hop_length=512, n_mels=32,
                           normalized=True).double()
    db = T.AmplitudeToDB()
    rng = np.random.default_rng(0)
    t = np.arange(16000) / 16000
    signals = [("noise", 0.1 * rng.standard_normal(16000)),
               ("tone", 0.5 * np.sin(2 * np.pi * 440 * t) + 0.01 * rng.standard_normal(16000)),
               ("quiet", 1e-4 * rng.standard_normal(16000)),
               ("zeros", np.zeros(16000))]
    for p in sys.argv[1:]:
        x, _ = read_wav(p)
        signals.append((p, np.pad(x, (0, max(0, 16000 - x.size)))[:16000]))
    worst = 0.0
    for name, x in signals:
        x32 = np.asarray(x, dtype=np.float32)
        ref = db(mel(torch.from_numpy(x32.astype(np.float64)).unsqueeze(0))).squeeze(0).numpy()
        ref32 = db(mel.float()(torch.from_numpy(x32).unsqueeze(0))).squeeze(0).numpy()
        mel.double()
        ours = logmel(x32)
        d = float(np.max(np.abs(ref - ours)))
        d32 = float(np.max(np.abs(ref32 - ours)))
        worst = max(worst, d)
        print(f"{name}: shape {ours.shape}, max |diff| vs torchaudio float64 {d:.2e} dB, "
              f"vs torchaudio float32 {d32:.2e} dB")
    print(f"worst {worst:.2e} dB")
    sys.exit(0 if worst <= 1e-3 else 1)


if __name__ == "__main__":
    main()
