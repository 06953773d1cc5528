"""PyTorch definitions of the seed model families (BiFSMN/BiFSMNv2, BiPointNet, IR-Net/DIR-Net).

Import from the Datasets folder (e.g. `sys.path.insert(0, "Datasets")`):
    from models import BiFSMN, BiPointNet, ResNet20, VGGSmall
"""
from .bifsmn import BiFSMN
from .bipointnet import BiPointNet, feature_transform_regularizer
from .irnet import ResNet20, VGGSmall, ede_schedule, set_ede

__all__ = ["BiFSMN", "BiPointNet", "ResNet20", "VGGSmall", "feature_transform_regularizer",
           "ede_schedule", "set_ede"]
