"""Generate the demo campaign's MP3 clips from synthetic speech.

The demo campaigns (a fictional band and a fictional solo artist) need audio for
every piece, intro, unlockable, recorded sentence and countdown line, but we have
no real recordings. This script reads each manifest with the skill's parser,
speaks every clip's transcript with espeak-ng, and converts the result with
ffmpeg into an MP3 that Alexa's SSML <audio> tag accepts (MPEG-2 layer III,
48 kbps, 24000 Hz). Each band member gets a different voice so they are easy
to tell apart; other lines use a separate "announcer" voice.

Clips go to audio_manifest/audio/<campaign>/<audio path>. A clip is skipped if
it already exists and is newer than its manifest, unless --force is given.

Usage (from the repository root):

    .venv/bin/python scripts/make_demo_audio.py [--force] [MANIFEST...]

With no MANIFEST arguments, every *.yaml directly in audio_manifest/ is used.

Requirements: espeak-ng (Debian/Ubuntu: `sudo apt-get install espeak-ng`),
the dropday package's dependencies, mutagen, and ffmpeg (from the imageio-ffmpeg package, else on PATH).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mutagen.mp3 import MP3

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "lambda"))

from dropday.content import read_manifest  # noqa: E402
from dropday.core.campaign import ManifestError  # noqa: E402

MANIFEST_DIR = REPO_ROOT / "audio_manifest"
AUDIO_DIR = MANIFEST_DIR / "audio"
MAX_SECONDS = 240  # Alexa rejects SSML audio longer than 240 s.

# espeak-ng arguments per band member, handed out in the order members appear
# in the manifest (so any campaign works, not only the demo one).
MEMBER_VOICES = [
    ["-v", "en-gb+f3", "-p", "60", "-s", "150"],
    ["-v", "en-gb-x-rp+m3", "-p", "45", "-s", "160"],
    ["-v", "en-gb-scotland+f4", "-p", "50", "-s", "145"],
    ["-v", "en-gb-x-gbcwmd+m1", "-p", "30", "-s", "140"],
    ["-v", "en-us+f2", "-p", "55", "-s", "155"],
    ["-v", "en-us+m2", "-p", "35", "-s", "150"],
]
ANNOUNCER_VOICE = ["-v", "en-us+m7", "-p", "40", "-s", "150"]


class Failure(Exception):
    """A problem that should stop the script with a clear message."""


@dataclass
class Clip:
    manifest: Path
    out: Path
    transcript: str
    voice: list[str]


def find_ffmpeg() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # not installed, or no bundled binary for this platform
        exe = shutil.which("ffmpeg")
        if exe:
            return exe
    raise Failure(
        "ffmpeg not found: install the imageio-ffmpeg package "
        "(.venv/bin/pip install imageio-ffmpeg) or put ffmpeg on PATH."
    )


def find_espeak() -> str:
    exe = shutil.which("espeak-ng")
    if not exe:
        raise Failure(
            "espeak-ng not found. Install it with:\n"
            "    sudo apt-get update && sudo apt-get install -y espeak-ng\n"
            "(macOS: brew install espeak-ng)"
        )
    return exe


def clips_in(manifest_file: Path) -> list[Clip]:
    """Every clip of a campaign, read with the skill's own parser, each with the voice that speaks it:
    a member's pieces and intro in their voice (as are clips named after them, like
    welcomes/ada-welcome-back.mp3), a solo artist's everything in one voice, the rest by the announcer."""
    try:
        manifest = read_manifest(manifest_file)
    except ManifestError as exc:
        raise Failure(str(exc)) from exc
    voices = {m.id: MEMBER_VOICES[i % len(MEMBER_VOICES)] for i, m in enumerate(manifest.members)}
    default_voice = ANNOUNCER_VOICE if manifest.members else MEMBER_VOICES[0]

    def voice_for(path: str, member: str | None = None) -> list[str]:
        named = PurePosixPath(path).name.split("-")[0]
        return voices.get(member or "") or voices.get(named) or default_voice

    spoken = [(p.recording, voice_for(p.recording.audio or "", p.member)) for p in manifest.pieces]
    for member in manifest.members:
        for variant in (member.intro.variants if member.intro else ()):
            spoken.append((variant.recording, voices[member.id]))
    spoken += [(r, voice_for(r.audio or "")) for r in manifest.recordings]
    clips: dict[Path, Clip] = {}
    for recording, voice in spoken:
        if not recording.audio:
            continue
        out = AUDIO_DIR / manifest.campaign / PurePosixPath(recording.audio)
        clip = Clip(manifest_file, out, manifest.fill(recording.transcript.default), voice)
        previous = clips.get(out)
        if previous and previous.transcript != clip.transcript:
            raise Failure(f"{manifest_file.name}: {recording.audio} is used with two different transcripts")
        clips.setdefault(out, clip)
    return list(clips.values())


