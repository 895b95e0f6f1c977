"""Scripted conversations (tests/artifact/conversations/<campaign>.txt) and what a listener notices
on each kind of turn they name.

A script is what listeners say, one line each, with the kind of turn after `=>`; `/time`, `/user`,
`/locale` and `/tz` lines are `dropday chat` commands, `#` lines are comments:

    Alexa, open lantern foxes        => launch
    Give me a tip                    => tip
    exit                             => session_end

Every kind in `BASE_KINDS` must appear in every campaign's script, and so must the kinds a format
brings (`FEATURE_KINDS`) when the campaign uses it (`Manifest.features`): a campaign without tips
is never asked for one. A kind without a check of its own here gets the checks every turn gets.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The kinds of turn every campaign has.
BASE_KINDS = ("launch", "yes", "countdown", "listen", "repeat", "help", "fallback", "no", "stop", "session_end")
#: The kinds of turn a campaign format adds (docs/architecture.md, "Turn events"), by feature name.
FEATURE_KINDS = {
    "tips": ("tip",), "sections": ("piece", "whats_new"), "band": ("band", "member_intro"),
    "unlockables": ("unlocks",), "quiz": ("quiz_start", "quiz_answer"), "daily": ("daily_question", "daily_answer"),
    "long_form": ("playback",), "reminders": ("reminder",), "draw": ("draw",),
}
#: The turn-event kinds a scripted kind may log (a kind not listed logs its own name): "yes" to an
#: offered tip or piece, "stop" mid-quiz (the score so far, then goodbye), "how can I listen to it?"
#: before the release (the countdown).
EVENT_KINDS = {"tip": {"tip", "piece"}, "yes": {"tip", "piece"}, "no": {"goodbye"}, "stop": {"goodbye", "quiz_stop"},
               "listen": {"listen", "countdown"}}
#: The permission Alexa asks the listener for when the skill sets a reminder.
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"

_AUDIO = re.compile(r'<audio\s+src="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Line:
    """One line of a script: a `/command` (kind None) or an utterance and its kind of turn."""

    number: int
    text: str
    kind: str | None


def read_script(path: Path) -> list[Line]:
    """The lines of a conversation script.

    Raises:
        ValueError: an utterance without its kind, naming the file and line.
    """
    lines = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("/"):
            lines.append(Line(number, text, None))
            continue
        said, arrow, kind = text.rpartition("=>")
        if not arrow or not said.strip() or not kind.strip():
            raise ValueError(f"{path}:{number}: write what the listener says, then `=> <kind of turn>`")
        lines.append(Line(number, said.strip(), kind.strip()))
    return lines


def required_kinds(features: Iterable[str]) -> set[str]:
    """The kinds of turn a campaign with `features` must be talked through."""
    return set(BASE_KINDS).union(*(FEATURE_KINDS.get(feature, ()) for feature in features))


@dataclass(frozen=True)
class Campaign:
    """What the checks need to know about the campaign being served.

    Attributes:
        clip_urls: the URL of every clip and image the campaign names, as the skill plays them.
        transcripts: every transcript in the campaign (with `{placeholders}`), and the text of the
            quiz's and the daily questions that are read rather than recorded.
        album: the album's title.
        members: the band members' names.
    """

    clip_urls: frozenset[str]
    transcripts: tuple[str, ...]
    album: str
    members: tuple[str, ...] = ()

    @classmethod
    def from_compiled(cls, compiled: Path, clip_urls: Iterable[str]) -> Campaign:
        """From the campaign's `.manifest.json` as packed in the artifact."""
        data = json.loads(Path(compiled).read_text(encoding="utf-8"))
        return cls(frozenset(clip_urls), tuple(_transcripts(data)), data.get("album", {}).get("title", ""),
                   tuple(m["name"] for m in data.get("members") or () if isinstance(m, dict) and m.get("name")))


