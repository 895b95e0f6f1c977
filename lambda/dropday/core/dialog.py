"""What the skill answers: one pure function per kind of turn, from a `Turn` to a `Reply`.

Handlers build the `Turn` from the request and turn the `Reply` into an ASK response; all the
decisions (which tip, which sentence, whether the session stays open) are made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from random import Random
from zoneinfo import ZoneInfo

from . import tips as rotation
from .countdown import Stage, countdown, local_date
from .listener import ListenerState
from .manifest import CountdownLine, Manifest, Tip
from .speech import Speech, clip, say


@dataclass(frozen=True)
class Offer:
    """What the last question offered, so that "yes" or "next" knows what to play.

    Attributes:
        member: a member id when a tip from that member was offered; None for any tip.
    """

    member: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The offer as a session attribute."""
        return {"member": self.member} if self.member else {}

    @classmethod
    def from_dict(cls, data: object) -> Offer | None:
        """Read a session attribute; None when nothing was offered."""
        if not isinstance(data, dict):
            return None
        member = data.get("member")
        return cls(member if isinstance(member, str) else None)


@dataclass(frozen=True)
class Turn:
    """Everything a turn depends on.

    Attributes:
        manifest: the campaign.
        locale: the request's locale (None when the request has none).
        now: the request's timestamp, timezone-aware.
        zone: the listener's time zone (device setting, cached, or the manifest's default).
        state: the listener's stored state (a fresh one for turns that do not use it).
        new_session: whether this turn opens a session.
        audio_base_url: https base URL under which the campaign's clips are served.
        rng: randomness for the tip order.
    """

    manifest: Manifest
    locale: str | None
    now: datetime
    zone: ZoneInfo
    state: ListenerState
    new_session: bool
    audio_base_url: str
    rng: Random

    @property
    def today(self) -> date:
        """The listener's local date."""
        return local_date(self.now, self.zone)

    def line(self, key: str, **values: object) -> Speech:
        """The sentence `key` of the locale table as speech."""
        return say(self.manifest.say(key, self.locale, **values))

    def recording(self, path: str | None, transcript: str) -> Speech:
        """A clip when there is one, otherwise its transcript as text."""
        if not path:
            return say(transcript)
        return clip(f"{self.audio_base_url.rstrip('/')}/{self.manifest.clip_key(path)}", transcript)

    def started_state(self) -> ListenerState:
        """The stored state, with the visit counted when this turn opens a session."""
        state = self.state.known_tips_only({t.key for t in self.manifest.tips})
        return state.visited(self.today) if self.new_session else state


@dataclass(frozen=True)
class Reply:
    """The skill's answer to a turn.

    Attributes:
        speech: what Alexa says.
        reprompt: what Alexa says if the listener is silent; None ends the session.
        state: the listener's state afterwards.
        offer: what the closing question offered, for "yes" and "next".
    """

    speech: Speech
    reprompt: Speech | None
    state: ListenerState
    offer: Offer | None = None

    @property
    def ends_session(self) -> bool:
        """Whether the session ends with this reply."""
        return self.reprompt is None


def launch(turn: Turn) -> Reply:
    """Opening the skill: a first welcome, or a welcome back with the count of new tips."""
    if turn.state.visits == 0:
        welcome = turn.line("welcome_first")
    else:
        new = rotation.new_tips_since_last_visit(turn.manifest.tips_available(turn.today), turn.state)
        key = {0: "welcome_back", 1: "welcome_back_one_new"}.get(new, "welcome_back_many_new")
        welcome = turn.line(key, count=new)
    return Reply(welcome + turn.line("ask_tip_or_countdown"), turn.line("reprompt_tip_or_countdown"),
                 turn.started_state(), Offer())


