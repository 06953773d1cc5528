#!/usr/bin/env python3
"""Reference streaming evaluation of a KWS model in PyTorch or onnxruntime (for tuning and
for cross-checking `edgepack kws-eval`).

Detector: 1 s window moved by --stride samples; each window's log-mel computed exactly as in
training (features.py, clip-style); softmax posteriors averaged over the windows of the last
--smooth seconds (at least 3); a keyword is detected when its averaged score >= --threshold
and it is the top class; the same keyword is not reported again within --refractory s;
silence/unknown are never reported. A detection's time is its window's end minus 0.5 s.
Scoring (TensorFlow streaming-test convention): a detection within --tolerance s after a
label's onset (or up to 0.5 s before) matches it if the word is the same (else it is a wrong
word); a label is matched at most once; other detections are false alarms.
Usage: stream_eval.py --onnx MODEL.onnx --wav S.wav --labels S.tsv [--threshold 0.7 ...]
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from features import logmel  # noqa: E402
from vocabulary import LABELS, SILENCE_INDEX, UNKNOWN_INDEX  # noqa: E402
from wavio import read_wav  # noqa: E402


def posteriors(run, x, stride):
    starts = np.arange(0, x.size - 16000 + 1, stride)
    feats = logmel(np.stack([x[s:s + 16000] for s in starts]))[:, None]
    logits = np.concatenate([run(feats[i:i + 256]) for i in range(0, len(feats), 256)])
    e = np.exp(logits - logits.max(1, keepdims=True))
    return (starts + 16000) / 16000.0, e / e.sum(1, keepdims=True)


def detect(ends, post, threshold, smooth, refractory, stride_s):
    k = max(3, int(round(smooth / stride_s)))
    dets = []
    last = {}
    for i in range(len(ends)):
        avg = post[max(0, i - k + 1):i + 1].mean(0)
        c = int(avg.argmax())
        if c in (SILENCE_INDEX, UNKNOWN_INDEX) or avg[c] < threshold or i + 1 < 3:
            continue
        t = ends[i] - 0.5
        if c in last and t - last[c] < refractory:
            continue
        last[c] = t
        dets.append((t, LABELS[c], float(avg[c])))
    return dets


def score(dets, labels, tolerance):
    used = [False] * len(labels)
    matched = wrong = fa = 0
    for t, word, _ in dets:
        hit = None
        for j, (on, w) in enumerate(labels):
            if not used[j] and on - 0.5 <= t <= on + tolerance:
                hit = j
                break
        if hit is None:
            fa += 1
        else:
            used[hit] = True
            if labels[hit][1] == word:
                matched += 1
            else:
                wrong += 1
    return matched, wrong, fa


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--wav", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--stride", type=int, default=512)
    ap.add_argument("--smooth", type=float, default=0.5)
    ap.add_argument("--refractory", type=float, default=1.5)
    ap.add_argument("--tolerance", type=float, default=0.75)
    ap.add_argument("--threshold", type=float, nargs="+", default=[0.5, 0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--card", default=None, help="append the results as a section to this model card")
    args = ap.parse_args()
    import onnxruntime as ort
    sess = ort.InferenceSession(args.onnx, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name

    def run(f):
        return sess.run(None, {name: f.astype(np.float32)})[0]
    x, rate = read_wav(args.wav)
    assert rate == 16000
    labels = [(float(a), b.strip()) for a, b in
              (line.split("\t") for line in Path(args.labels).read_text().splitlines() if line.strip())]
    ends, post = posteriors(run, x, args.stride)
    hours = x.size / 16000 / 3600
    rows = []
    for th in args.threshold:
        dets = detect(ends, post, th, args.smooth, args.refractory, args.stride / 16000)
        m, w, fa = score(dets, labels, args.tolerance)
        print(f"threshold {th:.2f}: {len(labels)} keywords, matched {m}, wrong {w}, false {fa}; "
              f"recall {m / max(1, len(labels)) * 100:.1f} %, false alarms/hour {fa / hours:.1f}")
        rows.append(f"| {th:.2f} | {m} | {w} | {fa} | {m / max(1, len(labels)) * 100:.1f} % | {fa / hours:.0f} |")
        if args.verbose:
            for d in dets:
                print(f"   {d[0]:8.3f}  {d[1]:6s} {d[2]:.3f}")
    if args.card:
        with open(args.card, "a") as f:
            f.write(f"""
## Streaming (reference detector, `Datasets/kws/stream_eval.py`)
`{Path(args.wav).name}`: {x.size / 16000:.0f} s of unseen (test) voices in noise, {len(labels)} keywords.
Window 1 s every {args.stride} samples, posteriors averaged over {args.smooth} s, refractory
{args.refractory} s, 750 ms tolerance. (`edgepack kws-eval` is the runtime's own measurement.)

| threshold | matched | wrong word | false | recall | false alarms / hour |
|---|---|---|---|---|---|
""" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
