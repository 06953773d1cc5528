"""A PyTorch state dict recovered from an ONNX file the training recipes exported.

The recipes export with do_constant_folding=False, so every parameter and BatchNorm statistic
is an initializer under its state-dict name, latent (pre-sign) binary weights included. That
makes a bundled .onnx a checkpoint: training can continue from it on a machine that never had
the run's cache."""
import numpy as np
import torch


def _tensors(path):
    """Initializers by name, plus the names the exporter made Identity aliases of one (it merges
    parameters of equal value, e.g. two BatchNorm biases, into one initializer)."""
    import onnx
    from onnx import numpy_helper
    graph = onnx.load(str(path)).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for n in graph.node:
        if n.op_type == "Identity" and n.input[0] in tensors:
            tensors[n.output[0]] = tensors[n.input[0]]
    return tensors


def initializer_names(path):
    """The initializer names of an ONNX file (aliases included): which tensors (e.g. a layer's sign
    threshold) it holds."""
    return set(_tensors(path))


def state_from_onnx(path, model):
    """`model`'s state dict with every tensor taken from the ONNX initializers of the same name.
    Only BatchNorm step counters (not exported) may be missing; anything else fails loudly."""
    init = _tensors(path)
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
        # an exporter that merges equal tensors without an Identity alias (e.g. an untrained model's
        # fresh BN/PReLU parameters) leaves names out: only such files fail here
        raise ValueError(f"{path} lacks {len(missing)} tensors of the model, e.g. {missing[:3]} "
                         f"(another layout, or an untrained model whose equal tensors the exporter merged)")
    return state
