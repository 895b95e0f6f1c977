"""A turn of the conversation: what it depends on (`Turn`) and what the skill answers (`Reply`).

Handlers build the `Turn` from the request and turn the `Reply` into an ASK response; every
decision (which piece, which sentence, whether the session stays open) is made by the core
functions between the two.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from random import Random
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from .campaign.model import Manifest, Recording, Section, Sentence
from .campaign.sentences import MONTHS, WEEKDAYS
from .countdown import local_date
from .listener import ListenerState
from .session import AskedQuestion, Offer, SessionState
from .speech import Speech, clip, say

if TYPE_CHECKING:
    from .episodes import Player

#: Sentences whose variant the stored state remembers across visits (see `Turn.welcome`).
WELCOMES = ("welcome_first", "welcome_back", "welcome_back_news")


@dataclass
class Turn:
    """Everything a turn depends on.

    Attributes:
        manifest: the campaign.
        locale: the request's locale (None when the request has none).
        now: the request's timestamp, timezone-aware.
        zone: the listener's time zone (device setting, cached, or the manifest's default).
        state: the listener's stored state (a fresh one for turns that do not use it).
        session: the session attributes the request brought back.
        new_session: whether this turn opens a session.
        audio_base_url: https base URL under which the campaign's clips are served.
        rng: randomness for orders and variants (seeded in tests).
        said: the variant of each varied sentence said so far (this turn's, over the session's).
        player: the device's audio player (`core.episodes.Player`); None: the device has none.
    """

    manifest: Manifest
    locale: str | None
    now: datetime
    zone: ZoneInfo
    state: ListenerState
    session: SessionState
    new_session: bool
    audio_base_url: str
    rng: Random
    said: dict[str, str] = field(default_factory=dict)
    player: "Player | None" = None

    def __post_init__(self) -> None:
        self.said = {**self.session.said, **self.said}

    @property
    def today(self) -> date:
        """The listener's local date."""
        return local_date(self.now, self.zone)

    # -- sentences -------------------------------------------------------------------------------

    def say(self, name: str, section: Section | None = None, /, avoid: str | None = None, **values: object) -> Speech:
        """The sentence `name` as speech: a variant in force today, not the one said last.

        Args:
            section: the section speaking, whose own wording wins, and whose name fills {section}.
            avoid: a variant key to avoid besides the one said last in this session.
            values: the sentence's placeholders.
        """
        sentence = self.manifest.sentence(name, self.locale, section, self.today)
        variant = sentence.pick(self.today, self.rng, avoid or self.said.get(name))
        if variant is None:
            return Speech()
        if len(sentence.variants) > 1:
            self.said[name] = variant.key
        return self.play(variant.recording, **self._values(section, values))

    def text(self, name: str, section: Section | None = None, /, **values: object) -> str:
        """The sentence `name` as plain text, to go inside another sentence (a choice, a list)."""
        sentence: Sentence = self.manifest.sentence(name, self.locale, section, self.today)
        variant = sentence.pick(self.today, self.rng, self.said.get(name))
        if variant is None:
            return ""
        return self.manifest.fill(variant.recording.transcript.get(self.locale), **self._values(section, values))

    def play(self, recording: Recording, **values: object) -> Speech:
        """A recording: its clip where it plays in this locale, otherwise its transcript read aloud."""
        words = self.manifest.fill(recording.transcript.get(self.locale), **values)
        path = recording.audio_for(self.locale)
        if not path:
            return say(words)
        return clip(f"{self.audio_base_url.rstrip('/')}/{self.manifest.clip_key(path)}", words)

    def listing(self, items: Sequence[str], conjunction: str = "or") -> str:
        """"a, b, or c" (`conjunction` "or" or "and"), with the campaign's words for it."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return items[0] if items else ""
        if len(items) == 2:
            return self.text(f"list_two_{conjunction}", first=items[0], last=items[1])
        return self.text(f"list_many_{conjunction}", items=", ".join(items[:-1]), last=items[-1])

    def spoken_day(self, day: date) -> str:
        """How to say `day`: its weekday within the coming week, else weekday, day and month."""
        weekday = self.text(WEEKDAYS[day.weekday()])
        if 0 <= (day - self.today).days < 7:
            return weekday
        return self.text("date_spoken", weekday=weekday, day=day.day, month=self.text(MONTHS[day.month - 1]))

    def _values(self, section: Section | None, values: Mapping[str, object]) -> dict[str, object]:
        if section is not None and "section" not in values:
            return {"section": section.name, **values}
        return dict(values)

    # -- state -----------------------------------------------------------------------------------

    def started_state(self) -> ListenerState:
        """The stored state fitted to the campaign, with the visit counted when this turn opens a session."""
        state = self.state.fitted(self.manifest)
        return state.visited(self.today) if self.new_session else state


class Reply(NamedTuple):
    """The skill's answer to a turn.

    Attributes:
        speech: what Alexa says, before the closing question.
        reprompt: what Alexa says if the listener is silent; None ends the session.
        state: the listener's state afterwards.
        offer: what the closing question offers, for "yes" and "next".
        question: the closing question, said after `speech` (and after anything unlocked meanwhile).
        event: what happened, for the turn's analytics event (`kind`, `played`...).
        screen: what a device with a screen shows, as plain data (`{"view": "piece", ...}`; see
            `core/screens.py`); empty when the turn has nothing of its own to show.
        stream: long-form audio to start (`core.playback`), for devices with AudioPlayer.
        asking: the quiz or daily question this reply asks, kept in the session for the answer (like
            `offer`, it always comes from the reply: a reply that asks nothing clears it).
        session: the session afterwards, when the turn changed more of it than the offer (a
            format's own field); None keeps the session the turn came with. `offer` and the
            sentences said always come from the reply and the turn.
        stream: long-form audio to start or stop (`core.episodes`: a `PlaybackStream`, `STOP`, or
            `InSpeechOnly` on a device without AudioPlayer).
    """

    speech: Speech
    reprompt: Speech | None
    state: ListenerState
    offer: Offer | None = None
    question: Speech = Speech()
    event: Mapping[str, object] = MappingProxyType({})
    screen: Mapping[str, object] = MappingProxyType({})
    stream: object | None = None
    asking: AskedQuestion | None = None
    session: SessionState | None = None

    @property
    def ends_session(self) -> bool:
        """Whether the session ends with this reply."""
        return self.reprompt is None

    @property
    def said(self) -> Speech:
        """Everything Alexa says: the speech, then the question."""
        return self.speech + self.question
