"""festival's English voices as training speech (kal and ked diphones, the slt HTS voice).

A model trained on one synthesizer learns that synthesizer; festival adds speakers and other vocoders.
festival starts slowly (about 2.5 s per process), so words are synthesized in one batch per voice.
"""
import subprocess
import tempfile
from pathlib import Path

from .wavio import read_wav, to_16k


# festival voice -> its Scheme selector; only the ones installed are used
FESTIVAL_VOICES = {
    "kal": "voice_kal_diphone",
    "ked": "voice_ked_diphone",
    "slt": "voice_cmu_us_slt_arctic_hts",
}
_FESTIVAL_DIRS = {"kal": "english/kal_diphone", "ked": "english/ked_diphone",
                  "slt": "us/cmu_us_slt_arctic_hts"}


def festival_voices():
    """Installed festival voices among FESTIVAL_VOICES, sorted."""
    root = Path("/usr/share/festival/voices")
    return sorted(v for v, d in _FESTIVAL_DIRS.items() if (root / d).is_dir())


def _scheme_string(text):
    if any(c in text for c in '"\\'):
        raise ValueError(f"text for festival must not hold quotes or backslashes: {text!r}")
    return f'"{text}"'


# voices whose intonation is festival's linear-regression model, so int_lr_params moves their pitch
# (the HTS voice ignores it; its pitch varies through speed perturbation only)
PITCHED_VOICES = {"kal", "ked"}


def festival_batch(voice, requests):
    """Synthesize [(text, duration_stretch)] or [(text, duration_stretch, f0_mean_hz)] with one festival
    process; returns 16 kHz float32 arrays. f0_mean_hz (None: the voice's own) sets the target pitch
    mean of kal and ked, with a spread in proportion, for speakers lower or higher than the recording."""
    if voice not in FESTIVAL_VOICES:
        raise ValueError(f"unknown festival voice {voice!r}")
    with tempfile.TemporaryDirectory() as tmp:
        lines = [f"({FESTIVAL_VOICES[voice]})", "(set! edgepack_lr_params int_lr_params)"]
        for i, (text, stretch, *pitch) in enumerate(requests):
            lines.append(f"(Parameter.set 'Duration_Stretch {float(stretch):.3f})")
            f0 = pitch[0] if pitch else None
            if voice in PITCHED_VOICES:
                lines.append("(set! int_lr_params edgepack_lr_params)" if f0 is None else
                             f"(set! int_lr_params '((target_f0_mean {float(f0):.1f}) (target_f0_std "
                             f"{0.15 * float(f0):.1f}) (model_f0_mean 170) (model_f0_std 34)))")
            lines.append(f"(utt.save.wave (utt.synth (Utterance Text {_scheme_string(text)})) "
                         f"\"{tmp}/{i}.wav\" 'riff)")
        script = Path(tmp) / "batch.scm"
        script.write_text("\n".join(lines) + "\n")
        subprocess.run(["festival", "-b", str(script)], check=True, capture_output=True)
        out = []
        for i in range(len(requests)):
            x, rate = read_wav(Path(tmp) / f"{i}.wav")
            out.append(to_16k(x, rate))
        return out


