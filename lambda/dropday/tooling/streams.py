"""Long-form episodes in the content tools: is each episode file a stream AudioPlayer plays, and
when does each episode drop?

AudioPlayer streams MP3 or AAC (in an M4A/MP4 file, or raw ADTS `.aac`) at 16 to 384 kbps, of any
length, over https on port 443 (`config.Settings` refuses another port). Episodes are not SSML
clips, so the clip checks (MPEG-2, 48 kbps, 240 s at most) do not apply to them: `episode_files`
names them so those checks skip them. As everywhere in `dropday validate`, a file is judged by its
own bytes, never by its name, and every problem comes with the file, the line and the fix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mutagen import MutagenError

from ..core.campaign.model import ID_PATTERN, STREAM_PATH_PATTERN, Manifest, Piece
from .clips import ClipProblem, _audio_start, _missing_fix, container_kind, walk_frames
from .findings import Finding, LineFinder, Workspace, shown
from .publish import CONTENT_TYPES

MIN_KBPS = 16
MAX_KBPS = 384
REQUIREMENT = f"AudioPlayer streams MP3 or AAC at {MIN_KBPS} to {MAX_KBPS} kbps"
#: Enough of a file to tell what it is and walk an MP3's frames (an hour at 64 kbps is 29 MB).
MAX_BYTES_TO_READ = 64 * 1024 * 1024
_AAC_KINDS = ("an MP4/M4A (AAC) file", "an AAC (ADTS) file")


@dataclass(frozen=True)
class StreamCheck:
    """What reading an episode file found.

    Attributes:
        seconds: its length, when it could be read.
        kbps: its bit rate, when it could be read.
        codec: "MP3" or "AAC", when it is either.
        problems: everything that would stop AudioPlayer streaming it.
    """

    seconds: float | None
    kbps: float | None
    codec: str | None
    problems: tuple[ClipProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether AudioPlayer will stream it."""
        return not self.problems


def check_stream(path: Path, shown_name: str, convert_hint: str) -> StreamCheck:
    """Check one episode file against AudioPlayer's stream rules.

    Args:
        path: the file.
        shown_name: the file as the user should see it in messages.
        convert_hint: the command that would make a good stream of it.
    """
    convert = f"re-encode it with `{convert_hint}` (or convert the original recording the same way)"
    if not path.is_file():
        return StreamCheck(None, None, None, (ClipProblem(f"{shown_name} does not exist", _missing_fix(path)),))
    if path.stat().st_size == 0:
        return StreamCheck(None, None, None, (ClipProblem(f"{shown_name} is empty (0 bytes)", convert),))
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES_TO_READ)
    kind = container_kind(data)
    if kind is not None and kind not in _AAC_KINDS:
        return StreamCheck(None, None, None, (ClipProblem(f"{shown_name} is {kind}; {REQUIREMENT}", convert),))
    codec = "AAC" if kind else "MP3"
    seconds, kbps, problems = _aac(path, data) if kind else _mp3(path, data)
    problems = [ClipProblem(f"{shown_name} {p}", convert) for p in problems]
    suffix = path.suffix.lower()
    if (codec == "AAC") != (suffix in (".m4a", ".aac")):
        problems.append(ClipProblem(f"{shown_name} holds {codec} audio but is named {suffix}, so it would be "
                                    f"served as {CONTENT_TYPES.get(suffix, 'the wrong type')}",
                                    "name MP3 files .mp3 and AAC files .m4a (or .aac), and the manifest's "
                                    "`audio:` with them"))
    if kbps is not None and not MIN_KBPS <= kbps <= MAX_KBPS:
        problems.append(ClipProblem(f"{shown_name} is {codec} at {kbps:g} kbps; {REQUIREMENT}", convert))
    if seconds is not None and seconds <= 0 and not problems:
        problems.append(ClipProblem(f"{shown_name} holds no audio", convert))
    return StreamCheck(seconds, kbps, codec, tuple(problems))


def _mp3(path: Path, data: bytes) -> tuple[float | None, float | None, list[str]]:
    from mutagen.mp3 import MP3
    try:
        info = MP3(path).info
    except MutagenError:
        return None, None, ["holds no readable MP3 or AAC audio: it is cut off, damaged or another kind of file"]
    if info.sketchy:
        return None, None, ["does not look like an MP3 (only a doubtful frame header was found)"]
    frames = walk_frames(data, start=_audio_start(data))
    seconds = frames.seconds if frames.count and len(data) < MAX_BYTES_TO_READ else info.length
    if frames.missing_bytes:
        return seconds, info.bitrate / 1000, [f"is cut off: the audio stops after {seconds:.1f} s in the middle of "
                                              "a frame (an interrupted copy, download or export)"]
    return seconds, round(info.bitrate / 1000, 1), []


