"""What must hold of any campaign, shipped or edited (importable as `campaign_checks`).

`campaign_problems` runs the checks the suite makes of every campaign in a repository: it
validates, every clip is an MP3 Alexa plays, every interaction model is what `dropday models sync`
writes, and the scripted demo (`dropday chat --demo`) runs without a fallback or a closed skill.
Shipped campaigns are checked for this and nothing of their particular content.
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


def dropday_output(*args: str) -> tuple[int, str]:
    """Run `dropday ARGS` in this process; (exit status, what it printed)."""
    from dropday.cli.__main__ import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue() + err.getvalue()


def demo_transcript(root: Path, campaign: str, backend=None) -> str:
    """The scripted demo played against `campaign` of the repository at `root`."""
    from dropday.cli.__main__ import build_parser
    from dropday.cli.chat import run

    args = build_parser(["chat"]).parse_args(["chat", "--demo", "--manifest", str(root / "audio_manifest"),
                                              "--campaign", campaign, "--at", "now"])
    out = io.StringIO()
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
    for path in manifest.audio_paths:
        info = MP3(root / "audio_manifest" / "audio" / manifest.campaign / path).info
        if (info.version, info.layer, info.bitrate, info.sample_rate) != (2, 3, 48000, 24000) \
                or not 0.5 < info.length <= 240:
            found.append(f"{path} is not a clip Alexa plays: {info.pprint()}")
    transcript = demo_transcript(root, campaign, backend)
    for turn in re.split(r"\n(?=You: )", transcript):
        if "FallbackIntent" in turn or "the skill is closed" in turn or "exited with" in turn:
            found.append(f"the scripted demo went wrong: {turn.strip()}")
    if "[clip: " not in transcript:
        found.append("the scripted demo played no clip")
    return found