def tip(turn: Turn, member: str | None = None, member_not_recognised: bool = False) -> Reply:
    """A tip: the listener's next unheard one, from `member` when one was asked for."""
    state = turn.started_state()
    available = turn.manifest.tips_available(turn.today)
    choice = rotation.next_tip(available, state, turn.rng, member)
    if choice.tip is not None:
        preface = turn.line("member_not_recognised") if member_not_recognised else Speech()
        return Reply(preface + _play_tip(turn, choice.tip) + turn.line("offer_another_tip"),
                     turn.line("reprompt_another_tip"), choice.state, Offer())
    if choice.member_exhausted and member is not None:
        name = turn.manifest.member(member).name  # type: ignore[union-attr]
        other = rotation.member_with_new_tips(available, state, turn.rng, exclude=member)
        if other is not None:
            other_name = turn.manifest.member(other).name  # type: ignore[union-attr]
            return Reply(turn.line("member_has_nothing_new", member=name)
                         + turn.line("offer_other_member", other_member=other_name),
                         turn.line("reprompt_other_member", other_member=other_name), state, Offer(other))
        return Reply(turn.line("member_has_nothing_new", member=name) + turn.line("offer_another_tip"),
                     turn.line("reprompt_another_tip"), state, Offer())
    return Reply(turn.line("no_tips_available") + turn.line("ask_help"),
                 turn.line("reprompt_tip_or_countdown"), state)


def countdown_to_release(turn: Turn) -> Reply:
    """How long until the album is out, in the listener's time zone, then the offer of a tip."""
    left = countdown(turn.manifest.album.release_date, turn.now, turn.zone)
    manifest = turn.manifest
    if left.stage is Stage.OUT_NOW:
        speech = _recorded(turn, manifest.out_now) or turn.line("countdown_out_now")
        offer = turn.line("offer_tip_after_release")
    else:
        fallback = {
            Stage.DAYS: lambda: turn.line("countdown_days", days=left.days_to_go),
            Stage.HOURS: lambda: turn.line("countdown_hours", hours=left.hours),
            Stage.LAST_HOUR: lambda: turn.line("countdown_last_hour"),
            Stage.RELEASE_DAY: lambda: turn.line("countdown_release_day"),
        }[left.stage]
        speech = _recorded(turn, manifest.countdown_lines.get(left.days_to_go)) or fallback()
        offer = turn.line("offer_tip_after_countdown" if left.stage is not Stage.RELEASE_DAY
                          else "offer_tip_after_release")
    return Reply(speech + offer, offer, turn.started_state(), Offer())


def accept_offer(turn: Turn, offer: Offer | None) -> Reply:
    """"Yes" or "next": play what was offered (any tip when nothing particular was, or when the
    offered member is no longer in the campaign)."""
    member = offer.member if offer else None
    return tip(turn, member if member and turn.manifest.member(member) else None)


def help_(turn: Turn) -> Reply:
    """Help: what the skill can do, with examples, then a question."""
    return Reply(turn.line("help") + turn.line("ask_help"), turn.line("reprompt_tip_or_countdown"),
                 turn.state, Offer())


def fallback(turn: Turn) -> Reply:
    """Something the skill did not understand: examples, then a question."""
    return Reply(turn.line("fallback") + turn.line("ask_help"), turn.line("reprompt_fallback"), turn.state, Offer())


def nothing_to_repeat(turn: Turn) -> Reply:
    """"Repeat" before the skill has said anything in this session."""
    return Reply(turn.line("nothing_to_repeat") + turn.line("ask_tip_or_countdown"),
                 turn.line("reprompt_tip_or_countdown"), turn.state, Offer())


def goodbye(turn: Turn) -> Reply:
    """No, stop, cancel, home: say goodbye and end the session."""
    released = turn.today >= turn.manifest.album.release_date
    return Reply(turn.line("goodbye_after_release" if released else "goodbye"), None, turn.state)


def error(turn: Turn) -> Reply:
    """Something failed on our side: apologise and end the session."""
    return Reply(turn.line("error"), None, turn.state)


def _play_tip(turn: Turn, chosen: Tip) -> Speech:
    member = turn.manifest.member(chosen.member)
    intro = turn.line("tip_intro", member=member.name) if member else Speech()
    return intro + turn.recording(chosen.audio_for(turn.locale), turn.manifest.fill(chosen.transcript.get(turn.locale)))


def _recorded(turn: Turn, line: CountdownLine | None) -> Speech:
    if line is None:
        return Speech()
    return turn.recording(line.audio, turn.manifest.fill(line.transcript.get(turn.locale)))

