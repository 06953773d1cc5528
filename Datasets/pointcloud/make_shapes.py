#!/usr/bin/env python3
"""Synthetic point-cloud shapes set: 12 classes of primitives (shapes.CLASSES) with random
anisotropic scale, upright rotation (any turn about the vertical axis, tilt <= 20 deg:
sensors know which way is up), size, position, noise and partial occlusion.

Writes OUT/shapes_{train,test}_points.npy (n, 1024, 3) float32 raw frames (NOT normalized:
training applies the runtime's preprocessing, shapes.normalize), OUT/shapes_{train,test}_labels.npy
(int64) and OUT/classes.txt. Deterministic from --seed.
Usage: python -m Datasets.pointcloud.make_shapes --out /work/data/shapes [--train-per-class 400] [--test-per-class 100]
"""
import argparse
import time
from pathlib import Path

import numpy as np

from .shapes import CLASSES, make_cloud


def build(seed, split_id, per_class, n_points):
    pts = np.zeros((per_class * len(CLASSES), n_points, 3), dtype=np.float32)
    labels = np.zeros(len(pts), dtype=np.int64)
    i = 0
    for c, name in enumerate(CLASSES):
        rng = np.random.default_rng([seed, split_id, c])
        for _ in range(per_class):
            pts[i] = make_cloud(rng, name, n_points)
            labels[i] = c
            i += 1
    return pts, labels


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/work/data/shapes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--points", type=int, default=1024)
    ap.add_argument("--train-per-class", type=int, default=400)
    ap.add_argument("--test-per-class", type=int, default=100)
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t = time.time()
    for split_id, (split, k) in enumerate([("train", args.train_per_class), ("test", args.test_per_class)]):
        p, y = build(args.seed, split_id, k, args.points)
        np.save(out / f"shapes_{split}_points.npy", p)
        np.save(out / f"shapes_{split}_labels.npy", y)
        print(f"{split}: {p.shape} in {time.time() - t:.0f} s", flush=True)
    (out / "classes.txt").write_text("\n".join(CLASSES) + "\n")


if __name__ == "__main__":
    main()
