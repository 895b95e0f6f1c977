"""What must hold of any campaign, shipped or edited (importable as `campaign_checks`).

`campaign_problems` runs the checks the suite makes of every campaign in a repository: it
validates, every clip is an MP3 Alexa plays in SSML, every episode of a long-form section is a
stream AudioPlayer plays (issue 14: MP3 or AAC at 16 to 384 kbps, any length), every interaction
model is what `dropday models sync` writes, and the scripted demo (`dropday chat --demo`) runs
without a fallback or a closed skill. Shipped campaigns are checked for this and nothing of their
particular content.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

from mutagen.mp3 import MP3

#: Built-in intents Alexa requires of every custom skill.
REQUIRED_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.FallbackIntent")
#: The clips Alexa plays in SSML: MPEG-2 layer III at 48 kbps and 24000 Hz (as `dropday audio convert`
#: writes them), longer than half a second and at most 240 s.
CLIP = (2, 3, 48000, 24000)
MAX_CLIP_SECONDS = 240
#: The streams AudioPlayer plays (episodes): MP3 (.mp3) or AAC (.m4a, .aac), 16 to 384 kbps, any length.
STREAM_KBPS = (16, 384)


def dropday_output(*args: str) -> tuple[int, str]:
    """Run `dropday ARGS` in this process; (exit status, what it printed)."""
    from dropday.cli.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue() + err.getvalue()


@contextlib.contextmanager
def fresh_listener_state():
    """Listener state of its own for one local conversation (a state table no other has used).

    The moto server `dropday chat` starts keeps its data in moto's backends, which live as long as
    the process, not the server: without this, a second conversation in the same process (the suite
    runs many) meets the listeners of the first, and the scripted demo's first visit is a return.
    """
    import os
    import uuid

    saved = os.environ.get("SKILL_STATE_TABLE")
    os.environ["SKILL_STATE_TABLE"] = f"dropday-state-{uuid.uuid4().hex[:12]}"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SKILL_STATE_TABLE", None)
        else:
            os.environ["SKILL_STATE_TABLE"] = saved


def demo_transcript(root: Path, campaign: str, backend=None) -> str:
    """The scripted demo played against `campaign` of the repository at `root`, from a first visit
    (with `backend`, in the state it holds)."""
    from dropday.cli.__main__ import build_parser
    from dropday.cli.chat import run

    args = build_parser(["chat"]).parse_args(["chat", "--demo", "--manifest", str(root / "audio_manifest"),
                                              "--campaign", campaign, "--at", "now"])
    out = io.StringIO()
    with fresh_listener_state() if backend is None else contextlib.nullcontext():
        status = run(args, stdin=io.StringIO(""), stdout=out, backend=backend)
    return out.getvalue() if status == 0 else f"(dropday chat --demo exited with {status})"


def campaign_problems(root: Path, campaign: str, backend=None) -> list[str]:
    """Everything wrong with `campaign` in the repository at `root` (nothing when it is fine)."""
    from dropday.content import read_manifest

    found: list[str] = []
    manifests = str(root / "audio_manifest")
    status, output = dropday_output("validate", manifests, "--campaign", campaign)
    if status != 0 or not output.rstrip().splitlines()[-1].split(" (")[0].endswith("all good"):
        found.append(f"dropday validate: {output}")
    status, output = dropday_output("models", "sync", manifests, "--campaign", campaign, "--check")
    if status != 0:
        found.append(f"dropday models sync --check: {output}")
    for model_file in sorted((root / "interaction_models" / campaign).glob("*-*.json")):
        language = json.loads(model_file.read_text())["interactionModel"]["languageModel"]
        intents = {intent["name"] for intent in language["intents"]}
        found += [f"{model_file.name} lacks {name}, which Alexa requires" for name in REQUIRED_INTENTS
                  if name not in intents]
    manifest = read_manifest(root / "audio_manifest" / f"{campaign}.yaml")
    audio = root / "audio_manifest" / "audio" / manifest.campaign
    episodes = {piece.recording.audio for section in manifest.sections if section.long_form
                for piece in section.pieces if piece.recording.audio}
    for path in manifest.audio_paths:
        if path in episodes:
            found += stream_problems(audio / path, path)
            continue
        info = MP3(audio / path).info
        if (info.version, info.layer, info.bitrate, info.sample_rate) != CLIP \
                or not 0.5 < info.length <= MAX_CLIP_SECONDS:
            found.append(f"{path} is not a clip Alexa plays: {info.pprint()}")
    transcript = demo_transcript(root, campaign, backend)
    for turn in re.split(r"\n(?=You: )", transcript):
        if "FallbackIntent" in turn or "the skill is closed" in turn or "exited with" in turn:
            found.append(f"the scripted demo went wrong: {turn.strip()}")
    if "[clip: " not in transcript:
        found.append("the scripted demo played no clip")
    return found


def stream_problems(file: Path, path: str) -> list[str]:
    """What stops AudioPlayer streaming the episode `file` (shown as `path`): read from its bytes with
    mutagen, independently of `dropday validate`'s stream check (dropday.tooling.streams)."""
    from mutagen import MutagenError
    from mutagen.aac import AAC
    from mutagen.mp4 import MP4

    suffix = file.suffix.lower()
    try:
        if suffix == ".mp3":
            info = MP3(file).info
            codec_ok = info.layer == 3 and not info.sketchy
        elif suffix in (".m4a", ".aac"):
            info = (MP4 if suffix == ".m4a" else AAC)(file).info
            codec_ok = "mp4a" in getattr(info, "codec", "mp4a")
        else:
            return [f"{path} is not a stream AudioPlayer plays: it is neither .mp3, .m4a nor .aac"]
    except (MutagenError, OSError) as exc:
        return [f"{path} is not a stream AudioPlayer plays: {exc}"]
    seconds = float(info.length or 0)
    kbps = (info.bitrate or (file.stat().st_size * 8 / seconds if seconds else 0)) / 1000
    if not codec_ok or not STREAM_KBPS[0] <= kbps <= STREAM_KBPS[1] or not seconds > 0:
        return [f"{path} is not a stream AudioPlayer plays: {info.pprint()}"]
    return []
