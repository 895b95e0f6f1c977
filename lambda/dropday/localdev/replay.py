"""ASK CLI dialog replay files (`ask dialog --replay FILE`), played by `dropday chat --replay`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Replay:
    """An ASK CLI dialog replay file (`ask dialog --replay FILE`)."""

    skill_id: str | None
    locale: str | None
    lines: list[str]


def read_replay(path: Path) -> Replay:
    """Read `{"skillId", "locale", "type": "text", "userInput": [...]}`.

    Raises:
        ValueError: naming the file and what is wrong.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable JSON replay file ({exc})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a replay file is a JSON object with skillId, locale, type and userInput")
    if data.get("type", "text") != "text":
        raise ValueError(f"{path}: type is {data.get('type')!r}; only \"text\" replays are supported")
    lines = data.get("userInput")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise ValueError(f"{path}: userInput must be a list of utterances (strings)")
    locale, skill_id = data.get("locale"), data.get("skillId")
    return Replay(skill_id if isinstance(skill_id, str) and skill_id else None,
                  locale if isinstance(locale, str) and locale else None, lines)
