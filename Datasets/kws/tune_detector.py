#!/usr/bin/env python3
"""Choose the streaming detector's settings on a validation stream (voices never in the test set).

Posteriors come from onnxruntime on every 1 s window the runtime classifies at --stride 1
(one per 512-sample hop); the detector and the scoring below follow the runtime's
KeywordDetector and StreamEvaluator rule for rule (average of the newest `average` posteriors,
at least 3; top class above `threshold`; no detection within `refractory` s of the previous one;
time = start of the averaged window where the keyword scored highest; TensorFlow's 750 ms
tolerance). `edgepack kws-eval` gives the figures that count; this only searches the grid fast.

Prints recall and false alarms per hour for each (threshold, average) and the setting with the
highest recall whose false alarms stay under --max-fa-per-hour.
Usage: tune_detector.py --onnx M.onnx --wav V.wav --labels V.tsv [--max-fa-per-hour 3]
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from features import logmel  # noqa: E402
from vocabulary import SILENCE_INDEX, UNKNOWN_INDEX, LABELS  # noqa: E402
from wavio import read_wav  # noqa: E402

SR, HOP, CLIP = 16000, 512, 16000


def posteriors(onnx_path, x):
    import onnxruntime as ort
    sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    starts = np.arange(0, x.size - CLIP + 1, HOP)
    view = np.lib.stride_tricks.sliding_window_view(x, CLIP)[::HOP]
    out = []
    for i in range(0, len(starts), 1024):
        f = logmel(np.ascontiguousarray(view[i:i + 1024]))[:, None].astype(np.float32)
        out.append(sess.run(None, {name: f})[0])
    logits = np.concatenate(out)
    e = np.exp(logits - logits.max(1, keepdims=True))
    return starts, e / e.sum(1, keepdims=True)


def detect(starts, post, threshold, average, refractory, minimum=3):
    keep = np.ones(post.shape[1], bool)
    keep[[SILENCE_INDEX, UNKNOWN_INDEX]] = False
    csum = np.vstack([np.zeros((1, post.shape[1])), np.cumsum(post, 0)])
    dets, last = [], None
    for i in range(len(starts)):
        n = min(i + 1, average)
        if n < min(minimum, average):
            continue
        avg = (csum[i + 1] - csum[i + 1 - n]) / n
        top = int(avg.argmax())
        if not keep[top] or avg[top] <= threshold:
            continue
        end = starts[i] + CLIP
        if last is not None and end - last < refractory * SR:
            continue
        last = end
        best = i - n + 1 + int(post[i - n + 1:i + 1, top].argmax())
        dets.append((LABELS[top], starts[best] / SR, float(avg[top])))
    return dets


def score(dets, labels, tolerance=0.75):
    used = [False] * len(labels)
    matched = wrong = fa = 0
    for word, t, _ in dets:
        same = other = -1
        for j, (on, w) in enumerate(labels):
            if used[j] or on < t - tolerance:
                continue
            if on > t + tolerance:
                break
            if w == word:
                same = j
                break
            if other < 0:
                other = j
        if same >= 0:
            used[same] = True
            matched += 1
        elif other >= 0:
            used[other] = True
            wrong += 1
        else:
            fa += 1
    return matched, wrong, fa


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--wav", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.6, 0.7, 0.8, 0.85, 0.9, 0.95])
    ap.add_argument("--averages", type=int, nargs="+", default=[3, 6, 10, 16, 24])
    ap.add_argument("--refractory", type=float, default=1.0)
    ap.add_argument("--max-fa-per-hour", type=float, default=3.0)
    ap.add_argument("--verbose", action="store_true", help="print the false alarms of the chosen setting")
    args = ap.parse_args()
    x, rate = read_wav(args.wav)
    assert rate == SR, "stream must be 16 kHz"
    labels = sorted((float(a), b.strip()) for a, b in
                    (line.split("\t")[:2] for line in Path(args.labels).read_text().splitlines() if line.strip()))
    starts, post = posteriors(args.onnx, x)
    hours = x.size / SR / 3600
    best = None
    print(f"{args.wav}: {x.size / SR:.0f} s, {len(labels)} keywords, {len(starts)} windows")
    print("threshold average  matched wrong false  recall  FA/hour")
    for th in args.thresholds:
        for k in args.averages:
            m, w, fa = score(detect(starts, post, th, k, args.refractory), labels)
            r, fph = m / max(1, len(labels)), fa / hours
            print(f"{th:9.2f} {k:7d}  {m:7d} {w:5d} {fa:5d}  {100 * r:5.1f} %  {fph:7.1f}")
            if fph <= args.max_fa_per_hour and (best is None or r > best[0]):
                best = (r, fph, th, k)
    if best is None:
        print(f"no setting keeps false alarms under {args.max_fa_per_hour}/hour")
        return
    print(f"chosen: threshold {best[2]:.2f}, average {best[3]}: recall {100 * best[0]:.1f} %, "
          f"{best[1]:.1f} false alarms/hour")
    if args.verbose:
        dets = detect(starts, post, best[2], best[3], args.refractory)
        lab = np.array([on for on, _ in labels])
        for word, t, s in dets:
            near = lab[np.abs(lab - t) <= 0.75]
            if len(near) == 0:
                print(f"  false: {t:8.3f} s {word} ({s:.3f})")


if __name__ == "__main__":
    main()
