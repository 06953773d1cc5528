"""ModelNet40 loader (the Princeton OFF-mesh release: ROOT/<class>/{train,test}/<class>_NNNN.off).

Each mesh is sampled to 1024 surface points, uniformly by area (triangle chosen with
probability proportional to its area, then a uniform point in it), then centred on the
centroid and scaled into the unit sphere (shapes.normalize, the runtime's preprocessing).
Polygons with more than 3 vertices are fanned into triangles. Some ModelNet files put the
counts on the "OFF" line itself ("OFF1234 5678 0"); that is accepted.
Sampling is seeded per file, so a split loads identically every time.
"""
import zlib
from pathlib import Path

import numpy as np

from .shapes import normalize


class OFFError(ValueError):
    pass


def read_off(path):
    """(vertices (V, 3) float64, triangles (T, 3) int64)."""
    text = Path(path).read_text(errors="replace")
    tokens_lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    lines = [ln for ln in tokens_lines if ln]
    if not lines or not lines[0].startswith("OFF"):
        raise OFFError(f"{path}: no OFF header")
    head = lines[0][3:].split()
    body = lines[1:]
    if not head:
        if not body:
            raise OFFError(f"{path}: missing counts")
        head, body = body[0].split(), body[1:]
    try:
        nv, nf = int(head[0]), int(head[1])
    except (ValueError, IndexError):
        raise OFFError(f"{path}: bad counts line {head}") from None
    if nv <= 0 or nf <= 0 or len(body) < nv + nf:
        raise OFFError(f"{path}: expected {nv} vertices and {nf} faces, file has {len(body)} lines")
    try:
        v = np.array([[float(t) for t in body[i].split()[:3]] for i in range(nv)])
    except ValueError:
        raise OFFError(f"{path}: bad vertex line") from None
    tris = []
    for i in range(nv, nv + nf):
        f = [int(t) for t in body[i].split()]
        k = f[0]
        idx = f[1:1 + k]
        if k < 3 or len(idx) < k or min(idx) < 0 or max(idx) >= nv:
            raise OFFError(f"{path}: bad face {i - nv} (indices must be 0..{nv - 1})")
        tris.extend([idx[0], idx[j], idx[j + 1]] for j in range(1, k - 1))
    return v, np.array(tris, dtype=np.int64)


def sample_surface(v, tris, n, rng):
    a, b, c = v[tris[:, 0]], v[tris[:, 1]], v[tris[:, 2]]
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    if area.sum() <= 0:
        raise OFFError("mesh has zero area")
    idx = rng.choice(len(tris), size=n, p=area / area.sum())
    r1, r2 = rng.random(n), rng.random(n)
    s = np.sqrt(r1)
    return (1 - s)[:, None] * a[idx] + (s * (1 - r2))[:, None] * b[idx] + (s * r2)[:, None] * c[idx]


def classes(root):
    return sorted(p.name for p in Path(root).iterdir() if p.is_dir())


def load_split(root, split, n_points=1024, seed=1):
    """points (n, n_points, 3) float32 normalized, labels (n,) int64, class names."""
    if split not in ("train", "test"):
        raise ValueError("split must be train or test")
    names = classes(root)
    pts, labels = [], []
    for c, name in enumerate(names):
        for f in sorted((Path(root) / name / split).glob("*.off")):
            rng = np.random.default_rng([seed, zlib.crc32(f.name.encode())])
            v, t = read_off(f)
            pts.append(normalize(sample_surface(v, t, n_points, rng)))
            labels.append(c)
    return np.stack(pts).astype(np.float32), np.array(labels, dtype=np.int64), names
