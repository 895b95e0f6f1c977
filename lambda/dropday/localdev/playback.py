"""Play clips on this machine, with whatever player it has (for `dropday chat --play`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: MP3 players, best first: (program, arguments before the file).
MP3_PLAYERS = (
    ("ffplay", ("-nodisp", "-autoexit", "-loglevel", "quiet")),
    ("afplay", ()),
    ("mpg123", ("-q",)),
    ("mpv", ("--no-video", "--really-quiet")),
)
#: WAV-only players, used after decoding the MP3 with imageio-ffmpeg's ffmpeg.
WAV_PLAYERS = (
    ("paplay", ()),
    ("aplay", ("-q",)),
)


@dataclass(frozen=True)
class Player:
    """A way to play an MP3 file here: `play(path)` returns None, or why it failed."""

    name: str
    play: Callable[[Path], str | None]


def find_player(path: str | None = None) -> Player | None:
    """The best player on `PATH` (or `path`), or None when this machine cannot play MP3."""
    search = path if path is not None else os.environ.get("PATH", os.defpath)
    for program, args in MP3_PLAYERS:
        found = shutil.which(program, path=search)
        if found:
            return Player(program, _runner([found, *args]))
    ffmpeg = _ffmpeg()
    if ffmpeg:
        for program, args in WAV_PLAYERS:
            found = shutil.which(program, path=search)
            if found:
                return Player(f"{program} (decoded by ffmpeg)", _decoding_runner(ffmpeg, [found, *args]))
    return None


def missing_player_message() -> str:
    """Why nothing plays, and what would make it play."""
    names = ", ".join(p for p, _ in MP3_PLAYERS)
    return (f"(can't play audio here: none of {names} is on PATH, nor paplay/aplay with imageio-ffmpeg; "
            f"the clips are listed instead)")


def _runner(command: list[str]) -> Callable[[Path], str | None]:
    def play(path: Path) -> str | None:
        return _run([*command, str(path)])
    return play


def _decoding_runner(ffmpeg: str, command: list[str]) -> Callable[[Path], str | None]:
    def play(path: Path) -> str | None:
        with tempfile.TemporaryDirectory(prefix="dropday-play-") as folder:
            wav = Path(folder) / "clip.wav"
            failed = _run([ffmpeg, "-loglevel", "error", "-y", "-i", str(path), str(wav)])
            return failed or _run([*command, str(wav)])
    return play


def _run(command: list[str]) -> str | None:
    try:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{Path(command[0]).name}: {exc}"
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip().splitlines()
        return f"{Path(command[0]).name} exited with {result.returncode}" + (f": {detail[-1]}" if detail else "")
    return None


def _ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg
        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # not installed, or no binary for this platform
        return None
