"""Alexa's limits per response, checked on the longest responses the skill can actually build.

Every response is built by the skill's own dialog functions (`dropday.core.dialog`) from the
manifest, so what is measured is exactly what a listener would be sent: the welcome, each tip with
its preface, intro and offer, each countdown stage and recorded line, help and the rest. The skill
does not know clip lengths and `Speech.ssml()` silently degrades a response past the limits (a
clip becomes its transcript, text is cut), so this is the only place an overlong response shows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from ..config import LOCAL_AUDIO_BASE_URL
from ..core import dialog, unlocks
from ..core.campaign import Condition, Manifest, Sentence, Sentences, Window
from ..core.campaign.parse import Place
from ..core.listener import ListenerState
from ..core.session import SessionState
from ..core.turns import Reply, Turn
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
    build: Callable[[], Reply]


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
                      places: Iterable[Place]) -> list[Overrun]:
    """Every response, in every locale, that breaks one of Alexa's per-response limits.

    Args:
        manifest: the campaign, as built by the same `parse_places` call as `places` (a piece's
            place is found by the very recording object the parser read).
        clip_seconds: clip path (as in the manifest) -> its length, for the clips that could be read.
        locales: the locales to build responses for (None: a request without one).
        places: where the parser read each recording and sentence (`parse_places`), to say
            where to shorten.

    Returns:
        One overrun per place and limit (the worst locale), in a stable order.
    """
    worst: dict[tuple[str, str], tuple[float, Overrun]] = {}
    places = list(places)
    longest = _longest_words(manifest)
    sizes: dict[str, ResponseSize] = {}   # most replies are the same in every locale: each is sized once
    for locale in locales:
        for scenario in _scenarios(longest, locale, _Where(places, locale)):
            reply = scenario.build()
            for amount, kind, overrun in _measure(scenario, reply, locale, clip_seconds, sizes):
                key = (overrun.path, kind)
                if key not in worst or amount > worst[key][0]:
                    worst[key] = (amount, overrun)
    return [overrun for _, overrun in worst.values()]


def response_size(reply: Reply, turn: Turn | None = None, stored_version: int = 1) -> ResponseSize:
    """The size of the response the skill sends for `reply`.

    The response is built by the skill's own `respond` (so whatever it keeps in the session
    attributes, such as what it said for "repeat" and the listener's state at `stored_version`,
    counts too) and serialised as the ASK SDK and the Lambda runtime do: JSON, non-ASCII
    characters as UTF-8.
    """
    from ask_sdk_core.__version__ import __version__
    from ask_sdk_core.attributes_manager import AttributesManager
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope, ResponseEnvelope, Session
    from ask_sdk_runtime.utils import user_agent_info

    from ..skill.listener_state import assume_stored
    from ..skill.turns import respond  # the skill's own response building: keep in step with it

    request = RequestEnvelope(version="1.0", session=Session(new=False, attributes={}))
    handler_input = HandlerInput(request_envelope=request, attributes_manager=AttributesManager(request))
    assume_stored(handler_input, reply.state, stored_version)  # the session carries it, as after a write
    response = respond(handler_input, turn or _any_turn(), reply)
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


def _measure(scenario: Scenario, reply: Reply, locale: str | None, clip_seconds: Mapping[str, float],
             sizes: dict[str, ResponseSize]) -> Iterator[tuple[float, str, Overrun]]:
    where = f"{scenario.label} in {locale}" if locale else scenario.label
    for part, speech, limit in (("response", reply.said, MAX_AUDIO_SECONDS),
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
    seen = repr(reply)   # every part of a reply is a value with a faithful repr
    size = sizes.get(seen) or sizes.setdefault(seen, response_size(reply))
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


class _Where:
    """Where in the manifest a scenario's words come from (for "shorten it here")."""

    def __init__(self, places: list[Place], locale: str | None) -> None:
        self.locale = locale
        self.recordings = {id(p.value): p.path for p in places if p.kind == "recording"}
        self.sentences = {}
        for place in places:
            if place.kind == "sentence":
                table = place.path.split(".")[-2] if "." in place.path else ""
                self.sentences.setdefault((table, place.name), place.path)
        self.sentence_names = {name for _, name in self.sentences}

    def sentence(self, name: str) -> str:
        return self.sentences.get((self.locale or "", name)) or self.sentences.get(("default", name)) \
            or next((path for (_, n), path in self.sentences.items() if n == name), "sentences")

    def recording(self, recording, fallback: str) -> str:
        return self.recordings.get(id(recording), fallback)


