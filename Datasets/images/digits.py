"""scikit-learn's handwritten digits (1797 8x8 images, 10 classes; shipped with the package,
no download) as 3x32x32 float32 images for the CIFAR-style DIR-Net ResNet-20 recipe.

Pixels 0..16 are scaled to 0..1, upsampled 8x8 -> 32x32 bilinearly (align_corners=False, as
torch.nn.functional.interpolate does), repeated on 3 channels and normalized with MEAN/STD
(computed once on the whole set and fixed here, so the runtime's ImagePrep can carry them).
Split: stratified 80 / 20 train / test from a seed.
"""
import numpy as np
import torch
import torch.nn.functional as F

MEAN = [0.3053, 0.3053, 0.3053]
STD = [0.3236, 0.3236, 0.3236]


def load(seed=1, test_fraction=0.2):
    from sklearn.datasets import load_digits
    d = load_digits()
    x = torch.from_numpy(d.images.astype(np.float32) / 16.0)[:, None]
    x = F.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False).repeat(1, 3, 1, 1)
    x = ((x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)).numpy()
    y = d.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for c in range(10):
        idx = np.nonzero(y == c)[0]
        test[rng.choice(idx, size=int(round(test_fraction * len(idx))), replace=False)] = True
    return (np.ascontiguousarray(x[~test]), y[~test]), (np.ascontiguousarray(x[test]), y[test])
