"""Widen a trained binary BiFSMN's DFSMN hidden layers without starting over (Net2WiderNet).

Each hidden unit of every block is repeated k = new/old times: the expand conv's rows, its
BatchNorm and PReLU entries, and the project conv's input columns and thresholds. For a
binary project conv the per-output-channel scale mean|W| is unchanged by repeated columns, so
its sum grows k-fold; the project BatchNorm's running mean and variance (+ eps) are scaled by k and k²
so the widened model computes what the narrow one did (in eval mode). The copies get a little
additive noise on their latent weights: identical copies would receive identical gradients and
never diverge, while noise flips the signs of a few near-zero weights and breaks the tie.
"""
import torch

BN_EPS = 1e-5  # nn.BatchNorm1d's default, which the model uses


def hidden_width(state):
    """The DFSMN hidden width of a BiFSMN state dict (blocks.0.expand has shape hidden x memory x 1)."""
    return state["blocks.0.expand.weight"].shape[0]


def widen_hidden(state, hidden, noise=0.05, seed=0):
    old = hidden_width(state)
    if hidden % old:
        raise ValueError(f"new hidden width {hidden} is not a multiple of {old}")
    k = hidden // old
    idx = torch.arange(hidden) % old
    copy = (torch.arange(hidden) >= old)
    g = torch.Generator().manual_seed(seed)
    out = dict(state)
    blocks = sorted({key.split(".")[1] for key in state if key.startswith("blocks.")}, key=int)
    for b in blocks:
        p = f"blocks.{b}."
        w = state[p + "expand.weight"][idx].clone()
        w[copy] += noise * w.std() * torch.randn(w[copy].shape, generator=g)
        out[p + "expand.weight"] = w
        for name in ("weight", "bias", "running_mean", "running_var"):
            out[p + f"expand_bn.{name}"] = state[p + f"expand_bn.{name}"][idx].clone()
        out[p + "expand_act.weight"] = state[p + "expand_act.weight"][idx].clone()
        w = state[p + "project.weight"][:, idx].clone()
        w[:, copy] += noise * w.std() * torch.randn(w[:, copy].shape, generator=g)
        out[p + "project.weight"] = w
        out[p + "project.threshold"] = state[p + "project.threshold"][:, idx].clone()
        for key in state:
            if key.startswith(p + "project_bn.") and key.endswith("running_mean"):
                out[key] = state[key] * k
            elif key.startswith(p + "project_bn.") and key.endswith("running_var"):
                out[key] = (state[key] + BN_EPS) * k * k - BN_EPS  # so that var + eps scales by k² exactly
    return out
