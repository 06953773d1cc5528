"""A PyTorch state dict recovered from an ONNX file the training scripts exported.

The scripts export with do_constant_folding=False, so every parameter and BatchNorm statistic
is an initializer under its state-dict name, latent (pre-sign) binary weights included. That
makes a bundled .onnx a checkpoint: training can continue from it on a machine that never had
the run's cache."""
import numpy as np
import torch


def _initializers(path):
    import onnx
    return onnx.load(str(path)).graph.initializer


def initializer_names(path):
    """The initializer names of an ONNX file: which tensors (e.g. a layer's sign threshold) it holds."""
    return {t.name for t in _initializers(path)}


def state_from_onnx(path, model):
    """`model`'s state dict with every tensor taken from the ONNX initializers of the same name.
    Only BatchNorm step counters (not exported) may be missing; anything else fails loudly."""
    from onnx import numpy_helper
    init = {t.name: numpy_helper.to_array(t) for t in _initializers(path)}
    state, missing = {}, []
    for k, v in model.state_dict().items():
        if k in init:
            a = init[k]
            if tuple(a.shape) != tuple(v.shape):
                raise ValueError(f"{path}: {k} has shape {a.shape}, the model wants {tuple(v.shape)}")
            state[k] = torch.from_numpy(np.array(a, dtype=np.float32 if v.is_floating_point() else a.dtype))
        elif k.endswith("num_batches_tracked"):
            state[k] = v.clone()
        else:
            missing.append(k)
    if missing:
        # torch's exporter merges initializers of equal value, so an untrained model's fresh BN/PReLU
        # parameters come back under one name: only trained models are recoverable this way
        raise ValueError(f"{path} lacks {len(missing)} tensors of the model, e.g. {missing[:3]} "
                         f"(another layout, or an untrained model whose equal tensors the exporter merged)")
    return state
