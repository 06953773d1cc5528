"""Small CPU training loop shared by the training recipes (python -m Datasets.train): minibatches
from in-memory arrays, AdamW with warm-up + cosine schedule, optional distillation from a teacher,
progress lines, best-on-validation checkpoint, evaluation and ONNX export."""
import copy
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def set_threads(n):
    torch.set_num_threads(n)
    torch.set_num_interop_threads(1)


def seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)


@torch.no_grad()
def predict(model, x, batch=512, **kw):
    model.eval()
    out = []
    for i in range(0, len(x), batch):
        out.append(model(torch.from_numpy(np.ascontiguousarray(x[i:i + batch])), **kw))
    return torch.cat(out).numpy() if out else np.zeros((0,))


def accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=1) == y))


def fmt_time(s):
    return f"{int(s // 60)}m{int(s % 60):02d}s"


def fit(model, x, y, xv, yv, *, epochs, lr, batch=128, weight_decay=1e-4, teacher=None,
        kd_weight=0.5, kd_temperature=2.0, feature_kd=0.0, augment=None, seed=0, label="model",
        forward_kw=None, extra_losses=None, class_weight=None, log=print):
    """Train `model` on (x, y); keeps the weights with the best validation accuracy.

    teacher: a frozen model whose softened logits are distilled (KL) with weight kd_weight.
    feature_kd: weight of block-feature distillation (after BiFSMN's distillation from the float
      twin's intermediate features): both models' forward(x, features=list) fill a list with
      same-shaped maps; the loss is the mean over maps of the squared distance between each sample's
      L2-normalized maps, so only their direction (not the binary model's scale) must match;
      applied at the first forward_kw entry (full depth) only.
    augment(xb_numpy, rng) -> xb_numpy: on-the-fly batch augmentation.
    forward_kw: list of dicts; the loss is summed over one forward per dict (thinnable depths).
    class_weight: per-class weights of the cross-entropy term (None: equal).
    """
    forward_kw = forward_kw or [{}]
    cw = None if class_weight is None else torch.as_tensor(class_weight, dtype=torch.float32)
    rng = np.random.default_rng(seed)
    torch.manual_seed(seed)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    steps_per_epoch = math.ceil(len(x) / batch)
    total = epochs * steps_per_epoch
    warm = min(steps_per_epoch, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm))))
    if teacher is not None:
        teacher.eval()
    best = (-1.0, None, -1)
    t0 = time.time()
    step = 0
    for ep in range(epochs):
        model.train()
        order = rng.permutation(len(x))
        tl = tc = tn = 0
        for bi in range(steps_per_epoch):
            idx = order[bi * batch:(bi + 1) * batch]
            xb = x[idx]
            if augment is not None:
                xb = augment(xb, rng)
            xb = torch.from_numpy(np.ascontiguousarray(xb))
            yb = torch.from_numpy(y[idx])
            soft = None
            tfeat = [] if feature_kd > 0 else None
            if teacher is not None:
                with torch.no_grad():
                    soft = F.softmax(teacher(xb, **({"features": tfeat} if tfeat is not None else {}))
                                     / kd_temperature, dim=1)
            loss = 0.0
            for kw in forward_kw:
                sfeat = [] if tfeat is not None and kw is forward_kw[0] else None
                out = model(xb, **kw, **({"features": sfeat} if sfeat is not None else {}))
                l = F.cross_entropy(out, yb, weight=cw)
                if sfeat is not None:
                    l = l + feature_kd * feature_distance(sfeat, tfeat)
                if soft is not None:
                    kd = F.kl_div(F.log_softmax(out / kd_temperature, dim=1), soft,
                                  reduction="batchmean") * kd_temperature ** 2
                    l = (1 - kd_weight) * l + kd_weight * kd
                loss = loss + l
                if kw is forward_kw[0]:
                    tc += int((out.argmax(1) == yb).sum())
            if extra_losses is not None:
                loss = loss + extra_losses(model)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            tl += loss.item() * len(idx)
            tn += len(idx)
            if bi % 50 == 0 or bi == steps_per_epoch - 1:
                el = time.time() - t0
                eta = el / step * (total - step)
                print(f"\r  [{label}] epoch {ep + 1}/{epochs} batch {bi + 1}/{steps_per_epoch} "
                      f"loss {tl / tn:.4f} acc {tc / tn:.4f}  {fmt_time(el)} elapsed, ~{fmt_time(eta)} left ",
                      end="", flush=True)
        va = accuracy(predict(model, xv, **forward_kw[0]), yv)
        print()
        log(f"  [{label}] epoch {ep + 1}/{epochs}: train loss {tl / tn:.4f} acc {tc / tn:.4f}, "
            f"validation acc {va:.4f}, lr {sched.get_last_lr()[0]:.2e}, {fmt_time(time.time() - t0)}")
        if va >= best[0]:
            best = (va, copy.deepcopy(model.state_dict()), ep + 1)
    model.load_state_dict(best[1])
    log(f"  [{label}] best validation acc {best[0]:.4f} at epoch {best[2]}; "
        f"training took {fmt_time(time.time() - t0)}")
    return {"seconds": time.time() - t0, "best_val": best[0], "best_epoch": best[2], "epochs": epochs, "lr": lr}


def feature_distance(student, teacher):
    """Mean over maps of |s/|s| - t/|t||^2 per sample (each map flattened per sample)."""
    total = 0.0
    for s, t in zip(student, teacher):
        s = F.normalize(s.flatten(1), dim=1)
        t = F.normalize(t.flatten(1), dim=1)
        total = total + (s - t).pow(2).sum(1).mean()
    return total / max(1, len(student))


@torch.no_grad()
def recalibrate_bn(model, x, batch=64, augment=None, seed=0, **kw):
    """Recompute every BatchNorm's running statistics on `x` (cumulative average), e.g. after
    training on subsampled inputs. Nothing else changes."""
    rng = np.random.default_rng(seed)
    bns = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None
    model.train()
    for i in range(0, len(x), batch):
        xb = x[i:i + batch]
        if augment is not None:
            xb = augment(xb, rng)
        model(torch.from_numpy(np.ascontiguousarray(xb)), **kw)
    for m, mo in zip(bns, saved):
        m.momentum = mo
    model.eval()


def export_onnx(model, example, path, input_name, output_name, metadata=None, opset=17):
    """TorchScript exporter, quantizers kept (no constant folding); metadata_props added.
    Returns (max |onnxruntime - torch|, top-1 agreement) on `example`."""
    import onnx
    import onnxruntime as ort
    model.eval()
    ex = torch.from_numpy(np.ascontiguousarray(example))
    torch.onnx.export(model, (ex,), str(path), dynamo=False, opset_version=opset,
                      do_constant_folding=False, input_names=[input_name],
                      output_names=[output_name],
                      dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}})
    m = onnx.load(str(path))
    for k, v in (metadata or {}).items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = sess.run(None, {input_name: example.astype(np.float32)})[0]
    with torch.no_grad():
        want = model(ex).numpy()
    return float(np.max(np.abs(got - want))), float(np.mean(got.argmax(1) == want.argmax(1)))


def op_histogram(path):
    import onnx
    m = onnx.load(str(path))
    h = {}
    for n in m.graph.node:
        h[n.op_type] = h.get(n.op_type, 0) + 1
    return dict(sorted(h.items()))
