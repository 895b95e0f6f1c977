"""What the skill keeps for the length of one session, in Alexa's session attributes.

Alexa returns the attributes of the last response with the next request, but a forged or damaged
request can carry anything: `SessionState.from_attributes` keeps only what the skill itself
writes, of the right types and sizes, and ignores the rest, and `to_attributes` writes back only
that. Per field:

- `offer`: what the last question offered, so that "yes" and "next" know what to play;
- `said`: the variant of each varied sentence said last, so the next turn says another;
- `zone`: the listener's time zone once known, so later turns need not read it again;
- `last`: the last answer (speech and reprompt SSML), for "repeat";
- `asking`: the quiz or daily question the last answer asked (`AskedQuestion`), so that the next
  answer is matched to it and mid-quiz help, repeat and stop go to the quiz. The round itself
  (which question, the score) is stored (`core.quiz_progress`), so it survives a stop.
- `optins`: the reminders offered in this session, and the daily reminder on offer (`core.optins`).
- `episode`: the long-form episode the session is about, on a device that cannot stream it, so
  that "next" and "previous" move through the episodes (`core.playback`).

Progress a listener keeps across sessions lives in their stored state (`core.listener`), never here.
"""

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from .campaign.model import ID_PATTERN, KEY_LENGTH
from .campaign.sentences import SENTENCES
from .optins import OptInSession

#: Kinds of offer "yes" can accept (`dialog.accept_offer` dispatches on them).
OFFER_KINDS = frozenset({"piece", "whats_new", "unlocked", "member", "quiz",
                         "release_day_reminder", "daily_reminder", "draw"})
#: What an `AskedQuestion` asks: a question of the quiz's round, or today's daily question.
QUESTION_MODES = frozenset({"quiz", "daily"})
#: The longest SSML kept for "repeat": Alexa's 8000 characters of speech, plus the tags.
MAX_SSML = 8000 + len("<speak></speak>")
_ZONE = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+){0,2}$")


class Offer(NamedTuple):
    """What the last question offered.

    Attributes:
        kind: one of `OFFER_KINDS`.
        section: for a piece, the section it comes from (None: the tips section, or any).
        member: for a piece, the member it comes from (None: anyone).
    """

    kind: str = "piece"
    section: str | None = None
    member: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The offer as a session attribute."""
        return {k: v for k, v in (("kind", self.kind), ("section", self.section), ("member", self.member)) if v}

    @classmethod
    def from_dict(cls, data: object) -> "Offer | None":
        """Read a session attribute; None when nothing (valid) was offered."""
        if not isinstance(data, Mapping):
            return None
        kind = data.get("kind", "piece")
        if kind not in OFFER_KINDS:
            return None
        return cls(kind, _identifier(data.get("section")), _identifier(data.get("member")))


class AskedQuestion(NamedTuple):
    """The question the last answer asked, which the listener's next words answer.

    Attributes:
        mode: "quiz" (the round's question) or "daily" (today's question).
        key: the question's state key, so that an answer meant for a question another device
            has answered meanwhile is not counted twice.
    """

    mode: str
    key: str

    def to_dict(self) -> dict[str, str]:
        """The question as a session attribute."""
        return {"mode": self.mode, "key": self.key}

    @classmethod
    def from_dict(cls, data: object) -> "AskedQuestion | None":
        """Read a session attribute; None when nothing (valid) was asked."""
        if not isinstance(data, Mapping):
            return None
        mode, key = data.get("mode"), data.get("key")
        if mode not in QUESTION_MODES or not (isinstance(key, str) and len(key) == KEY_LENGTH):
            return None
        return cls(mode, key)


class LastAnswer(NamedTuple):
    """The last answer of the session, as rendered, for "repeat"."""

    speech: str
    reprompt: str | None = None


class SessionState(NamedTuple):
    """The session attributes the skill owns (see the module docstring)."""

    offer: Offer | None = None
    said: Mapping[str, str] = MappingProxyType({})
    zone: str | None = None
    last: LastAnswer | None = None
    asking: AskedQuestion | None = None
    optins: OptInSession = OptInSession()
    episode: str | None = None

    def to_attributes(self) -> dict[str, object]:
        """The session attributes to send with the response."""
        data: dict[str, object] = {}
        if self.offer is not None:
            data["offer"] = self.offer.to_dict()
        if self.said:
            data["said"] = dict(self.said)
        if self.zone:
            data["tz"] = self.zone
        if self.last is not None:
            data["last"] = {"speech": self.last.speech, **({"reprompt": self.last.reprompt}
                                                           if self.last.reprompt else {})}
        if self.asking is not None:
            data["asking"] = self.asking.to_dict()
        if self.optins:
            data["optins"] = self.optins.to_dict()
        if self.episode:
            data["episode"] = self.episode
        return data

    @classmethod
    def from_attributes(cls, attributes: object) -> "SessionState":
        """The attributes a request brought back, keeping only well-formed values the skill wrote."""
        if not isinstance(attributes, Mapping):
            return cls()
        said = attributes.get("said")
        zone = attributes.get("tz")
        return cls(
            offer=Offer.from_dict(attributes.get("offer")),
            said={name: key for name, key in said.items()
                  if name in SENTENCES and isinstance(key, str) and len(key) == KEY_LENGTH}
            if isinstance(said, Mapping) else {},
            zone=zone if isinstance(zone, str) and len(zone) <= 64 and _ZONE.match(zone) else None,
            last=_last_answer(attributes.get("last")),
            asking=AskedQuestion.from_dict(attributes.get("asking")),
            optins=OptInSession.from_dict(attributes.get("optins")),
            episode=_identifier(attributes.get("episode")),
        )


def _identifier(value: object) -> str | None:
    return value if isinstance(value, str) and ID_PATTERN.match(value) else None


def _last_answer(value: object) -> LastAnswer | None:
    if not isinstance(value, Mapping):
        return None
    speech, reprompt = value.get("speech"), value.get("reprompt")
    if not well_formed_ssml(speech):
        return None
    return LastAnswer(speech, reprompt if well_formed_ssml(reprompt) else None)  # type: ignore[arg-type]


def well_formed_ssml(value: object) -> bool:
    """Whether `value` is one `<speak>` element of well-formed XML within Alexa's length limit."""
    if not isinstance(value, str) or len(value) > MAX_SSML or not (value.startswith("<speak>")
                                                                     and value.endswith("</speak>")):
        return False
    from xml.etree.ElementTree import ParseError, fromstring  # only for "repeat"

    try:
        return fromstring(value).tag == "speak"
    except ParseError:
        return False
