"""Keyword spotter: the BiFSMN-style model (models/bifsmn.py), float twin then the binarized model.

Data: a Speech Commands layout (kws/make_dataset.py's synthetic set, or the real v2 data with
--real). Features are the runtime's log-mel front end (kws/features.py), cached as .npy.
Recipe: float twin trained from scratch; binary model initialized from it and trained with
distillation from it (KL on softened logits). Both use light SpecAugment (one frequency and
one time mask per clip). CPU only; --threads 1 by default (2 oversubscribe a shared 2-core machine).

Outputs:
  OUT/kws_bifsmn.onnx  (TorchScript exporter, opset 17, quantizers kept, metadata_props with
                        the front end and labels)   and OUT/kws_bifsmn.md (model card)
  CACHE/…              features, checkpoints, kws_test_x.npy / kws_test_y.npy (test set)
Usage: python -m Datasets.train kws --data /work/data/kws [--out Datasets/trained] [--epochs-float 12 ...]
"""
import json
import time
from pathlib import Path

import numpy as np
import torch

from ...kws import features as feat
from ...kws.speech_commands import load_split
from ...kws.vocabulary import LABELS, SILENCE_INDEX, UNKNOWN_INDEX
from ...kws.warp import VTLP
from ...kws.widen import hidden_width, widen_hidden
from ...binarize import nudge_zero_weights
from ...models.bifsmn import BiFSMN, float_front_state
from .. import loop, recipe
from ..onnx_state import initializer_names, state_from_onnx
from .kws_card import fmt_or_dash, write_card

SUMMARY = "BiFSMN-style keyword spotter -> kws_bifsmn.onnx"
DEFAULTS = dict(data="/work/data/kws", name="kws_bifsmn", epochs_float=12, epochs_binary=20, batch=128)


