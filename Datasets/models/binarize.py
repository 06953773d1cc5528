"""Sign functions with the backward passes the three papers train with.

Forward is always torch.sign (sign(0) = 0), which is what the exported ONNX graphs
carry as `Sign` nodes. Only the gradients differ between papers.
"""
import torch
from torch.autograd import Function


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
