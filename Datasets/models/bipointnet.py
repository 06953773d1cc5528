"""BiPointNet (PointNet classifier with LSR binarization), written after the paper's public code.

Input B x 3 x N (xyz, centered, unit sphere). Layout, with widths c1, c2, c3, f1, f2
(paper: 64, 128, 1024, 512, 256):
  stn   (3x3 input transform):   pointwise 3->c1 (float) + BN + hardtanh, c1->c2, c2->c3 (+BN),
                                 max-plus-offset pooling, fc c3->f1, f1->f2 (+BN + hardtanh), f2->9,
                                 + identity
  conv1 pointwise 3->c1 (float) + BN + hardtanh after x @ trans
  fstn  (c1 x c1 feature transform): as stn with c1 inputs (its first layer binarized too), f2->c1*c1
  conv2 c1->c2 + BN + hardtanh, conv3 c2->c3 + BN, max-plus-offset pooling
  head  fc c3->f1, f1->f2 (+BN + hardtanh), fc3 f2->classes (float), log_softmax

Pointwise layers are Linear layers applied to (B*N) x C rows, as in the research code. Every layer
is binarized except the first 3->c1 layers (stn.conv1, conv1) and the last fc3 (bi_first=False,
bi_last=False in the research code).

LSR binary Linear: weight = sign(w - mean(w)) * scale, one learned scalar per layer, no bias;
input = sign(x). The research code initializes scale from the first batch it sees
(std of the float product over std of the binary one); that happens here on the first
training-mode forward.

Pooling 'ema-max' (the paper's EMA-max): max over points plus an offset that depends on N,
-3.2041 for 1024 points (offset_map); pass pool_offset for other N.
binary=False builds the float twin (ReLU-free hardtanh network with plain Linear layers).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .binarize import SignSTE

OFFSET_MAP = {1024: -3.2041, 2048: -3.4025, 4096: -3.5836}


class BiLinearLSR(nn.Linear):
    def __init__(self, in_features, out_features, bias=False):
        super().__init__(in_features, out_features, bias=bias)
        # Scalar placeholder so state dicts load before the first batch; 0 means "not set yet".
        self.scale = nn.Parameter(torch.tensor(0.0))

    @torch.no_grad()
    def reset_scale(self, x):
        bw = self.weight - self.weight.mean()
        ratio = F.linear(x, bw).std() / F.linear(torch.sign(x), torch.sign(bw)).std()
        if torch.isnan(ratio) or torch.isinf(ratio):
            ratio = bw.std() / torch.sign(bw).std()
        self.scale.copy_(ratio)

    def forward(self, x):
        if self.training and self.scale.item() == 0.0:
            self.reset_scale(x)
        bw = self.weight - self.weight.mean()
        bw = SignSTE.apply(bw) * self.scale
        ba = SignSTE.apply(x)
        return F.linear(ba, bw, self.bias)


def _linear(binary):
    return BiLinearLSR if binary else nn.Linear


class PointwiseLinear(nn.Module):
    """Shared MLP layer: the same Linear applied to every point of a B x C x N tensor."""

    def __init__(self, in_features, out_features, linear):
        super().__init__()
        self.lin = linear(in_features, out_features)

    def forward(self, x):
        b, c, n = x.shape
        x = x.permute(0, 2, 1).contiguous().view(-1, c)
        return self.lin(x).view(b, n, -1).permute(0, 2, 1).contiguous()


class MaxOffsetPool(nn.Module):
    def __init__(self, pool, offset):
        super().__init__()
        self.pool, self.offset = pool, offset

    def forward(self, x):
        if self.pool == "ema-max":
            return torch.max(x, 2, keepdim=True)[0] + self.offset
        if self.pool == "max":
            return torch.max(x, 2, keepdim=True)[0]
        return torch.mean(x, 2, keepdim=True)


class TNet(nn.Module):
    """Input (k=3) or feature (k=c1) transform network; returns B x k x k."""

    def __init__(self, k, widths, linear, first_linear, pool, offset):
        super().__init__()
        c1, c2, c3, f1, f2 = widths
        self.k, self.c3 = k, c3
        self.conv1 = PointwiseLinear(k, c1, first_linear)
        self.conv2 = PointwiseLinear(c1, c2, linear)
        self.conv3 = PointwiseLinear(c2, c3, linear)
        self.fc1 = linear(c3, f1)
        self.fc2 = linear(f1, f2)
        self.fc3 = linear(f2, k * k)
        self.bn1 = nn.BatchNorm1d(c1)
        self.bn2 = nn.BatchNorm1d(c2)
        self.bn3 = nn.BatchNorm1d(c3)
        self.bn4 = nn.BatchNorm1d(f1)
        self.bn5 = nn.BatchNorm1d(f2)
        self.pool = pool
        self.pooling = MaxOffsetPool(pool, offset)
        self.register_buffer("iden", torch.eye(k).flatten().view(1, k * k), persistent=False)

    def forward(self, x):
        x = F.hardtanh(self.bn1(self.conv1(x)))
        x = F.hardtanh(self.bn2(self.conv2(x)))
        x = self.bn3(self.conv3(x))
        if self.pool != "ema-max":
            x = F.hardtanh(x)
        x = self.pooling(x).view(-1, self.c3)
        x = F.hardtanh(self.bn4(self.fc1(x)))
        x = F.hardtanh(self.bn5(self.fc2(x)))
        x = self.fc3(x) + self.iden
        return x.view(-1, self.k, self.k)


class BiPointNet(nn.Module):
    def __init__(self, num_classes=40, num_points=1024, widths=(64, 128, 1024, 512, 256),
                 binary=True, pool="ema-max", pool_offset=None, log_softmax=True,
                 return_transforms=False):
        super().__init__()
        c1, c2, c3, f1, f2 = widths
        if pool == "ema-max" and pool_offset is None:
            if num_points not in OFFSET_MAP:
                raise ValueError(f"no EMA-max offset known for N={num_points}; pass pool_offset")
            pool_offset = OFFSET_MAP[num_points]
        linear = _linear(binary)
        self.num_points, self.c3 = num_points, c3
        self.stn = TNet(3, widths, linear, nn.Linear, pool, pool_offset)
        self.conv1 = PointwiseLinear(3, c1, nn.Linear)
        self.bn1 = nn.BatchNorm1d(c1)
        self.fstn = TNet(c1, widths, linear, linear, pool, pool_offset)
        self.conv2 = PointwiseLinear(c1, c2, linear)
        self.bn2 = nn.BatchNorm1d(c2)
        self.conv3 = PointwiseLinear(c2, c3, linear)
        self.bn3 = nn.BatchNorm1d(c3)
        self.pooling = MaxOffsetPool(pool, pool_offset)
        self.fc1 = linear(c3, f1)
        self.bn4 = nn.BatchNorm1d(f1)
        self.fc2 = linear(f1, f2)
        self.bn5 = nn.BatchNorm1d(f2)
        self.fc3 = nn.Linear(f2, num_classes)
        self.log_softmax = log_softmax
        self.return_transforms = return_transforms

    def forward(self, x):
        trans = self.stn(x)
        x = torch.bmm(x.transpose(2, 1), trans).transpose(2, 1)
        x = F.hardtanh(self.bn1(self.conv1(x)))
        trans_feat = self.fstn(x)
        x = torch.bmm(x.transpose(2, 1), trans_feat).transpose(2, 1)
        x = F.hardtanh(self.bn2(self.conv2(x)))
        x = self.bn3(self.conv3(x))
        x = self.pooling(x).view(-1, self.c3)
        x = F.hardtanh(self.bn4(self.fc1(x)))
        x = F.hardtanh(self.bn5(self.fc2(x)))
        x = self.fc3(x)
        if self.log_softmax:
            x = F.log_softmax(x, dim=-1)
        return (x, trans, trans_feat) if self.return_transforms else x


def feature_transform_regularizer(trans):
    """PointNet's ||I - A A^T||, used with the classification loss in training."""
    k = trans.size(1)
    eye = torch.eye(k, device=trans.device)[None]
    return torch.mean(torch.norm(torch.bmm(trans, trans.transpose(2, 1)) - eye, dim=(1, 2)))