def add_arguments(ap):
    ap.add_argument("--cache", default=None, help="default: DATA/cache")
    ap.add_argument("--real", action="store_true", help="DATA is the real Speech Commands set")
    ap.add_argument("--unknown-fraction", type=float, default=0.1)
    ap.add_argument("--rebuild", action="store_true", help="recompute cached features")
    ap.add_argument("--lr-float", type=float, default=2e-3)
    ap.add_argument("--lr-binary", type=float, default=1e-3)
    ap.add_argument("--front", type=int, default=16)
    ap.add_argument("--memory", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--blocks", type=int, default=8)
    ap.add_argument("--thinnable", action="store_true")
    ap.add_argument("--binary-memory", action="store_true", help="binarize the depthwise memory convs too")
    ap.add_argument("--float-front", action="store_true",
                    help="keep the second front conv float (ablation; fine-tuning drops its sign threshold)")
    ap.add_argument("--float-project", action="store_true",
                    help="keep the 1x1 projection into the memory width float too (needs --float-front; "
                         "fine-tuning drops its sign threshold)")
    ap.add_argument("--normalize", action="store_true",
                    help="subtract each mel band's mean over the 1 s window inside the model (channel and level)")
    ap.add_argument("--binary-from-onnx", default=None,
                    help="with --finetune: start the binary model from this exported ONNX file's weights "
                         "(a bundled model) instead of CACHE/NAME_binary.pt; its layout (which layers are "
                         "float) is read from the file")
    ap.add_argument("--reuse-float", action="store_true", help="load CACHE/float.pt if present")
    ap.add_argument("--stream-minutes", type=float, default=0,
                    help="add sliding windows cut from this many minutes of synthesized training-voice "
                         "streams (kws/stream_windows.py); validation gets a quarter as much")
    ap.add_argument("--stream-unknown-share", type=float, default=0.35,
                    help="share of other words among the streams' words")
    ap.add_argument("--stream-near-miss-weight", type=int, default=1,
                    help="draw near-miss words (top, lift, now...) this many times as often in the streams")
    ap.add_argument("--vtlp", type=float, default=0.0,
                    help="vocal-tract-length perturbation: warp half the clips' mel axis by a factor within "
                         "1 +- this (kws/warp.py; 0: off)")
    ap.add_argument("--unknown-weight", type=float, default=1.0,
                    help="cross-entropy weight of the unknown class (>1 trades recall for fewer false alarms)")
    ap.add_argument("--extra-data", nargs="*", default=[],
                    help="train-only clip folders added to the training split (kws/make_dataset.py --extra-round)")
    ap.add_argument("--kd-weight", type=float, default=0.5,
                    help="weight of logit distillation from the float twin in the binary loss (0: cross-entropy "
                         "only, no float twin needed)")
    ap.add_argument("--feature-kd", type=float, default=0.0,
                    help="weight of block-feature distillation from the float twin (training/loop.py)")
    ap.add_argument("--finetune", action="store_true",
                    help="start both models from CACHE/NAME_float.pt and CACHE/NAME_binary.pt")


def check_arguments(args, ap):
    if args.float_project and not args.float_front:
        ap.error("--float-project needs --float-front")
    if args.binary_from_onnx and not args.finetune:
        ap.error("--binary-from-onnx needs --finetune")
    if args.kd_weight == 0 and args.epochs_binary == 0:
        ap.error("--kd-weight 0 with --epochs-binary 0 trains nothing")


def log_to(path):
    f = open(path, "a")

    def log(msg):
        print(msg, flush=True)
        f.write(msg + "\n")
        f.flush()
    return log


def cached(args, tag, what, make, log):
    """(x, y) from CACHE/TAG_x.npy / TAG_y.npy, or make() them, save them and log how long it took."""
    fx, fy = Path(args.cache) / f"{tag}_x.npy", Path(args.cache) / f"{tag}_y.npy"
    if fx.exists() and fy.exists() and not args.rebuild:
        return np.load(fx), np.load(fy)
    t = time.time()
    x, y = make()
    fx.parent.mkdir(parents=True, exist_ok=True)
    np.save(fx, x)
    np.save(fy, y)
    log(f"{what}: {x.shape} in {time.time() - t:.0f} s, per class "
        f"{np.bincount(y, minlength=len(LABELS)).tolist()}")
    return x, y


def load_features(args, split, log):
    def make():
        waves, labels, _ = load_split(args.data, split, seed=args.seed,
                                      unknown_fraction=args.unknown_fraction if args.real else None,
                                      augment=args.real and split == "train")
        return feat.logmel(waves)[:, None, :, :], labels
    return cached(args, split, f"features {split}", make, log)


def extra_features(args, root, log):
    """Training clips of a train-only folder (make_dataset --extra-round), cached by its name."""
    def make():
        waves, labels, _ = load_split(root, "train", seed=args.seed, silence_fraction=0, train_only=True)
        return feat.logmel(waves)[:, None, :, :], labels
    return cached(args, f"extra_{Path(root).name}", f"features {root}", make, log)


def stream_features(args, split, minutes, log):
    """Sliding windows of synthesized streams in `split`'s voices, cached like the clips."""
    def make():
        from ...kws.stream_windows import stream_windows
        return stream_windows(split, minutes, seed=args.seed * 1000 + (0 if split == "train" else 1),
                              data=args.data, unknown_share=args.stream_unknown_share,
                              near_miss_weight=args.stream_near_miss_weight, log=log)
    tag = f"stream_{split}_{minutes:g}min_u{args.stream_unknown_share:g}_n{args.stream_near_miss_weight}"
    return cached(args, tag, f"stream windows {split}", make, log)


def spec_augment(xb, rng, max_f=4, max_t=4):
    xb = xb.copy()
    for i in range(len(xb)):
        fill = xb[i].mean()
        f = int(rng.integers(0, max_f + 1))
        f0 = int(rng.integers(0, xb.shape[2] - f + 1))
        xb[i, :, f0:f0 + f, :] = fill
        t = int(rng.integers(0, max_t + 1))
        t0 = int(rng.integers(0, xb.shape[3] - t + 1))
        xb[i, :, :, t0:t0 + t] = fill
    return xb


def per_class(logits, y):
    p = logits.argmax(1)
    return {LABELS[c]: float(np.mean(p[y == c] == c)) if np.any(y == c) else float("nan")
            for c in range(len(LABELS))}


def load_data(args, log):
    """Training (plus extra clips and stream windows), validation and test features, and the clip
    counts per class of each part."""
    x, y = load_features(args, "train", log)
    xv, yv = load_features(args, "validation", log)
    xt, yt = load_features(args, "test", log)
    np.save(Path(args.cache) / "kws_test_x.npy", xt)
    np.save(Path(args.cache) / "kws_test_y.npy", yt.astype(np.int64))
    counts = {s: np.bincount(a, minlength=len(LABELS)).tolist() for s, a in
              [("train", y), ("validation", yv), ("test", yt)]}
    log(f"clips per class {LABELS}: {counts}")
    for root in args.extra_data:
        ex, ey = extra_features(args, root, log)
        counts[f"extra {root}"] = np.bincount(ey, minlength=len(LABELS)).tolist()
        x, y = np.concatenate([x, ex]), np.concatenate([y, ey])
    if args.stream_minutes > 0:
        sx, sy = stream_features(args, "train", args.stream_minutes, log)
        vx, vy = stream_features(args, "validation", max(5.0, args.stream_minutes / 4), log)
        counts["train_stream_windows"] = np.bincount(sy, minlength=len(LABELS)).tolist()
        counts["validation_stream_windows"] = np.bincount(vy, minlength=len(LABELS)).tolist()
        x, y = np.concatenate([x, sx]), np.concatenate([y, sy])
        xv, yv = np.concatenate([xv, vx]), np.concatenate([yv, vy])
    return (x, y), (xv, yv), (xt, yt), counts


def float_twin(args, arch, fit, command, log):
    """(twin or None, its training record): trained, fine-tuned or loaded from the cache (when
    fine-tuning, at its checkpoint's width: a widened binary model keeps its teacher). The record
    holds the command that trained it, for the card of a binary model trained by a later command."""
    fpath = Path(args.cache) / f"{args.name}_float.pt"
    finfo_path = Path(args.cache) / f"{args.name}_float.json"
    no_twin = args.finetune and args.epochs_float == 0 and args.kd_weight == 0 and not fpath.exists()
    farch = dict(arch, hidden=hidden_width(torch.load(fpath))) if args.finetune and not no_twin else arch
    fl = BiFSMN(binary=False, **farch)
    if no_twin:
        log(f"no float twin ({fpath} absent, --kd-weight 0): the binary model is fine-tuned on cross-entropy alone")
        return None, None
    if args.finetune and args.epochs_float == 0:
        fl.load_state_dict(torch.load(fpath))
        log(f"float twin loaded from {fpath} (not fine-tuned)")
        return fl, json.loads(finfo_path.read_text())
    if args.finetune:
        fl.load_state_dict(torch.load(fpath))
        log(f"float twin fine-tuned from {fpath}")
    elif args.reuse_float and fpath.exists():
        fl.load_state_dict(torch.load(fpath))
        log(f"float twin loaded from {fpath}")
        return fl, json.loads(finfo_path.read_text())
    finfo = dict(fit(fl, epochs=args.epochs_float, lr=args.lr_float, seed=args.seed, label="float"), command=command)
    torch.save(fl.state_dict(), fpath)
    finfo_path.write_text(json.dumps(finfo))
    return fl, finfo


def binary_start(args, arch, bi, fl, log):
    """Loads the binary model's starting weights: the float twin's, or (--finetune) the cached
    binary checkpoint or an exported ONNX file, widened and with float layers' thresholds dropped."""
    if not args.finetune:
        recipe.start_from_twin(bi, fl)
        return
    bpath = Path(args.cache) / f"{args.name}_binary.pt"
    if args.binary_from_onnx:
        bpath = Path(args.binary_from_onnx)
        names = initializer_names(bpath)  # a layer kept float has no sign threshold
        src = BiFSMN(binary=True, **dict(arch, float_front="front.3.threshold" not in names,
                                         float_project="project_in.0.threshold" not in names))
        state = state_from_onnx(bpath, src)
    else:
        state = torch.load(bpath)
    if hidden_width(state) != args.hidden:
        log(f"widening the DFSMN hidden layers {hidden_width(state)} -> {args.hidden} (kws/widen.py)")
        state = widen_hidden(state, args.hidden, seed=args.seed)
    if args.float_front:
        state = float_front_state(state, project=args.float_project)
    bi.load_state_dict(state)
    log(f"binary model fine-tuned from {bpath}")
    if fl is not None:
        recipe.freeze(fl)


def run(args, ap, command):
    check_arguments(args, ap)
    args.cache = args.cache or str(Path(args.data) / "cache")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    log = log_to(Path(args.cache) / "train_log.txt")
    t_start = time.time()
    log(f"=== train kws {time.strftime('%Y-%m-%d %H:%M:%S')} args {vars(args)}")

    (x, y), (xv, yv), (xt, yt), counts = load_data(args, log)
    arch = dict(front_channels=args.front, memory=args.memory, hidden=args.hidden,
                blocks=args.blocks, thinnable=args.thinnable, binary_memory=args.binary_memory,
                float_front=args.float_front, float_project=args.float_project, normalize=args.normalize)
    depths = [8, 4, 2, 1] if args.thinnable else [args.blocks]
    class_weight = np.ones(len(LABELS), dtype=np.float32)
    class_weight[UNKNOWN_INDEX] = args.unknown_weight

    augment = spec_augment
    if args.vtlp > 0:
        vtlp = VTLP(spread=args.vtlp)

        def augment(xb, rng):
            return spec_augment(vtlp(xb, rng), rng)

    def fit(model, **kw):
        return loop.fit(model, x, y, xv, yv, batch=args.batch, augment=augment,
                        forward_kw=[{"depth": d} for d in depths], class_weight=class_weight, log=log, **kw)

    fl, finfo = float_twin(args, arch, fit, command, log)
    if args.epochs_binary == 0:
        finfo["total_seconds"] = time.time() - t_start  # the whole command, as the card's recipe table shows
        (Path(args.cache) / f"{args.name}_float.json").write_text(json.dumps(finfo))
        lf = loop.predict(fl, xt)
        log(f"float twin only (--epochs-binary 0): test accuracy {loop.accuracy(lf, yt):.4f}, saved "
            f"{Path(args.cache) / f'{args.name}_float.pt'}; total {loop.fmt_time(time.time() - t_start)}")
        return

    # binary model from the float weights (or a checkpoint), distilled from the float twin
    bi = BiFSMN(binary=True, **arch)
    binary_start(args, arch, bi, fl, log)
    binfo = fit(bi, epochs=args.epochs_binary, lr=args.lr_binary, seed=args.seed + 1, label="binary",
                teacher=fl if args.kd_weight > 0 else None, kd_weight=args.kd_weight, feature_kd=args.feature_kd)
    nudged = nudge_zero_weights(bi)
    torch.save(bi.state_dict(), Path(args.cache) / f"{args.name}_binary.pt")

    results = {}
    for d in depths:
        lb = loop.predict(bi, xt, depth=d)
        results[d] = dict(binary=loop.accuracy(lb, yt), binary_val=loop.accuracy(loop.predict(bi, xv, depth=d), yv),
                          per_class_binary=per_class(lb, yt),
                          float=None, float_val=None, per_class_float={k: None for k in LABELS})  # no twin
        if fl is not None:
            lf = loop.predict(fl, xt, depth=d)
            results[d].update(float=loop.accuracy(lf, yt), float_val=loop.accuracy(loop.predict(fl, xv, depth=d), yv),
                              per_class_float=per_class(lf, yt))
        log(f"depth {d}: test accuracy float {fmt_or_dash(results[d]['float'], '.4f')} binary {results[d]['binary']:.4f} "
            f"(validation {fmt_or_dash(results[d]['float_val'], '.4f')} / {results[d]['binary_val']:.4f})")

    # export (full depth) with the front end and labels as metadata
    meta = {"edgepack.task": "keyword-spotting",
            "edgepack.labels": ",".join(LABELS),
            "edgepack.silence_label": str(SILENCE_INDEX),
            "edgepack.unknown_label": str(UNKNOWN_INDEX),
            "edgepack.audio": json.dumps(dict(feat.FRONT_END), sort_keys=True),
            "edgepack.input": "log-mel dB, shape (batch, 1, n_mels=32, frames=32)"}
    onnx_path = out / f"{args.name}.onnx"
    bi.export_depth = depths[0]
    err, agree, ops = recipe.export(bi, xt[:256], onnx_path, "logmel", meta, log)

    nb, no, float_bytes, deployed = recipe.sizes(bi, BiFSMN(binary=False, **arch))
    info = dict(args=vars(args), counts=counts, results=results, float_train=finfo,
                binary_train=binfo, onnx_bytes=onnx_path.stat().st_size, onnx_ops=ops,
                ort_max_diff=err, ort_agreement=agree, binarized_weights=nb, other_params=no,
                float_bytes=float_bytes, deployed_bytes=deployed, nudged_zero_weights=nudged,
                total_seconds=time.time() - t_start)
    (Path(args.cache) / f"{args.name}_results.json").write_text(json.dumps(info, indent=1))
    write_card(out / f"{args.name}.md", info, args, command)
    log(f"model card {out / (args.name + '.md')}; total {loop.fmt_time(time.time() - t_start)}")
