"""Alexa's limits per response, checked on the longest responses the skill can actually build.

Every response is built by the skill's own dialog functions (`dropday.core.dialog`) from the
manifest, so what is measured is exactly what a listener would be sent: the welcome, each tip with
its preface, intro and offer, each countdown stage and recorded line, help and the rest. The skill
does not know clip lengths and `Speech.ssml()` silently degrades a response past the limits (a
clip becomes its transcript, text is cut), so this is the only place an overlong response shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from random import Random
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from ..config import LOCAL_AUDIO_BASE_URL
from ..core import dialog
from ..core.listener import ListenerState
from ..core.manifest import Manifest, Window
from ..core.speech import (
    MAX_AUDIO_CLIPS,
    MAX_AUDIO_SECONDS,
    MAX_REPROMPT_AUDIO_SECONDS,
    MAX_SSML_CHARACTERS,
    Clip,
    Speech,
)

_SPEAK_TAGS = len("<speak></speak>")
#: Alexa refuses a response over 24 kilobytes (the whole response body, session attributes
#: included); read strictly, as 24,000 bytes.
MAX_RESPONSE_BYTES = 24_000


@dataclass(frozen=True)
class Scenario:
    """One kind of response, where in the manifest its content comes from, and how to build it."""

    label: str
    path: str
    build: Callable[[], dialog.Reply]


@dataclass(frozen=True)
class Overrun:
    """A response past one of Alexa's limits."""

    path: str
    message: str
    fix: str


@dataclass(frozen=True)
class ResponseSize:
    """How big a response is, in bytes of UTF-8 JSON.

    Attributes:
        total: the whole response envelope, as Alexa receives it.
        session: of which, the session attributes the skill keeps for the next turn.
    """

    total: int
    session: int


def response_overruns(manifest: Manifest, clip_seconds: Mapping[str, float], locales: list[str | None],
                      paths: Mapping[str, str]) -> list[Overrun]:
    """Every response, in every locale, that breaks one of Alexa's per-response limits.

    Args:
        manifest: the campaign.
        clip_seconds: clip path (as in the manifest) -> its length, for the clips that could be read.
        locales: the locales to build responses for (None: a request without one).
        paths: YAML paths of the manifest's parts: ``tip:<id>``, ``line:<days>``, ``out_now`` and
            ``speech:<locale>:<key>`` -> e.g. ``tips[3]``; used to say where to shorten.

    Returns:
        One overrun per place and limit (the worst locale), in a stable order.
    """
    worst: dict[tuple[str, str], tuple[float, Overrun]] = {}
    for locale in locales:
        for scenario in _scenarios(manifest, locale, paths):
            reply = scenario.build()
            for amount, kind, overrun in _measure(scenario, reply, locale, clip_seconds):
                key = (overrun.path, kind)
                if key not in worst or amount > worst[key][0]:
                    worst[key] = (amount, overrun)
    return [overrun for _, overrun in worst.values()]


def response_size(reply: dialog.Reply) -> ResponseSize:
    """The size of the response the skill sends for `reply`.

    The response is built by the skill's own `respond` (so whatever it keeps in the session
    attributes, such as what it said for "repeat", counts too) and serialised as the ASK SDK and
    the Lambda runtime do: JSON, non-ASCII characters as UTF-8.
    """
    from ask_sdk_core.__version__ import __version__
    from ask_sdk_core.attributes_manager import AttributesManager
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope, ResponseEnvelope, Session
    from ask_sdk_runtime.utils import user_agent_info

    from ..skill.handlers import respond  # the skill's own response building: keep in step with it

    request = RequestEnvelope(version="1.0", session=Session(new=False, attributes={}))
    handler_input = HandlerInput(request_envelope=request, attributes_manager=AttributesManager(request))
    response = respond(handler_input, reply)
    sent = DefaultSerializer().serialize(ResponseEnvelope(
        version="1.0", response=response, session_attributes=handler_input.attributes_manager.session_attributes,
        user_agent=user_agent_info(sdk_version=__version__)))
    return ResponseSize(_json_bytes(sent), _json_bytes(sent.get("sessionAttributes") or {}))


