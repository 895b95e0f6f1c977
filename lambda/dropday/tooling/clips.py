"""Is this file a clip Alexa will play? Read from the file's own bytes, never from its name.

Alexa's SSML `<audio>` plays MP3 only: MPEG version 2, layer III, 48 kbps, 16000, 22050 or
24000 Hz, at most 240 s. mutagen reads those figures from the first frame (and the Xing header
when there is one); a walk over every frame header then finds files that end mid-frame (an
interrupted copy or export), which mutagen accepts without complaint.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3, BitrateMode

from ..core.speech import MAX_AUDIO_SECONDS

ALEXA_VERSION = 2
ALEXA_LAYER = 3
ALEXA_BITRATE = 48000
ALEXA_SAMPLE_RATES = (16000, 22050, 24000)
#: An Alexa clip is at most 240 s at 48 kbps, about 1.4 MB; anything far bigger is not one.
MAX_BYTES_TO_READ = 32 * 1024 * 1024
REQUIREMENT = "Alexa plays only MPEG-2 layer III at 48 kbps and 16000, 22050 or 24000 Hz"

_LAYER_III = 0b01
_KBPS = {  # layer III bit rates by bit rate index; MPEG-1 and MPEG-2/2.5 differ
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {0b11: (44100, 48000, 32000), 0b10: (22050, 24000, 16000), 0b00: (11025, 12000, 8000)}
_VERSION_NAME = {0b11: "MPEG-1", 0b10: "MPEG-2", 0b00: "MPEG-2.5"}


@dataclass(frozen=True)
class ClipProblem:
    """Something wrong with one clip file: what, and how to fix it."""

    message: str
    fix: str


@dataclass(frozen=True)
class ClipCheck:
    """What reading a clip found.

    Attributes:
        seconds: the audio's length, when the file could be read as MP3.
        problems: everything that would stop Alexa playing it.
    """

    seconds: float | None
    problems: tuple[ClipProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether Alexa will play the clip."""
        return not self.problems


@dataclass(frozen=True)
class _Frames:
    """The result of walking the MPEG frame headers of a file."""

    count: int = 0
    seconds: float = 0.0
    bitrates: frozenset[int] = frozenset()
    missing_bytes: int = 0          # > 0: the last frame runs past the end of the file
    damaged_at: int | None = None   # offset of bytes that are neither a frame nor a tag
    announced_frames: int | None = None  # the Xing/Info header's frame count


