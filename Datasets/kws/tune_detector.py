#!/usr/bin/env python3
"""Choose the streaming detector's settings on a validation stream (voices never in the test set).

Posteriors come from onnxruntime on every 1 s window the runtime classifies at --stride 1
(one per 512-sample hop); the detector and the scoring below follow the runtime's
KeywordDetector and StreamEvaluator rule for rule (average of the newest `average` posteriors,
at least 3; top class above `threshold`; no detection within `refractory` s of the previous one;
time = start of the averaged window where the keyword scored highest; TensorFlow's 750 ms
tolerance). `edgepack kws-eval` gives the figures that count; this only searches the grid fast.

Prints recall and false alarms per hour for each (threshold, average) and chooses the setting with
the fewest false alarms among those with recall >= --min-recall (if none, the highest recall).
--write-onnx stamps the choice into the model's `edgepack.audio` metadata (detector_threshold,
detector_average, detector_refractory), so `edgepack convert` carries it into the .epk and
`edgepack kws` uses it unless flags say otherwise. --write-conf rewrites the detector lines of a
preprocessing conf (`edgepack convert --preprocessing`, which overrides the metadata) to the same
choice, so the two cannot disagree.
Several streams (--wav A.wav B.wav --labels A.tsv B.tsv) are scored together: an hour of
validation audio tells settings apart that 20 minutes (a handful of false alarms) cannot.
Usage: python -m Datasets.kws.tune_detector --onnx M.onnx --wav V.wav [V2.wav ...] --labels V.tsv [V2.tsv ...]
                        [--min-recall 0.9] [--write-onnx OUT.onnx] [--write-conf PRE.conf]
"""
import argparse
import sys
from pathlib import Path

import numpy as np

from .features import logmel
from .vocabulary import SILENCE_INDEX, UNKNOWN_INDEX, LABELS
from .wavio import read_wav

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
    ap.add_argument("--wav", required=True, nargs="+")
    ap.add_argument("--labels", required=True, nargs="+", help="one label TSV per --wav, same order")
    ap.add_argument("--thresholds", type=float, nargs="+",
                    default=[0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9])
    ap.add_argument("--averages", type=int, nargs="+", default=[3, 6, 8, 10, 12, 16, 20])
    ap.add_argument("--refractory", type=float, default=1.0)
    ap.add_argument("--min-recall", type=float, default=0.9)
    ap.add_argument("--write-onnx", help="write a copy of --onnx with the chosen setting in its metadata")
    ap.add_argument("--write-conf", help="set detector_threshold/_average/_refractory in this preprocessing conf")
    ap.add_argument("--verbose", action="store_true", help="print the false alarms of the chosen setting")
    args = ap.parse_args()
    if len(args.wav) != len(args.labels):
        sys.exit("give one --labels file per --wav file")
    streams, seconds = [], 0.0
    for wav, tsv in zip(args.wav, args.labels):
        x, rate = read_wav(wav)
        if rate != SR:
            sys.exit(f"{wav}: {rate} Hz, the stream must be 16 kHz")
        labels = sorted((float(a), b.strip()) for a, b in
                        (line.split("\t")[:2] for line in Path(tsv).read_text().splitlines() if line.strip()))
        starts, post = posteriors(args.onnx, x)
        streams.append((starts, post, labels))
        seconds += x.size / SR
        print(f"{wav}: {x.size / SR:.0f} s, {len(labels)} keywords, {len(starts)} windows")
    keywords = sum(len(lab) for _, _, lab in streams)
    hours = seconds / 3600
    rows = []
    print("threshold average  matched wrong false  recall  FA/hour")
    for th in args.thresholds:
        for k in args.averages:
            m = w = fa = 0
            for starts, post, labels in streams:
                a, b, c = score(detect(starts, post, th, k, args.refractory), labels)
                m, w, fa = m + a, w + b, fa + c
            r, fph = m / max(1, keywords), fa / hours
            print(f"{th:9.2f} {k:7d}  {m:7d} {w:5d} {fa:5d}  {100 * r:5.1f} %  {fph:7.1f}")
            rows.append((r, fph, th, k))
    ok = [row for row in rows if row[0] >= args.min_recall]
    best = min(ok, key=lambda row: (row[1], -row[0])) if ok else max(rows, key=lambda row: (row[0], -row[1]))
    print(("chosen" if ok else f"no setting reaches recall {args.min_recall:.2f}; highest recall") +
          f": threshold {best[2]:.2f}, average {best[3]}: recall {100 * best[0]:.1f} %, "
          f"{best[1]:.1f} false alarms/hour")
    if args.verbose:
        for wav, (starts, post, labels) in zip(args.wav, streams):
            lab = np.array([on for on, _ in labels])
            for word, t, s in detect(starts, post, best[2], best[3], args.refractory):
                if not np.any(np.abs(lab - t) <= 0.75):
                    print(f"  false: {wav} {t:8.3f} s {word} ({s:.3f})")
    if args.write_onnx:
        import json
        import onnx
        m = onnx.load(args.onnx)
        entry = next((p for p in m.metadata_props if p.key == "edgepack.audio"), None)
        if entry is None:
            sys.exit(f"{args.onnx}: no edgepack.audio metadata to extend")
        audio = json.loads(entry.value)
        audio.update(detector_threshold=round(best[2], 4), detector_average=int(best[3]),
                     detector_refractory=args.refractory)
        entry.value = json.dumps(audio, sort_keys=True)
        onnx.save(m, args.write_onnx)
        print(f"wrote {args.write_onnx} with the detector setting in edgepack.audio")
    if args.write_conf:
        write_conf(Path(args.write_conf), best[2], best[3], args.refractory)
        print(f"wrote the detector setting into {args.write_conf}")


def write_conf(path, threshold, average, refractory):
    """Replaces the detector_* lines of a preprocessing conf (appends them if absent), keeping the rest."""
    values = {"detector_threshold": f"{threshold:g}", "detector_average": str(int(average)),
              "detector_refractory": f"{refractory:.1f}"}
    lines, seen = [], set()
    for line in path.read_text().splitlines():
        key = line.split("=", 1)[0].strip()
        if key in values:
            lines.append(f"{key} = {values[key]}")
            seen.add(key)
        else:
            lines.append(line)
    lines += [f"{k} = {v}" for k, v in values.items() if k not in seen]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
