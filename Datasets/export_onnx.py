#!/usr/bin/env python3
"""Exports the converter's ONNX fixtures from the PyTorch model definitions in models/.

Each fixture is built with shrunk widths, initialized randomly but realistically (BN running
statistics measured on random data of the right kind, then perturbed; random BN gammas, some
negative; random PReLU slopes, thresholds and gains), put in eval mode and exported with:
  torchscript  torch.onnx.export(..., dynamo=False, opset 17, do_constant_folding=False)
  dynamo       torch.onnx.export(..., dynamo=True, opset 18, optimize=False)
  dynamoopt    torch.onnx.export(..., dynamo=True, opset 18) with the default optimize=True
The first two keep every weight quantizer as a subgraph on the initializers (the converter must
fold it); the third is what a user gets by default: onnxscript's optimizer folds the quantizers
it can (size-limited) and fuses BatchNorm into the preceding Conv/Gemm where possible.

For every model onnxruntime (graph optimizations off, so the graph's own arithmetic) runs one
fixed seeded input; input and output are saved as .npy next to the model. The input is picked
among a few seeded candidates as the one whose smallest |x| at an activation Sign is largest, so
that summation-order differences in a converted model are unlikely to flip a sign.

The script also checks each exported graph against the model's design (which layers are binary
by design, and whether the folded weights are exactly +-alpha per output channel with a Sign
feeding the layer) and writes MANIFEST.md and MANIFEST.tsv.

Needs torch, onnx, onnxruntime, onnxscript (not used by CI; the fixtures are committed).
  python Datasets/export_onnx.py [--out DIR] [--only NAME ...]
"""
import argparse
import os
import sys
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_graph import analyse, min_sign_margin  # noqa: E402
from models import BiFSMN, BiPointNet, ResNet20, VGGSmall  # noqa: E402
from models.bifsmn import BiConv1d, BiConv2d, BiLinear  # noqa: E402
from models.bipointnet import BiLinearLSR  # noqa: E402
from models.irnet import IRConv2d  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO, "Tests", "EdgePackTests", "Fixtures", "onnx")
EXPORTERS = {
    "torchscript": dict(dynamo=False, opset_version=17, do_constant_folding=False),
    "dynamo": dict(dynamo=True, opset_version=18, optimize=False),
    "dynamoopt": dict(dynamo=True, opset_version=18),
}


# ----------------------------------------------------------------------------- inputs

