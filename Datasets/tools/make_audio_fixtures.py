#!/usr/bin/env python3
"""Reference fixtures for the EdgePack audio front end and WAV reader.

Writes into Tests/EdgePackTests/Fixtures/audio/:
  <clip>.wav                 16 kHz 16-bit mono test audio (espeak-ng words, a chirp in noise)
  <clip>.<config>.npy        expected features [n_mels, frames] from torchaudio (MelSpectrogram +
                             AmplitudeToDB run in float64, stored as float32)
  <clip>.bifsmn.f32.npy      the BiFSMN features from torchaudio in float32 (its default precision)
  wav_*.wav, wav_*.npy       WAV encodings written by sox, and the mono float samples each must
                             decode to (derived from the 16-bit source, not by parsing the file;
                             wav_mono.npy serves every lossless mono encoding)

Every feature array is also recomputed with an independent numpy implementation below and the
script fails if the two disagree by more than 1e-3 dB (they differ by ~3e-4 dB at most:
torchaudio builds its mel filterbank in float32). When torchaudio cannot be imported the
numpy result is written instead (and a warning printed).

The committed fixtures were made with torch 2.13.0+cpu and torchaudio 2.11.1 from PyPI
(pip install torch==2.13.0+cpu numpy; pip install --no-deps torchaudio==2.11.1). That torchaudio
wheel's compiled extension wants CUDA libraries; MelSpectrogram and AmplitudeToDB are pure Python
on torch.stft and need none of it, so the extension's .so files were moved out of
site-packages/torchaudio/lib in that throwaway venv.

Needs: numpy, espeak-ng, sox; torchaudio optional. Usage:
  python -m Datasets.tools.make_audio_fixtures [--out DIR]
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import wave

import numpy as np

# Front-end configurations exercised by the tests (the Swift tests spell out the same values).
CONFIGS = {
    # BiFSMN: MelSpectrogram(n_fft=2048, hop_length=512, n_mels=32, normalized=True) + AmplitudeToDB
    "bifsmn": dict(n_fft=2048, win_length=2048, hop=512, window="hann", center=True, pad="reflect",
                   n_mels=32, f_min=0.0, f_max=8000.0, mel_scale="htk", power=2.0, normalized=True,
                   multiplier=10.0, amin=1e-10, top_db=None),
    # Shorter window inside a larger FFT, Hamming, Slaney mels, magnitude, zero padding, top_db.
    "alt": dict(n_fft=512, win_length=400, hop=160, window="hamming", center=True, pad="constant",
                n_mels=40, f_min=20.0, f_max=7600.0, mel_scale="slaney", power=1.0, normalized=False,
                multiplier=20.0, amin=1e-5, top_db=60.0),
    # No centring, rectangular window.
    "plain": dict(n_fft=256, win_length=256, hop=128, window="rectangular", center=False, pad="reflect",
                  n_mels=20, f_min=300.0, f_max=6000.0, mel_scale="htk", power=2.0, normalized=True,
                  multiplier=10.0, amin=1e-10, top_db=None),
}

SR = 16000


def read_wav16(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2 and w.getframerate() == SR and w.getnchannels() == 1, path
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def write_wav16(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(samples.astype("<i2").tobytes())


def espeak_word(word, seconds, lead, tmp):
    """A word spoken by espeak-ng, resampled to 16 kHz by sox, placed `lead` s into a clip."""
    raw = os.path.join(tmp, word + ".22k.wav")
    out = os.path.join(tmp, word + ".16k.wav")
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", raw, word], check=True)
    subprocess.run(["sox", "-D", raw, "-r", str(SR), "-b", "16", "-c", "1", out], check=True)
    speech = read_wav16(out)
    clip = np.zeros(int(seconds * SR), dtype=np.int16)
    start = int(lead * SR)
    n = min(len(speech), len(clip) - start)
    clip[start:start + n] = speech[:n]
    return clip


def chirp_in_noise(seconds, seed):
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SR)) / SR
    f0, f1 = 100.0, 7000.0
    phase = 2 * np.pi * f0 * seconds / np.log(f1 / f0) * (np.exp(t / seconds * np.log(f1 / f0)) - 1)
    x = 0.3 * np.sin(phase) * np.minimum(1, t * 20) + 0.01 * rng.standard_normal(len(t))
    return np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)


# ---------------------------------------------------------------- independent numpy reference
def np_window(kind, n):
    k = np.arange(n, dtype=np.float64)
    if kind == "hann":
        return 0.5 - 0.5 * np.cos(2 * np.pi * k / n)
    if kind == "hamming":
        return 0.54 - 0.46 * np.cos(2 * np.pi * k / n)
    return np.ones(n)


def np_hz_to_mel(f, scale):
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    lin = f / (200.0 / 3)
    return np.where(f >= 1000, 15.0 + np.log(np.maximum(f, 1e-30) / 1000) / (np.log(6.4) / 27), lin)


def np_mel_to_hz(m, scale):
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    return np.where(m >= 15, 1000 * np.exp(np.log(6.4) / 27 * (m - 15)), m * 200.0 / 3)


def np_features(x, c):
    x = x.astype(np.float64)
    n_fft, hop = c["n_fft"], c["hop"]
    if c["center"]:
        x = np.pad(x, n_fft // 2, mode="reflect" if c["pad"] == "reflect" else "constant")
    win = np.zeros(n_fft)
    left = (n_fft - c["win_length"]) // 2
    win[left:left + c["win_length"]] = np_window(c["window"], c["win_length"])
    frames = 1 + (len(x) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(x[idx] * win, axis=1)                      # [frames, bins]
    if c["normalized"]:
        spec = spec / np.sqrt(np.sum(win ** 2))
    p = np.abs(spec) ** c["power"]
    bins = np.linspace(0, SR // 2, n_fft // 2 + 1)
    edges = np_mel_to_hz(np.linspace(np_hz_to_mel(c["f_min"], c["mel_scale"]),
                                     np_hz_to_mel(c["f_max"], c["mel_scale"]), c["n_mels"] + 2),
                         c["mel_scale"])
    fb = np.zeros((len(bins), c["n_mels"]))
    for m in range(c["n_mels"]):
        lo, ce, hi = edges[m], edges[m + 1], edges[m + 2]
        fb[:, m] = np.maximum(0, np.minimum((bins - lo) / (ce - lo), (hi - bins) / (hi - ce)))
    mel = (p @ fb).T                                              # [n_mels, frames]
    db = c["multiplier"] * np.log10(np.maximum(mel, c["amin"]))
    if c["top_db"] is not None:
        db = np.maximum(db, db.max() - c["top_db"])
    return np.ascontiguousarray(db)


def torch_features(x, c, dtype_name):
    import torch
    import torchaudio
    dtype = getattr(torch, dtype_name)
    windows = {"hann": torch.hann_window, "hamming": torch.hamming_window,
               "rectangular": lambda n, **kw: torch.ones(n, **kw)}
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=SR, n_fft=c["n_fft"], win_length=c["win_length"], hop_length=c["hop"],
        f_min=c["f_min"], f_max=c["f_max"], n_mels=c["n_mels"], window_fn=windows[c["window"]],
        power=c["power"], normalized=c["normalized"], center=c["center"], pad_mode=c["pad"],
        mel_scale=c["mel_scale"], norm=None)
    to_db = torchaudio.transforms.AmplitudeToDB(
        stype="power" if c["multiplier"] == 10.0 else "magnitude", top_db=c["top_db"])
    to_db.amin = c["amin"]
    model = torch.nn.Sequential(mel, to_db).to(dtype)
    with torch.no_grad():
        y = model(torch.tensor(x.astype(np.float64) / 32768.0, dtype=dtype)[None])[0]
    return np.ascontiguousarray(y.numpy().astype(np.float64))


def have_torchaudio():
    try:
        import torchaudio  # noqa: F401
        return True
    except Exception as error:                                  # noqa: BLE001
        print("warning: torchaudio unavailable (%s); writing the numpy reference" % error, file=sys.stderr)
        return False


# ---------------------------------------------------------------- WAV encodings via sox
def sox_variants(source, out, tmp):
    """Encodings of `source` (int16 mono) written by sox, each with the mono float signal it must
    decode to. Every conversion used is exact for 16-bit input."""
    base = os.path.join(tmp, "src.wav")
    write_wav16(base, source)
    ref = source.astype(np.float64) / 32768.0
    other = np.roll(source, 7)                                  # a second, different channel
    other_wav = os.path.join(tmp, "other.wav")
    write_wav16(other_wav, other)
    stereo = os.path.join(tmp, "stereo.wav")
    subprocess.run(["sox", "-D", "-M", base, other_wav, stereo], check=True)
    three = os.path.join(tmp, "three.wav")
    subprocess.run(["sox", "-D", "-M", base, other_wav, base, three], check=True)
    mean2 = (source.astype(np.float64) + other) / 2 / 32768.0
    mean3 = (2 * source.astype(np.float64) + other) / 3 / 32768.0
    variants = {
        "wav_s16": ([base], [], ref),
        "wav_s24": ([base], ["-b", "24"], ref),
        "wav_s32": ([base], ["-b", "32"], ref),
        "wav_f32": ([base], ["-e", "floating-point", "-b", "32"], ref),
        "wav_f64": ([base], ["-e", "floating-point", "-b", "64"], ref),
        "wav_u8": ([base], ["-b", "8"], None),                   # lossy: expected from the file
        "wav_stereo_s16": ([stereo], [], mean2),
        "wav_3ch_s24": ([three], ["-b", "24"], mean3),          # sox writes WAVE_FORMAT_EXTENSIBLE
        "wav_ulaw": ([base], ["-e", "u-law"], None),            # unsupported codec
    }
    for name, (inputs, args, expected) in variants.items():
        path = os.path.join(out, name + ".wav")
        subprocess.run(["sox", "-D"] + inputs + args + [path], check=True)
        if name == "wav_u8":
            # 8-bit WAV is unsigned with 128 as zero; the expected floats come from its data bytes.
            data = wav_data_chunk(path)
            expected = (np.frombuffer(data, dtype=np.uint8).astype(np.float64) - 128) / 128
        if expected is ref:
            continue                                            # one shared file: wav_mono.npy
        if expected is not None:
            np.save(os.path.join(out, name + ".npy"), expected.astype(np.float64))
    np.save(os.path.join(out, "wav_mono.npy"), ref)


def wav_data_chunk(path):
    blob = open(path, "rb").read()
    at = 12
    while at + 8 <= len(blob):
        tag, size = blob[at:at + 4], struct.unpack("<I", blob[at + 4:at + 8])[0]
        if tag == b"data":
            return blob[at + 8:at + 8 + size]
        at += 8 + size + (size & 1)
    raise ValueError("no data chunk in " + path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "Tests", "EdgePackTests", "Fixtures", "audio")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    use_torch = have_torchaudio()
    with tempfile.TemporaryDirectory() as tmp:
        clips = {
            "yes": espeak_word("yes", 1.0, 0.2, tmp),
            "chirp": chirp_in_noise(1.0, seed=4),
            # A longer stream (word, then the chirp) for the streaming extractor.
            "stream": np.concatenate([espeak_word("stop", 0.9, 0.3, tmp), chirp_in_noise(0.9, seed=5)]),
        }
        for name, samples in clips.items():
            write_wav16(os.path.join(out, name + ".wav"), samples)
            for cname, c in CONFIGS.items():
                if name == "stream" and cname != "bifsmn":
                    continue
                ref = np_features(samples / 32768.0, c)
                if use_torch:
                    t64 = torch_features(samples, c, "float64")
                    t32 = torch_features(samples, c, "float32")
                    gap = np.abs(t64 - ref).max()
                    assert gap < 1e-3, "%s/%s: numpy and torchaudio differ by %g dB" % (name, cname, gap)
                    print("%-7s %-6s %s  torch64-numpy %.2e dB  torch32-torch64 %.2e dB"
                          % (name, cname, t64.shape, gap, np.abs(t32 - t64).max()))
                else:
                    t64 = t32 = ref
                # Stored as float32 (rounding adds < 1e-5 dB) to keep the fixtures small.
                np.save(os.path.join(out, "%s.%s.npy" % (name, cname)), np.ascontiguousarray(t64, dtype=np.float32))
                if cname == "bifsmn":
                    np.save(os.path.join(out, "%s.%s.f32.npy" % (name, cname)), np.ascontiguousarray(t32, dtype=np.float32))
        sox_variants(clips["yes"][3200:4800], out, tmp)          # 0.1 s of speech
    print("fixtures written to", out)


if __name__ == "__main__":
    main()