def _json_bytes(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def ssml_length(speech: Speech) -> int:
    """The length of `speech` as SSML before any cutting: clips as `<audio>` tags, text escaped."""
    pieces = [f"<audio src={quoteattr(p.url)}/>" if isinstance(p, Clip) else escape(p.text) for p in speech.parts]
    return _SPEAK_TAGS + len(" ".join(pieces))


def _measure(scenario: Scenario, reply: dialog.Reply, locale: str | None,
             clip_seconds: Mapping[str, float]) -> Iterator[tuple[float, str, Overrun]]:
    where = f"{scenario.label} in {locale}" if locale else scenario.label
    for part, speech, limit in (("response", reply.speech, MAX_AUDIO_SECONDS),
                                ("reprompt", reply.reprompt, MAX_REPROMPT_AUDIO_SECONDS)):
        if speech is None:
            continue
        clips = [p for p in speech.parts if isinstance(p, Clip)]
        seconds = sum(clip_seconds.get(clip_path(c.url), 0.0) for c in clips)
        # A single clip over 240 s is reported by the clip check already, with a better fix.
        if seconds > limit and not (part == "response" and any(
                clip_seconds.get(clip_path(c.url), 0.0) > MAX_AUDIO_SECONDS for c in clips)):
            yield seconds, f"{part}-seconds", Overrun(
                scenario.path, f"the {part} for {where} plays {seconds:.1f} s of audio; Alexa allows {limit:.0f} s "
                f"in one {part}, so the skill would read a transcript instead", "shorten the clip")
        if len(clips) > MAX_AUDIO_CLIPS:
            yield len(clips), f"{part}-clips", Overrun(
                scenario.path, f"the {part} for {where} has {len(clips)} clips; Alexa plays at most "
                f"{MAX_AUDIO_CLIPS} in one {part}", "use fewer recorded parts in one answer")
        length = ssml_length(speech)
        if length > MAX_SSML_CHARACTERS:
            yield length, f"{part}-characters", Overrun(
                scenario.path, f"the {part} for {where} is {length} characters of SSML; Alexa allows "
                f"{MAX_SSML_CHARACTERS}, so the skill would cut off the end", "shorten the text")
    size = response_size(reply)
    if size.total > MAX_RESPONSE_BYTES:
        yield size.total, "response-bytes", Overrun(
            scenario.path, f"the response for {where} is {size.total} bytes, of which {size.session} are the session "
            f"attributes the skill keeps for the next turn; Alexa refuses a response over 24 KB "
            f"({MAX_RESPONSE_BYTES} bytes), so the listener would hear an error instead",
            "shorten the text, or record it: a clip is sent as a short <audio> tag")


def clip_path(url: str) -> str:
    """The manifest's clip path inside a URL that `Turn.recording` built on `LOCAL_AUDIO_BASE_URL`.

    `Turn.recording` builds `<base>/<campaign>/<path>`; if it comes to use published keys, this
    must map a key back to its path.
    """
    return url.removeprefix(LOCAL_AUDIO_BASE_URL + "/").split("/", 1)[-1]


def _scenarios(manifest: Manifest, locale: str | None, paths: Mapping[str, str]) -> Iterator[Scenario]:
    release = manifest.album.release_date
    zone = ZoneInfo(manifest.album.default_time_zone)

    def turn(day: date, state: ListenerState = ListenerState(), at: time = time(12), campaign: Manifest = manifest,
             new_session: bool = False) -> dialog.Turn:
        return dialog.Turn(campaign, locale, datetime.combine(day, at, tzinfo=zone), zone, state, new_session,
                           LOCAL_AUDIO_BASE_URL, Random(0))

    def sentence(key: str) -> str:
        return paths.get(f"speech:{locale}:{key}") or paths.get(f"speech:default:{key}", "speech.default")

    first_day = min([release, *(t.window.start for t in manifest.tips if t.window.start)])
    returning = ListenerState(visits=1, last_visit=first_day - timedelta(days=1))
    yield Scenario("the first welcome", sentence("welcome_first"),
                   lambda: dialog.launch(turn(release, new_session=True)))
    yield Scenario("a welcome back", sentence("welcome_back_many_new"),
                   lambda: dialog.launch(turn(release, returning, new_session=True)))
    for tip in manifest.tips:
        day = tip.window.start or tip.window.end or release
        alone = replace(manifest, tips=(tip,))
        yield Scenario(f"tip {tip.id}", paths.get(f"tip:{tip.id}", "tips"),
                       lambda day=day, alone=alone: dialog.tip(turn(day, campaign=alone), member_not_recognised=True))
    for days in sorted(manifest.countdown_lines):
        yield Scenario(f"the countdown {days} days before release", paths.get(f"line:{days}", "countdown.lines"),
                       lambda days=days: dialog.countdown_to_release(turn(release - timedelta(days=days))))
    yield Scenario("the countdown after release", paths.get("out_now") or sentence("countdown_out_now"),
                   lambda: dialog.countdown_to_release(turn(release + timedelta(days=1))))
    for key, day, at in (("countdown_days", release - timedelta(days=400), time(12)),
                         ("countdown_hours", release - timedelta(days=1), time(0, 30)),
                         ("countdown_last_hour", release - timedelta(days=1), time(23, 30)),
                         ("countdown_release_day", release, time(12))):
        yield Scenario(f"the spoken countdown ({key})", sentence(key),
                       lambda day=day, at=at: dialog.countdown_to_release(turn(day, at=at)))
    if manifest.members and len(manifest.tips) > 1:
        yield from _member_scenarios(manifest, turn, sentence, release)
    no_tips = replace(manifest, tips=())
    yield Scenario("no tips available", sentence("no_tips_available"),
                   lambda: dialog.tip(turn(release, campaign=no_tips)))
    for key, build in (("help", dialog.help_), ("fallback", dialog.fallback), ("nothing_to_repeat",
                       dialog.nothing_to_repeat), ("goodbye", dialog.goodbye), ("error", dialog.error)):
        yield Scenario(key.replace("_", " "), sentence(key),
                       lambda build=build: build(turn(release - timedelta(days=1))))
    yield Scenario("goodbye after release", sentence("goodbye_after_release"),
                   lambda: dialog.goodbye(turn(release)))


def _member_scenarios(manifest: Manifest, turn, sentence, release: date) -> Iterator[Scenario]:
    """A listener asks for a member who has nothing new: the offer of another member's tip."""
    longest = sorted(manifest.members, key=lambda m: len(m.name), reverse=True)
    asked, other = longest[0], (longest[1] if len(longest) > 1 else None)
    tips = [t for t in manifest.tips if t.member == asked.id][:1]
    if other is not None:
        tips += [t for t in manifest.tips if t.member == other.id][:1]
    if len(tips) < 2 or tips[0].member != asked.id:
        return
    campaign = replace(manifest, tips=tuple(replace(t, window=Window()) for t in tips))

    def second_ask() -> dialog.Reply:
        # The skill's own state after the member's only tip, so its notion of "heard" is used.
        heard = dialog.tip(turn(release, campaign=campaign), member=asked.id).state
        return dialog.tip(turn(release, heard, campaign=campaign), member=asked.id)

    yield Scenario(f"a member with nothing new ({asked.name})", sentence("offer_other_member"), second_ask)
