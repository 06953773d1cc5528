#!/usr/bin/env python3
"""Writes the converter's test fixtures (run from anywhere; needs numpy, onnx, onnxruntime, torch):

  eval_cases_opset18.onnx / eval_cases_opset13.onnx
      Many independent constant subgraphs (every input an initializer). Each graph output
      `out` has its expected value, computed by onnxruntime with graph optimizations off, stored
      as the unused initializer `expected:out`. Outputs named `approx_*` are compared with a
      tolerance by the tests (Log, Exp, MatMul: onnxruntime uses Eigen/MLAS approximations).
  shapes.onnx
      A run-time graph (input `x`); every intermediate is a graph output and its shape, as
      onnxruntime produced it, is stored as the int64 initializer `expected_shape:name`.
  quantizers_ts.onnx / quantizers_dynamo.onnx
      IR-Net and XNOR-style weight quantizers written as research code writes them, exported by
      both torch exporters; the quantized weight of every layer is an extra graph output whose
      onnxruntime value is stored as `expected:name`.

Usage: /work/venv-torch/bin/python Tests/EdgePackTests/Fixtures/convert/make_convert_fixtures.py
"""
import os
import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper, TensorProto

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)
F = TensorProto.FLOAT
I64 = TensorProto.INT64


def typed_outputs(model):
    """Gives graph outputs declared without a type the type onnx's shape inference finds."""
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {v.name: v.type for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    for o in model.graph.output:
        if o.type.tensor_type.elem_type == 0 and o.name in types:
            o.type.tensor_type.elem_type = types[o.name].tensor_type.elem_type


def run_ort(model, feeds=None):
    typed_outputs(model)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    s = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    names = [o.name for o in s.get_outputs()]
    return dict(zip(names, s.run(None, feeds or {})))


class Cases:
    """Collects constant subgraphs; `init` adds an initializer, `node` a node whose outputs are graph outputs."""

    def __init__(self):
        self.nodes, self.inits, self.outputs, self.n = [], [], [], 0

    def init(self, array, dtype=None):
        self.n += 1
        name = f"k{self.n}"
        a = np.asarray(array, dtype=dtype) if dtype is not None else np.asarray(array)
        self.inits.append(numpy_helper.from_array(a, name))
        return name

    def node(self, op, inputs, out=None, intermediate=False, **attrs):
        self.n += 1
        out = out or f"{op}_{self.n}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=f"n{self.n}_{op}", **attrs))
        if not intermediate:
            self.outputs.append(out)
        return out

    def save(self, path, opset):
        outs = [helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None) for o in self.outputs]
        g = helper.make_graph(self.nodes, "cases", [], outs, self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="edgepack-fixtures")
        m.ir_version = 8
        results = run_ort(m)
        for name, value in results.items():
            m.graph.initializer.append(numpy_helper.from_array(np.asarray(value), "expected:" + name))
        onnx.save(m, path)
        print(path, len(self.outputs), "outputs", os.path.getsize(path), "bytes")


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def opset18():
    c = Cases()
    a, b = c.init(f32(2, 3, 4)), c.init(f32(3, 1))
    for op in ["Add", "Sub", "Mul", "Div"]:
        c.node(op, [a, b])
    c.node("Div", [c.init(f32(5)), c.init(np.array([1e-30, -3e-39, 7.0, -0.0, 1e30], np.float32))])
    pos = c.init(np.abs(f32(3, 4)) + 0.1)
    c.node("Pow", [pos, c.init(f32(3, 4))])
    c.node("Pow", [a, c.init(np.array(2, np.int64))])
    c.node("Pow", [a, c.init(np.array(3, np.int64))])
    c.node("Pow", [a, c.init(np.array(2.0, np.float32))])
    c.node("Pow", [c.init(np.array([2.0], np.float32)), c.init(np.round(f32(6, scale=4)))])
    c.node("Min", [a, b, c.init(f32(4))])
    c.node("Max", [a, b])
    ints = c.init(np.array([-7, 7, -8, 9, 0, 123456789012], np.int64))
    ints2 = c.init(np.array([2, -2, 3, -4, 5, 10], np.int64))
    for op in ["Add", "Sub", "Mul", "Div"]:
        c.node(op, [ints, ints2])
    special = np.concatenate([f32(12), np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.0, -0.0, 3.4999998], np.float32)])
    s = c.init(special)
    for op in ["Neg", "Abs", "Sign", "Round", "Floor", "Ceil", "Relu", "Reciprocal"]:
        c.node(op, [s])
    c.node("Sign", [ints])
    c.node("Abs", [ints])
    p = c.init(np.abs(f32(40, scale=3)) + 1e-3)
    c.node("Sqrt", [p])
    c.node("Log", [p], out="approx_log")
    c.node("Exp", [c.init(f32(40, scale=3))], out="approx_exp")
    c.node("Clip", [a, c.init(np.array(-0.5, np.float32)), c.init(np.array(0.7, np.float32))])
    c.node("Clip", [a, "", c.init(np.array(0.2, np.float32))])
    c.node("Clip", [ints, c.init(np.array(-5, np.int64)), c.init(np.array(8, np.int64))])
    c.node("Equal", [ints, c.init(np.array([-7, 0, -8, 1, 0, 5], np.int64))])
    r = c.init(np.round(f32(3, 4)))
    c.node("Less", [r, c.init(np.round(f32(4)))])
    c.node("Greater", [r, c.init(np.array(0.0, np.float32))])
    c.node("LessOrEqual", [r, c.init(np.round(f32(3, 1)))])
    c.node("GreaterOrEqual", [r, c.init(np.round(f32(3, 1)))])
    cond = c.init(rng.random((3, 1)) > 0.5)
    c.node("Where", [cond, c.init(f32(3, 4)), c.init(f32(4))])
    b1, b2 = c.init(rng.random(8) > 0.5), c.init(rng.random(8) > 0.5)
    c.node("Not", [b1])
    for op in ["And", "Or", "Xor"]:
        c.node(op, [b1, b2])
    c.node("Cast", [c.init(np.array([-2.7, -0.5, 0.0, 0.9, 3.99, 1e6], np.float32))], to=I64)
    c.node("Cast", [c.init(np.array([2**40 + 1, -3, 2**24 + 1], np.int64))], to=F)
    c.node("Cast", [b1], to=F)
    c.node("Cast", [c.init(np.array([0.0, -0.0, 2.0, -1e-30], np.float32))], to=TensorProto.BOOL)
    c.node("Cast", [c.init(np.array([1.0 / 3, 1e40, -2.5], np.float64))], to=F)
    c.node("Cast", [c.init(np.array([5, -6], np.int32))], to=I64)
    c.node("CastLike", [ints, a])
    x4 = c.init(f32(2, 3, 4, 5))
    c.node("Shape", [x4])
    c.node("Shape", [x4], start=1, end=-1)
    c.node("Size", [x4])
    c.node("Gather", [x4, c.init(np.array([[0, -1], [1, 2]], np.int64))], axis=1)
    c.node("Gather", [c.init(np.array([4, 5, 6], np.int64)), c.init(np.array(-1, np.int64))], axis=0)
    c.node("Unsqueeze", [a, c.init(np.array([0, -1], np.int64))])
    c.node("Squeeze", [c.init(f32(3, 1, 2, 1)), c.init(np.array([1], np.int64))])
    c.node("Squeeze", [c.init(f32(3, 1, 2, 1))])
    c.node("Concat", [a, c.init(f32(2, 3, 1)), c.init(f32(2, 3, 2))], axis=-1)
    c.node("Concat", [ints, ints2], axis=0)
    c.node("Reshape", [x4, c.init(np.array([0, -1, 5], np.int64))])
    c.node("Flatten", [x4], axis=2)
    c.node("Flatten", [x4], axis=0)
    c.node("Expand", [b, c.init(np.array([2, 3, 4], np.int64))])
    c.node("Slice", [x4, c.init(np.array([1, -1, 0], np.int64)), c.init(np.array([2**63 - 1, -(2**63), 5], np.int64)),
                     c.init(np.array([1, 2, 3], np.int64)), c.init(np.array([1, -1, 2], np.int64))])
    c.node("Slice", [x4, c.init(np.array([0, 1], np.int64)), c.init(np.array([-1, 100], np.int64))])
    c.node("Transpose", [x4], perm=[2, 0, 3, 1])
    c.node("Transpose", [a])
    c.node("Range", [c.init(np.array(1, np.int64)), c.init(np.array(10, np.int64)), c.init(np.array(3, np.int64))])
    c.node("Range", [c.init(np.array(10, np.int64)), c.init(np.array(-3, np.int64)), c.init(np.array(-4, np.int64))])
    c.node("Range", [c.init(np.array(0.5, np.float32)), c.init(np.array(2.0, np.float32)), c.init(np.array(0.3, np.float32))])
    c.node("Tile", [b, c.init(np.array([2, 3], np.int64))])
    c.node("ConstantOfShape", [c.init(np.array([2, 3], np.int64))],
           value=numpy_helper.from_array(np.array([7], np.int64)))
    c.node("ConstantOfShape", [c.init(np.array([4], np.int64))])
    c.node("Constant", [], value_floats=[1.5, -2.0])
    c.node("Constant", [], value_int=42)
    c.node("Constant", [], value=numpy_helper.from_array(f32(2, 2)))
    # Reductions: the layouts onnxruntime sums in different orders (see Reductions.swift).
    layouts = [((16, 72), [-1]), ((8, 3, 3, 3), [1, 2, 3]), ((3, 50), None), ((8, 6, 5), [0]), ((4, 5, 6), [1]),
               ((6, 7, 8), [0, 2]), ((4, 5, 6, 7), [1, 3]), ((1, 8, 72), [2]), ((13, 37), [1]), ((2, 203), [1]),
               ((3, 4, 5, 6), [0, 1, 3]), ((3, 15, 9), [1]), ((2, 11, 17), [-2]), ((2, 259, 3), [1])]
    for shape, axes in layouts:
        x = c.init(f32(*shape))
        ins = [x] if axes is None else [x, c.init(np.array(axes, np.int64))]
        for op in ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2", "ReduceSumSquare"]:
            c.node(op, ins, keepdims=len(shape) % 2)
    big = c.init(f32(5000, scale=10))
    for op in ["ReduceMean", "ReduceSum", "ReduceL1", "ReduceL2", "ReduceSumSquare"]:
        c.node(op, [big], keepdims=0)
    c.node("ReduceProd", [c.init(f32(3, 4)), c.init(np.array([1], np.int64))])
    c.node("ReduceProd", [c.init(f32(3, 4))], keepdims=0)
    c.node("ReduceSum", [c.init(f32(3, 4))], noop_with_empty_axes=1)
    c.node("ReduceSum", [ints], keepdims=0)
    c.node("ReduceMax", [c.init(np.array([[3, -9, 4], [1, 1, 8]], np.int64)), c.init(np.array([1], np.int64))], keepdims=0)
    c.node("MatMul", [a, c.init(f32(4, 5))], out="approx_matmul")
    c.node("MatMul", [c.init(f32(4)), c.init(f32(4, 3))], out="approx_matmul_vec")
    c.node("MatMul", [c.init(np.array([[1, 2], [3, 4]], np.int64)), c.init(np.array([[5], [-6]], np.int64))])
    c.save(os.path.join(HERE, "eval_cases_opset18.onnx"), 18)


