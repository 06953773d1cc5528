"""BiFSMN / BiFSMNv2 keyword-spotting network, written after the papers' public code.

Layout (thinnable DFSMN, input B x 1 x n_mels x n_frames log-mel dB):
  front_end: Conv2d 1->F 5x5 s2 (float) + BN + PReLU, Conv2d F->2F 5x5 s2 (binarized) + BN + PReLU
  fc1:       Linear 2F*n_mels/4 -> M (binarized) + PReLU, applied per frame
  backbone:  num_layers DFSMN blocks, each
               memory  = pad(left, right) -> depthwise Conv1d k=left+right+1 (binarized) + BN + PReLU, + residual
               fc_trans = Conv1d 1x1 M->H (binarized) + BN + PReLU -> Conv1d 1x1 H->M (binarized)
               then bn{opt} + act{opt} (one pair per thinnable option), + residual
  classifier: Linear M*n_frames/4 -> classes (float)

As in the research code (its Modify(first=1, last=count) pass), every Linear/Conv except the
first conv and the last linear is binarized. Thinnable option opt runs the blocks i with
(i + 1) % 2**opt == 0: 8, 4, 2 or 1 of 8.

Binarizers (chosen per model):
  version=1, per_out_channel=False  BiFSMN's official quantizer. Conv weights: w - mean(w) over the
      whole tensor, sign times mean|.| over the kernel per (out, in) pair. For 1x1 convs that pair
      holds one weight, so sign(w')*|w'| == w': such layers are NOT +-alpha per output channel
      and stay full precision in effect. Linear weights: sign(w) * mean|w| per output row.
      Activations: sign(x).
  version=1, per_out_channel=True   deployable: one scale per output channel (mean |w - mean(w)|
      over all input dims), so every binarized layer is +-alpha per output channel.
  version=2                         BiFSMNv2's two-threshold activation binarizer (LPB): per input
      channel thresholds t0, t1, t2 and learnable scalar gains a1, a2, a3:
        b1 = sign((x - t0) a1);  r = x - b1 - t1;  b2 = sign(r a2) * mean|r| over the last dim
        input = b1 + b2 - t2
      Weights: sign(w a3) times mean|w| over the last dim (per (out, in) for Conv1d, per row for
      Linear), or per output channel when per_out_channel=True. The straight-through trick
      `b.detach() - clip.detach() + clip` is kept in forward() as the research code writes it.

binary=False builds the float twin (same layout, plain layers) for accuracy comparisons.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .binarize import ScaleIdentity, SignScaledSTE, SignSTE


class LPBQuantize(nn.Module):
    """BiFSMNv2's sign with a learnable input gain and a clipped straight-through gradient."""

    def __init__(self):
        super().__init__()
        self.alpha = nn.Parameter(torch.tensor(1.0))

    def forward(self, x, scale=None):
        # The research code passes scale=1 (a Python int) for the first pass; None is the same
        # identity and keeps the TorchScript exporter working (it rejects int Function args).
        x = x * self.alpha
        binary = ScaleIdentity.apply(torch.sign(x), scale)
        clipped = torch.clamp(x, -1.0, 1.0)
        return binary.detach() - clipped.detach() + clipped


class _Binary:
    """Weight and input binarizers shared by the binarized Linear / Conv1d / Conv2d below."""

    def _init_binary(self, in_channels, version, per_out_channel, threshold_shape):
        self.version = version
        self.per_out_channel = per_out_channel
        if version == 2:
            self.channel_threshold = nn.Parameter(torch.rand(threshold_shape) * 0.001)
            self.channel_threshold_1 = nn.Parameter(torch.rand(threshold_shape) * 0.001)
            self.channel_threshold_2 = nn.Parameter(torch.rand(threshold_shape) * 0.001)
            self.quant1 = LPBQuantize()
            self.quant2 = LPBQuantize()
            self.quant3 = LPBQuantize()
        elif version != 1:
            raise ValueError(f"BiFSMN version must be 1 or 2, got {version}")

    def _weight_scale(self, w):
        o = w.size(0)
        if self.per_out_channel or w.dim() == 2:
            return w.abs().view(o, -1).mean(-1).view((o,) + (1,) * (w.dim() - 1))
        if self.version == 1:
            return w.abs().view(o, w.size(1), -1).mean(-1).view((o, w.size(1)) + (1,) * (w.dim() - 2))
        return w.abs().mean(-1).unsqueeze(-1)

    def binary_weight(self):
        w = self.weight
        if self.version == 1:
            bw = w if w.dim() == 2 else w - w.mean()
            sw = self._weight_scale(bw).detach()
            return SignScaledSTE.apply(bw, sw)
        sw = self._weight_scale(w).detach()
        return self.quant3(w, sw)

    def binary_input(self, x):
        if self.version == 1:
            return SignSTE.apply(x)
        ba1 = self.quant1(x - self.channel_threshold)
        ba2 = x - ba1 - self.channel_threshold_1
        sa2 = ba2.abs().mean(-1).unsqueeze(-1).detach()
        ba2 = self.quant2(ba2, sa2)
        return ba1 + ba2 - self.channel_threshold_2


class BiLinear(nn.Linear, _Binary):
    def __init__(self, in_features, out_features, bias=True, version=1, per_out_channel=False):
        super().__init__(in_features, out_features, bias=bias)
        self._init_binary(in_features, version, per_out_channel, (1, in_features))

    def forward(self, x):
        return F.linear(self.binary_input(x), self.binary_weight(), self.bias)


