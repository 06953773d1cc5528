#!/usr/bin/env python3
"""Train a small-width DIR-Net/IR-Net ResNet-20 on scikit-learn's digits (3x32x32), float twin
then binary (initialized from the float twin, distilled from it); export ONNX + model card.
Outputs: OUT/digits_resnet20.onnx, .md; DATA/digits_test_x.npy, digits_test_y.npy.
Usage: train_resnet20.py [--width 8] [--epochs-float 15] [--epochs-binary 20]
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from images import digits  # noqa: E402
from images.resnet20 import ResNet20  # noqa: E402
from training import loop  # noqa: E402
from training.binary import count_parameters, deployed_bytes  # noqa: E402


def shift_augment(xb, rng, pad=2):
    """Random translation by up to `pad` pixels (edge padding), as CIFAR recipes crop."""
    n = len(xb)
    p = np.pad(xb, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="edge")
    out = np.empty_like(xb)
    for i in range(n):
        dy, dx = rng.integers(0, 2 * pad + 1, 2)
        out[i] = p[i, :, dy:dy + 32, dx:dx + 32]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/data/digits")
    ap.add_argument("--out", default=str(HERE / "trained"))
    ap.add_argument("--name", default="digits_resnet20")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--epochs-float", type=int, default=15)
    ap.add_argument("--epochs-binary", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    loop.set_threads(args.threads)
    loop.seed_all(args.seed)
    t0 = time.time()
    (x, y), (xt, yt) = digits.load(args.seed)
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    np.save(data / "digits_test_x.npy", xt)
    np.save(data / "digits_test_y.npy", yt)
    vmask = np.arange(len(x)) % 8 == 0
    xv, yv, x, y = x[vmask], y[vmask], x[~vmask], y[~vmask]
    print(f"train {x.shape}, validation {xv.shape}, test {xt.shape}")
    fl = ResNet20(binary=False, width=args.width)
    fi = loop.fit(fl, x, y, xv, yv, epochs=args.epochs_float, lr=3e-3, batch=args.batch,
                  augment=shift_augment, seed=args.seed, label="float")
    bi = ResNet20(binary=True, width=args.width)
    bi.load_state_dict(fl.state_dict())
    for p in fl.parameters():
        p.requires_grad_(False)
    bf = loop.fit(bi, x, y, xv, yv, epochs=args.epochs_binary, lr=2e-3, batch=args.batch,
                  augment=shift_augment, teacher=fl, seed=args.seed + 1, label="binary")
    af = loop.accuracy(loop.predict(fl, xt), yt)
    ab = loop.accuracy(loop.predict(bi, xt), yt)
    print(f"test accuracy float {af:.4f} binary {ab:.4f}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.name}.onnx"
    meta = {"edgepack.task": "image-classification", "edgepack.labels": ",".join(str(i) for i in range(10)),
            "edgepack.image": json.dumps({"channels": 3, "height": 32, "width": 32,
                                          "mean": digits.MEAN, "std": digits.STD}),
            "edgepack.input": "image (batch, 3, 32, 32): (pixel/16 upsampled - mean) / std"}
    err, agree = loop.export_onnx(bi, xt[:128], path, "image", "logits", meta)
    ops = loop.op_histogram(path)
    print(f"exported {path} ({path.stat().st_size} bytes) ort diff {err:.2e} agreement {agree:.4f} {ops}")
    nb, no = count_parameters(bi)
    fb = 4 * sum(p.numel() for p in fl.parameters())
    db = deployed_bytes(bi)
    (out / f"{args.name}.md").write_text(f"""# digits_resnet20 — binarized DIR-Net/IR-Net ResNet-20 (width {args.width})

Classes: the digits 0–9 (output index = digit).

## Input and data
scikit-learn's handwritten digits (`sklearn.datasets.load_digits`: 1797 8×8 images, 16 grey
levels; shipped with the package), scaled to 0–1, upsampled to 32×32 bilinearly, repeated on
3 channels, normalized with mean {digits.MEAN[0]} / std {digits.STD[0]} → input `image` (batch, 3, 32, 32)
(`Datasets/images/digits.py`). Stratified 80/20 split (seed {args.seed}): {len(x)} training, {len(xv)}
validation (every 8th training image), {len(xt)} test images. Augmentation: random shifts ≤ 2 px.

## Model
ResNet-20 (CIFAR layout) with stage widths {args.width}/{2 * args.width}/{4 * args.width}: float 3×3 stem, 18 binary 3×3 convs with
the IR-Net weight binarizer (per output channel: standardize, sign, scale 2^round(log2 mean|w|)) and
sign(x) activations, BN, a residual around every binary conv and Hardtanh; shortcuts 2×2 average
pool + float 1×1 conv + BN; float classifier.

| | count |
|---|---|
| binarized weights | {nb} |
| other parameters | {no} |
| float32 model size | {fb} bytes |
| deployed size estimate | {db} bytes ({fb / db:.1f}× smaller) |
| ONNX file | {path.stat().st_size} bytes |

## Recipe
CPU, {args.threads} thread, batch {args.batch}, AdamW + warm-up/cosine. Float twin {args.epochs_float} epochs (lr 3e-3,
{loop.fmt_time(fi['seconds'])}); binary initialized from it, {args.epochs_binary} epochs (lr 2e-3), 0.5·CE + 0.5·KL to the float
twin at T=2 ({loop.fmt_time(bf['seconds'])}). Command: `python Datasets/train_resnet20.py {' '.join(sys.argv[1:])}`

## Accuracy ({len(xt)} test images)
| float twin | binary (PyTorch) | drop |
|---|---|---|
| {af * 100:.2f} % | {ab * 100:.2f} % | {(af - ab) * 100:+.2f} pt |

## Export
TorchScript exporter, opset 17, quantizers kept (`do_constant_folding=False`). Ops:
{', '.join(f'{k} {v}' for k, v in ops.items())}. onnxruntime vs PyTorch on 128 test images:
max |Δlogit| {err:.1e}, top-1 agreement {agree * 100:.1f} %.
""")
    print(f"total {loop.fmt_time(time.time() - t0)}")


if __name__ == "__main__":
    main()