def _longest_words(manifest: Manifest) -> Manifest:
    """The campaign with each of its own varied sentences reduced to its longest variant, so that the
    longest answer is the one measured."""
    def shortened(sentences: Sentences | None) -> Sentences | None:
        if sentences is None:
            return None
        tables = {table: {name: Sentence((max(s.variants, key=lambda v: len(v.recording.transcript.default)),))
                          if len(s.variants) > 1 else s for name, s in entries.items()}
                  for table, entries in sentences.tables.items()}
        return sentences._replace(tables=tables)

    return manifest._replace(sentences=shortened(manifest.sentences),
                             sections=tuple(s._replace(sentences=shortened(s.sentences)) for s in manifest.sections))


def _any_turn() -> Turn:
    return Turn(_any_campaign(), None, datetime(2029, 1, 1, tzinfo=ZoneInfo("UTC")), ZoneInfo("UTC"),
                ListenerState(), SessionState(), False, LOCAL_AUDIO_BASE_URL, Random(0))


@functools.lru_cache(maxsize=1)
def _any_campaign() -> Manifest:
    """A minimal campaign for `_any_turn` (parsed once: a `Manifest` is immutable)."""
    from ..core.campaign import parse_manifest
    return parse_manifest({"schema_version": 2, "campaign": "any", "artist": {"name": "Any"},
                           "album": {"title": "Any", "release_date": "2030-01-01",
                                     "default_time_zone": "Europe/London"}})


