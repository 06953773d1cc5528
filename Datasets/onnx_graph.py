"""Inspection of exported binarized-network graphs with onnx + onnxruntime only (no torch).

Used by export_onnx.py to describe the fixtures it writes and by check_fixtures.py to re-check
the committed fixtures. The classification rule is the converter issue's: a Conv/Gemm/MatMul is
binary iff its data input comes from `Sign` and its folded weight has exactly one |value| per
output channel (and no zeros).
"""
import collections

import numpy as np
import onnx
import onnxruntime as ort

WEIGHTED_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")


def const_names(graph):
    """Tensors computable from initializers and Constant nodes alone (nodes are topologically sorted)."""
    const = {i.name for i in graph.initializer}
    for n in graph.node:
        ins = [i for i in n.input if i]
        if n.op_type == "Constant" or (ins and all(i in const for i in ins)):
            const.update(o for o in n.output if o)
    return const


def session(model_proto, extra_outputs=()):
    """onnxruntime session with graph optimizations off (the graph's own arithmetic), exposing
    extra intermediate tensors as outputs."""
    m = onnx.ModelProto()
    m.CopyFrom(model_proto)
    have = {o.name for o in m.graph.output}
    for name in extra_outputs:
        if name not in have:
            m.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
            have.add(name)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3
    return ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"])


def per_out_abs(node, w):
    """|w| with one row per output channel."""
    if node.op_type in ("Conv", "ConvTranspose"):
        return np.abs(w.reshape(w.shape[0], -1))
    if node.op_type == "Gemm":
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        return np.abs(w if trans_b else w.T)
    return np.abs(w.reshape(-1, w.shape[-1]).T)  # MatMul: x @ W with W in x out


def weighted_nodes(graph, const):
    return [n for n in graph.node if n.op_type in WEIGHTED_OPS and len(n.input) > 1
            and n.input[1] in const and n.input[0] not in const]


def analyse(path, x):
    """Runs the model on x and describes its weighted layers and activation Signs."""
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    g = proto.graph
    const = const_names(g)
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    weighted = weighted_nodes(g, const)
    act_signs = [n for n in g.node if n.op_type == "Sign" and n.input[0] not in const]
    need = [n.input[1] for n in weighted if n.input[1] not in inits] + [n.input[0] for n in act_signs]
    sess = session(proto, need)
    outs = sess.run(None, {sess.get_inputs()[0].name: x})
    val = dict(zip([o.name for o in sess.get_outputs()], outs))
    layers = []
    for n in weighted:
        w = inits[n.input[1]] if n.input[1] in inits else val[n.input[1]]
        rows = per_out_abs(n, w)
        src = producer.get(n.input[0])
        sign_input = bool(src is not None and src.op_type == "Sign")
        distinct = max(len(np.unique(r)) for r in rows)
        zeros = int((rows == 0).sum())
        layers.append(dict(node=n.name, op=n.op_type, sign_input=sign_input, distinct=distinct, zeros=zeros,
                           shape=tuple(w.shape), folded=n.input[1] in inits,
                           kernel="binary" if sign_input and distinct == 1 and zeros == 0 else "float"))
    margins = [np.abs(val[n.input[0]]) for n in act_signs]
    nonzero = [m[m > 0] for m in margins]
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), None)
    return dict(output=val[g.output[0].name], layers=layers,
                ops=collections.Counter(n.op_type for n in g.node), opset=opset, ir=proto.ir_version,
                min_margin=min((float(m.min()) for m in nonzero if m.size), default=float("nan")),
                sign_zeros=int(sum((m == 0).sum() for m in margins)), act_signs=len(act_signs),
                weight_signs=sum(1 for n in g.node if n.op_type == "Sign") - len(act_signs),
                bn=sum(1 for n in g.node if n.op_type == "BatchNormalization"), nodes=len(g.node))


def min_sign_margin(path, xs):
    """Smallest nonzero |x| at any activation Sign, per input in xs (batch of candidates)."""
    proto = onnx.load(path)
    const = const_names(proto.graph)
    act = [n.input[0] for n in proto.graph.node if n.op_type == "Sign" and n.input[0] not in const]
    sess = session(proto, act)
    names = [o.name for o in sess.get_outputs()]
    res = []
    for x in xs:
        val = dict(zip(names, sess.run(None, {sess.get_inputs()[0].name: x[None]})))
        m = [np.abs(val[a]) for a in act]
        res.append(min(float(v[v > 0].min()) for v in m if (v > 0).any()))
    return res