def _aac(path: Path, data: bytes) -> tuple[float | None, float | None, list[str]]:
    from mutagen.aac import AAC
    from mutagen.mp4 import MP4
    try:
        info = (MP4 if data[4:8] == b"ftyp" else AAC)(path).info
    except MutagenError:
        return None, None, ["holds no readable AAC audio: it is cut off or damaged"]
    seconds = float(info.length or 0.0)
    bitrate = info.bitrate or (path.stat().st_size * 8 / seconds if seconds else 0)
    return seconds, round(bitrate / 1000, 1), []


# -- the campaign's episodes ---------------------------------------------------------------------------------


def episode_files(data: object) -> Iterator[tuple[str, str]]:
    """(YAML path, file) of every episode of a long-form section, read leniently from loaded YAML
    (so the checks run even when the parser rejects the file)."""
    sections = data.get("sections") if isinstance(data, Mapping) else None
    for i, section in enumerate(sections if isinstance(sections, list) else []):
        if not (isinstance(section, Mapping) and section.get("long_form") is True):
            continue
        pieces = section.get("pieces")
        for j, piece in enumerate(pieces if isinstance(pieces, list) else []):
            audio = piece.get("audio") if isinstance(piece, Mapping) else None
            if isinstance(audio, str) and STREAM_PATH_PATTERN.match(audio.strip()):
                yield f"sections[{i}].pieces[{j}].audio", audio.strip()


def check_episodes(data: object, workspace: Workspace, file_shown: str, lines: LineFinder) -> list[Finding]:
    """`dropday validate`'s check of every episode file of a manifest (each file once, at its first use).

    Args:
        data: the manifest as loaded from YAML.
        workspace: where the campaign's audio lives.
        file_shown: the manifest file, as shown in findings.
        lines: the line of a YAML path in the manifest.
    """
    campaign = data.get("campaign") if isinstance(data, Mapping) else None
    if not (isinstance(campaign, str) and ID_PATTERN.match(campaign)):
        return []   # the parser reports the campaign id; without it there is no audio folder
    audio_dir = workspace.audio_dir(campaign)
    first_use: dict[str, str] = {}
    for place, clip in episode_files(data):
        first_use.setdefault(clip, place)
    findings = []
    for clip, place in first_use.items():
        file = audio_dir / clip
        hint = f"dropday audio convert --long-form {shown(file)} --out {shown(file.parent)}"
        for problem in check_stream(file, shown(file), hint).problems:
            findings.append(Finding(file_shown, place, problem.message, problem.fix, lines(place)))
    return findings


@dataclass(frozen=True)
class EpisodeDrop:
    """An episode arriving: its day (None: from the start), section and episode."""

    day: date | None
    section: str
    episode: Piece


def episode_drops(manifest: Manifest, first: date, last: date) -> list[EpisodeDrop]:
    """Each episode of a long-form section with the day it becomes available, in `first`..`last`
    (episodes out from the start, or before `first`, are listed first with no day)."""
    drops = []
    for section in manifest.sections:
        for piece in section.pieces if section.long_form else ():
            start = piece.window.start
            if start is None or start < first:
                drops.append(EpisodeDrop(None, section.id, piece))
            elif start <= last:
                drops.append(EpisodeDrop(start, section.id, piece))
    return sorted(drops, key=lambda d: d.day or date.min)   # stable: manifest order within a day


def schedule_lines(manifest: Manifest, first: date, last: date) -> list[str]:
    """`dropday schedule`'s episode table: one line per episode, by the day it drops."""
    drops = episode_drops(manifest, first, last)
    if not drops:
        return []
    lines = ["Episodes (long-form sections, streamed with pause and resume): the day each arrives."]
    for drop in drops:
        when = f"{drop.day:%Y-%m-%d %a}" if drop.day else f"{'from the start':14}"
        track = f" (track {drop.episode.track})" if drop.episode.track else ""
        title = f" \"{drop.episode.title.default}\"" if drop.episode.title else ""
        ends = f", until {drop.episode.window.end}" if drop.episode.window.end else ""
        lines.append(f"{when} {drop.section}/{drop.episode.id}{track}{title}{ends}")
    return lines