def logmel_input(rng, n, n_mels, n_frames):
    """Log-mel dB-like values: a falling spectral envelope with a random walk on it, a burst of
    louder frames (the 'word') and noise; within [-100, 40] dB without clipping in practice."""
    tilt = -25.0 - 30.0 * np.linspace(0, 1, n_mels)[None, None, :, None]
    walk = rng.normal(0, 2.5, size=(n, 1, n_mels, 1)).cumsum(axis=2)
    start = rng.integers(0, n_frames // 2, size=(n, 1, 1, 1))
    length = rng.integers(n_frames // 4, n_frames // 2, size=(n, 1, 1, 1))
    t = np.arange(n_frames)[None, None, None, :]
    burst = ((t >= start) & (t < start + length)) * rng.uniform(15, 35, size=(n, 1, n_mels, 1))
    x = tilt + walk + burst + rng.normal(0, 4.0, size=(n, 1, n_mels, n_frames))
    return np.clip(x, -100.0, 40.0).astype(np.float32)


def cloud_input(rng, n, points):
    """Points on a random anisotropic, rotated ellipsoid or box, centered and in the unit sphere."""
    out = np.empty((n, 3, points), np.float32)
    for i in range(n):
        p = rng.normal(size=(points, 3))
        if rng.random() < 0.5:
            p /= np.linalg.norm(p, axis=1, keepdims=True)
        else:
            p = np.clip(p, -1, 1)
            k = rng.integers(0, 3, points)
            p[np.arange(points), k] = np.sign(p[np.arange(points), k] + 1e-9)
        p *= rng.uniform(0.3, 1.0, size=3)
        q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
        p = p @ q + rng.normal(0, 0.01, size=p.shape)
        p -= p.mean(axis=0)
        p /= np.linalg.norm(p, axis=1).max()
        out[i] = p.T
    return out


def image_input(rng, n, size=32):
    """CIFAR-like normalized image: smooth colour blobs plus pixel noise."""
    coarse = rng.normal(size=(n, 3, size // 8, size // 8))
    x = np.repeat(np.repeat(coarse, 8, axis=2), 8, axis=3) + 0.5 * rng.normal(size=(n, 3, size, size))
    return x.astype(np.float32)


# ----------------------------------------------------------------------------- fixtures

class Fixture:
    def __init__(self, name, family, variant, build, make_input, notes):
        self.name, self.family, self.variant = name, family, variant
        self.build, self.make_input, self.notes = build, make_input, notes


def fixtures(a):
    kws = dict(n_mels=32, n_frames=32, num_layers=a.bifsmn_layers, front_channels=a.bifsmn_front,
               hidden_size=a.bifsmn_hidden, memory_size=a.bifsmn_memory, num_classes=12)
    mel = lambda rng, n: logmel_input(rng, n, 32, 32)  # noqa: E731
    pn_widths = tuple(int(v) for v in a.bipointnet_widths.split(","))
    vgg_widths = tuple(int(v) for v in a.vgg_widths.split(","))
    return [
        Fixture("bifsmn_deployable", "BiFSMN", "deployable binarizer (one scale per output channel), thinnable opt 0 = 8 blocks",
                lambda: BiFSMN(version=1, per_out_channel=True, thin_opt=0, **kws), mel,
                "Every binarized layer is +-alpha per output channel: all binary."),
        Fixture("bifsmn_official", "BiFSMN", "official BiFSMN quantizer (scale per (out,in) pair), thinnable opt 1 = blocks 1,3,5,7",
                lambda: BiFSMN(version=1, per_out_channel=False, thin_opt=1, **kws), mel,
                "1x1 convs and the 5x5 front conv have a scale per (out,in) pair: their folded weights are "
                "full precision, so they must convert as float. Depthwise memory convs (one input per group) "
                "and the Linear fc1 (scale per row) are +-alpha per output channel."),
        Fixture("bifsmnv2_twothreshold", "BiFSMNv2", "two-threshold activation binarizer (LPB) with the official v2 weight quantizer, thinnable opt 2 = blocks 3,7",
                lambda: BiFSMN(version=2, per_out_channel=False, thin_opt=2, **kws), mel,
                "Binarized layers see b1 + s*b2 - t2 (two Sign passes, s = mean|r| over the last axis, "
                "data dependent), not Sign(x): float under the plain Sign rule. Weights are "
                "(sign(w a) s_w - clip(w a)) + clip(w a), the straight-through idiom, which rounds to within "
                "1 ulp of sign(w a) s_w, so even per-row-scaled weights are not exactly two values."),
        Fixture("bipointnet_lsr", "BiPointNet", f"LSR binarization, EMA-max pooling (N={a.points}), widths {a.bipointnet_widths}",
                lambda: BiPointNet(num_classes=40, num_points=a.points, widths=pn_widths), lambda rng, n: cloud_input(rng, n, a.points),
                "sign(w - mean(w)) times one scalar per layer, no bias; outputs log_softmax."),
        Fixture("irnet_resnet20", "IR-Net/DIR-Net", f"ResNet-20, width {a.resnet_width}",
                lambda: ResNet20(num_classes=10, width=a.resnet_width), image_input,
                "Binary 3x3 convs with alpha = 2^round(log2 mean|standardized w|) per output channel; "
                "option-A shortcuts (strided Slice + channel Pad)."),
        Fixture("irnet_vggsmall", "IR-Net/DIR-Net", f"VGG-small, widths {a.vgg_widths}",
                lambda: VGGSmall(num_classes=10, widths=vgg_widths), image_input,
                "Max-pool between binary conv and its BN in three places; some BN gammas are negative, "
                "so those BNs cannot be moved in front of the pool."),
    ]


# ----------------------------------------------------------------------------- initialization

def bn_layers(model):
    return [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]


def randomize(model, gen):
    """Trained-looking parameters that are not the defaults, so every fold is exercised."""
    def u(shape, lo, hi):
        return torch.rand(shape, generator=gen) * (hi - lo) + lo
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                sign = torch.where(torch.rand(m.num_features, generator=gen) < 0.1, -1.0, 1.0)
                m.weight.copy_(u(m.num_features, 0.6, 1.4) * sign)
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.2)
            elif isinstance(m, nn.PReLU):
                m.weight.copy_(u(m.weight.shape, 0.05, 0.3))
            if isinstance(m, (BiLinear, BiConv1d, BiConv2d)) and m.version == 2:
                for t in (m.channel_threshold, m.channel_threshold_1, m.channel_threshold_2):
                    t.copy_(torch.randn(t.shape, generator=gen) * 0.05)
                for q in (m.quant1, m.quant2, m.quant3):
                    q.alpha.fill_(float(u((), 0.8, 1.25)))
            if isinstance(m, IRConv2d):
                # A quarter of the channels heavy-tailed (cubed normal): their mean|w'| ~ 0.41, so
                # IR-Net's alpha = 2^round(log2 mean|w'|) is 0.5 there instead of the usual 1.
                heavy = torch.rand(m.out_channels, generator=gen) < 0.25
                cubed = torch.randn(m.weight.shape, generator=gen) ** 3
                cubed = cubed * (m.weight.std() / cubed.std())
                m.weight.copy_(torch.where(heavy.view(-1, 1, 1, 1), cubed, m.weight))
            if getattr(m, "bias", None) is not None and isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.05)


def sign_input_of_weight(m):
    """The tensor whose sign the weight quantizer takes, and the centre it is measured from."""
    if not isinstance(m, (IRConv2d, BiLinearLSR, BiLinear, BiConv1d, BiConv2d)):
        return None, None
    w = m.weight.detach().double()
    if isinstance(m, IRConv2d):
        return w, w.view(w.size(0), -1).mean(-1).view(-1, *([1] * (w.dim() - 1)))
    if isinstance(m, BiLinearLSR):
        return w, w.mean()
    if isinstance(m, (BiLinear, BiConv1d, BiConv2d)):
        if m.version == 1 and w.dim() > 2:
            return w, w.mean()
    return w, torch.zeros((), dtype=torch.float64)


def separate_ties(model):
    """Moves weights that sit within 1e-3 std of their quantizer's threshold away from it, so a
    converter that sums in another order cannot get a different sign."""
    moved = 0
    for m in model.modules():
        for _ in range(5):
            w, c = sign_input_of_weight(m)
            if w is None:
                break
            eps = 1e-3 * float(w.std())
            close = (w - c).abs() < eps
            if not close.any():
                break
            moved += int(close.sum())
            d = torch.where((w - c) >= 0, 1.0, -1.0).double() * 2 * eps
            with torch.no_grad():
                m.weight.copy_(torch.where(close, c.expand_as(w) + d, w).float())
    return moved


def separate_rounding(model, gen):
    """IR-Net's alpha = 2^round(log2 mean|w'|): keep log2 mean|w'| away from .5 boundaries."""
    redrawn = 0
    for m in model.modules():
        if not isinstance(m, IRConv2d):
            continue
        for _ in range(20):
            w = m.weight.detach().double()
            o = w.size(0)
            bw = w - w.view(o, -1).mean(-1).view(o, 1, 1, 1)
            bw = bw / bw.view(o, -1).std(-1).view(o, 1, 1, 1)
            l2 = torch.log2(bw.abs().view(o, -1).mean(-1))
            bad = (l2 - torch.floor(l2) - 0.5).abs() < 2e-3
            if not bad.any():
                break
            redrawn += int(bad.sum())
            with torch.no_grad():
                fresh = torch.randn(m.weight.shape, generator=gen) * m.weight.std()
                m.weight.copy_(torch.where(bad.view(o, 1, 1, 1), fresh, m.weight))
    return redrawn


def calibrate(model, batches, gen):
    """Running statistics from train-mode passes over realistic random data, then perturbed the
    way a trained model's statistics drift from any one batch."""
    bns = bn_layers(model)
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average
    model.train()
    with torch.no_grad():
        for b in batches:
            model(torch.from_numpy(b))
    with torch.no_grad():
        for bn in bns:
            bn.momentum = 0.1
            std = bn.running_var.sqrt()
            bn.running_mean.add_(0.05 * std * torch.randn(std.shape, generator=gen))
            bn.running_var.mul_(torch.rand(std.shape, generator=gen) * 0.2 + 0.9)
    model.eval()


# ----------------------------------------------------------------------------- design

def layer_design(name, m):
    """(binarized by design, expected kernel, why) for one Linear/Conv module."""
    if isinstance(m, (BiLinear, BiConv1d, BiConv2d)):
        if m.version == 2:
            return True, "float", "input is the two-threshold sum b1 + s*b2 - t2, not Sign(x)"
        if isinstance(m, BiLinear):
            return True, "binary", "sign(w) * mean|w| per output row"
        if m.per_out_channel:
            return True, "binary", "sign(w - mean w) * one scale per output channel"
        if m.weight.shape[1] == 1:
            return True, "binary", "per-(out,in) scale with one input per group = per output channel"
        return True, "float", "scale per (out,in) pair: folded weights are not +-alpha per output channel"
    if isinstance(m, BiLinearLSR):
        return True, "binary", "sign(w - mean w) * learned scalar"
    if isinstance(m, IRConv2d):
        return True, "binary", "sign(standardized w) * 2^round(log2 mean|w'|) per output channel"
    return False, "float", "full precision by design"


def forward_layers(model, x, kinds=(nn.Linear, nn.Conv1d, nn.Conv2d)):
    """Modules of the given kinds in the order forward() runs them."""
    order, hooks = [], []
    names = {m: n for n, m in model.named_modules()}
    for m in model.modules():
        if isinstance(m, kinds):
            hooks.append(m.register_forward_hook(lambda mod, i, o: order.append(mod)))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return [(names[m], m) for m in order]


# ----------------------------------------------------------------------------- main

def export(model, x, path, exporter, **override):
    kw = dict(EXPORTERS[exporter], **override)
    if kw.get("dynamo"):
        kw.update(verbose=False, external_data=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.from_numpy(x),), path, input_names=["input"],
                          output_names=["output"], **kw)
    # The dynamo exporter annotates every node with metadata (stack traces with this machine's
    # paths, FX node text, class hierarchy, name scopes): about a third of the file. Drop it;
    # MANIFEST.tsv maps every weighted node to its module.
    proto = onnx.load(path)
    for n in proto.graph.node:
        del n.metadata_props[:]
    onnx.save(proto, path)


def run_fixture(fx, a, out_dir):
    seed = a.seed + sum(map(ord, fx.name))
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = fx.build()
    randomize(model, gen)
    moved = separate_ties(model)
    redrawn = separate_rounding(model, gen)
    calibrate(model, [fx.make_input(rng, 16) for _ in range(4)], gen)
    candidates = fx.make_input(rng, a.candidates)

    base = os.path.join(out_dir, fx.name)
    first = f"{base}_torchscript.onnx"
    export(model, candidates[:1], first, "torchscript")
    margins = min_sign_margin(first, candidates)
    pick = int(np.argmax(margins))
    x = candidates[pick:pick + 1]
    with torch.no_grad():
        y_torch = model(torch.from_numpy(x)).numpy()
    design = [(n, m) + layer_design(n, m) for n, m in forward_layers(model, torch.from_numpy(x))]
    used_bns = [m for _, m in forward_layers(model, torch.from_numpy(x), nn.modules.batchnorm._BatchNorm)]

    results = {}
    for exporter in EXPORTERS:
        path = f"{base}_{exporter}.onnx"
        export(model, x, path, exporter)
        r = analyse(path, x)
        check_against_design(path, r, design)
        r["diff_torch"] = float(np.abs(r["output"] - y_torch).max())
        so = ort.SessionOptions()
        so.log_severity_level = 3
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        r["diff_ort_default"] = float(np.abs(sess.run(None, {"input": x})[0] - r["output"]).max())
        np.save(f"{base}_{exporter}_input.npy", x)
        np.save(f"{base}_{exporter}_output.npy", r["output"].astype(np.float32))
        r["bytes"] = os.path.getsize(path)
        results[exporter] = r
        print(f"  {fx.name}_{exporter}: {r['bytes'] / 1024:.1f} KiB, {r['nodes']} nodes, "
              f"|ort - torch| {r['diff_torch']:.2e}, min |Sign in| {r['min_margin']:.2e}", flush=True)

    # What TorchScript's default do_constant_folding=True would have done (not committed).
    probe = f"{base}_probe.onnx"
    export(model, x, probe, "torchscript", do_constant_folding=True)
    r = analyse(probe, x)
    check_against_design(probe, r, design)
    os.remove(probe)
    folding = dict(bn=r["bn"], weight_signs=r["weight_signs"],
                   folded_binary=sum(1 for lay, d in zip(r["layers"], design) if d[2] and lay["folded"]),
                   folded_float=sum(1 for lay, d in zip(r["layers"], design) if not d[2] and lay["folded"]))

    out = results["torchscript"]["output"].ravel()
    top = np.argsort(out)[::-1]
    info = dict(seed=seed, pick=pick, margins=margins, moved=moved, redrawn=redrawn,
                top1=int(top[0]), gap=float(out[top[0]] - out[top[1]]), input_shape=x.shape,
                output_shape=results["torchscript"]["output"].shape, folding=folding,
                neg_gamma=sum(int((bn.weight < 0).sum()) for bn in used_bns),
                bn_count=len(used_bns), params=sum(p.numel() for p in model.parameters()))
    return design, results, info


def check_against_design(path, r, design):
    """The exported graph must line up with the model's layers and classify as designed."""
    if len(r["layers"]) != len(design):
        raise RuntimeError(f"{path}: {len(r['layers'])} weighted nodes, model has {len(design)} layers")
    for lay, (mname, m, _, expected, _) in zip(r["layers"], design):
        if isinstance(m, (nn.Conv1d, nn.Conv2d)) != (lay["op"] == "Conv"):
            raise RuntimeError(f"{path}: node {lay['node']} ({lay['op']}) does not line up with {mname}")
        if lay["kernel"] != expected:
            raise RuntimeError(f"{path}: {mname} expected {expected}, graph says {lay['kernel']}: {lay}")


HEADER = """# ONNX converter fixtures

Generated by `Datasets/export_onnx.py` from the PyTorch definitions in `Datasets/models/` (written
after the papers' public code; quantizers in `forward()` as the research code writes them).
Regenerate with a Python that has torch, onnx, onnxruntime and onnxscript:
`python Datasets/export_onnx.py` (`--help` for widths). Re-check without torch (onnx, onnxruntime,
numpy): `python Datasets/check_fixtures.py`. CI needs no torch.

Every model `<fixture>_<exporter>.onnx` has `_input.npy` (batch 1, float32) and `_output.npy`:
onnxruntime's output with graph optimizations off (the graph's own arithmetic). Static shapes.
Weights and BN statistics are random but realistic: BN running statistics measured in train mode
on random data of the right kind (log-mel dB, point clouds, normalized images), then perturbed;
BN gammas in [0.6, 1.4] with about 10 % negative; random PReLU slopes, thresholds and gains.

| exporter | call | opset | weight quantizers |
|---|---|---|---|
| torchscript | `torch.onnx.export(..., dynamo=False, do_constant_folding=False)` | 17 | full subgraphs on the initializers |
| dynamo | `torch.onnx.export(..., dynamo=True, optimize=False)` | 18 | full subgraphs on the initializers |
| dynamoopt | `torch.onnx.export(..., dynamo=True)` (the default, optimize=True) | 18 | what users get by default: onnxscript folds the quantizers it can (a size limit leaves some unfolded) and fuses BatchNorm into the preceding Conv/Gemm where nothing sits between them |

torch 2.13 (TorchScript and dynamo exporters), onnx 1.23, onnxruntime 1.32, onnxscript 0.7.
The dynamo exporter's per-node `metadata_props` (stack traces with local paths, FX text, name
scopes) are removed to keep the files small; nothing else is changed.

## What the converter must find

Rule (the converter issue's, checked by the script on every graph): a Conv/Gemm/MatMul is
**binary** iff its data input is produced by `Sign` and its folded weight has exactly one |value|
per output channel (no zeros); otherwise **float**. `expected_kernel` in MANIFEST.tsv is that
rule's answer on the exported graph, and the script fails if it disagrees with the model's design.
MANIFEST.tsv has one row per weighted node (in graph order) of every model: fixture, exporter,
index, module, op, node name, binarized by design, expected kernel, distinct |w| per output
channel, whether the data input is a Sign, whether the weight is a plain initializer in the file,
and why.

Things the fixtures exercise on purpose:
- `Sign(0) = 0`: BiFSMN pads with zeros *before* Sign (F.pad, then Sign, then Conv with no
  padding), so those Sign inputs are exactly 0; binary convs with their own padding (BiFSMN
  5x5 front conv, IR-Net 3x3) pad the signed tensor with 0, a third value at the borders.
- BN folding: BN follows every binary layer; in VGG-small a MaxPool sits between the binary conv
  and its BN (three places), and some gammas are negative (that BN cannot move before the pool).
- Binary weights after the default dynamo optimizer: BN already fused, so +-alpha' per channel
  with alpha' = alpha * gamma / sqrt(var + eps), negative for negative gammas; bias added.
- BiFSMN official quantizer: scale per (out, in) pair. 1x1 convs keep one weight per pair, so
  sign(w') * |w'| = w': full precision; the 5x5 front conv has 25 per pair: not +-alpha per
  channel. Depthwise memory convs (one input per group) and the Linear are +-alpha per channel.
- BiFSMNv2: the binarized layers' input is b1 + s * b2 - t2 with b1 = sign((x - t0) a1),
  b2 = sign((x - b1 - t1) a2), s = mean |x - b1 - t1| over the last axis (data dependent; per
  (batch, row) for Linear on B x T x F, per (batch, channel) for Conv1d, per (batch, channel, row)
  for Conv2d), t2 per input channel. Under the rule that is float. For the Linear (fc1), s is one
  scalar per position, so it could run as two binary passes; for the convs s varies along the
  reduction axis. Weights and activations use the straight-through idiom
  `b.detach() - clip(v).detach() + clip(v)`, exported as `Add(Sub(B, Clip(V)), Clip(V))`: equal to B
  only up to rounding, so even per-row-scaled weights fold to 2 or 3 nearby |values|.
- IR-Net alpha = 2^round(log2 mean|w'|) of standardized w': exactly 1 for normal-looking
  channels (mean|w'| ~ 0.8); about a quarter of the channels were made heavy-tailed so their
  alpha is 0.5 or 0.25.
- Weight values within 1e-3 std of their quantizer threshold (mean or 0) were moved away, and
  IR-Net channels whose log2 mean|w'| lies within 2e-3 of a rounding boundary were redrawn, so
  folding in another summation order cannot change a sign or an alpha. The input was chosen among
  32 seeded candidates to maximize the smallest nonzero |x| at an activation Sign (column
  "min |Sign in|"); pre-activations closer to 0 than float32 rounding of a different summation
  order could flip and change the output.
"""


def write_manifest(out_dir, done, a):
    tsv = ["fixture\texporter\tindex\tmodule\tonnx_op\tonnx_node\tbinarized_by_design\texpected_kernel\t"
           "distinct_abs_w_per_out\tsign_input\tweight_is_initializer\treason"]
    md = [HEADER, "## Fixtures", "",
          "| model | family | opset | input | output | KiB | nodes | binarized by design | expected binary / float | top-1 (gap) | min \\|Sign in\\| | \\|ort - torch\\| |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    total = 0
    for fx, design, results, info in done:
        nb = sum(1 for d in design if d[2])
        eb = sum(1 for d in design if d[3] == "binary")
        for ex, r in results.items():
            total += r["bytes"]
            md.append(f"| {fx.name}_{ex} | {fx.family} | {r['opset']} | {'x'.join(map(str, info['input_shape']))} | "
                      f"{'x'.join(map(str, info['output_shape']))} | {r['bytes'] / 1024:.0f} | {r['nodes']} | {nb} of {len(design)} | "
                      f"{eb} / {len(design) - eb} | {info['top1']} ({info['gap']:.3f}) | {r['min_margin']:.1e} | {r['diff_torch']:.1e} |")
            for i, ((mname, m, by_design, expected, why), lay) in enumerate(zip(design, r["layers"])):
                tsv.append(f"{fx.name}\t{ex}\t{i}\t{mname}\t{lay['op']}\t{lay['node']}\t"
                           f"{'yes' if by_design else 'no'}\t{expected}\t{lay['distinct']}\t"
                           f"{'yes' if lay['sign_input'] else 'no'}\t{'yes' if lay['folded'] else 'no'}\t{why}")
    md += ["", f"Total size of the .onnx files: {total / 1024:.0f} KiB. Widths: BiFSMN front {a.bifsmn_front}, "
           f"memory {a.bifsmn_memory}, hidden {a.bifsmn_hidden}, {a.bifsmn_layers} blocks; BiPointNet {a.bipointnet_widths}, "
           f"{a.points} points; ResNet-20 width {a.resnet_width}; VGG-small {a.vgg_widths}.", "",
           "TorchScript's default `do_constant_folding=True` was also tried on every model (not committed): ",
           "", "| fixture | BatchNormalization left | weight Signs left | binary-by-design layers with a plain-initializer weight | float layers with a plain-initializer weight |",
           "|---|---|---|---|---|"]
    for fx, design, results, info in done:
        f = info["folding"]
        md.append(f"| {fx.name} | {f['bn']} of {results['torchscript']['bn']} | {f['weight_signs']} of "
                  f"{results['torchscript']['weight_signs']} | {f['folded_binary']} | {f['folded_float']} |")
    md += ["", "It fuses BN only into float convs whose weight is a plain initializer and leaves the binarized "
           "layers' quantizer subgraphs (and their BN) alone, so it would not have mixed BN into binary weights; "
           "the fixtures still use `do_constant_folding=False` so every quantizer is present in full.", ""]
    for fx, design, results, info in done:
        md += [f"## {fx.name}", "", f"{fx.family}: {fx.variant}. {fx.notes}", "",
               f"Parameters {info['params']}; {info['bn_count']} BatchNorm layers run, {info['neg_gamma']} negative gammas "
               f"among them; seed {info['seed']}; input = candidate {info['pick']} of {len(info['margins'])} "
               f"(min |Sign input| per candidate {min(info['margins']):.1e} .. {max(info['margins']):.1e}); "
               f"weights moved off ties {info['moved']}, IR-Net channels redrawn {info['redrawn']}.", "",
               "| # | module | kind | by design | expected | why | op | distinct \\|w\\| per out (torchscript / dynamo / dynamoopt) |",
               "|---|---|---|---|---|---|---|---|"]
        for i, (mname, m, by_design, expected, why) in enumerate(design):
            lays = [results[e]["layers"][i] for e in EXPORTERS]
            md.append(f"| {i} | `{mname}` | {type(m).__name__} {tuple(m.weight.shape)} | {'binary' if by_design else 'float'} | "
                      f"**{expected}** | {why} | {lays[0]['op']} | {' / '.join(str(lay['distinct']) for lay in lays)} |")
        md += ["", "| exporter | activation Sign | weight Sign | Sign inputs exactly 0 | op types (count) |", "|---|---|---|---|---|"]
        for ex, r in results.items():
            ops = ", ".join(f"{k} {v}" for k, v in sorted(r["ops"].items()))
            md.append(f"| {ex} | {r['act_signs']} | {r['weight_signs']} | {r['sign_zeros']} | {ops} |")
        md.append("")
    md += ["## Op types over all fixtures", ""]
    for ex in EXPORTERS:
        ops = sorted(set().union(*(set(res[ex]["ops"]) for _, _, res, _ in done)))
        md.append(f"- {ex}: {', '.join(ops)}")
    md.append("")
    with open(os.path.join(out_dir, "MANIFEST.md"), "w") as f:
        f.write("\n".join(md))
    with open(os.path.join(out_dir, "MANIFEST.tsv"), "w") as f:
        f.write("\n".join(tsv) + "\n")
    return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--only", nargs="*", help="fixture names to build (default: all)")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--candidates", type=int, default=32, help="seeded inputs to pick the fixture input from")
    p.add_argument("--bifsmn-layers", type=int, default=8)
    p.add_argument("--bifsmn-front", type=int, default=8, help="front-end channels (paper 16)")
    p.add_argument("--bifsmn-hidden", type=int, default=32, help="1x1 hidden size (paper 256)")
    p.add_argument("--bifsmn-memory", type=int, default=16, help="memory size (paper 128)")
    p.add_argument("--bipointnet-widths", default="16,32,64,32,16", help="c1,c2,c3,f1,f2 (paper 64,128,1024,512,256)")
    p.add_argument("--points", type=int, default=1024)
    p.add_argument("--resnet-width", type=int, default=4, help="paper 16")
    p.add_argument("--vgg-widths", default="8,16,32", help="paper 128,256,512")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    todo = [f for f in fixtures(a) if not a.only or f.name in a.only]
    done = []
    for fx in todo:
        print(f"{fx.name}: {fx.variant}", flush=True)
        design, results, info = run_fixture(fx, a, a.out)
        done.append((fx, design, results, info))
    if a.only:
        print("(--only given: MANIFEST not rewritten)")
        return
    total = write_manifest(a.out, done, a)
    print(f"total .onnx size {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
