#!/usr/bin/env python3
"""Checks of the dataset tools against independent references. Run with the torch venv, from the
repository root:
    python -m Datasets.tests.test_recipes          (CHECKS=text: only checks whose name contains it)
Prints 'N passed, N failed'. Checks that need espeak-ng / PCL tools skip when they are missing.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

D = Path(__file__).resolve().parents[1]
ONLY = os.environ.get("CHECKS", "")   # run only the checks whose name contains this

results = []


def check(name):
    def deco(f):
        if ONLY and ONLY not in name:
            return f
        try:
            r = f()
            results.append((name, "skip" if r == "skip" else "pass", ""))
        except Exception as e:  # noqa: BLE001
            results.append((name, "fail", repr(e)))
        return f
    return deco


@check("flite stays evaluation only: no training, validation or tuning module imports it")
def _flite_evaluation_only():
    import ast
    evaluation = {"flite.py", "flite_stream.py", "flite_words.py"}
    offenders = []
    for path in sorted(D.rglob("*.py")):
        if path.name in evaluation or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] + [a.name for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if any("flite" in n for n in names):
                offenders.append(str(path.relative_to(D)))
    assert not offenders, f"flite imported by {offenders}"


@check("log-mel features equal torchaudio MelSpectrogram+AmplitudeToDB within 1e-3 dB")
def _features():
    import torch
    from ..kws.check_features import import_torchaudio
    from ..kws.features import logmel
    T = import_torchaudio()
    mel = T.MelSpectrogram(sample_rate=16000, n_fft=2048, hop_length=512, n_mels=32, normalized=True)
    db = T.AmplitudeToDB()
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((8, 16000)) * np.geomspace(1e-4, 0.5, 8)[:, None]).astype(np.float32)
    ref = db(mel(torch.from_numpy(x))).numpy()
    got = logmel(x)
    assert got.shape == (8, 32, 32)
    assert np.max(np.abs(ref - got)) < 1e-3, np.max(np.abs(ref - got))


@check("mel filterbank rows: HTK triangles peak at 1 and cover 0..8 kHz")
def _fbank():
    from ..kws.features import mel_filterbank
    fb = mel_filterbank(1025, 0.0, 8000.0, 32, 16000)
    assert fb.shape == (1025, 32)
    assert np.all(fb >= 0) and np.all(fb.max(axis=0) > 0.9) and np.all(fb.max(axis=0) <= 1.0)


def have(tool):
    if shutil.which(tool) is None:
        print(f"  skip: {tool} not installed")
        return False
    return True


def make_dataset_twice(t, *flags):
    """Run kws.make_dataset (first training/validation/test variant only) into T/a and T/b;
    returns T/b and whether both runs wrote the same WAV files byte for byte."""
    digests = []
    for run in ("a", "b"):
        out = Path(t) / run
        subprocess.run([sys.executable, "-m", "Datasets.kws.make_dataset", "--out", str(out),
                        "--limit-variants", "1", "--jobs", "2", *flags], check=True, capture_output=True,
                       cwd=D.parent)
        h = hashlib.sha256()
        for f in sorted(out.rglob("*.wav")):
            h.update(f.relative_to(out).as_posix().encode())
            h.update(f.read_bytes())
        digests.append(h.hexdigest())
    return out, digests[0] == digests[1]


@check("make_dataset is deterministic and writes the Speech Commands layout")
def _dataset():
    if not have("espeak-ng"):
        return "skip"
    with tempfile.TemporaryDirectory() as t:
        out, same = make_dataset_twice(t)
        from ..kws.speech_commands import load_split
        w, y, _ = load_split(out, "test")
        assert w.shape[1] == 16000 and len(set(y.tolist())) == 12
        train_voices = {p.split("/")[1].split("_nohash_")[0].split(".", 1)[1]
                        for p in (out / "manifest.tsv").read_text().splitlines()[1:]
                        for p in [p.split("\t")[0]] if p.split("\t")[0] not in
                        set((out / "testing_list.txt").read_text().split()) |
                        set((out / "validation_list.txt").read_text().split())}
        test_voices = {p.split("/")[1].split("_nohash_")[0].split(".", 1)[1]
                       for p in (out / "testing_list.txt").read_text().split()}
        assert not train_voices & test_voices
    assert same


@check("make_dataset --extra-round: deterministic, training voices only, every near miss per speaker")
def _extra_round():
    if not have("espeak-ng"):
        return "skip"
    from ..kws import synth
    from ..kws.make_dataset import split_variants
    from ..kws.speech_commands import load_split
    from ..kws.vocabulary import KEYWORDS, NEAR_MISSES, UNKNOWN_INDEX
    with tempfile.TemporaryDirectory() as t:
        out, same = make_dataset_twice(t, "--extra-round", "1")
        assert not (out / "testing_list.txt").exists() and not (out / "validation_list.txt").exists()
        rows = [r.split("\t") for r in (out / "manifest.tsv").read_text().splitlines()[1:]]
        voices = {r[4] for r in rows}
        split = split_variants(1, synth.variants())  # the base set's split (make_dataset --seed 1)
        assert voices and all(split[v] == "train" for v in voices), voices
        speakers = {(r[3], r[4]) for r in rows}
        assert len(rows) == len(speakers) * (len(NEAR_MISSES) + len(KEYWORDS))
        w, y, _ = load_split(out, "train", silence_fraction=0, train_only=True)
        assert w.shape == (len(rows), 16000)
        assert np.sum(y == UNKNOWN_INDEX) == len(speakers) * len(NEAR_MISSES)
        try:
            load_split(out, "test", train_only=True)
        except ValueError:
            pass
        else:
            raise AssertionError("train_only accepted a test split")
    assert same


@check("PCD writer output is read by PCL (pcl_convert_pcd_ascii_binary) with the same points")
def _pcd():
    if not have("pcl_convert_pcd_ascii_binary"):
        return "skip"
    from ..pointcloud.pcd import write_pcd
    rng = np.random.default_rng(0)
    pts = (rng.standard_normal((200, 3)) * 3).astype(np.float32)
    with tempfile.TemporaryDirectory() as t:
        for binary in (True, False):
            src, dst = Path(t) / "in.pcd", Path(t) / "out.pcd"
            write_pcd(src, pts, binary=binary)
            subprocess.run(["pcl_convert_pcd_ascii_binary", str(src), str(dst), "0"], check=True,
                           capture_output=True)
            lines = dst.read_text().splitlines()
            i = next(k for k, ln in enumerate(lines) if ln.startswith("DATA"))
            back = np.array([[float(v) for v in ln.split()] for ln in lines[i + 1:] if ln.strip()])
            assert back.shape == (200, 3)
            assert np.allclose(back, pts, rtol=1e-5, atol=1e-5)


@check("ModelNet OFF loader: area-weighted sampling gives a 2x1x1 box face its 10 % area share")
def _off():
    from ..pointcloud import modelnet40
    with tempfile.TemporaryDirectory() as t:
        d = Path(t) / "box" / "train"
        d.mkdir(parents=True)
        (d / "box_0001.off").write_text(
            "OFF\n8 6 0\n0 0 0\n2 0 0\n2 1 0\n0 1 0\n0 0 1\n2 0 1\n2 1 1\n0 1 1\n"
            "4 0 1 2 3\n4 4 5 6 7\n4 0 1 5 4\n4 2 3 7 6\n4 1 2 6 5\n4 0 3 7 4\n")
        p, y, names = modelnet40.load_split(t, "train")
        assert p.shape == (1, 1024, 3) and names == ["box"]
        assert abs(np.linalg.norm(p[0], axis=1).max() - 1) < 1e-5
        # faces of a 2x1x1 box: areas 2,2,2,2,1,1 of 10 -> x-faces hold 20 %
        b = p[0]
        on_xmin = np.mean(np.isclose(b[:, 0], b[:, 0].min(), atol=1e-5))
        assert 0.06 < on_xmin < 0.14, on_xmin
        (d / "box_0002.off").write_text("OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n")
        try:
            modelnet40.load_split(t, "train")
        except modelnet40.OFFError:
            pass
        else:
            raise AssertionError("bad face index accepted")


@check("deployable binarizer: folded weights are exactly +-alpha per output channel")
def _binarizer():
    import torch
    from ..binarize import BinaryConv1d, binarize_weight, binarize_weight_irnet
    w = torch.randn(16, 8, 5)
    for q in (binarize_weight(w), binarize_weight_irnet(w)):
        for o in range(16):
            v = torch.unique(q[o].abs())
            assert len(v) == 1, v
    m = BinaryConv1d(8, 16, 1, bias=False)
    x = torch.randn(2, 8, 4)
    want = torch.einsum("oi,bit->bot", torch.sign(m.weight[:, :, 0]) * m.weight.abs().mean((1, 2))[:, None],
                        torch.sign(x))
    with torch.no_grad():
        assert torch.allclose(m(x), want, atol=1e-6)


@check("widening the DFSMN hidden layers (no noise) keeps the binary model's logits")
def _widen():
    import torch
    from ..kws.widen import widen_hidden
    from ..models.bifsmn import BiFSMN
    torch.manual_seed(0)
    narrow = BiFSMN(binary=True, hidden=64, memory=32, blocks=2)
    with torch.no_grad():  # non-trivial BatchNorm statistics and thresholds, as after training
        for name, t in list(narrow.named_parameters()) + list(narrow.named_buffers()):
            if name.endswith("running_var"):
                t.copy_(torch.rand_like(t) * 2 + 0.01)
            elif t.dtype.is_floating_point:
                t.add_(torch.randn_like(t) * 0.1)
    wide = BiFSMN(binary=True, hidden=192, memory=32, blocks=2)
    wide.load_state_dict(widen_hidden(narrow.state_dict(), 192, noise=0.0))
    narrow.eval()
    wide.eval()
    x = torch.randn(8, 1, 32, 32) * 10
    with torch.no_grad():
        a, b = narrow(x), wide(x)
    assert torch.allclose(a, b, atol=1e-4 * float(a.abs().max())), float((a - b).abs().max())


@check("--float-front: a binary model's state without the front conv threshold loads; only that conv turns float")
def _float_front():
    import torch
    from ..binarize import BinaryConv1d, BinaryConv2d
    from ..models.bifsmn import BiFSMN, float_front_state
    torch.manual_seed(0)
    binary = BiFSMN(binary=True, hidden=64, memory=32, blocks=2)
    state = float_front_state(binary.state_dict())
    ablated = BiFSMN(binary=True, hidden=64, memory=32, blocks=2, float_front=True)
    ablated.load_state_dict(state)  # strict: every other tensor matches
    kinds = lambda m: [type(x).__name__ for x in m.modules() if isinstance(x, (torch.nn.Conv1d, torch.nn.Conv2d))]
    a, b = kinds(binary), kinds(ablated)
    assert [i for i, (x, y) in enumerate(zip(a, b)) if x != y] == [1], (a, b)
    assert type(ablated.front[3]) is torch.nn.Conv2d and isinstance(binary.front[3], BinaryConv2d)
    assert sum(isinstance(x, BinaryConv1d) for x in ablated.modules()) == 1 + 2 * 2
    assert torch.equal(ablated.front[3].weight, binary.front[3].weight)


@check("--float-project: the projection into the memory width turns float too, its latent weights kept")
def _float_project():
    import torch
    from ..binarize import BinaryConv1d
    from ..models.bifsmn import BiFSMN, float_front_state
    torch.manual_seed(0)
    front = BiFSMN(binary=True, hidden=64, memory=32, blocks=2, float_front=True)
    state = float_front_state(front.state_dict(), project=True)
    assert "project_in.0.threshold" not in state
    both = BiFSMN(binary=True, hidden=64, memory=32, blocks=2, float_front=True, float_project=True)
    both.load_state_dict(state)  # strict
    assert type(both.project_in[0]) is torch.nn.Conv1d and isinstance(front.project_in[0], BinaryConv1d)
    assert sum(isinstance(x, BinaryConv1d) for x in both.modules()) == 2 * 2
    assert torch.equal(both.project_in[0].weight, front.project_in[0].weight)


@check("a model's state recovered from its exported ONNX gives onnxruntime's logits in PyTorch")
def _state_from_onnx():
    import tempfile
    import numpy as np
    import onnxruntime as ort
    import torch
    from ..models.bifsmn import BiFSMN
    from ..training import loop
    from ..training.onnx_state import initializer_names, state_from_onnx
    torch.manual_seed(3)
    m = BiFSMN(binary=True, hidden=32, memory=16, blocks=2, float_front=True)
    with torch.no_grad():  # distinct values everywhere: the exporter merges identical initializers
        for k, v in m.state_dict().items():
            if v.is_floating_point():
                v.uniform_(0.5, 2) if "running_var" in k else v.add_(torch.rand_like(v) * 0.2 - 0.1)
    x = (np.random.default_rng(0).standard_normal((4, 1, 32, 32)) * 10).astype(np.float32)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m.onnx"
        loop.export_onnx(m, x, path, "logmel", "logits")
        want = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"logmel": x})[0]
        names = initializer_names(path)  # the kws recipe reads the layout from these: float layers have no threshold
        assert "front.3.threshold" not in names and "project_in.0.threshold" in names
        fresh = BiFSMN(binary=True, hidden=32, memory=16, blocks=2, float_front=True)
        fresh.load_state_dict(state_from_onnx(path, fresh))
        got = loop.predict(fresh, x)
        assert np.abs(got - want).max() < 1e-3 * np.abs(want).max(), np.abs(got - want).max()
        wrong = BiFSMN(binary=True, hidden=32, memory=16, blocks=2)  # expects a front threshold
        try:
            state_from_onnx(path, wrong)
        except ValueError as e:
            assert "front.3.threshold" in str(e), e
        else:
            raise AssertionError("a missing tensor was not reported")


@check("the bundled ONNX files load into the deployed models by initializer name; PyTorch gives onnxruntime's logits")
def _bundled():
    import onnxruntime as ort
    from ..images import digits
    from ..kws.features import logmel
    from ..kws.wavio import read_wav
    from ..models.bifsmn import BiFSMN
    from ..models.bipointnet import BiPointNet
    from ..models.resnet20 import ResNet20
    from ..pointcloud.shapes import CLASSES, make_cloud, normalize
    from ..training import loop
    from ..training.onnx_state import state_from_onnx
    rng = np.random.default_rng(5)
    wav, _ = read_wav(D / "trained" / "kws_test_stream.wav")
    clips = np.stack([wav[s:s + 16000] for s in range(0, 16 * 16000, 16000)]).astype(np.float32)
    clouds = np.stack([normalize(make_cloud(rng, CLASSES[i % len(CLASSES)], 1024)).T for i in range(16)])
    cases = [("kws_bifsmn", BiFSMN(binary=True, float_front=True), logmel(clips)[:, None]),
             ("pointcloud_bipointnet", BiPointNet(binary=True), clouds),
             ("digits_resnet20", ResNet20(binary=True, width=8), digits.load(1)[1][0][:16])]
    for name, model, x in cases:
        path = D / "trained" / f"{name}.onnx"
        model.load_state_dict(state_from_onnx(path, model))  # every tensor by name and shape
        x = np.ascontiguousarray(x, dtype=np.float32)
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        want = sess.run(None, {sess.get_inputs()[0].name: x})[0]
        got = loop.predict(model, x)
        assert np.array_equal(got.argmax(1), want.argmax(1)), name
        assert np.abs(got - want).max() < 1e-3 * np.abs(want).max(), (name, np.abs(got - want).max())


@check("block-feature distillation: one map per block, distance = 2 - 2 cos, blind to the map's scale")
def _feature_kd():
    import torch
    from ..models.bifsmn import BiFSMN
    from ..training.loop import feature_distance
    torch.manual_seed(0)
    m = BiFSMN(binary=True, hidden=64, memory=32, blocks=3).eval()
    x = torch.randn(4, 1, 32, 32) * 10
    feats = []
    with torch.no_grad():
        logits = m(x, features=feats)
    assert len(feats) == 3 and all(f.shape == (4, 32, 8) for f in feats), [f.shape for f in feats]
    assert torch.allclose(m.classifier(feats[-1].flatten(1)), logits)
    s = [torch.randn(4, 32, 8) for _ in range(3)]
    t = [torch.randn(4, 32, 8) for _ in range(3)]
    cos = [torch.nn.functional.cosine_similarity(a.flatten(1), b.flatten(1), dim=1) for a, b in zip(s, t)]
    want = sum(float((2 - 2 * c).mean()) for c in cos) / 3
    assert abs(float(feature_distance(s, t)) - want) < 1e-5
    assert abs(float(feature_distance([a * 7.5 for a in s], t)) - want) < 1e-5
    assert float(feature_distance(t, t)) < 1e-6


@check("tune_detector --write-conf replaces only the detector lines of a preprocessing conf, appends them if absent")
def _write_conf():
    from ..kws.tune_detector import write_conf
    bundled = (D / "preprocessing" / "kws_bifsmn.conf").read_text().splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "kws.conf"
        conf.write_text("\n".join(bundled) + "\n")
        write_conf(conf, 0.45, 12, 1.5)
        got = conf.read_text().splitlines()
        assert len(got) == len(bundled)
        for old, new in zip(bundled, got):
            if old.startswith("detector_"):
                continue
            assert old == new, (old, new)
        assert {l for l in got if l.startswith("detector_")} == {
            "detector_threshold = 0.45", "detector_average = 12", "detector_refractory = 1.5"}
        bare = [l for l in bundled if not l.startswith("detector_")]
        conf.write_text("\n".join(bare) + "\n")
        write_conf(conf, 0.3, 16, 1.0)
        assert conf.read_text().splitlines() == bare + [
            "detector_threshold = 0.3", "detector_average = 16", "detector_refractory = 1.0"]


def headings(card):
    return [ln for ln in card.splitlines() if ln.startswith("## ")]


@check("cards rendered from the bundled runs' results over the committed cards: the same sections, the appendix byte for byte")
def _cards_over_committed():
    from ..training import recipe
    from .bundled_results import CARDS, render
    with tempfile.TemporaryDirectory() as t:
        for card in CARDS:
            committed = (D / "trained" / card).read_text()
            path = Path(t) / card
            path.write_text(committed)
            render(card, path)
            got = path.read_text()
            assert recipe.appendix(committed) and recipe.appendix(got) == recipe.appendix(committed), card
            assert headings(got) == headings(committed), (card, headings(got))
            if card != "kws_bifsmn.md":
                assert got == committed, card
            else:  # Model and Recipe: the card's binary multiply-adds (5,242,880) are not the model's (8 x 557,056)
                #   and its machine-load remark is not in the results
                for h in ("## Input", "## Data", "## Accuracy", "## Export", "## Streaming"):
                    assert recipe.section(got, h) == recipe.section(committed, h), h
            render(card, path)  # again over the generated card: nothing drifts
            assert path.read_text() == got, card
            path.unlink()
            render(card, path)  # no card there yet: an empty appendix to append to
            assert headings(path.read_text())[-1] == recipe.APPENDIX, card


@check("a KWS card of another model over the committed one: appendix kept, streaming and detector not carried over")
def _card_other_model():
    import copy
    from ..training import recipe
    from ..training.recipes import kws
    from . import bundled_results as B
    committed = (D / "trained" / "kws_bifsmn.md").read_text()
    info = copy.deepcopy(B.KWS_INFO)
    info["results"]["8"]["binary"] = 4000 / 4608
    with tempfile.TemporaryDirectory() as t:
        path = Path(t) / "kws_bifsmn.md"
        path.write_text(committed)
        kws.write_card(path, info, B.args_of(B.KWS_BINARY), B.KWS_BINARY)
        got = path.read_text()
    assert recipe.appendix(got) == recipe.appendix(committed)
    assert "86.81 %" in recipe.section(got, "## Accuracy")
    for h, old in (("## Streaming", "91.9 %"), ("## Recipe", "threshold 0.3"), ("## Export", "EdgePack runtime vs onnxruntime on all")):
        assert old in recipe.section(committed, h) and old not in recipe.section(got, h), h
        assert "for this model yet" in recipe.section(got, h), h


@check("train kws --real on a tiny Speech Commands folder (words, lists, _background_noise_) exports a 12-class ONNX")
def _speech_commands_layout():
    if not have("espeak-ng"):
        return "skip"
    import onnxruntime as ort
    from ..kws import augment as A, synth
    from ..kws.vocabulary import KEYWORDS
    from ..kws.wavio import write_wav
    rng = np.random.default_rng(4)
    with tempfile.TemporaryDirectory() as t:
        root = Path(t) / "sc"
        voices = ["en-us+m1", "en-gb+f2", "en-us+m3", "en-gb+f4"]   # last one: test, third: validation
        lists = {"validation_list.txt": [], "testing_list.txt": []}
        for word in KEYWORDS + ["bed", "house"]:        # words outside the keywords are the unknown class
            (root / word).mkdir(parents=True)
            for k, voice in enumerate(voices):
                clip, _ = A.place(rng, synth.trim(synth.speak(word, voice)) * 0.3)
                rel = f"{word}/{k:08x}_nohash_0.wav"
                write_wav(root / rel, clip)
                if k == 2:
                    lists["validation_list.txt"].append(rel)
                if k == 3:
                    lists["testing_list.txt"].append(rel)
        for name, rows in lists.items():
            (root / name).write_text("\n".join(rows) + "\n")
        (root / "_background_noise_").mkdir()
        write_wav(root / "_background_noise_" / "pink_noise.wav", A.coloured_noise(rng, 16000 * 5, "pink") * 0.1)
        out = Path(t) / "out"
        subprocess.run([sys.executable, "-m", "Datasets.train", "kws", "--data", str(root), "--real", "--out", str(out),
                        "--cache", str(Path(t) / "cache"), "--epochs-float", "1", "--epochs-binary", "1",
                        "--memory", "16", "--hidden", "32", "--blocks", "2", "--batch", "16"],
                       check=True, capture_output=True, cwd=D.parent)
        sess = ort.InferenceSession(str(out / "kws_bifsmn.onnx"), providers=["CPUExecutionProvider"])
        y = sess.run(None, {sess.get_inputs()[0].name: np.zeros((1, 1, 32, 32), np.float32)})[0]
        assert y.shape == (1, 12), y.shape
        assert (out / "kws_bifsmn.md").exists()



@check("VTLP: a tone at f warped by alpha peaks in the bin of a tone at f/alpha; alpha 1 is the identity")
def _vtlp():
    from ..kws.features import logmel
    from ..kws.warp import VTLP
    t = np.arange(16000) / 16000
    for f, alpha in [(700.0, 0.88), (1500.0, 1.12), (3000.0, 0.92)]:
        v = VTLP(spread=abs(alpha - 1), p=1.0, steps=2)
        k = int(np.argmin(np.abs(v.alphas - alpha)))
        i0, i1, w = v.tables[k]
        tone = logmel((0.3 * np.sin(2 * np.pi * f * t)).astype(np.float32)[None])[0]
        warped = tone[i0] * (1 - w[:, None]) + tone[i1] * w[:, None]
        ref = logmel((0.3 * np.sin(2 * np.pi * f / alpha * t)).astype(np.float32)[None])[0]
        assert abs(int(np.argmax(warped[:, 16])) - int(np.argmax(ref[:, 16]))) <= 1, (f, alpha)
    x = np.random.default_rng(0).normal(size=(3, 1, 32, 32)).astype(np.float32)
    same = VTLP(spread=0.0, p=1.0, steps=1)(x, np.random.default_rng(1))
    assert np.allclose(same, x, atol=1e-6)


def _pitch(x):
    """Pitch (Hz) of 16 kHz speech: the autocorrelation peak (40-400 Hz) around the loudest 80 ms."""
    e = np.convolve(x.astype(np.float64) ** 2, np.ones(400), "same")
    c = int(np.argmax(e))
    s = x[max(0, c - 640):c + 640].astype(np.float64)
    ac = np.correlate(s, s, "full")[s.size - 1:]
    return 16000 / (40 + int(np.argmax(ac[40:400])))

@check("festival: a diphone voice said at 80 Hz and at 160 Hz has those pitches")
def _festival_pitch():
    if not have("festival"):
        return "skip"
    from ..kws import festival
    if "kal" not in festival.festival_voices():
        return "skip"
    low, high = festival.festival_batch("kal", [("no", 1.0, 80.0), ("no", 1.0, 160.0)])
    for x, f0 in [(low, 80.0), (high, 160.0)]:
        assert abs(_pitch(x) - f0) < 0.2 * f0, (f0, _pitch(x))


@check("pico: both voices said at 100 Hz and at 250 Hz have those pitches")
def _pico_pitch():
    from ..kws import pico
    voices = pico.pico_voices(pico.TRAINING_VOICES + pico.VALIDATION_VOICES)
    if not voices:
        return "skip"
    for voice in voices:
        low, high = pico.pico_batch(voice, [("no", 1.0, 100.0), ("no", 1.0, 250.0)])
        for x, f0 in [(low, 100.0), (high, 250.0)]:
            assert abs(_pitch(x) - f0) < 0.2 * f0, (voice, f0, _pitch(x))


for name, status, why in results:
    print(f"{status.upper():4s} {name}" + (f": {why}" if why else ""))
passed = sum(s == "pass" for _, s, _ in results)
failed = sum(s == "fail" for _, s, _ in results)
skipped = sum(s == "skip" for _, s, _ in results)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