def check_clip(path: Path, shown: str, convert_hint: str) -> ClipCheck:
    """Check one clip against Alexa's requirements.

    Args:
        path: the file.
        shown: the file's name as the user should see it in messages.
        convert_hint: the command that would fix a wrongly encoded file.

    Returns:
        The clip's length (when readable) and every problem found.
    """
    convert = f"re-encode it with `{convert_hint}` (or convert the original recording the same way)"
    if not path.is_file():
        return ClipCheck(None, (ClipProblem(f"{shown} does not exist", _missing_fix(path)),))
    size = path.stat().st_size
    if size == 0:
        return ClipCheck(None, (ClipProblem(f"{shown} is empty (0 bytes)", convert),))
    with path.open("rb") as handle:   # read(n) sets n bytes aside first: ask for n only for a huge file
        data = handle.read() if size < MAX_BYTES_TO_READ else handle.read(MAX_BYTES_TO_READ)
    other = container_kind(data)
    if other:
        return ClipCheck(None, (ClipProblem(f"{shown} is {other} renamed to .mp3, not an MP3", convert),))
    try:   # from the bytes already read when they are the whole file: reading it again costs 2-3x more
        info = MP3(io.BytesIO(data) if len(data) < MAX_BYTES_TO_READ else path).info
    except MutagenError:
        return ClipCheck(None, (ClipProblem(f"{shown} holds no readable MP3 audio: it is cut off, damaged or "
                                            "not an MP3", convert),))
    if info.sketchy:
        return ClipCheck(None, (ClipProblem(f"{shown} does not look like an MP3 (only a doubtful frame header "
                                            "was found)", convert),))
    frames = walk_frames(data, start=_audio_start(data))
    seconds = frames.seconds if frames.count else info.length
    problems: list[ClipProblem] = []
    variable = info.bitrate_mode in (BitrateMode.VBR, BitrateMode.ABR) or len(frames.bitrates) > 1
    # The frames' own bit rate when they all agree: mutagen averages it from the Xing header (127999).
    bitrate = next(iter(frames.bitrates)) * 1000 if len(frames.bitrates) == 1 else info.bitrate
    if (info.version, info.layer) != (ALEXA_VERSION, ALEXA_LAYER) or bitrate != ALEXA_BITRATE \
            or info.sample_rate not in ALEXA_SAMPLE_RATES or variable:
        version = {1: "MPEG-1", 2: "MPEG-2", 2.5: "MPEG-2.5"}.get(info.version, f"MPEG-{info.version}")
        rate = "variable bit rate" if variable else f"{bitrate / 1000:g} kbps"
        problems.append(ClipProblem(f"{shown} is {version} layer {'I' * info.layer} at {rate} and "
                                    f"{info.sample_rate} Hz; {REQUIREMENT}", convert))
    if frames.missing_bytes or (frames.announced_frames or 0) > frames.count + 1:
        announced = ""
        if frames.announced_frames and frames.announced_frames > frames.count + 1:
            announced = f" its header announces {info.length:.1f} s but"
        problems.append(ClipProblem(
            f"{shown} is cut off:{announced} the audio stops after {seconds:.1f} s in the middle of a frame "
            "(an interrupted copy, download or export)",
            "copy or export it again from the original recording, then convert it with `dropday audio convert`"))
    elif frames.damaged_at is not None:
        problems.append(ClipProblem(f"{shown} is damaged: byte {frames.damaged_at} of {size} is neither MP3 audio "
                                    "nor a tag", convert))
    if seconds > MAX_AUDIO_SECONDS:
        problems.append(ClipProblem(f"{shown} is {seconds:.1f} s long; Alexa plays at most "
                                    f"{MAX_AUDIO_SECONDS:.0f} s in one clip",
                                    "shorten it, or split it into two tips"))
    elif frames.count == 0 and not problems:
        problems.append(ClipProblem(f"{shown} holds no MP3 audio frames", convert))
    return ClipCheck(seconds, tuple(problems))


def container_kind(data: bytes) -> str | None:
    """What kind of non-MP3 file `data` is, judging by its first bytes ("a WAV file"), or None."""
    head = data[_id3_size(data):][:16]
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "a WAV file"
    if head[:4] == b"fLaC":
        return "a FLAC file"
    if head[4:8] == b"ftyp":
        return "an MP4/M4A (AAC) file"
    if head[:4] == b"OggS":
        return "an Ogg (Vorbis or Opus) file"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "an AIFF file"
    if head[:2] in (b"\xff\xf1", b"\xff\xf9"):
        return "an AAC (ADTS) file"
    if head.lstrip()[:1] == b"<":
        return "a web page or XML file (often a download link's error page)"
    return None


def walk_frames(data: bytes, start: int = 0) -> _Frames:
    """Follow MPEG audio frame headers from `start` to the end of `data`."""
    pos = _first_frame(data, start)
    if pos is None:
        return _Frames(damaged_at=start if len(data) > start else None)
    count, samples, rate, bitrates, announced = 0, 0, 0, set(), None
    end = len(data)
    while pos + 4 <= end:
        head = data[pos:pos + 4]
        header = _header(head)
        if header is None:
            break
        mpeg1, kbps, rate, size = header
        if pos + size > end:
            seconds = samples / rate if rate else 0.0
            return _Frames(count, seconds, frozenset(bitrates), pos + size - end, None, announced)
        if count == 0:
            xing = _xing_frames(data, pos, size)
            if xing is not None:
                announced = xing
                pos += size
                continue
        same = _repeats(data, pos, size, head)
        count += same
        samples += same * (1152 if mpeg1 else 576)
        bitrates.add(kbps)
        pos += same * size
    seconds = samples / rate if rate else 0.0
    rest = data[pos:]
    if 0 < len(rest) < 4 and rest[:1] == b"\xff":
        return _Frames(count, seconds, frozenset(bitrates), 4 - len(rest), None, announced)
    damaged = None if _only_tags(rest) else pos
    return _Frames(count, seconds, frozenset(bitrates), 0, damaged, announced)