def _scenarios(manifest: Manifest, locale: str | None, where: _Where) -> Iterator[Scenario]:
    release = manifest.album.release_date
    zone = ZoneInfo(manifest.album.default_time_zone)

    def turn(day: date, state: ListenerState = ListenerState(), at: time = time(12), campaign: Manifest = manifest,
             new_session: bool = False) -> Turn:
        return Turn(campaign, locale, datetime.combine(day, at, tzinfo=zone), zone, state, SessionState(),
                    new_session, LOCAL_AUDIO_BASE_URL, Random(0))

    sentence = where.sentence
    spoken = [s for s in manifest.sections if not s.long_form]   # episodes stream: not an SSML answer
    pieces = [p for s in spoken for p in s.pieces]
    first_day = min([release, *(p.window.start for p in pieces if p.window.start)])
    returning = ListenerState(visits=1, visit_days=1, last_visit=first_day - timedelta(days=1))
    yield Scenario("the first welcome", sentence("welcome_first"),
                   lambda: dialog.launch(turn(release, new_session=True)))
    yield Scenario("a welcome back with what is new", sentence("welcome_back_news"),
                   lambda: dialog.launch(turn(release, returning, new_session=True)))
    for section in spoken:
        for piece in section.pieces:
            day = piece.window.start or piece.window.end or release
            alone = manifest._replace(sections=(section._replace(pieces=(piece,)),))
            yield Scenario(f"piece {piece.id}", where.recording(piece.recording, "sections"),
                           lambda day=day, alone=alone, section=alone.sections[0]: dialog.section_request(
                               turn(day, campaign=alone), section, member_not_recognised=True,
                               section_not_recognised=True))
    longest_piece = max(pieces, key=lambda p: len(p.recording.transcript.default), default=None)
    for unlockable in manifest.unlockables:
        if longest_piece is None:
            break
        section = manifest.section(longest_piece.section)
        now = unlockable._replace(when=Condition("date", day=date.min))
        campaign = manifest._replace(sections=(section._replace(pieces=(longest_piece,)),), unlockables=(now,))

        def unlocked(campaign: Manifest = campaign) -> Reply:
            at = turn(longest_piece.window.start or release, campaign=campaign)
            return unlocks.announce_unlocks(at, dialog.section_request(at, campaign.sections[0]))

        yield Scenario(f"the longest piece, then unlocking {unlockable.id}",
                       where.recording(unlockable.recording, "unlockables"), unlocked)
    for days in sorted(manifest.countdown_lines):
        yield Scenario(f"the countdown {days} days before release",
                       where.recording(manifest.countdown_lines[days], "countdown.lines"),
                       lambda days=days: dialog.countdown(turn(release - timedelta(days=days))))
    yield Scenario("the countdown after release",
                   where.recording(manifest.out_now, sentence("countdown_out_now")),
                   lambda: dialog.countdown(turn(release + timedelta(days=1))))
    for key, day, at in (("countdown_days", release - timedelta(days=400), time(12)),
                         ("countdown_hours", release - timedelta(days=1), time(0, 30)),
                         ("countdown_last_hour", release - timedelta(days=1), time(23, 30)),
                         ("countdown_release_day", release, time(12))):
        yield Scenario(f"the spoken countdown ({key})", sentence(key),
                       lambda day=day, at=at: dialog.countdown(turn(day, at=at)))
    if any(p.window.start for p in pieces):
        yield Scenario("what's new", sentence("piece_intro"),
                       lambda: dialog.whats_new(turn(release, returning)))
    if manifest.members:
        yield Scenario("who's in the band", where.recording(
            next((v.recording for m in manifest.members if m.intro for v in m.intro.variants), None), "members"),
            lambda: dialog.lineup(turn(release)))
        for i, member in enumerate(manifest.members):
            yield Scenario(f"tell me about {member.name}", f"members[{i}]",
                           lambda member=member: dialog.member_intro(turn(release), member))
        yield from _member_scenarios(manifest, turn, sentence, release, spoken)
    if manifest.unlockables:
        everything = ListenerState(unlocked=tuple(u.key for u in manifest.unlockables))
        yield Scenario("what have I unlocked", sentence("unlocked_list"),
                       lambda: dialog.unlocked(turn(release, everything)))
    nothing = manifest._replace(sections=())
    yield Scenario("nothing to hear yet", sentence("nothing_available"),
                   lambda: dialog.section_request(turn(release, campaign=nothing), None))
    yield Scenario("a tip asked of a campaign without tips", sentence("no_tips_here"),
                   lambda: dialog.tip(turn(release, campaign=nothing)))
    for key, build in (("help", dialog.help_), ("fallback", dialog.fallback), ("nothing_to_repeat",
                       dialog.nothing_to_repeat), ("goodbye", dialog.goodbye), ("error", dialog.error)):
        yield Scenario(key.replace("_", " "), sentence(key),
                       lambda build=build: build(turn(release - timedelta(days=1))))
    yield Scenario("goodbye after release", sentence("goodbye_after_release"),
                   lambda: dialog.goodbye(turn(release)))


def _member_scenarios(manifest: Manifest, turn, sentence, release: date, sections) -> Iterator[Scenario]:
    """A listener asks for a member who has nothing new in a section: the offer of another member's."""
    longest = sorted(manifest.members, key=lambda m: len(m.name), reverse=True)
    asked, other = longest[0], (longest[1] if len(longest) > 1 else None)
    for section in sections:
        pieces = [p for p in section.pieces if p.member == asked.id][:1]
        if other is not None:
            pieces += [p for p in section.pieces if p.member == other.id][:1]
        if len(pieces) < 2 or pieces[0].member != asked.id:
            continue
        alone = section._replace(pieces=tuple(p._replace(window=Window()) for p in pieces))
        campaign = manifest._replace(sections=(alone,))

        def second_ask(campaign: Manifest = campaign, alone=alone) -> Reply:
            # The skill's own state after the member's only piece, so its notion of "heard" is used.
            heard = dialog.section_request(turn(release, campaign=campaign), alone, asked.id).state
            return dialog.section_request(turn(release, heard, campaign=campaign), alone, asked.id)

        yield Scenario(f"a member with nothing new in {section.id} ({asked.name})",
                       sentence("offer_other_member"), second_ask)
