"""The results of the runs that trained the bundled models, in the form the recipes store them
(CACHE/NAME_results.json, DATA/NAME_results.json) and with the figures their committed cards show
(those runs' result files are not in the repository). Used to render the cards in the tests."""
from pathlib import Path

from ..pointcloud.shapes import CLASSES
from ..training.recipes import kws, pointnet, resnet20

D = Path(__file__).resolve().parents[1]


def ops(text):
    return {k: int(v) for k, v in (item.rsplit(" ", 1) for item in text.split(", "))}


def percent(table):
    return {k: v / 100 for k, v in table.items()}


KWS_FLOAT = ("python -m Datasets.train kws --data /work/data/kws --epochs-float 6 --epochs-binary 0 --extra-data "
             "/work/data/kws_extra1 /work/data/kws_extra2 /work/data/kws_extra3 --stream-minutes 100 "
             "--stream-unknown-share 0.5 --stream-near-miss-weight 3 --threads 2")
KWS_BINARY = ("python -m Datasets.train kws --data /work/data/kws --reuse-float --float-front --extra-data "
              "/work/data/kws_extra1 /work/data/kws_extra2 /work/data/kws_extra3 /work/data/kws_extra4 "
              "--stream-minutes 100 --stream-unknown-share 0.5 --stream-near-miss-weight 3 --epochs-binary 11 "
              "--lr-binary 1e-3 --kd-weight 0.8")
EXTRA = [560] * 10 + [0, 24080]
KWS_CLASSES = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", "silence", "unknown"]
KWS_INFO = dict(
    counts={"train": [1120] * 11 + [5600], "validation": [192] * 11 + [960], "test": [288] * 11 + [1440],
            **{f"extra /work/data/kws_extra{n}": EXTRA for n in (1, 2, 3, 4)},
            "train_stream_windows": [788, 806, 920, 780, 792, 799, 864, 898, 723, 878, 25048, 21534],
            "validation_stream_windows": [195, 177, 210, 188, 180, 180, 208, 215, 166, 201, 6136, 5707]},
    results={"8": dict(
        float=4129 / 4608, binary=4037 / 4608,
        per_class_float=percent(dict(zip(KWS_CLASSES, [93.4, 80.2, 80.9, 86.1, 86.5, 82.3, 85.8, 81.6, 88.2, 83.3,
                                                       100.0, 97.1]))),
        per_class_binary=percent(dict(zip(KWS_CLASSES, [91.0, 76.7, 78.1, 80.2, 86.1, 81.2, 80.6, 78.1, 88.2, 76.7,
                                                        100.0, 96.9]))))},
    float_train=dict(epochs=6, lr=2e-3, command=KWS_FLOAT, total_seconds=18 * 60 + 5),
    binary_train=dict(epochs=11, lr=1e-3, best_epoch=11),
    onnx_bytes=2498333,
    onnx_ops=ops("Abs 17, Add 33, BatchNormalization 27, Concat 1, Constant 34, Conv 27, Flatten 1, Gather 1, Gemm 1, "
                 "Mul 18, PRelu 27, ReduceMean 17, Reshape 1, Shape 1, Sign 34, Unsqueeze 30"),
    ort_max_diff=1.0e-5, ort_agreement=1.0, binarized_weights=557056, other_params=46764, float_bytes=2401968,
    deployed_bytes=303664, total_seconds=72 * 60 + 14)

POINTNET = ("python -m Datasets.train pointnet --reuse-float --epochs-float 8 --epochs-binary 40 --out /work/data/pn_v3 "
            "--samples /work/data/pn_v3/pcd")
POINTNET_INFO = dict(
    float_acc=1096 / 1200, binary_acc=1040 / 1200,
    per_class=percent(dict(zip(CLASSES, [88.0, 66.0, 64.0, 69.0, 97.0, 83.0, 99.0, 97.0, 100.0, 97.0, 89.0, 91.0]))),
    onnx_bytes=376445,
    ops=ops("Abs 5, Add 5, BatchNormalization 7, Clip 5, Constant 10, Conv 4, Gemm 1, MatMul 2, Mul 5, ReduceMax 1, "
            "ReduceMean 5, Sign 10, Transpose 2"),
    ort=(9.5e-7, 1.0), binarized=86016, other=3532, float_bytes=355632, deployed=35120,
    seconds=dict(float=7 * 60 + 29, binary=11 * 60 + 51))

RESNET20 = "python -m Datasets.train resnet20 --width 8 --epochs-float 12 --epochs-binary 16"
RESNET20_INFO = dict(
    float_acc=351 / 359, binary_acc=344 / 359, onnx_bytes=375740,
    ops=ops("Abs 18, Add 18, AveragePool 2, BatchNormalization 21, Cast 18, Clip 19, Constant 110, Conv 21, Div 54, "
            "Flatten 1, Gather 18, Gemm 1, GlobalAveragePool 1, Identity 2, Log 18, Mul 54, Pow 18, ReduceMean 72, "
            "ReduceProd 18, Round 18, Shape 18, Sign 36, Sqrt 18, Sub 54"),
    ort=(1.4e-6, 1.0), binarized=66816, other=1970, float_bytes=275144, deployed=20712,
    seconds=dict(float=60, binary=56), ntrain=1258, nval=180, ntest=359)


def args_of(command):
    from ..train import parsers
    return parsers()[0].parse_args(command.split()[3:])


def render(card, path):
    """Renders the bundled model `card` (its file name in Datasets/trained) from its run's results into `path`."""
    if card == "kws_bifsmn.md":
        kws.write_card(path, KWS_INFO, args_of(KWS_BINARY), KWS_BINARY)
    elif card == "pointcloud_bipointnet.md":
        pointnet.write_card(path, POINTNET_INFO, args_of(POINTNET), CLASSES, 3840, 960, 1200, POINTNET)
    elif card == "digits_resnet20.md":
        resnet20.write_card(path, RESNET20_INFO, args_of(RESNET20), RESNET20)
    else:
        raise ValueError(f"no results for {card}")


CARDS = ("kws_bifsmn.md", "pointcloud_bipointnet.md", "digits_resnet20.md")
