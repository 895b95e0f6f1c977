"""Studio recordings (wav, flac, m4a, mp3, any rate) -> MP3 clips Alexa plays, with ffmpeg.

Three ffmpeg runs per clip, so that nothing is written for a clip that would be refused:

1. find where the sound starts and ends (`silencedetect`, a fast decode);
   a clip longer than 240 s once the silence is trimmed is refused here;
2. measure the loudness of the trimmed sound (`loudnorm`, EBU R128);
3. trim, normalise to -16 LUFS integrated in one linear gain step (two-pass loudnorm, which keeps
   the dynamics of speech), and encode MPEG-2 layer III, 48 kbps, 24000 Hz, mono.

The encoder flags are those of `scripts/make_demo_audio.py`, which follows Amazon's recipe
(`-codec:a libmp3lame -b:a 48k -ar 24000 -write_xing 0`) except for mono: speech is mono anyway, and
48 kbps spent on one channel sounds better than on two identical ones. Every output is checked
with `tooling.clips.check_clip` before it replaces anything.

With `long_form` (`dropday audio convert --long-form`), a studio take becomes an episode stream
instead: the same trimming and loudness, any length, MP3 at a stream bit rate (64 kbps mono,
44100 Hz, within AudioPlayer's 16 to 384 kbps), checked with `tooling.streams.check_stream`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.speech import MAX_AUDIO_SECONDS
from .clips import check_clip
from .streams import check_stream

TARGET_LUFS = -16.0
TRUE_PEAK = -1.5
LOUDNESS_RANGE = 11.0
SILENCE_DB = -50
#: Silences shorter than this at either end are kept (they are the breath before a word).
MIN_SILENCE = 0.1
#: Sound kept either side of the detected start and end, so no consonant is clipped.
MARGIN = 0.05
SAMPLE_RATE = 24000
BITRATE = "48k"
AUDIO_SUFFIXES = (".wav", ".flac", ".m4a", ".mp3", ".aif", ".aiff", ".ogg", ".opus", ".aac", ".mp4", ".wma")
ENCODE_FLAGS = ["-ac", "1", "-codec:a", "libmp3lame", "-b:a", BITRATE, "-ar", str(SAMPLE_RATE),
                "-write_xing", "0", "-id3v2_version", "0", "-map_metadata", "-1",
                "-fflags", "+bitexact", "-flags:a", "+bitexact"]
STREAM_BITRATE = "64k"
STREAM_SAMPLE_RATE = 44100
STREAM_ENCODE_FLAGS = ["-ac", "1", "-codec:a", "libmp3lame", "-b:a", STREAM_BITRATE, "-ar", str(STREAM_SAMPLE_RATE),
                       "-id3v2_version", "0", "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact"]

_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_SILENCE_START = re.compile(r"silence_start: (-?[\d.]+)")
_SILENCE_END = re.compile(r"silence_end: (-?[\d.]+)")
_TIME = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")


class ConvertError(Exception):
    """A recording that cannot become a clip; the message says why and what to do."""


@dataclass(frozen=True)
class Converted:
    """A finished clip."""

    source: Path
    output: Path
    seconds: float
    trimmed: float  # seconds of silence removed


def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by the imageio-ffmpeg package (no system install needed).

    Raises:
        ConvertError: the package is missing or has no binary for this platform.
    """
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # ImportError, or RuntimeError when no binary fits this platform
        raise ConvertError(f"ffmpeg is not available ({exc}); run `make setup` to install imageio-ffmpeg") from None


def output_name(source: Path) -> str:
    """A URL-safe clip name for a recording: "Ada Warm-up (final).WAV" -> "ada-warm-up-final.mp3"."""
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")
    return f"{stem or 'clip'}.mp3"


