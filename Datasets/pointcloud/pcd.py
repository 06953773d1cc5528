"""Tiny PCD writer (xyz float32; ascii or binary) — PCL's header layout, v0.7."""
import numpy as np


def write_pcd(path, points, binary=True):
    points = np.asarray(points, dtype=np.float32).reshape(-1, 3)
    n = len(points)
    header = ("# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS x y z\n"
              "SIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\n"
              f"WIDTH {n}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS {n}\n"
              f"DATA {'binary' if binary else 'ascii'}\n")
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        if binary:
            f.write(points.astype("<f4").tobytes())
        else:
            f.write("".join(f"{x:.6g} {y:.6g} {z:.6g}\n" for x, y, z in points).encode("ascii"))
