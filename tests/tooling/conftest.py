"""Fixtures for the content team's tools: real audio made by ffmpeg once per session, a demo copy per test."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from dropday.cli.__main__ import main
from dropday.tooling.convert import ffmpeg_exe
from support import REPO


@dataclass(frozen=True)
class Studio:
    """Real audio files, each made by ffmpeg: recordings as a studio sends them, and broken clips."""

    take_wav: Path        # 1 s silence, 2 s tone, 1.5 s silence; 44.1 kHz stereo
    take_flac: Path       # the same, 48 kHz FLAC
    take_m4a: Path        # the same, AAC in M4A
    take_mp3: Path        # the same, MPEG-1 128 kbps 44.1 kHz: a real MP3 at the wrong rate
    mpeg2_32k: Path       # MPEG-2 22050 Hz at 32 kbps: right version, wrong bit rate
    good_clip: Path       # an Alexa-compliant clip, 2 s
    truncated: Path       # good_clip cut off in the middle of a frame
    wav_renamed: Path     # take_wav renamed .mp3
    long_clip: Path       # an otherwise compliant clip of 241 s
    long_take: Path       # a 241 s recording (16 kHz mono WAV)
    not_audio: Path       # a text file named .wav


def _ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args], check=True)


@pytest.fixture(scope="session")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Studio:
    folder = tmp_path_factory.mktemp("studio")
    take = [
        "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=1",
        "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=2",
        "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=1.5",
        "-filter_complex", "[1]aformat=channel_layouts=stereo,volume=0.5[tone];[0][tone][2]concat=n=3:v=0:a=1",
    ]
    studio = Studio(*(folder / name for name in (
        "Ada Warm-up (take 3).wav", "noor-bass.flac", "rui-riff.m4a", "tomasz-44k.mp3", "mpeg2-32k.mp3", "good.mp3",
        "truncated.mp3", "wav-renamed.mp3", "long.mp3", "long-take.wav", "notes.wav")))
    _ffmpeg(*take, str(studio.take_wav))
    _ffmpeg("-i", str(studio.take_wav), "-ar", "48000", "-c:a", "flac", str(studio.take_flac))
    _ffmpeg("-i", str(studio.take_wav), "-c:a", "aac", "-b:a", "128k", str(studio.take_m4a))
    _ffmpeg("-i", str(studio.take_wav), "-c:a", "libmp3lame", "-b:a", "128k", str(studio.take_mp3))
    _ffmpeg("-i", str(studio.take_wav), "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k",
            str(studio.mpeg2_32k))
    alexa = ["-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", "-write_xing", "0"]
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=24000:duration=2", *alexa, str(studio.good_clip))
    data = studio.good_clip.read_bytes()
    studio.truncated.write_bytes(data[:len(data) // 2 + 61])  # frames are 144 bytes: this cuts one in half
    shutil.copy(studio.take_wav, studio.wav_renamed)
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=24000:duration=241", *alexa, str(studio.long_clip))
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=241", str(studio.long_take))
    studio.not_audio.write_text("These are my notes, not a recording.\n")
    return studio


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo campaign and the interaction models; the working directory is its root."""
    shutil.copytree(REPO / "audio_manifest", tmp_path / "audio_manifest",
                    ignore=shutil.ignore_patterns("*.published.json"))
    shutil.copytree(REPO / "interaction_models", tmp_path / "interaction_models")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@dataclass(frozen=True)
class Run:
    """What the user saw: the exit status and the printed lines."""

    status: int
    out: list[str]
    err: str

    @property
    def text(self) -> str:
        return "\n".join(self.out)


@pytest.fixture
def dropday(capsys: pytest.CaptureFixture[str]):
    """Run `dropday ARGS...` in this process, as the console script would."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out.splitlines(), captured.err)

    return run
