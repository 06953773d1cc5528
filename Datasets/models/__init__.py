"""The deployed models: the definitions the bundled Datasets/trained/*.onnx files were exported
from (state-dict names are the ONNX initializer names, which training/onnx_state.py reads back).

  bifsmn.BiFSMN            keyword spotter (kws_bifsmn)
  bipointnet.BiPointNet    point-cloud classifier (pointcloud_bipointnet)
  resnet20.ResNet20        digits classifier (digits_resnet20)

Binarized layers come from Datasets/binarize.py. The paper-faithful models the converter's
test fixtures are exported from are apart, in Datasets/fixtures/.
"""
