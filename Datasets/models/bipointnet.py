"""Small BiPointNet-style classifier (deployable binarization).

After BiPointNet (Qin et al., 2021): shared per-point MLP as 1x1 Conv1d with BatchNorm and
Hardtanh, global max pooling, MLP head. The first layer (3 -> w0) and the last linear stay
float; every other layer is binarized with one weight scale per output channel
(binarize.py). Differences from the paper's network, for a 2-core CPU budget and a
simple deployable graph: narrower layers, no input/feature transform networks (T-Nets), and
the max-plus-offset pooling is replaced by max pooling followed by BatchNorm, which learns the
same offset (the only consumer of the pooled vector is a sign()).
Input: (batch, 3, N) xyz, centred and scaled into the unit sphere; any N (exported with 1024).
"""
import torch
import torch.nn as nn

from ..binarize import conv1d, linear


class BiPointNet(nn.Module):
    def __init__(self, num_classes=12, binary=True, widths=(64, 64, 128, 256), head=(128, 64)):
        super().__init__()
        layers = []
        cin = 3
        for i, w in enumerate(widths):
            layers += [conv1d(binary and i > 0, cin, w, 1, bias=False), nn.BatchNorm1d(w)]
            if i < len(widths) - 1:
                layers.append(nn.Hardtanh())
            cin = w
        self.features = nn.Sequential(*layers)
        self.pool_bn = nn.BatchNorm1d(cin)
        hl = []
        for h in head:
            hl += [linear(binary, cin, h, bias=False), nn.BatchNorm1d(h), nn.Hardtanh()]
            cin = h
        self.head = nn.Sequential(*hl)
        self.classifier = nn.Linear(cin, num_classes)

    def forward(self, x):
        y = self.features(x)
        y = torch.amax(y, dim=2)
        return self.classifier(self.head(self.pool_bn(y)))
