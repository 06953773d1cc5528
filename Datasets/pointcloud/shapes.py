"""Area-uniform surface sampling of primitive shapes (unit-ish size, centred at the origin)."""
import numpy as np

CLASSES = ["sphere", "cube", "cylinder", "cone", "torus", "pyramid", "capsule", "ellipsoid",
           "disc", "helix", "tetrahedron", "octahedron"]


def _unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def sphere(rng, n):
    return _unit(rng.standard_normal((n, 3)))


def ellipsoid(rng, n):
    axes = np.sort(rng.uniform([0.9, 0.45, 0.2], [1.0, 0.65, 0.4]))[::-1]
    # rejection on the sphere with the surface-area element of the stretched surface
    pts = []
    while sum(len(p) for p in pts) < n:
        u = _unit(rng.standard_normal((4 * n, 3)))
        w = np.sqrt(np.sum((u / axes) ** 2 * np.prod(axes) ** 2, axis=1))
        keep = rng.random(4 * n) < w / w.max()
        pts.append(u[keep] * axes)
    return np.concatenate(pts)[:n]


def _triangles(rng, n, tris):
    """Area-weighted sampling of a triangle list (T, 3, 3)."""
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    idx = rng.choice(len(tris), size=n, p=area / area.sum())
    r1, r2 = rng.random(n), rng.random(n)
    s = np.sqrt(r1)
    return (1 - s)[:, None] * a[idx] + (s * (1 - r2))[:, None] * b[idx] + (s * r2)[:, None] * c[idx]


def cube(rng, n):
    face = rng.integers(0, 6, n)
    p = rng.uniform(-1, 1, (n, 3))
    axis, sign = face // 2, np.where(face % 2 == 0, -1.0, 1.0)
    p[np.arange(n), axis] = sign
    return p * 0.6


def cylinder(rng, n, r=0.5, h=1.0):
    side, cap = 2 * np.pi * r * h, 2 * np.pi * r * r
    m = rng.random(n) < side / (side + cap)
    th = rng.uniform(0, 2 * np.pi, n)
    rad = np.where(m, r, r * np.sqrt(rng.random(n)))
    z = np.where(m, rng.uniform(-h / 2, h / 2, n), np.where(rng.random(n) < 0.5, -h / 2, h / 2))
    return np.stack([rad * np.cos(th), rad * np.sin(th), z], 1)


def cone(rng, n, r=0.6, h=1.2):
    slant = np.pi * r * np.hypot(r, h)
    base = np.pi * r * r
    m = rng.random(n) < slant / (slant + base)
    th = rng.uniform(0, 2 * np.pi, n)
    t = np.sqrt(rng.random(n))                        # area-uniform along the slant
    rad = np.where(m, r * t, r * np.sqrt(rng.random(n)))
    z = np.where(m, h / 2 - h * t, -h / 2)
    return np.stack([rad * np.cos(th), rad * np.sin(th), z], 1)


def torus(rng, n, big=0.7, small=0.25):
    pts = []
    while sum(len(p) for p in pts) < n:
        u, v = rng.uniform(0, 2 * np.pi, (2, 4 * n))
        keep = rng.random(4 * n) < (big + small * np.cos(v)) / (big + small)
        u, v = u[keep], v[keep]
        pts.append(np.stack([(big + small * np.cos(v)) * np.cos(u),
                             (big + small * np.cos(v)) * np.sin(u), small * np.sin(v)], 1))
    return np.concatenate(pts)[:n]


def capsule(rng, n, r=0.35, h=0.9):
    side, caps = 2 * np.pi * r * h, 4 * np.pi * r * r
    m = rng.random(n) < side / (side + caps)
    th = rng.uniform(0, 2 * np.pi, n)
    body = np.stack([r * np.cos(th), r * np.sin(th), rng.uniform(-h / 2, h / 2, n)], 1)
    s = sphere(rng, n) * r
    s[:, 2] += np.where(s[:, 2] >= 0, h / 2, -h / 2)
    return np.where(m[:, None], body, s)