class BiConv1d(nn.Conv1d, _Binary):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, version=1, per_out_channel=False):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)
        self._init_binary(in_channels, version, per_out_channel, (1, in_channels, 1))

    def forward(self, x):
        return F.conv1d(self.binary_input(x), self.binary_weight(), self.bias,
                        self.stride, self.padding, self.dilation, self.groups)


class BiConv2d(nn.Conv2d, _Binary):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, version=1, per_out_channel=False):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)
        self._init_binary(in_channels, version, per_out_channel, (1, in_channels, 1, 1))

    def forward(self, x):
        return F.conv2d(self.binary_input(x), self.binary_weight(), self.bias,
                        self.stride, self.padding, self.dilation, self.groups)


class _Layers:
    """Picks plain or binarized layer classes with the model's binarizer settings."""

    def __init__(self, binary, version, per_out_channel):
        self.binary = binary
        self.kw = dict(version=version, per_out_channel=per_out_channel)

    def linear(self, i, o):
        return BiLinear(i, o, **self.kw) if self.binary else nn.Linear(i, o)

    def conv1d(self, i, o, k, groups=1, dilation=1):
        if self.binary:
            return BiConv1d(i, o, k, dilation=dilation, groups=groups, **self.kw)
        return nn.Conv1d(i, o, k, dilation=dilation, groups=groups)

    def conv2d(self, i, o, k, stride, padding):
        if self.binary:
            return BiConv2d(i, o, k, stride=stride, padding=padding, **self.kw)
        return nn.Conv2d(i, o, k, stride=stride, padding=padding)


class DFSMNBlock(nn.Module):
    """One thinnable DFSMN block: memory (depthwise, looks `right` frames ahead) + 1x1 transform."""

    def __init__(self, layers, hidden_size, memory_size, left, right, dilation=1, dropout=0.0):
        super().__init__()
        self.fc_trans = nn.Sequential(
            layers.conv1d(memory_size, hidden_size, 1),
            nn.BatchNorm1d(hidden_size),
            nn.PReLU(),
            nn.Dropout(dropout),
            layers.conv1d(hidden_size, memory_size, 1),
        )
        # One output BN + PReLU per thinnable option (4 options), as in the research code.
        for i in range(4):
            setattr(self, f"bn{i}", nn.BatchNorm1d(memory_size))
            setattr(self, f"act{i}", nn.PReLU())
        self.memory = nn.Sequential(
            layers.conv1d(memory_size, memory_size, left + right + 1, groups=memory_size, dilation=dilation),
            nn.BatchNorm1d(memory_size),
            nn.PReLU(),
        )
        self.left, self.right, self.dilation = left, right, dilation

    def forward(self, x, opt):
        residual = x
        padded = F.pad(x, [self.left * self.dilation, self.right * self.dilation])
        memory_out = self.memory(padded) + residual
        out = self.fc_trans(memory_out)
        out = getattr(self, f"act{opt}")(getattr(self, f"bn{opt}")(out))
        return out + memory_out


def _half_up(n):
    # 5x5 stride-2 conv with padding 2: ceil(n / 2)
    return (n + 1) // 2


class BiFSMN(nn.Module):
    def __init__(self, num_classes=12, n_mels=32, n_frames=32, num_layers=8, front_channels=16,
                 front_kernel=5, hidden_size=256, memory_size=128, left=2, right=2, dilation=1,
                 dropout=0.0, binary=True, version=1, per_out_channel=False, thin_n=3, thin_opt=0,
                 distill=False):
        super().__init__()
        layers = _Layers(binary, version, per_out_channel)
        pad = front_kernel // 2
        self.front_end = nn.Sequential(
            nn.Conv2d(1, front_channels, front_kernel, stride=2, padding=pad),
            nn.BatchNorm2d(front_channels),
            nn.PReLU(),
            layers.conv2d(front_channels, 2 * front_channels, front_kernel, stride=2, padding=pad),
            nn.BatchNorm2d(2 * front_channels),
            nn.PReLU(),
        )
        mels_out = _half_up(_half_up(n_mels))
        frames_out = _half_up(_half_up(n_frames))
        self.fc1 = nn.Sequential(layers.linear(2 * front_channels * mels_out, memory_size), nn.PReLU())
        self.backbone = nn.Sequential(*[
            DFSMNBlock(layers, hidden_size, memory_size, left, right, dilation, dropout)
            for _ in range(num_layers)
        ])
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(memory_size * frames_out, num_classes))
        self.thin_n = thin_n        # how many options a thinnable training loop trains (research default 3)
        self.thin_opt = thin_opt    # option used when forward() is called without one (export)
        self.distill = distill

    def block_indices(self, opt):
        step = 2 ** opt
        return [i for i in range(len(self.backbone)) if (i + 1) % step == 0]

    def forward(self, x, opt=None):
        opt = self.thin_opt if opt is None else opt
        batch = x.shape[0]
        out = self.front_end(x)                                   # B, 2F, mels/4, frames/4
        out = out.view(batch, -1, out.shape[3]).transpose(1, 2)   # B, T, 2F*mels/4
        out = self.fc1(out).transpose(1, 2)                       # B, M, T
        features = []
        for i in self.block_indices(opt):
            out = self.backbone[i](out, opt)
            features.append(out)
        out = self.classifier(out.reshape(batch, -1))
        return (out, features) if self.distill else out
