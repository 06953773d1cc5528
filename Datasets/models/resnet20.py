"""DIR-Net / IR-Net style binary ResNet-20 for 32x32 images (CIFAR layout), width-scalable.

Float 3x3 stem conv + BN; three stages of three basic blocks (each block: two binary 3x3
convs, each followed by BN, with the residual added around EACH conv and Hardtanh after it,
as IR-Net's ResNet-20 does); downsampling shortcut = 2x2 average pool + float 1x1 conv + BN;
global average pool; float linear. Binary convs use the IR-Net weight binarizer
(binarize.py: standardized weights, sign, power-of-two scale per output channel) and
sign(x) activations. binary=False gives the float twin.
"""
import torch.nn as nn

from ..binarize import IRConv2d


def conv3x3(binary, cin, cout, stride=1):
    return (IRConv2d if binary else nn.Conv2d)(cin, cout, 3, stride=stride, padding=1, bias=False)


class Block(nn.Module):
    def __init__(self, binary, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(binary, cin, cout, stride), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = conv3x3(binary, cout, cout), nn.BatchNorm2d(cout)
        self.act1, self.act2 = nn.Hardtanh(), nn.Hardtanh()
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.AvgPool2d(stride), nn.Conv2d(cin, cout, 1, bias=False),
                                       nn.BatchNorm2d(cout))

    def forward(self, x):
        s = x if self.short is None else self.short(x)
        y = self.act1(self.bn1(self.conv1(x)) + s)
        return self.act2(self.bn2(self.conv2(y)) + y)


class ResNet20(nn.Module):
    def __init__(self, num_classes=10, binary=True, width=16):
        super().__init__()
        w = [width, 2 * width, 4 * width]
        self.stem = nn.Sequential(nn.Conv2d(3, w[0], 3, padding=1, bias=False), nn.BatchNorm2d(w[0]),
                                  nn.Hardtanh())
        blocks, cin = [], w[0]
        for i, c in enumerate(w):
            for j in range(3):
                blocks.append(Block(binary, cin, c, 2 if (j == 0 and i > 0) else 1))
                cin = c
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        return self.fc(self.pool(self.blocks(self.stem(x))).flatten(1))
