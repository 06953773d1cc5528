"""The one binarizer module: sign functions with the backward passes the papers train with, and
the deployable binarized layers the bundled models use.

Sign functions (forward always torch.sign, sign(0) = 0, what the exported ONNX graphs carry as
`Sign` nodes; only the gradients differ between papers): SignSTE, SignScaledSTE, SignEDE,
ScaleIdentity. The paper-faithful fixture models (fixtures/) use them as the research code does.

Deployable layers (models/): every binarized layer computes  y = conv(sign(x + t), sign(W) * alpha)  with
alpha[o] = mean |W[o, ...]| and t a learned threshold per input channel (ReActNet's RSign;
zero-initialized; a float Add before the Sign), so after constant folding its weights take exactly the two
values +-alpha[o] per output channel and it maps onto XNOR/popcount with a per-channel
output scale (which the converter folds together with the following BatchNorm).

Training uses straight-through estimators (gradient of sign(x) passed where |x| <= 1).
During ONNX export the plain ops are emitted instead, so the graph shows the quantizer as
Abs -> ReduceMean -> Mul(Sign(W)) on the weight initializer and Sign on the activation.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Function


# ----------------------------------------------------------------------------- sign functions

class SignSTE(Function):
    """Straight-through estimator clipped to |x| <= 1 (BiFSMN, BiPointNet activations)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


class SignScaledSTE(Function):
    """sign(x) * scale with the clipped straight-through gradient (BiFSMN weights)."""

    @staticmethod
    def forward(ctx, x, scale):
        ctx.save_for_backward(x)
        out = torch.sign(x)
        if scale is not None:
            out = out * scale
        return out

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype), None


class SignEDE(Function):
    """IR-Net's error decay estimator: d sign(x)/dx ~ k * t * (1 - tanh(t x)^2)."""

    @staticmethod
    def forward(ctx, x, k, t):
        ctx.save_for_backward(x, k, t)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, grad):
        x, k, t = ctx.saved_tensors
        return k * t * (1 - torch.tanh(x * t) ** 2) * grad, None, None


class ScaleIdentity(Function):
    """x * scale with the gradient passed through unscaled (BiFSMNv2's helper)."""

    @staticmethod
    def forward(ctx, x, scale):
        return x * scale if scale is not None else x

    @staticmethod
    def backward(ctx, grad):
        return grad, None


# ----------------------------------------------------------------------------- deployable layers

def sign_ste(x):
    """SignSTE in training; the plain Sign when exporting or without gradients."""
    if torch.onnx.is_in_onnx_export() or not torch.is_grad_enabled():
        return torch.sign(x)
    return SignSTE.apply(x)


def binarize_weight(w):
    """sign(w) * mean|w| over every axis but the first (output channels)."""
    dims = tuple(range(1, w.dim()))
    alpha = w.abs().mean(dim=dims, keepdim=True)
    return sign_ste(w) * alpha


class _Threshold:
    def _init_threshold(self, channels, dims):
        self.threshold = nn.Parameter(torch.zeros((1, channels) + (1,) * dims))

    def _sign_input(self, x):
        return sign_ste(x + self.threshold)


class BinaryConv2d(nn.Conv2d, _Threshold):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_threshold(self.in_channels, 2)

    def forward(self, x):
        return F.conv2d(self._sign_input(x), binarize_weight(self.weight), self.bias, self.stride,
                        self.padding, self.dilation, self.groups)


class BinaryConv1d(nn.Conv1d, _Threshold):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_threshold(self.in_channels, 1)

    def forward(self, x):
        return F.conv1d(self._sign_input(x), binarize_weight(self.weight), self.bias, self.stride,
                        self.padding, self.dilation, self.groups)


class BinaryLinear(nn.Linear, _Threshold):
    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._init_threshold(self.in_features, 0)

    def forward(self, x):
        return F.linear(self._sign_input(x), binarize_weight(self.weight), self.bias)


def conv2d(binary, *a, **k):
    return (BinaryConv2d if binary else nn.Conv2d)(*a, **k)


def conv1d(binary, *a, **k):
    return (BinaryConv1d if binary else nn.Conv1d)(*a, **k)


def linear(binary, *a, **k):
    return (BinaryLinear if binary else nn.Linear)(*a, **k)


def _binary_types():
    return (BinaryConv1d, BinaryConv2d, BinaryLinear, IRConv2d)


def _threshold_numel(m):
    return m.threshold.numel() if hasattr(m, "threshold") else 0


def nudge_zero_weights(model, eps=1e-6):
    """sign(0) = 0 would give a third weight value: move exact zeros of binarized weights."""
    n = 0
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, _binary_types()):
                z = m.weight == 0
                n += int(z.sum())
                m.weight[z] = eps
    return n


def count_parameters(model):
    """(binarized weight count, other parameter count) — for model cards."""
    binary = other = 0
    for m in model.modules():
        if isinstance(m, _binary_types()):
            binary += m.weight.numel()
            other += _threshold_numel(m) + (m.bias.numel() if m.bias is not None else 0)
        else:
            other += sum(p.numel() for p in m.parameters(recurse=False))
    return binary, other


def deployed_bytes(model):
    """Storage estimate: 1 bit per binarized weight + a float32 scale per output channel,
    float32 for everything else (BatchNorm counted as its 4 vectors)."""
    bits = 0
    floats = 0
    for m in model.modules():
        if isinstance(m, _binary_types()):
            bits += m.weight.numel()
            floats += m.weight.shape[0] + _threshold_numel(m) + (m.bias.numel() if m.bias is not None else 0)
        else:
            floats += sum(p.numel() for p in m.parameters(recurse=False))
            floats += sum(b.numel() for n, b in m.named_buffers(recurse=False) if "num_batches" not in n)
    return bits // 8 + 4 * floats


def binarize_weight_irnet(w):
    """IR-Net / DIR-Net weight binarizer: per output channel, standardize (subtract the mean,
    divide by the standard deviation), take the sign, scale by 2^round(log2(mean|w_std|)).
    Still exactly +-alpha per output channel, so it is deployable as XNOR/popcount."""
    dims = tuple(range(1, w.dim()))
    bw = w - w.mean(dim=dims, keepdim=True)
    bw = bw / bw.std(dim=dims, keepdim=True)
    scale = torch.pow(2.0, torch.round(torch.log2(bw.abs().mean(dim=dims, keepdim=True)))).detach()
    return sign_ste(bw) * scale


class IRConv2d(nn.Conv2d):
    """Binary conv with the IR-Net weight binarizer and sign(x) activations (no threshold)."""

    def forward(self, x):
        return F.conv2d(sign_ste(x), binarize_weight_irnet(self.weight), self.bias, self.stride,
                        self.padding, self.dilation, self.groups)
