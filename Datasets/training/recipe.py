"""What every training recipe shares: the flags all models take, starting the binary model from
its float twin, the export with its measurements, and the model card rendered from a template in
training/cards/ (str.format fields: the recipe passes `args`, `info` and the figures it computes).

A card is a generated main part, then `## Appendix: history`, which people keep by hand and only
append to: writing a card over an existing one carries everything from that heading on unchanged."""
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


APPENDIX = "## Appendix: history"
NO_HISTORY = APPENDIX + "\n\nNone yet: the first model written to this path.\n"


def appendix(card):
    """Everything from the appendix heading on, or "" when the card has none."""
    at = card.find("\n" + APPENDIX + "\n")
    return card[at + 1:] if at >= 0 else ""


def section(card, heading):
    """The lines of the `## ` section whose heading starts with `heading`, heading included ("" if none)."""
    lines = card.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.startswith(heading)), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[start:end])


def paragraph(card, heading, opening):
    """The lines of section `heading` from the one that starts with `opening` up to a blank line, or None."""
    lines = section(card, heading).splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith(opening)), None)
    if start is None:
        return None
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])


def existing_card(path):
    path = Path(path)
    return path.read_text() if path.exists() else ""


def render_card(template, **fields):
    return (CARDS / f"{template}.md").read_text().format(**fields)


def write_card(template, path, **fields):
    """Renders training/cards/TEMPLATE.md with `fields` into `path`, followed by the existing card's
    appendix (byte for byte) or, for a new card, an empty one."""
    main = render_card(template, **fields).rstrip("\n") + "\n\n"
    Path(path).write_text(main + (appendix(existing_card(path)) or NO_HISTORY))
