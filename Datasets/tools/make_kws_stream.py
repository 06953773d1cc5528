#!/usr/bin/env python3
"""Build a long keyword-spotting test stream from single-word clips.

Words are placed one after another at random onsets (a random gap between the end of one clip
and the start of the next), optionally over noise, and written as LONG.wav (16 kHz, 16-bit mono)
with LABELS.tsv: one `onset_seconds<TAB>word` line per placed word, as `edgepack kws-eval` reads.

Clips come from a Speech Commands-style folder (DIR/<word>/*.wav, 16 kHz 16-bit) or, with
--espeak, are synthesized by espeak-ng (resampled by sox) so a stream can be made anywhere.

The onset written is, by default, the start of the clip (--onset clip), the convention of
TensorFlow's streaming test: a detector's time is the start of the 1 s window that found the word,
and the best window lines up with a training-style clip. --onset speech writes the first sample
where the clip's short-time energy rises above -35 dB of its peak instead.

Examples:
  python -m Datasets.tools.make_kws_stream --clips speech_commands/ --words yes,no,up,down --count 60 --out /tmp/s
  python -m Datasets.tools.make_kws_stream --espeak --words yes,no,stop,go --count 20 --noise-rms 0.005 --out /tmp/s
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

from ..kws import wavio

SR = 16000


def read_wav(path):
    """Mono float64 samples of a 16 kHz 16-bit PCM file; exits naming the file otherwise."""
    try:
        x, rate = wavio.read_wav(path)
    except ValueError as e:
        sys.exit(f"{e} (convert with sox)")
    if rate != SR:
        sys.exit(f"{path}: {rate} Hz, need {SR} Hz (convert with sox)")
    return x.astype(np.float64)


def espeak_clip(word, voice, speed, tmp):
    raw, out = os.path.join(tmp, "raw.wav"), os.path.join(tmp, "clip.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, word], check=True)
    subprocess.run(["sox", "-D", raw, "-r", str(SR), "-b", "16", "-c", "1", out], check=True)
    return read_wav(out)


def speech_onset(x):
    """First 10 ms frame whose RMS exceeds -35 dB of the loudest frame."""
    hop = SR // 100
    frames = len(x) // hop
    if frames == 0:
        return 0
    rms = np.sqrt(np.mean(x[:frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-20)
    above = np.nonzero(rms > rms.max() * 10 ** (-35 / 20))[0]
    return int(above[0]) * hop if len(above) else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--clips", help="folder with one subfolder of .wav clips per word")
    src.add_argument("--espeak", action="store_true", help="synthesize the words with espeak-ng")
    p.add_argument("--words", required=True, help="comma-separated words to place")
    p.add_argument("--count", type=int, default=40, help="words to place (default 40)")
    p.add_argument("--min-gap", type=float, default=1.0, help="seconds between clips, at least")
    p.add_argument("--max-gap", type=float, default=3.0, help="seconds between clips, at most")
    p.add_argument("--lead", type=float, default=1.0, help="seconds of noise before the first word")
    p.add_argument("--noise-rms", type=float, default=0.0, help="white noise level (RMS, full scale 1)")
    p.add_argument("--background", help="a 16 kHz wav looped under the stream (e.g. _background_noise_)")
    p.add_argument("--background-gain", type=float, default=0.1)
    p.add_argument("--onset", choices=["clip", "speech"], default="clip")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="output folder (LONG.wav and LABELS.tsv)")
    a = p.parse_args()
    if a.min_gap < 0 or a.max_gap < a.min_gap:
        sys.exit("need 0 <= --min-gap <= --max-gap")
    rng = np.random.default_rng(a.seed)
    words = [w for w in a.words.split(",") if w]

    pools = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in words:
            if a.espeak:
                # A few voices and speeds so the clips differ.
                pools[w] = [espeak_clip(w, v, s, tmp) for v in ("en", "en-us", "en+f3") for s in (130, 160)]
            else:
                folder = os.path.join(a.clips, w)
                files = sorted(f for f in os.listdir(folder) if f.endswith(".wav"))
                if not files:
                    sys.exit("no .wav clips in " + folder)
                pools[w] = [os.path.join(folder, f) for f in files]

        pieces, labels = [np.zeros(int(a.lead * SR))], []
        at = len(pieces[0])
        for i in range(a.count):
            w = words[rng.integers(len(words))]
            item = pools[w][rng.integers(len(pools[w]))]
            clip = read_wav(item) if isinstance(item, str) else item
            onset = at + (speech_onset(clip) if a.onset == "speech" else 0)
            labels.append((onset / SR, w))
            gap = int(rng.uniform(a.min_gap, a.max_gap) * SR)
            pieces += [clip, np.zeros(gap)]
            at += len(clip) + gap
        stream = np.concatenate(pieces)

    if a.background:
        bg = read_wav(a.background)
        reps = int(np.ceil(len(stream) / len(bg)))
        stream += a.background_gain * np.tile(bg, reps)[:len(stream)]
    if a.noise_rms > 0:
        stream += a.noise_rms * rng.standard_normal(len(stream))
    peak = np.abs(stream).max()
    if peak > 0.999:
        stream *= 0.999 / peak

    os.makedirs(a.out, exist_ok=True)
    wavio.write_wav(os.path.join(a.out, "LONG.wav"), stream)
    with open(os.path.join(a.out, "LABELS.tsv"), "w") as f:
        for onset, w in labels:
            f.write("%.4f\t%s\n" % (onset, w))
    print("%d words, %.1f s -> %s" % (len(labels), len(stream) / SR, a.out))


if __name__ == "__main__":
    main()
