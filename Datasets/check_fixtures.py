#!/usr/bin/env python3
"""Re-checks the committed ONNX fixtures with onnx + onnxruntime only (no torch).

For every row group of MANIFEST.tsv: the model passes onnx.checker, onnxruntime (optimizations
off) reproduces the stored output from the stored input, and each weighted node is classified
(binary / float, by the rule in onnx_graph.py) as the manifest expects, in the same order.
  python Datasets/check_fixtures.py [FIXTURE_DIR]
Prints one line per model and a closing "N passed, N failed" line; exits 1 on any failure.
"""
import collections
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_graph import analyse  # noqa: E402

DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "Tests", "EdgePackTests", "Fixtures", "onnx")


def main():
    fixture_dir = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DIR
    rows = collections.OrderedDict()
    with open(os.path.join(fixture_dir, "MANIFEST.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            rows.setdefault(f"{r['fixture']}_{r['exporter']}", []).append(r)
    passed = failed = 0
    for stem, expected in rows.items():
        base = os.path.join(fixture_dir, stem)
        problems = []
        try:
            x = np.load(base + "_input.npy")
            y = np.load(base + "_output.npy")
            r = analyse(base + ".onnx", x)
            err = float(np.abs(r["output"] - y).max())
            if err > 1e-5 * max(1.0, float(np.abs(y).max())):
                problems.append(f"output differs from the stored one by {err:.3g}")
            if len(r["layers"]) != len(expected):
                problems.append(f"{len(r['layers'])} weighted nodes, manifest lists {len(expected)}")
            for lay, exp in zip(r["layers"], expected):
                if lay["node"] != exp["onnx_node"] or lay["kernel"] != exp["expected_kernel"]:
                    problems.append(f"{exp['module']}: node {lay['node']} is {lay['kernel']}, "
                                    f"manifest says {exp['onnx_node']} {exp['expected_kernel']}")
        except Exception as e:  # a broken file is a failed check, not a crash of the checker
            problems.append(f"{type(e).__name__}: {e}")
        if problems:
            failed += 1
            print(f"FAIL {stem}: " + "; ".join(problems))
        else:
            passed += 1
            nb = sum(1 for lay in r["layers"] if lay["kernel"] == "binary")
            print(f"ok   {stem}: {nb} binary / {len(r['layers']) - nb} float layers, output matches")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