def disc(rng, n, r=1.0):
    th = rng.uniform(0, 2 * np.pi, n)
    rad = r * np.sqrt(rng.random(n))
    return np.stack([rad * np.cos(th), rad * np.sin(th), rng.uniform(-0.01, 0.01, n)], 1)


def helix(rng, n, turns=None, r=0.5, tube=0.06, h=1.4):
    turns = turns or rng.uniform(2.0, 4.0)
    t = rng.random(n)
    th = 2 * np.pi * turns * t
    c = np.stack([r * np.cos(th), r * np.sin(th), h * (t - 0.5)], 1)
    return c + _unit(rng.standard_normal((n, 3))) * tube


def pyramid(rng, n):
    b = np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], float) * 0.6
    apex = np.array([0, 0, 1.0])
    tris = [[b[i], b[(i + 1) % 4], apex] for i in range(4)] + [[b[0], b[1], b[2]], [b[0], b[2], b[3]]]
    p = _triangles(rng, n, np.array(tris))
    p[:, 2] -= 0.35
    return p


def tetrahedron(rng, n):
    v = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], float) * 0.6
    tris = [[v[0], v[1], v[2]], [v[0], v[1], v[3]], [v[0], v[2], v[3]], [v[1], v[2], v[3]]]
    return _triangles(rng, n, np.array(tris))


def octahedron(rng, n):
    v = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]], float)
    tris = [[v[a], v[b], v[c]] for a in (0, 1) for b in (2, 3) for c in (4, 5)]
    return _triangles(rng, n, np.array(tris))


SAMPLERS = {"sphere": sphere, "cube": cube, "cylinder": cylinder, "cone": cone, "torus": torus,
            "pyramid": pyramid, "capsule": capsule, "ellipsoid": ellipsoid, "disc": disc,
            "helix": helix, "tetrahedron": tetrahedron, "octahedron": octahedron}


def random_rotation(rng):
    q = _unit(rng.standard_normal(4))
    a, b, c, d = q
    return np.array([[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                     [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
                     [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d]])


def upright_rotation(rng, max_tilt_deg=20.0):
    """Any rotation about the vertical (z) axis after a tilt of at most max_tilt_deg: sensors
    know which way is up (gravity), as ModelNet's aligned models assume."""
    def rot(axis, a):
        c, s = np.cos(a), np.sin(a)
        i, j = [k for k in range(3) if k != axis]
        m = np.eye(3)
        m[i, i], m[i, j], m[j, i], m[j, j] = c, -s, s, c
        return m
    tilt = np.radians(rng.uniform(-max_tilt_deg, max_tilt_deg, 2))
    return rot(2, rng.uniform(0, 2 * np.pi)) @ rot(0, tilt[0]) @ rot(1, tilt[1])


def make_cloud(rng, cls, n):
    """One raw frame of class `cls`: n points, random anisotropy, rotation about the vertical
    axis (tilt <= 20 deg), scale, position, noise and (sometimes) one side occluded.
    Not normalized (the model's preprocessing does it)."""
    extra = int(n * 0.45)
    p = SAMPLERS[cls](rng, n + extra)
    p = p * rng.uniform(0.8, 1.25, 3)                         # anisotropy
    p = p @ upright_rotation(rng).T
    if rng.random() < 0.5:                                    # occlusion: cut away one side
        d = _unit(rng.standard_normal(3))
        proj = p @ d
        cut = np.quantile(proj, 1 - rng.uniform(0.1, 0.3))
        p = p[proj <= cut]
    p = p[rng.permutation(len(p))[:n]] if len(p) >= n else p[rng.integers(0, len(p), n)]
    p = p + rng.standard_normal(p.shape) * rng.uniform(0.005, 0.02)
    scale = rng.uniform(0.2, 3.0)
    return (p * scale + rng.uniform(-5, 5, 3)).astype(np.float32)


def normalize(p):
    """Centre on the centroid and scale into the unit sphere (what the runtime does)."""
    p = p - p.mean(axis=0, keepdims=True)
    return (p / (np.max(np.linalg.norm(p, axis=1)) + 1e-12)).astype(np.float32)
