"""Point-cloud classifier: the small BiPointNet-style model (models/bipointnet.py) on the synthetic
shapes (or ModelNet40); ONNX + model card + a few PCD test frames.

Data: pointcloud/make_shapes.py output (--data DIR with shapes_*_points.npy), or --modelnet
ROOT (OFF meshes). Frames are normalized as the runtime does (centroid, unit sphere).
Recipe (CPU budget): float twin, then binary initialized from it and distilled from it; most
epochs see a random 256-point subset of each 1024-point frame (4x cheaper), the last epochs
then BatchNorm statistics are recomputed at the deployed 1024 points (and optionally
--epochs-full more epochs at 1024 points).
Outputs: OUT/pointcloud_bipointnet.onnx, .md; Datasets/samples/pcd/*.pcd; test arrays in DATA.
"""
import json
import time
from pathlib import Path

import numpy as np
import torch

from ...binarize import nudge_zero_weights
from ...models.bipointnet import BiPointNet
from ...pointcloud.pcd import write_pcd
from ...pointcloud.shapes import CLASSES, normalize
from .. import loop, recipe

SUMMARY = "BiPointNet-style shape classifier -> pointcloud_bipointnet.onnx"
DEFAULTS = dict(data="/work/data/shapes", name="pointcloud_bipointnet", epochs_float=8, epochs_binary=10, batch=32)


def add_arguments(ap):
    ap.add_argument("--modelnet", default=None, help="ModelNet40 root (OFF) instead of shapes")
    ap.add_argument("--samples", default=str(recipe.DATASETS / "samples" / "pcd"))
    ap.add_argument("--epochs-full", type=int, default=0, help="final epochs on all 1024 points")
    ap.add_argument("--train-points", type=int, default=256)
    ap.add_argument("--widths", default="64,64,128,256")
    ap.add_argument("--reuse-float", action="store_true", help="load DATA/NAME_float.pt if present")
    ap.add_argument("--head", default="128,64")


def subsample(k):
    def aug(xb, rng):
        n = xb.shape[2]
        idx = np.stack([rng.choice(n, size=k, replace=False) for _ in range(len(xb))])
        out = np.take_along_axis(xb, idx[:, None, :].repeat(3, 1), axis=2)
        out = out * rng.uniform(0.9, 1.1, (len(xb), 3, 1)).astype(np.float32)   # mild anisotropy
        return out.astype(np.float32)
    return aug


def full(xb, rng):
    return (xb * rng.uniform(0.9, 1.1, (len(xb), 3, 1))).astype(np.float32)


def finish(model, x, y, xv, yv, args, label, teacher):
    """Move a model trained on point subsets to the deployed 1024 points: BatchNorm statistics
    recomputed at 1024 points, then --epochs-full epochs (default 0: too slow here) at 1024."""
    t = time.time()
    loop.recalibrate_bn(model, x, batch=64, seed=args.seed)
    print(f"  [{label}] BatchNorm recalibrated at 1024 points: validation acc "
          f"{loop.accuracy(loop.predict(model, xv, batch=64), yv):.4f}", flush=True)
    info = {"seconds": time.time() - t}
    if args.epochs_full:
        r = loop.fit(model, x, y, xv, yv, epochs=args.epochs_full, lr=1e-4, batch=args.batch,
                     augment=full, teacher=teacher, seed=args.seed + 10, label=label + " 1024")
        info["seconds"] += r["seconds"]
    return info


def load_data(args, data):
    """(x, y), (xt, yt, raw test frames), class names; frames (n, 3, N), normalized."""
    if args.modelnet:
        from ...pointcloud.modelnet40 import load_split
        x, y, names = load_split(args.modelnet, "train", seed=args.seed)
        xt, yt, _ = load_split(args.modelnet, "test", seed=args.seed)
        raw_test = xt
    else:
        names = CLASSES
        raw_train = np.load(data / "shapes_train_points.npy")
        raw_test = np.load(data / "shapes_test_points.npy")
        y, yt = np.load(data / "shapes_train_labels.npy"), np.load(data / "shapes_test_labels.npy")
        x = np.stack([normalize(p) for p in raw_train])
        xt = np.stack([normalize(p) for p in raw_test])
    x = np.ascontiguousarray(x.transpose(0, 2, 1))      # (n, 3, N)
    xt = np.ascontiguousarray(xt.transpose(0, 2, 1))
    return (x, y), (xt, yt, raw_test), names


def write_samples(args, names, raw_test, yt, logits):
    """Eight raw test frames (not normalized) as PCD, binary and ascii, with labels.tsv."""
    sdir = Path(args.samples)
    sdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    picks = [int(rng.choice(np.nonzero(yt == c)[0])) for c in rng.permutation(len(names))[:8]]
    rows = []
    for k, i in enumerate(picks):
        fname = f"frame_{k:02d}_{names[yt[i]]}.pcd"
        write_pcd(sdir / fname, raw_test[i], binary=(k % 2 == 0))
        rows.append(f"{fname}\t{names[yt[i]]}\t{names[int(logits[i].argmax())]}")
    (sdir / "labels.tsv").write_text("file\tclass\tbinary_model_prediction\n" + "\n".join(rows) + "\n")


