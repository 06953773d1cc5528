"""espeak-ng synthesis to 16 kHz float32 mono."""
import io
import re
import subprocess
import wave

import numpy as np

from .wavio import to_16k

SAMPLE_RATE = 16000

# variants that are not voices (fast_test is a speed preset)
_SKIP_VARIANTS = {"fast"}


def english_accents():
    """Non-MBROLA English voices, one per voice file, sorted (e.g. en-us, en-gb-x-rp)."""
    out = subprocess.run(["espeak-ng", "--voices=en"], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1:]
    by_file = {}
    for line in out:
        cols = line.split()
        if len(cols) < 5 or cols[1] == "variant" or cols[4].startswith("mb/"):
            continue
        by_file.setdefault(cols[4], cols[1])
    return sorted(by_file.values())


def variants():
    """espeak-ng voice variants (the +name part), sorted."""
    out = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1:]
    names = set()
    for line in out:
        cols = line.split()
        if len(cols) >= 5 and cols[4].startswith("!v/"):
            names.add(cols[4][3:])
    return sorted(names - _SKIP_VARIANTS)


def _decode_wav(data):
    # espeak-ng --stdout writes a WAV whose size fields may be 0x7fffffff: parse by hand.
    if data[:4] != b"RIFF":
        raise RuntimeError("espeak-ng did not return a WAV")
    pos = 12
    rate = None
    while pos + 8 <= len(data):
        tag = data[pos:pos + 4]
        size = int.from_bytes(data[pos + 4:pos + 8], "little")
        if tag == b"fmt ":
            rate = int.from_bytes(data[pos + 12:pos + 16], "little")
        if tag == b"data":
            pcm = data[pos + 8:]
            pcm = pcm[:len(pcm) // 2 * 2]
            return rate, np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        pos += 8 + size
    raise RuntimeError("no data chunk in espeak-ng output")


def speak(text, voice, speed=175, pitch=50):
    """Synthesize `text` with espeak-ng voice `voice` (e.g. 'en-us+m3'); 16 kHz float32."""
    if not re.fullmatch(r"[A-Za-z0-9+_.\- ]+", voice):
        raise ValueError(f"bad voice name {voice!r}")
    res = subprocess.run(["espeak-ng", "-v", voice, "-s", str(int(speed)), "-p", str(int(pitch)),
                          "--stdout", text], capture_output=True, check=True)
    rate, x = _decode_wav(res.stdout)
    return to_16k(x, rate)


def trim(x, rel_threshold=0.02, frame=160):
    """Cut leading/trailing near-silence (frames whose peak is below rel_threshold of the max)."""
    if x.size == 0:
        return x
    peak = np.max(np.abs(x))
    if peak <= 0:
        return x[:0]
    n = x.size // frame
    frames = np.abs(x[:n * frame]).reshape(n, frame).max(axis=1)
    active = np.nonzero(frames > rel_threshold * peak)[0]
    if active.size == 0:
        return x[:0]
    start = max(0, (active[0] - 1) * frame)
    end = min(x.size, (active[-1] + 2) * frame)
    return x[start:end]
