#!/usr/bin/env python3
"""Accuracy of a converted model in the EdgePack runtime against onnxruntime on a test set.

    .venv/bin/python -m Datasets.tools.eval_runtime MODEL.onnx X.npy Y.npy [--batch 100]

Converts MODEL.onnx with the batch dimension set to --batch, runs every batch through
`edgepack run` (release build) and through onnxruntime (which matches PyTorch to ~1e-5 on these
exports, see the model cards), and prints both accuracies and their top-1 agreement.
Needs numpy and onnxruntime (Toolchain/setup-python); no PyTorch.
"""
import argparse, os, subprocess, sys, tempfile
import numpy as np
import onnxruntime as ort

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cli = os.path.join(root, ".build", "release", "edgepack")

p = argparse.ArgumentParser()
p.add_argument("onnx"); p.add_argument("x"); p.add_argument("y")
p.add_argument("--batch", type=int, default=100)
a = p.parse_args()
if not os.path.exists(cli):
    sys.exit("build the CLI first: swift build -c release --product edgepack")
x = np.load(a.x).astype(np.float32); y = np.load(a.y)
tmp = tempfile.mkdtemp()
model = os.path.join(tmp, "m.epk")
subprocess.run([cli, "convert", a.onnx, "-o", model, "--symbolic-size", str(a.batch)], check=True, capture_output=True)
sess = ort.InferenceSession(a.onnx)
name = sess.get_inputs()[0].name
ref, got = [], []
for i in range(0, len(x), a.batch):
    xb = x[i:i + a.batch]
    n = len(xb)
    if n < a.batch:   # pad the last batch; padded rows are dropped
        xb = np.concatenate([xb, np.zeros((a.batch - n,) + xb.shape[1:], np.float32)])
    ref.append(sess.run(None, {name: xb})[0][:n])
    np.save(os.path.join(tmp, "b.npy"), xb)
    subprocess.run([cli, "run", model, "-i", os.path.join(tmp, "b.npy"), "-o", os.path.join(tmp, "o.npy")], check=True)
    got.append(np.load(os.path.join(tmp, "o.npy")).reshape(a.batch, -1)[:n])
ref = np.concatenate(ref); got = np.concatenate(got)
print("test items %d" % len(y))
print("onnxruntime accuracy %.2f %%" % (100 * (ref.argmax(1) == y).mean()))
print("EdgePack runtime accuracy %.2f %%" % (100 * (got.argmax(1) == y).mean()))
print("top-1 agreement %.2f %%, max |logit difference| %.2e" % (100 * (ref.argmax(1) == got.argmax(1)).mean(), np.abs(ref - got).max()))