def run(args, ap, command):
    t0 = time.time()
    data = Path(args.data)
    log = print
    (x, y), (xt, yt, raw_test), names = load_data(args, data)
    # validation: every 5th training frame held out
    vmask = np.arange(len(x)) % 5 == 0
    xv, yv, x, y = x[vmask], y[vmask], x[~vmask], y[~vmask]
    np.save(data / "pointcloud_test_x.npy", xt)
    np.save(data / "pointcloud_test_y.npy", yt.astype(np.int64))
    log(f"train {x.shape}, validation {xv.shape}, test {xt.shape}, {len(names)} classes")

    # validation during training sees fixed random subsets of the size trained on (BatchNorm
    # statistics are those of that size until finish() recalibrates them at 1024 points)
    vr = np.random.default_rng(99)
    vidx = np.stack([vr.choice(xv.shape[2], size=args.train_points, replace=False) for _ in range(len(xv))])
    xv_sub = np.ascontiguousarray(np.take_along_axis(xv, vidx[:, None, :].repeat(3, 1), axis=2))
    arch = dict(num_classes=len(names), widths=tuple(int(v) for v in args.widths.split(",")),
                head=tuple(int(v) for v in args.head.split(",")))
    fl = BiPointNet(binary=False, **arch)
    fpath = data / f"{args.name}_float.pt"
    if args.reuse_float and fpath.exists():
        fl.load_state_dict(torch.load(fpath))
        f1 = json.loads(fpath.with_suffix(".json").read_text())
        log(f"float twin loaded from {fpath}")
    else:
        f1 = loop.fit(fl, x, y, xv_sub, yv, epochs=args.epochs_float, lr=2e-3, batch=args.batch,
                      augment=subsample(args.train_points), seed=args.seed, label="float")
        f2 = finish(fl, x, y, xv, yv, args, "float", None)
        f1["seconds"] += f2["seconds"]
        torch.save(fl.state_dict(), fpath)
        fpath.with_suffix(".json").write_text(json.dumps(f1))
    bi = BiPointNet(binary=True, **arch)
    recipe.start_from_twin(bi, fl)
    b1 = loop.fit(bi, x, y, xv_sub, yv, epochs=args.epochs_binary, lr=1e-3, batch=args.batch,
                  augment=subsample(args.train_points), teacher=fl, seed=args.seed + 1, label="binary")
    b2 = finish(bi, x, y, xv, yv, args, "binary", fl)
    nudged = nudge_zero_weights(bi)
    acc_f = loop.accuracy(loop.predict(fl, xt, batch=64), yt)
    lb = loop.predict(bi, xt, batch=64)
    acc_b = loop.accuracy(lb, yt)
    log(f"test accuracy float {acc_f:.4f} binary {acc_b:.4f}")
    per_class = {names[c]: float(np.mean(lb.argmax(1)[yt == c] == c)) for c in range(len(names))}

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    meta = {"edgepack.task": "point-cloud-classification", "edgepack.labels": ",".join(names),
            "edgepack.point_cloud": json.dumps({"num_points": 1024, "center": True, "unit_sphere": True,
                                                "farthest_point_sampling": False}),
            "edgepack.input": "points (batch, 3, 1024): xyz rows, centred on the centroid, scaled into the unit sphere"}
    path = out / f"{args.name}.onnx"
    err, agree, ops = recipe.export(bi, xt[:128], path, "points", meta, log)
    write_samples(args, names, raw_test, yt, lb)

    nb, no, float_bytes, deployed = recipe.sizes(bi, fl)
    info = dict(float_acc=acc_f, binary_acc=acc_b, per_class=per_class, onnx_bytes=path.stat().st_size,
                ops=ops, ort=(err, agree), binarized=nb, other=no, float_bytes=float_bytes, deployed=deployed,
                seconds=dict(float=f1["seconds"], binary=b1["seconds"] + b2["seconds"]),
                nudged=nudged, total=time.time() - t0)
    (data / f"{args.name}_results.json").write_text(json.dumps(info, indent=1))
    write_card(out / f"{args.name}.md", info, args, names, len(x), len(xv), len(xt), command)
    log(f"total {loop.fmt_time(time.time() - t0)}")


def write_card(path, info, args, names, ntrain, nval, ntest, command):
    src = (f"ModelNet40 ({args.modelnet}), 1024 area-weighted surface points per mesh" if args.modelnet else
           "the synthetic shapes of `Datasets/pointcloud/make_shapes.py --seed 1` (12 primitives; random "
           "anisotropic scale 0.8–1.25 per axis, any rotation about the vertical axis after a tilt ≤ 20°, size 0.2–3, position ±5, "
           "Gaussian noise 0.5–2 % of size, one side cut away (10–30 % of points) in half of the frames)")
    recipe.write_card(
        "pointnet", path, args=args, info=info, command=command, src=src, ntrain=ntrain, nval=nval, ntest=ntest,
        classes=", ".join(f"{i} {n}" for i, n in enumerate(names)), num_classes=len(names),
        widths=args.widths.replace(",", "→"), head=args.head.replace(",", "→"),
        size_ratio=info["float_bytes"] / info["deployed"],
        full_epochs=f" and {args.epochs_full} epoch(s) at 1024 points (lr 1e-4)" if args.epochs_full else "",
        float_time=loop.fmt_time(info["seconds"]["float"]), binary_time=loop.fmt_time(info["seconds"]["binary"]),
        float_acc=info["float_acc"] * 100, binary_acc=info["binary_acc"] * 100,
        drop=(info["float_acc"] - info["binary_acc"]) * 100,
        rows="\n".join(f"| {k} | {v * 100:.1f} % |" for k, v in info["per_class"].items()),
        ops=", ".join(f"{k} {v}" for k, v in info["ops"].items()),
        ort_diff=info["ort"][0], agreement=info["ort"][1] * 100)
