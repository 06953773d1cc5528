#!/usr/bin/env python3
"""Single-word top-1 on an engine the model never heard: every flite voice x the ten keywords x three
speeds, each trimmed word centred in a 1 s clip without noise, classified by the model (onnxruntime on
the ONNX file, the runtime's front end in numpy: features.py, checked against torchaudio).

flite is for evaluation only: nothing here trains, validates or tunes anything.
Usage: python -m Datasets.kws.flite_words --onnx Datasets/trained/kws_bifsmn.onnx [--json]
"""
import argparse
import json

import numpy as np

from . import synth
from .flite import flite_speak, flite_voices
from .augment import place
from .features import logmel
from .vocabulary import KEYWORDS, LABELS

STRETCHES = (0.8, 1.0, 1.25)


def clips():
    """(clips (n, 16000) float32, keyword index per clip, 'voice@stretch' per clip)."""
    xs, ys, who = [], [], []
    rng = np.random.default_rng(0)  # place() centres words shorter than the window only via rng: fixed
    for voice in flite_voices():
        for stretch in STRETCHES:
            for k, word in enumerate(KEYWORDS):
                w = synth.trim(flite_speak(word, voice, stretch))
                w = w * (0.3 / (np.max(np.abs(w)) + 1e-9))
                clip, _ = place(rng, w, 16000, margin=max(0, (16000 - w.size) // 2))
                xs.append(clip)
                ys.append(k)
                who.append(f"{voice}@{stretch}")
    return np.stack(xs), np.array(ys), who


# flite voices recorded by a speaker whose recordings festival's training voices also use (kal's diphones;
# CMU ARCTIC slt): the engine is unseen, the speaker is not. awb and rms are speakers no training voice has.
SPEAKERS_IN_TRAINING = {"kal", "kal16", "slt"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import onnxruntime as ort
    x, y, who = clips()
    sess = ort.InferenceSession(args.onnx, providers=["CPUExecutionProvider"])
    logits = sess.run(None, {sess.get_inputs()[0].name: logmel(x)[:, None].astype(np.float32)})[0]
    pred = logits.argmax(1)
    ok = pred == y
    per_voice = {}
    for good, w in zip(ok, who):
        v = w.split("@")[0]
        a, b = per_voice.get(v, (0, 0))
        per_voice[v] = (a + int(good), b + 1)
    unseen = np.array([w.split("@")[0] not in SPEAKERS_IN_TRAINING for w in who])
    result = {"clips": int(len(y)), "correct": int(ok.sum()), "top1": float(ok.mean()),
              "unseen_speakers": f"{int(ok[unseen].sum())}/{int(unseen.sum())}",
              "per_voice": {v: f"{a}/{b}" for v, (a, b) in sorted(per_voice.items())},
              "misses": [f"{who[i]} {KEYWORDS[y[i]]} -> {LABELS[pred[i]]}" for i in np.nonzero(~ok)[0]]}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"flite single words: {result['correct']}/{result['clips']} top-1 ({100 * result['top1']:.1f} %)")
        print("per voice: " + ", ".join(f"{v} {s}" for v, s in result["per_voice"].items()))
        print(f"speakers in no training voice (awb, rms): {result['unseen_speakers']}")


if __name__ == "__main__":
    main()
