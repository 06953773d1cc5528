"""BiFSMN-style keyword-spotting network (deployable binarization), thinnable.

After BiFSMN (Qin et al., 2022): float Conv2d 5x5/2 front, a binarized second conv, a
binarized 1x1 projection to the memory width, DFSMN blocks (binarized depthwise memory
conv with residual, binarized 1x1 expand/project with BatchNorm+PReLU and residual) and a
float linear classifier over the flattened (memory x frames) map.

Deployability choices (differences from the official code, which scales binary weights per
(out, in) pair): one weight scale per output channel and a learned threshold before each
activation sign (binarize.py); the depthwise memory conv stays float by default
(binary_memory=True binarizes it as BiFSMN does): it holds under 1 % of the multiply-adds, gains
nothing from XNOR, and binarizing it cost much accuracy in our CPU-budget training; the 1x1 layers are
Conv1d so the graph is Sign -> Conv everywhere; the memory conv is symmetric (2 left,
2 right frames) and pads inside the Conv, so ONNX shows Sign(x) feeding the Conv directly.
float_front=True keeps the second front conv float too (it holds the only binary layer whose
input has just 16 channels, i.e. 16 signs per pixel); float_project=True also keeps the 1x1
projection into the memory width float (the layer that turns the front's 256 features per frame,
the spectral detail near misses differ in, into the 128-wide memory path).
normalize=True subtracts each mel band's mean over the window from the log-mel input (a
ReduceMean and a Sub at the head of the graph, run by the runtime in float): a fixed channel
colouring or a louder or quieter talker shifts a band's log energy by a constant, which this removes.
Thinnable: depth 8 runs every block, 4 runs blocks 1,3,5,7, 2 runs 3,7 and 1 runs 7; each
depth has its own last BatchNorm/PReLU per block (as in BiFSMN's thinnable model).
"""
import torch
import torch.nn as nn

from ..binarize import conv1d, conv2d

DEPTH_PATHS = {8: [0, 1, 2, 3, 4, 5, 6, 7], 4: [1, 3, 5, 7], 2: [3, 7], 1: [7]}


def float_front_state(state, project=False):
    """A binary model's state for float_front=True (and float_project=True when `project`): the
    layers turned float lose their input threshold; their weights start from the latent (pre-sign)
    ones."""
    drop = {"front.3.threshold"} | ({"project_in.0.threshold"} if project else set())
    return {k: v for k, v in state.items() if k not in drop}


class DFSMNBlock(nn.Module):
    def __init__(self, binary, memory, hidden, context=2, n_paths=1, binary_memory=False):
        super().__init__()
        self.memory = conv1d(binary and binary_memory, memory, memory, 2 * context + 1, padding=context,
                             groups=memory, bias=False)
        self.memory_bn = nn.BatchNorm1d(memory)
        self.memory_act = nn.PReLU(memory)
        self.expand = conv1d(binary, memory, hidden, 1, bias=False)
        self.expand_bn = nn.BatchNorm1d(hidden)
        self.expand_act = nn.PReLU(hidden)
        self.project = conv1d(binary, hidden, memory, 1, bias=False)
        self.project_bn = nn.ModuleList([nn.BatchNorm1d(memory) for _ in range(n_paths)])
        self.project_act = nn.ModuleList([nn.PReLU(memory) for _ in range(n_paths)])

    def forward(self, x, path=0):
        m = self.memory_act(self.memory_bn(self.memory(x))) + x
        h = self.expand_act(self.expand_bn(self.expand(m)))
        return self.project_act[path](self.project_bn[path](self.project(h))) + m


class BiFSMN(nn.Module):
    def __init__(self, num_classes=12, binary=True, n_mels=32, frames=32, front_channels=16,
                 memory=128, hidden=256, blocks=8, thinnable=False, binary_memory=False, float_front=False,
                 float_project=False, normalize=False):
        super().__init__()
        self.normalize = normalize
        if thinnable and blocks != 8:
            raise ValueError("thinnable needs 8 blocks")
        c1, c2 = front_channels, 2 * front_channels
        self.front = nn.Sequential(
            nn.Conv2d(1, c1, 5, stride=2, padding=2, bias=False), nn.BatchNorm2d(c1), nn.PReLU(c1),
            conv2d(binary and not float_front, c1, c2, 5, stride=2, padding=2, bias=False), nn.BatchNorm2d(c2),
            nn.PReLU(c2))
        self.bands = n_mels // 4
        self.frames = frames // 4
        self.project_in = nn.Sequential(
            conv1d(binary and not float_project, c2 * self.bands, memory, 1, bias=False), nn.BatchNorm1d(memory),
            nn.PReLU(memory))
        self.depths = sorted(DEPTH_PATHS, reverse=True) if thinnable else [blocks]
        self.blocks = nn.ModuleList([DFSMNBlock(binary, memory, hidden, 2, len(self.depths), binary_memory)
                                     for _ in range(blocks)])
        self.classifier = nn.Linear(memory * self.frames, num_classes)
        self.thinnable = thinnable
        self.export_depth = self.depths[0]

    def path(self, depth):
        if not self.thinnable:
            return list(range(len(self.blocks))), 0
        return DEPTH_PATHS[depth], self.depths.index(depth)

    def forward(self, x, depth=None, features=None):
        """x: (B, 1, n_mels, frames) log-mel dB -> (B, num_classes) logits. A list passed as
        `features` receives each block's output (B, memory, T), for block-feature distillation."""
        depth = depth or self.export_depth
        if self.normalize:
            x = x - x.mean(dim=3, keepdim=True)
        y = self.front(x)                               # (B, c2, bands, frames/4)
        y = y.reshape(-1, y.shape[1] * self.bands, self.frames)  # (B, c2*bands, T)
        y = self.project_in(y)
        idx, p = self.path(depth)
        for i in idx:
            y = self.blocks[i](y, p)
            if features is not None:
                features.append(y)
        return self.classifier(y.flatten(1))