def _repeats(data: bytes, pos: int, size: int, head: bytes) -> int:
    """How many whole frames of `size` bytes with the very header `head` follow one another from
    `pos`, the one at `pos` included.

    A constant bit rate file is mostly one long run: past its first frames, a run is followed a
    window at a time, comparing every `size`-th byte in C rather than frame by frame.
    """
    fits = (len(data) - pos) // size   # frames of this size that end within the data
    count = 1
    while count < min(fits, 8):   # short runs (padding that comes and goes, a variable bit rate)
        if not data.startswith(head, pos + count * size):
            return count
        count += 1
    while count < fits:
        window = min(fits - count, count)
        at = pos + count * size
        run = min(_leading(data[at + i:at + window * size:size], head[i]) for i in range(4))
        count += run
        if run < window:
            break
    return count


def _leading(data: bytes, byte: int) -> int:
    """How many bytes at the start of `data` are `byte`."""
    return len(data) - len(data.lstrip(bytes((byte,))))


def _parse_header(data: bytes, pos: int) -> tuple[bool, int, int, int] | None:
    """(is MPEG-1, kbps, sample rate, frame size) of a layer III frame header at `pos`, or None."""
    return _header(data[pos:pos + 4])


@functools.lru_cache(maxsize=1024)
def _header(head: bytes) -> tuple[bool, int, int, int] | None:
    """`_parse_header` of the header's bytes: a file repeats a few headers thousands of times."""
    h = int.from_bytes(head, "big")
    version, layer = (h >> 19) & 3, (h >> 17) & 3
    index, rate_index, padding = (h >> 12) & 15, (h >> 10) & 3, (h >> 9) & 1
    if h >> 21 != 0x7FF or version == 0b01 or layer != _LAYER_III or index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 0b11
    kbps = _KBPS[mpeg1][index]
    rate = _RATES[version][rate_index]
    size = (144 if mpeg1 else 72) * kbps * 1000 // rate + padding
    return mpeg1, kbps, rate, size


def _first_frame(data: bytes, start: int, window: int = 64 * 1024) -> int | None:
    """The offset of the first frame header followed by another valid one (or the end)."""
    for pos in range(start, min(len(data) - 3, start + window)):
        if data[pos] != 0xFF:
            continue
        header = _parse_header(data, pos)
        if header is None:
            continue
        following = pos + header[3]
        if following >= len(data) or _parse_header(data, following) is not None:
            return pos
    return None


def _xing_frames(data: bytes, pos: int, size: int) -> int | None:
    """The frame count of a Xing/Info header inside the frame at `pos` (0 when it gives none), else None."""
    frame = data[pos:pos + size]
    for tag in (b"Xing", b"Info"):
        at = frame.find(tag, 4, 48)
        if at >= 0:
            flags = int.from_bytes(frame[at + 4:at + 8], "big")
            return int.from_bytes(frame[at + 8:at + 12], "big") if flags & 1 else 0
    return None


def _id3_size(data: bytes) -> int:
    """The length of a leading ID3v2 tag, or 0."""
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if data[5] & 0x10 else 0)


def _audio_start(data: bytes) -> int:
    start = _id3_size(data)
    while start < len(data) and data[start] == 0:
        start += 1
    return start


def _only_tags(rest: bytes) -> bool:
    """Whether what follows the last frame is only tags (ID3v1, APE, Lyrics3) or zero padding."""
    if not rest.strip(b"\x00"):
        return True
    return rest.startswith((b"TAG", b"APETAGEX", b"LYRICSBEGIN", b"ID3")) or b"APETAGEX" in rest[:64]


def _missing_fix(path: Path) -> str:
    """How to fix a missing clip, naming a file with a close name when there is one."""
    folder = path.parent
    if folder.is_dir():
        import difflib

        names = [p.name for p in folder.iterdir() if p.is_file()]
        same_but_case = [n for n in names if n.lower() == path.name.lower()]
        if same_but_case:
            return (f"rename the file or the path so the letters match exactly: the file is {same_but_case[0]} "
                    "(web addresses are case-sensitive)")
        close = difflib.get_close_matches(path.name, names, n=1)
        if close:
            return f"correct the path (did you mean {close[0]}?), or add the MP3 there"
    return "add the MP3 there, or correct the path (it is relative to the campaign's audio folder)"
