"""Reading a `dropday chat` transcript: its answer blocks, what Alexa said, the clips, and the JSON
documents `--json` prints."""

from __future__ import annotations

import json
import re

CLIP = re.compile(r'\[clip: (?P<path>[\w/-]+\.mp3) (?P<seconds>\d+\.\d) s "(?P<words>[^"]+)"\]')


def blocks(output: str) -> list[str]:
    """The answer blocks of a transcript: one per utterance, each starting with `You:`."""
    return [block.strip() for block in re.split(r"\n(?=You: )", output) if block.startswith("You: ")]


def turn(block: str) -> str:
    """One block without the `/commands` typed after it (and what they printed)."""
    return re.split(r"\n(?=/\w)", block, maxsplit=1)[0]


def alexa(block: str) -> str:
    """What Alexa said in one block ('' when nothing was sent)."""
    found = re.search(r"^Alexa: (.*)$", block, re.M)
    return found[1] if found else ""


def after(output: str, command: str) -> str:
    """What the chat printed for the first `/command` line typed as `command`, up to the next utterance."""
    return output.split(f"\n{command}\n", 1)[1].split("\nYou: ", 1)[0].strip()


def json_documents(output: str, label: str) -> list[dict]:
    """The JSON printed after `label: ` (with --json)."""
    decoder, found = json.JSONDecoder(), []
    for start in (m.end() for m in re.finditer(rf"^{label}: ", output, re.M)):
        found.append(decoder.raw_decode(output, start)[0])
    return found