def render(clip: Clip, espeak: str, ffmpeg: str, tmp: Path) -> None:
    wav = tmp / "speech.wav"
    mp3 = tmp / "clip.mp3"
    run([espeak, *clip.voice, "-w", str(wav), "--stdin"], clip, stdin=clip.transcript)
    # Mono (-ac 1) rather than Amazon's stereo example: espeak-ng speech is mono
    # anyway, Alexa accepts mono, and a mono 48 kbps stream sounds better than
    # the same bitrate split over two identical channels.
    # -id3v2_version 0 and bitexact flags drop the ID3 tag and encoder version
    # string, so re-running gives byte-identical files with the same ffmpeg.
    run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav),
         "-ac", "1", "-codec:a", "libmp3lame", "-b:a", "48k", "-ar", "24000",
         "-write_xing", "0", "-id3v2_version", "0",
         "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
         str(mp3)],
        clip,
    )
    seconds = verify(mp3, clip)
    clip.out.parent.mkdir(parents=True, exist_ok=True)
    os.replace(mp3, clip.out)  # only a verified file ever lands in the repo
    print(f"wrote {clip.out.relative_to(REPO_ROOT)} ({seconds:.1f} s)")


def run(cmd: list[str], clip: Clip, stdin: str | None = None) -> None:
    result = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(
            f"{clip.out.name}: {Path(cmd[0]).name} failed (exit {result.returncode}):\n"
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def verify(path: Path, clip: Clip) -> float:
    info = MP3(path).info
    problems = []
    if info.version != 2:
        problems.append(f"MPEG version {info.version}, want 2")
    if info.layer != 3:
        problems.append(f"layer {info.layer}, want 3")
    if info.bitrate != 48000:
        problems.append(f"bitrate {info.bitrate}, want 48000")
    if info.sample_rate != 24000:
        problems.append(f"sample rate {info.sample_rate}, want 24000")
    if not 0 < info.length <= MAX_SECONDS:
        problems.append(f"length {info.length:.1f} s, want 0 < length <= {MAX_SECONDS}")
    if problems:
        raise Failure(f"{clip.out.name}: not Alexa-compliant: " + "; ".join(problems))
    return info.length


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="regenerate clips even if up to date")
    parser.add_argument("manifests", nargs="*", type=Path, metavar="MANIFEST",
                        help="manifest files (default: audio_manifest/*.yaml)")
    args = parser.parse_args(argv)

    try:
        manifests = args.manifests or sorted(MANIFEST_DIR.glob("*.yaml"))
        if not manifests:
            raise Failure(f"no manifests given and none found in {MANIFEST_DIR}")
        clips = [clip for m in manifests for clip in clips_in(m.resolve())]
        todo = [
            c for c in clips
            if args.force or not c.out.exists() or c.out.stat().st_mtime <= c.manifest.stat().st_mtime
        ]
        if todo:
            espeak, ffmpeg = find_espeak(), find_ffmpeg()
            with tempfile.TemporaryDirectory() as tmp:
                for clip in todo:
                    render(clip, espeak, ffmpeg, Path(tmp))
        print(f"{len(todo)} clip(s) written, {len(clips) - len(todo)} up to date.")
    except Failure as exc:
        print(f"make_demo_audio: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