def _transcripts(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "question" and isinstance(item, str):
                yield item
            elif key == "transcript":
                yield from ([item] if isinstance(item, str) else
                            [v for v in item.values() if isinstance(v, str)] if isinstance(item, dict) else [])
            else:
                yield from _transcripts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _transcripts(item)


@dataclass(frozen=True)
class Turn:
    """One scripted turn: what was said, its kind, the request sent and the function's answer."""

    kind: str
    said: str
    request: dict[str, Any]
    response: dict[str, Any]
    previous: dict[str, Any] | None  # the answer before it in the same session

    @property
    def body(self) -> dict[str, Any]:
        return self.response.get("response") or {}

    @property
    def speech(self) -> str:
        return (self.body.get("outputSpeech") or {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        return ((self.body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")

    @property
    def ends_session(self) -> bool:
        return self.body.get("shouldEndSession") is not False

    @property
    def directives(self) -> list[dict[str, Any]]:
        return list(self.body.get("directives") or [])

    @property
    def asks_alexa_for_consent(self) -> bool:
        """Whether the answer hands the turn to Alexa to ask the listener for a permission (`AskFor`):
        Alexa then speaks, not the skill."""
        return any(d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor" for d in self.directives)


def problems(turn: Turn, campaign: Campaign) -> list[str]:
    """What is wrong with `turn` for a listener: the checks of every turn, then those of its kind."""
    found = _every_turn(turn, campaign)
    return found + (CHECKS.get(turn.kind, lambda t, c: [])(turn, campaign) if not found else [])


def _every_turn(turn: Turn, campaign: Campaign) -> list[str]:
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import ResponseEnvelope

    found = []
    try:
        DefaultSerializer().deserialize(json.dumps(turn.response), ResponseEnvelope)
    except Exception as exc:  # the SDK's own model refuses it: Alexa would too
        found.append(f"not a valid response envelope ({exc})")
    for name, ssml in (("speech", turn.speech), ("reprompt", turn.reprompt)):
        if not ssml:
            continue
        try:
            ElementTree.fromstring(ssml)
        except ElementTree.ParseError as exc:
            found.append(f"the {name} is not well-formed SSML ({exc}): {ssml}")
        unknown = [src for src in clips_in(ssml) if src not in campaign.clip_urls]
        if unknown:
            found.append(f"the {name} plays clips the campaign does not name (Alexa would fail): {unknown}")
    if turn.request["request"]["type"] in ("LaunchRequest", "IntentRequest") and not turn.speech and \
            not turn.asks_alexa_for_consent:
        found.append("Alexa says nothing")
    return found


def clips_in(ssml: str) -> list[str]:
    """The URLs of the clips `ssml` plays, in order."""
    return [html.unescape(src) for src in _AUDIO.findall(ssml)]


def text_of(ssml: str) -> str:
    """What Alexa reads aloud from `ssml` (clips left out)."""
    return " ".join(html.unescape(_TAG.sub(" ", ssml)).split())


def _opens_the_session(turn: Turn, campaign: Campaign) -> list[str]:
    return [] if turn.request.get("session", {}).get("new") else ["the launch did not open a new session"]


def _waits_for_an_answer(turn: Turn, campaign: Campaign) -> list[str]:
    if turn.ends_session or not turn.reprompt:
        return [f"the session should stay open with a reprompt (shouldEndSession "
                f"{turn.body.get('shouldEndSession')!r}, reprompt {turn.reprompt!r})"]
    return []


def _plays_a_piece(turn: Turn, campaign: Campaign) -> list[str]:
    if clips_in(turn.speech) or _reads_a_transcript(text_of(turn.speech), campaign.transcripts):
        return []
    return [f"plays none of the campaign's clips and reads none of its transcripts: {turn.speech}"]


def _reads_a_transcript(text: str, transcripts: Iterable[str]) -> bool:
    for transcript in transcripts:
        fragment = max(_PLACEHOLDER.split(transcript), key=len).strip()
        if len(fragment) >= 12 and " ".join(fragment.split()) in text:
            return True
    return False


def _about_the_release(turn: Turn, campaign: Campaign) -> list[str]:
    if clips_in(turn.speech) or (campaign.album and campaign.album in text_of(turn.speech)):
        return []
    return [f"neither names the album ({campaign.album!r}) nor plays a countdown recording: {turn.speech}"]


def _says_it_again(turn: Turn, campaign: Campaign) -> list[str]:
    before = text_of((((turn.previous or {}).get("response") or {}).get("outputSpeech") or {}).get("ssml", ""))
    if not before:
        return ["nothing was said before it in this session (fix the script)"]
    if before not in text_of(turn.speech) or clips_in(turn.speech) != clips_in(
            turn.previous["response"]["outputSpeech"]["ssml"]):
        return [f"does not say again what was just said ({before!r}): {turn.speech}"]
    return []


def _says_goodbye(turn: Turn, campaign: Campaign) -> list[str]:
    return [] if turn.ends_session and turn.speech else \
        [f"should say goodbye and end the session: {turn.speech!r}, shouldEndSession "
         f"{turn.body.get('shouldEndSession')!r}"]


def _names_the_band(turn: Turn, campaign: Campaign) -> list[str]:
    if not campaign.members:
        return ["the campaign has no band members to name (fix the script)"]
    missing = [name for name in campaign.members if name not in text_of(turn.speech)]
    return [f"does not name {missing}: {turn.speech}"] if missing else []


def _streams_an_episode(turn: Turn, campaign: Campaign) -> list[str]:
    plays = [d for d in turn.directives if d.get("type") == "AudioPlayer.Play"]
    if len(plays) != 1:
        return [f"should hand the device one episode to play (AudioPlayer.Play), not {turn.directives}"]
    url = ((plays[0].get("audioItem") or {}).get("stream") or {}).get("url")
    found = [] if url in campaign.clip_urls else [f"streams {url!r}, which is none of the campaign's clips"]
    return found + ([] if turn.ends_session else ["the session should end so that the device plays the episode"])


def _offers_or_asks_for_consent(turn: Turn, campaign: Campaign) -> list[str]:
    """A reminder turn: a question ("Shall I remind you...?", "Okay, no reminder. Would you like..."),
    or Alexa asking the listener to allow reminders."""
    if turn.asks_alexa_for_consent:
        scopes = [(d.get("payload") or {}).get("permissionScope") for d in turn.directives
                  if d.get("name") == "AskFor"]
        return [] if scopes == [REMINDERS_SCOPE] else [f"asks for {scopes}, not the reminders permission"]
    return _waits_for_an_answer(turn, campaign)


def _says_nothing(turn: Turn, campaign: Campaign) -> list[str]:
    found = [] if turn.request["request"]["type"] == "SessionEndedRequest" else \
        ["not a SessionEndedRequest (end a session with `exit` in the script)"]
    return found + (["a session that ended must get no speech"] if turn.body.get("outputSpeech") else [])


def _all(*checks: Callable[[Turn, Campaign], list[str]]) -> Callable[[Turn, Campaign], list[str]]:
    return lambda turn, campaign: [problem for check in checks for problem in check(turn, campaign)]


#: What a listener notices on each kind of turn, beyond what every turn gets.
CHECKS: dict[str, Callable[[Turn, Campaign], list[str]]] = {
    "launch": _all(_opens_the_session, _waits_for_an_answer),
    "tip": _all(_plays_a_piece, _waits_for_an_answer),
    "piece": _all(_plays_a_piece, _waits_for_an_answer),
    "whats_new": _all(_plays_a_piece, _waits_for_an_answer),  # asked when something is new since the last visit
    "yes": _all(_plays_a_piece, _waits_for_an_answer),  # "yes" to an offer of a tip or a piece
    "countdown": _all(_about_the_release, _waits_for_an_answer),
    "listen": _all(_about_the_release, _waits_for_an_answer),
    "band": _all(_names_the_band, _waits_for_an_answer),
    "member_intro": _all(_plays_a_piece, _waits_for_an_answer),
    "unlocks": _waits_for_an_answer,
    "quiz_start": _all(_plays_a_piece, _waits_for_an_answer),  # a question, recorded or read
    "quiz_answer": _all(_plays_a_piece, _waits_for_an_answer),  # the next one (the script answers mid-round)
    "daily_question": _all(_plays_a_piece, _waits_for_an_answer),
    "daily_answer": _waits_for_an_answer,  # what next, once today's question is answered
    "playback": _streams_an_episode,
    "reminder": _offers_or_asks_for_consent,
    "repeat": _all(_says_it_again, _waits_for_an_answer),
    "help": _waits_for_an_answer,
    "fallback": _waits_for_an_answer,
    "no": _says_goodbye,
    "stop": _says_goodbye,
    "session_end": _says_nothing,
}