def expand(inputs: Iterable[Path]) -> list[Path]:
    """The recordings to convert: files as given, folders as their audio files (sorted)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files += sorted(p for p in item.iterdir() if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES)
        else:
            files.append(item)
    return files


def convert(source: Path, out_dir: Path, ffmpeg: str, target_lufs: float = TARGET_LUFS,
            long_form: bool = False) -> Converted:
    """Convert one recording into `out_dir/<output_name(source)>`.

    Args:
        long_form: make an episode stream (any length, a stream bit rate) rather than an SSML clip.

    Raises:
        ConvertError: the file is missing, unreadable, silent or (a clip) over 240 s after trimming.
    """
    if not source.is_file():
        raise ConvertError(f"{source} does not exist")
    start, end, total = _sound_span(source, ffmpeg)
    seconds = end - start
    if seconds > MAX_AUDIO_SECONDS and not long_form:
        raise ConvertError(f"{source} is {seconds:.1f} s long after trimming silence; Alexa plays at most "
                           f"{MAX_AUDIO_SECONDS:.0f} s in one clip. Cut it into shorter clips in your audio editor, "
                           "or make it an episode of a long-form section with `--long-form`")
    # Mono before measuring, so the loudness measured is that of the clip as encoded.
    trim = f"atrim=start={start:.3f}:end={end:.3f},asetpts=PTS-STARTPTS,aformat=channel_layouts=mono"
    loudness = _measure(source, ffmpeg, trim)
    if loudness.get("input_i") in (None, "-inf"):
        raise ConvertError(f"{source} is silent (nothing above {SILENCE_DB} dB)")
    normalise = (f"loudnorm=I={target_lufs}:TP={TRUE_PEAK}:LRA={LOUDNESS_RANGE}"
                 f":measured_I={loudness['input_i']}:measured_TP={loudness['input_tp']}"
                 f":measured_LRA={loudness['input_lra']}:measured_thresh={loudness['input_thresh']}"
                 ":linear=true")
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / output_name(source)
    handle, temporary = tempfile.mkstemp(suffix=".mp3", dir=out_dir, prefix=".converting-")
    os.close(handle)
    os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a clip is an ordinary file
    try:
        _run([ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(source),
              "-af", f"{trim},{normalise}", *(STREAM_ENCODE_FLAGS if long_form else ENCODE_FLAGS), temporary], source)
        check = check_stream(Path(temporary), output.name, "dropday audio convert --long-form") if long_form \
            else check_clip(Path(temporary), output.name, "dropday audio convert")
        if not check.ok:
            raise ConvertError(f"{source}: the converted clip failed the Alexa check: "
                               + "; ".join(p.message for p in check.problems))
        os.replace(temporary, output)  # only a checked clip ever lands
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return Converted(source, output, check.seconds or seconds, max(0.0, total - seconds))


def _sound_span(source: Path, ffmpeg: str) -> tuple[float, float, float]:
    """(start, end, total) seconds: where the sound begins and ends, and the file's length."""
    stderr = _run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(source), "-vn",
                   "-af", f"silencedetect=noise={SILENCE_DB}dB:duration={MIN_SILENCE}", "-f", "null", "-"], source)
    times = _TIME.findall(stderr)  # the last progress line gives the decoded length
    duration = _DURATION.search(stderr)
    total = _seconds(times[-1]) if times else (_seconds(duration.groups()) if duration else 0.0)
    starts = [float(s) for s in _SILENCE_START.findall(stderr)]
    ends = [float(e) for e in _SILENCE_END.findall(stderr)]
    if not total or (starts and starts[0] <= 0.01 and ends and ends[0] >= total - 0.01):
        raise ConvertError(f"{source} is silent (nothing above {SILENCE_DB} dB)")
    start = ends[0] if starts and starts[0] <= 0.01 and ends else 0.0
    end = starts[-1] if starts and (len(ends) < len(starts) or ends[-1] >= total - 0.01) else total
    if end <= start:
        end = total
    return max(0.0, start - MARGIN), min(total, end + MARGIN), total


def _measure(source: Path, ffmpeg: str, trim: str) -> dict[str, str]:
    stderr = _run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(source), "-vn",
                   "-af", f"{trim},loudnorm=I={TARGET_LUFS}:TP={TRUE_PEAK}:LRA={LOUDNESS_RANGE}:print_format=json",
                   "-f", "null", "-"], source)
    block = stderr[stderr.rfind("{"):stderr.rfind("}") + 1]
    try:
        return json.loads(block)
    except ValueError:
        raise ConvertError(f"{source}: ffmpeg did not report the loudness") from None


def _run(command: list[str], source: Path) -> str:
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise ConvertError(f"{source} could not be read as audio ({reason})")
    return result.stderr


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _seconds(parts: tuple[str, str, str]) -> float:
    hours, minutes, seconds = parts
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
