"""IR-Net / DIR-Net CIFAR networks (ResNet-20 and VGG-small), written after the paper's public code.

Binary convolution (IR-Net's Libra-PB, DIR-Net's information-maximizing binarizer), per output
channel o:
  w' = (w - mean_o(w)) / std_o(w)                    (unbiased std, as torch.std)
  weight = sign(w') * 2 ** round(log2(mean_o |w'|))
  input  = sign(x)
so the folded weights are +-alpha per output channel with alpha a power of two. Because w' is
standardized, mean|w'| is close to sqrt(2/pi) and alpha is usually 1 (0.5 for some channels of
small fan-in). Gradients use the error decay estimator with k, t set by the training schedule.

ResNet-20 (width w, paper 16): float stem 3->w 3x3 + BN + hardtanh; three stages of 3 basic
blocks (w, 2w, 4w; stride 2 at the start of stages 2 and 3); every block has two binary 3x3 convs,
each followed by BN, a residual add and hardtanh (the residual goes around every binary conv);
option-A shortcut (stride-2 subsampling plus zero channels). Global average pool, BatchNorm1d,
float Linear.

VGG-small (widths a, b, c, paper 128, 256, 512): float conv0 3->a + BN + hardtanh, then binary
conv1 a->a, [max-pool], BN, hardtanh; conv2 a->b, BN; conv3 b->b, [max-pool], BN; conv4 b->c, BN;
conv5 c->c, [max-pool], BN; hardtanh after each; float Linear c*4*4 -> classes. The max-pool sits
between the binary conv and its BN in three places.

binary=False builds the float twin (plain Conv2d, same layout).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .binarize import SignEDE


class IRConv2d(nn.Conv2d):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=False):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)
        # EDE gradient parameters; the trainer updates them every epoch (not part of state_dict).
        self.k = torch.tensor([10.0])
        self.t = torch.tensor([0.1])

    def forward(self, x):
        w = self.weight
        o = w.size(0)
        bw = w - w.view(o, -1).mean(-1).view(o, 1, 1, 1)
        bw = bw / bw.view(o, -1).std(-1).view(o, 1, 1, 1)
        sw = torch.pow(torch.tensor([2] * o, dtype=torch.float32),
                       (torch.log(bw.abs().view(o, -1).mean(-1)) / math.log(2)).round().float()
                       ).view(o, 1, 1, 1).detach()
        bw = SignEDE.apply(bw, self.k, self.t)
        ba = SignEDE.apply(x, self.k, self.t)
        bw = bw * sw
        return F.conv2d(ba, bw, self.bias, self.stride, self.padding, self.dilation, self.groups)


def _conv(binary):
    return IRConv2d if binary else nn.Conv2d


def set_ede(model, k, t):
    """Sets the error-decay-estimator parameters of every binary conv (IR-Net's schedule)."""
    for m in model.modules():
        if isinstance(m, IRConv2d):
            m.k = torch.as_tensor(k, dtype=torch.float32).reshape(1)
            m.t = torch.as_tensor(t, dtype=torch.float32).reshape(1)


def ede_schedule(epoch, epochs, t_min=1e-3, t_max=1e1):
    """IR-Net's t grows log-linearly from t_min to t_max; k = max(1, 1/t)."""
    lo, hi = math.log10(t_min), math.log10(t_max)
    t = 10 ** (lo + (hi - lo) / epochs * epoch)
    return (1.0 / t if t < 1 else 1.0), t


class ShortcutA(nn.Module):
    """Option-A shortcut: take every second pixel and pad planes // 4 zero channels each side."""

    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad), "constant", 0)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride, conv):
        super().__init__()
        self.conv1 = conv(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = ShortcutA(planes) if stride != 1 or in_planes != planes else nn.Sequential()

    def forward(self, x):
        out = self.bn1(self.conv1(x))
        out = out + self.shortcut(x)
        out = F.hardtanh(out)
        x1 = out
        out = self.bn2(self.conv2(out))
        out = out + x1
        return F.hardtanh(out)


class ResNet20(nn.Module):
    def __init__(self, num_classes=10, width=16, in_channels=3, num_blocks=(3, 3, 3), binary=True):
        super().__init__()
        if width % 2 != 0:
            raise ValueError("option-A shortcuts need an even width (2*width/4 zero channels per side)")
        conv = _conv(binary)
        self.in_planes = width
        self.conv1 = nn.Conv2d(in_channels, width, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.layer1 = self._make_layer(conv, width, num_blocks[0], 1)
        self.layer2 = self._make_layer(conv, 2 * width, num_blocks[1], 2)
        self.layer3 = self._make_layer(conv, 4 * width, num_blocks[2], 2)
        self.bn2 = nn.BatchNorm1d(4 * width)
        self.linear = nn.Linear(4 * width, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                nn.init.kaiming_normal_(m.weight)

    def _make_layer(self, conv, planes, n, stride):
        layers = []
        for s in [stride] + [1] * (n - 1):
            layers.append(BasicBlock(self.in_planes, planes, s, conv))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.hardtanh(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3])
        out = out.view(out.size(0), -1)
        out = self.bn2(out)
        return self.linear(out)


class VGGSmall(nn.Module):
    def __init__(self, num_classes=10, widths=(128, 256, 512), in_channels=3, image_size=32, binary=True):
        super().__init__()
        a, b, c = widths
        conv = _conv(binary)
        self.conv0 = nn.Conv2d(in_channels, a, kernel_size=3, padding=1, bias=False)
        self.bn0 = nn.BatchNorm2d(a)
        self.conv1 = conv(a, a, kernel_size=3, padding=1, bias=False)
        self.pooling = nn.MaxPool2d(kernel_size=2, stride=2)
        self.bn1 = nn.BatchNorm2d(a)
        self.nonlinear = nn.Hardtanh(inplace=True)
        self.conv2 = conv(a, b, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(b)
        self.conv3 = conv(b, b, kernel_size=3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(b)
        self.conv4 = conv(b, c, kernel_size=3, padding=1, bias=False)
        self.bn4 = nn.BatchNorm2d(c)
        self.conv5 = conv(c, c, kernel_size=3, padding=1, bias=False)
        self.bn5 = nn.BatchNorm2d(c)
        side = image_size // 8
        self.fc = nn.Linear(c * side * side, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                m.weight.data.normal_(0, math.sqrt(2.0 / n))
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.weight.data.normal_(0, 0.01)
                m.bias.data.zero_()

    def forward(self, x):
        x = self.nonlinear(self.bn0(self.conv0(x)))
        x = self.nonlinear(self.bn1(self.pooling(self.conv1(x))))
        x = self.nonlinear(self.bn2(self.conv2(x)))
        x = self.nonlinear(self.bn3(self.pooling(self.conv3(x))))
        x = self.nonlinear(self.bn4(self.conv4(x)))
        x = self.nonlinear(self.bn5(self.pooling(self.conv5(x))))
        x = x.view(x.size(0), -1)
        return self.fc(x)