def opset13():
    c = Cases()
    x = c.init(f32(8, 3, 3, 3))
    c.node("ReduceMean", [x], axes=[1, 2, 3], keepdims=1)
    c.node("ReduceMean", [x], keepdims=0)
    c.node("ReduceMax", [x], axes=[-1], keepdims=0)
    c.node("ReduceL2", [x], axes=[0])
    c.node("ReduceSum", [x, c.init(np.array([1, 2], np.int64))], keepdims=0)
    c.node("ReduceSum", [x], keepdims=0)
    c.node("Squeeze", [c.init(f32(3, 1, 2)), c.init(np.array([1], np.int64))])
    c.node("Unsqueeze", [c.init(f32(3, 2)), c.init(np.array([1], np.int64))])
    c.node("Clip", [c.init(f32(10)), c.init(np.array(-0.3, np.float32)), c.init(np.array(0.3, np.float32))])
    c.save(os.path.join(HERE, "eval_cases_opset13.onnx"), 13)


def shapes():
    nodes, inits, outs = [], [], []

    def init(a):
        name = f"w{len(inits)}"
        inits.append(numpy_helper.from_array(np.asarray(a), name))
        return name

    def node(op, ins, **attrs):
        out = f"{op}_{len(nodes)}"
        nodes.append(helper.make_node(op, ins, [out], name=f"n{len(nodes)}_{op}", **attrs))
        outs.append(out)
        return out

    x = "x"
    c1 = node("Conv", [x, init(f32(8, 3, 3, 3)), init(f32(8))], pads=[1, 1, 1, 1], strides=[2, 2])
    c2 = node("Conv", [c1, init(f32(8, 8, 3, 3))], dilations=[2, 2], pads=[0, 1, 2, 1])
    c3 = node("Conv", [c1, init(f32(8, 1, 5, 5))], group=8, pads=[2, 2, 2, 2])
    node("Conv", [c1, init(f32(4, 8, 2, 3))], auto_pad="SAME_UPPER", strides=[3, 2])
    node("Conv", [c1, init(f32(4, 8, 3, 3))], auto_pad="VALID")
    bn = node("BatchNormalization", [c3, init(f32(8)), init(f32(8)), init(f32(8)), init(np.abs(f32(8)) + 0.5)])
    pr = node("PRelu", [bn, init(f32(8, 1, 1))])
    cl = node("Clip", [pr, init(np.array(-1, np.float32)), init(np.array(1, np.float32))])
    sg = node("Sign", [cl])
    node("MaxPool", [sg], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)
    node("MaxPool", [c2], kernel_shape=[2, 2], strides=[2, 2])
    node("AveragePool", [c1], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    gp = node("GlobalAveragePool", [c1])
    node("GlobalMaxPool", [c1])
    fl = node("Flatten", [gp])
    g = node("Gemm", [fl, init(f32(5, 8)), init(f32(5))], transB=1)
    node("Gemm", [init(f32(8, 2)), init(f32(8, 6))], transA=1)
    node("Softmax", [g], axis=-1)
    node("MatMul", [c1, init(f32(8, 3))])
    node("ReduceMax", [c1, init(np.array([2], np.int64))], keepdims=0)
    node("ReduceMean", [c1, init(np.array([-2, -1], np.int64))], keepdims=1)
    node("Relu", [node("Add", [c1, c3])])
    node("Mul", [c1, init(f32(8, 1, 1))])
    node("Transpose", [c1], perm=[0, 2, 3, 1])
    node("Reshape", [c1, init(np.array([1, 8, -1], np.int64))])
    node("Unsqueeze", [fl, init(np.array([1], np.int64))])
    node("Squeeze", [gp, init(np.array([2, 3], np.int64))])
    node("Concat", [c1, c3], axis=1)
    node("Slice", [c1, init(np.array([1], np.int64)), init(np.array([-1], np.int64)), init(np.array([2], np.int64))])
    # x.view(x.size(0), -1) as the TorchScript exporter writes it: folds once shapes are known.
    shp = node("Shape", [c1])
    n0 = node("Gather", [shp, init(np.array(0, np.int64))], axis=0)
    u = node("Unsqueeze", [n0, init(np.array([0], np.int64))])
    cat = node("Concat", [u, init(np.array([-1], np.int64))], axis=0)
    node("Reshape", [c1, cat])
    seq = node("Reshape", [c1, init(np.array([1, 8, 64], np.int64))])
    c1d = node("Conv", [seq, init(f32(8, 1, 5))], group=8, pads=[2, 2])
    node("MaxPool", [c1d], kernel_shape=[3], strides=[2])
    node("Pad", [c1, init(np.array([0, 0, 1, 2, 0, 0, 3, 0], np.int64))])
    xin = helper.make_tensor_value_info("x", F, [1, 3, 16, 16])
    gout = [helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None) for o in outs]
    m = helper.make_model(helper.make_graph(nodes, "shapes", [xin], gout, inits),
                          opset_imports=[helper.make_opsetid("", 18)], producer_name="edgepack-fixtures")
    m.ir_version = 8
    res = run_ort(m, {"x": f32(1, 3, 16, 16)})
    for name, v in res.items():
        m.graph.initializer.append(numpy_helper.from_array(np.array(v.shape, np.int64), "expected_shape:" + name))
    path = os.path.join(HERE, "shapes.onnx")
    onnx.save(m, path)
    print(path, len(outs), "outputs", os.path.getsize(path), "bytes")


