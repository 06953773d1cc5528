"""What every training recipe shares: the flags all models take, starting the binary model from
its float twin, the export with its measurements, and the model card rendered from a template in
training/cards/ (str.format fields: the recipe passes `args`, `info` and the figures it computes)."""
from pathlib import Path

from ..binarize import count_parameters, deployed_bytes
from . import loop

DATASETS = Path(__file__).resolve().parents[1]
CARDS = Path(__file__).resolve().parent / "cards"


def add_common_arguments(ap, data, name, epochs_float, epochs_binary, batch):
    """The flags of every recipe; the defaults are the recipe's."""
    ap.add_argument("--data", default=data)
    ap.add_argument("--out", default=str(DATASETS / "trained"))
    ap.add_argument("--name", default=name)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs-float", type=int, default=epochs_float)
    ap.add_argument("--epochs-binary", type=int, default=epochs_binary)
    ap.add_argument("--batch", type=int, default=batch)


def freeze(model):
    for p in model.parameters():
        p.requires_grad_(False)


def start_from_twin(binary, twin):
    """The binary model takes the float twin's weights (only its sign thresholds are new); the twin
    is frozen to be the teacher."""
    missing, unexpected = binary.load_state_dict(twin.state_dict(), strict=False)
    assert not unexpected and all(k.endswith("threshold") for k in missing), (missing, unexpected)
    freeze(twin)


def export(model, example, path, input_name, metadata, log):
    """ONNX export (training/loop.py) -> (max |onnxruntime - torch| on `example`, top-1 agreement,
    op histogram), logged."""
    err, agree = loop.export_onnx(model, example, path, input_name, "logits", metadata)
    ops = loop.op_histogram(path)
    log(f"exported {path} ({path.stat().st_size} bytes); onnxruntime vs torch on {len(example)} inputs: "
        f"max |diff| {err:.2e}, top-1 agreement {agree:.4f}; ops {ops}")
    return err, agree, ops


def sizes(binary, twin):
    """(binarized weights, other parameters, float32 bytes of the twin, deployed size estimate)."""
    nb, no = count_parameters(binary)
    return nb, no, 4 * sum(p.numel() for p in twin.parameters()), deployed_bytes(binary)


def write_card(template, path, **fields):
    """Renders training/cards/TEMPLATE.md with `fields` into `path`."""
    Path(path).write_text((CARDS / f"{template}.md").read_text().format(**fields))
