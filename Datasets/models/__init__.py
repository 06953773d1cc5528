"""PyTorch definitions of the seed model families, written after the papers' public code.

Import with the Datasets folder on sys.path (scripts in Datasets/ have it already):
    from models import BiFSMN, BiPointNet, ResNet20, VGGSmall

Constructors (defaults are the papers' sizes; binary=False gives the float twin):
  BiFSMN(num_classes=12, n_mels=32, n_frames=32, num_layers=8, front_channels=16, hidden_size=256,
         memory_size=128, left=2, right=2, version=1 | 2, per_out_channel=False, thin_opt=0,
         distill=False, binary=True)
      per_out_channel=True is the deployable weight binarizer (one scale per output channel);
      version=2 uses BiFSMNv2's two-threshold activation binarizer. forward(x, opt=None) runs
      thinnable option opt (8 / 4 / 2 / 1 blocks for opt 0..3), thin_opt when opt is None.
  BiPointNet(num_classes=40, num_points=1024, widths=(64, 128, 1024, 512, 256), pool="ema-max",
             pool_offset=None, log_softmax=True, return_transforms=False, binary=True)
      LSR binarization is one scalar per layer, so it is deployable as is. With
      return_transforms=True forward returns (out, trans, trans_feat) for
      feature_transform_regularizer(trans_feat).
  ResNet20(num_classes=10, width=16, in_channels=3, binary=True)
  VGGSmall(num_classes=10, widths=(128, 256, 512), in_channels=3, image_size=32, binary=True)
      IR-Net binary convs are +-2^k per output channel (deployable). During training call
      set_ede(model, *ede_schedule(epoch, epochs)) each epoch, as IR-Net's trainer does.
Export: export_onnx.export(model.eval(), example_input, "model.onnx", "torchscript" | "dynamo").
"""
from .bifsmn import BiFSMN
from .bipointnet import BiPointNet, feature_transform_regularizer
from .irnet import ResNet20, VGGSmall, ede_schedule, set_ede

__all__ = ["BiFSMN", "BiPointNet", "ResNet20", "VGGSmall", "feature_transform_regularizer",
           "ede_schedule", "set_ede"]