def quantizers():
    import torch
    import torch.nn as nn

    class IRConv(nn.Conv2d):
        # IR-Net: standardized weights, sign, power-of-two scale per output channel.
        def forward(self, x):
            w = self.weight
            bw = w - w.view(w.size(0), -1).mean(-1).view(w.size(0), 1, 1, 1)
            bw = bw / bw.view(bw.size(0), -1).std(-1).view(bw.size(0), 1, 1, 1)
            sw = torch.pow(torch.tensor([2] * bw.size(0)).float(),
                           (torch.log(bw.abs().view(bw.size(0), -1).mean(-1)) / np.log(2)).round().float()
                           ).view(bw.size(0), 1, 1, 1).detach()
            bw = torch.sign(bw) * sw
            return nn.functional.conv2d(torch.sign(x), bw, None, self.stride, self.padding)

    class XnorLinear(nn.Linear):
        # XNOR/BiPointNet style: sign of mean-centred weights times mean |w| per output row.
        def forward(self, x):
            w = self.weight - self.weight.mean()
            alpha = w.abs().mean(dim=1, keepdim=True)
            return nn.functional.linear(torch.sign(x), torch.sign(w) * alpha)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = IRConv(8, 16, 3, padding=1, bias=False)
            self.fc = XnorLinear(16, 10, bias=False)

        def forward(self, x):
            y = self.conv(x)
            return self.fc(y.mean((2, 3)))

    torch.manual_seed(0)
    model = Model().eval()
    x = torch.randn(1, 8, 6, 6)
    for kind in ["ts", "dynamo"]:
        path = os.path.join(HERE, f"quantizers_{kind}.onnx")
        if kind == "ts":
            torch.onnx.export(model, (x,), path, dynamo=False, opset_version=13)
        else:
            # The dynamo exporter's optimizer would fold the quantizers itself; keep them.
            torch.onnx.export(model, (x,), path, dynamo=True, optimize=False)
        m = onnx.load(path)
        if os.path.exists(path + ".data"):
            os.remove(path + ".data")
        # Exporter provenance (stack traces per node) is most of the file; tests do not need it.
        for n in m.graph.node:
            n.doc_string = ""
            del n.metadata_props[:]
        for v in list(m.graph.value_info):
            del v.metadata_props[:]
        del m.graph.value_info[:]
        # Expose the weight operand of every Conv/Gemm/MatMul as an extra output.
        extra = []
        for n in m.graph.node:
            if n.op_type in ("Conv", "Gemm", "MatMul"):
                extra.append(n.input[1])
        init_names = {i.name for i in m.graph.initializer}
        for e in extra:
            if e not in init_names:
                m.graph.output.append(helper.make_tensor_value_info(e, TensorProto.UNDEFINED, None))
        res = run_ort(m, {m.graph.input[0].name: x.numpy()})
        for name in extra:
            if name in res:
                m.graph.initializer.append(numpy_helper.from_array(res[name], "expected:" + name))
        out0 = m.graph.output[0].name
        m.graph.initializer.append(numpy_helper.from_array(res[out0], "expected_output:" + out0))
        m.graph.initializer.append(numpy_helper.from_array(x.numpy(), "test_input:" + m.graph.input[0].name))
        onnx.save(m, path, save_as_external_data=False)
        print(path, "opset", m.opset_import[0].version, "functions", len(m.functions), "quantized weights", extra,
              os.path.getsize(path), "bytes")


if __name__ == "__main__":
    opset18()
    opset13()
    shapes()
    quantizers()
