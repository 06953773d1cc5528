"""Digits classifier: a small-width DIR-Net/IR-Net ResNet-20 (models/resnet20.py) on scikit-learn's
digits (3x32x32), float twin then binary (initialized from the float twin, distilled from it);
ONNX + model card.
Outputs: OUT/digits_resnet20.onnx, .md; DATA/digits_test_x.npy, digits_test_y.npy, NAME_results.json.
Usage: python -m Datasets.train resnet20 [--width 8] [--epochs-float 15] [--epochs-binary 20]
"""
import json
import time
from pathlib import Path

import numpy as np

from ...images import digits
from ...models.resnet20 import ResNet20
from .. import loop, recipe

SUMMARY = "IR-Net ResNet-20 digits classifier -> digits_resnet20.onnx"
DEFAULTS = dict(data="/work/data/digits", name="digits_resnet20", epochs_float=15, epochs_binary=20, batch=64)


def add_arguments(ap):
    ap.add_argument("--width", type=int, default=8)


def shift_augment(xb, rng, pad=2):
    """Random translation by up to `pad` pixels (edge padding), as CIFAR recipes crop."""
    n = len(xb)
    p = np.pad(xb, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode="edge")
    out = np.empty_like(xb)
    for i in range(n):
        dy, dx = rng.integers(0, 2 * pad + 1, 2)
        out[i] = p[i, :, dy:dy + 32, dx:dx + 32]
    return out


def run(args, ap, command):
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
    recipe.start_from_twin(bi, fl)
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
    err, agree, ops = recipe.export(bi, xt[:128], path, "image", meta, print)
    nb, no, fb, db = recipe.sizes(bi, fl)
    info = dict(float_acc=af, binary_acc=ab, onnx_bytes=path.stat().st_size, ops=ops, ort=(err, agree),
                binarized=nb, other=no, float_bytes=fb, deployed=db,
                seconds=dict(float=fi["seconds"], binary=bf["seconds"]), ntrain=len(x), nval=len(xv), ntest=len(xt))
    (data / f"{args.name}_results.json").write_text(json.dumps(info, indent=1))
    write_card(out / f"{args.name}.md", info, args, command)
    print(f"total {loop.fmt_time(time.time() - t0)}")


def write_card(path, info, args, command):
    """The model card (training/cards/resnet20.md) from a run's results (`info`, as in DATA/NAME_results.json)."""
    recipe.write_card(
        "resnet20", path, args=args, info=info, command=command, mean=digits.MEAN[0], std=digits.STD[0],
        width2=2 * args.width, width4=4 * args.width, size_ratio=info["float_bytes"] / info["deployed"],
        float_time=loop.fmt_time(info["seconds"]["float"]), binary_time=loop.fmt_time(info["seconds"]["binary"]),
        float_acc=info["float_acc"] * 100, binary_acc=info["binary_acc"] * 100,
        drop=(info["float_acc"] - info["binary_acc"]) * 100,
        ops=", ".join(f"{k} {v}" for k, v in info["ops"].items()), ort_diff=info["ort"][0], agreement=info["ort"][1] * 100)
