"""The campaign as the content team writes it: frozen values, built by `parse.parse_manifest`.

Everything a listener hears is a `Recording` (a clip and the words it says, read aloud where the
clip cannot play) or a `Sentence` (one or more variants, each a recording or plain text). Pieces
belong to sections; unlockables, countdown lines and member intros are recordings too.

Like the other modules that define many `NamedTuple`s on the cold path, this one does not use
`from __future__ import annotations`: `typing.NamedTuple` compiles every field annotation that is a
string, which made each class cost twice as much to define at every cold start. Names defined
later, or only for type checkers, are quoted.
"""

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from random import Random
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .quiz import Daily, Quiz
    from .optins import Draw, Reminders
    from .sentences import Sentences

#: Filled in by `sentences` (which imports this module): every sentence name.
SENTENCE_NAMES: set[str] = set()

SCHEMA_VERSION = 2
DEFAULT = "default"
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCALE_PATTERN = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
AUDIO_PATH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\.mp3$")
#: An episode of a long-form section streams through AudioPlayer: MP3 or AAC (.m4a, .aac).
STREAM_PATH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\.(mp3|m4a|aac)$")
IMAGE_PATH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\.(jpg|jpeg|png)$")
MAX_SLOT_VALUE_LENGTH = 140
#: Characters of a content key in listeners' stored state (see `content_key`).
KEY_LENGTH = 6
#: The section feature a `Section.answers` may name: "give me a tip" plays that section.
ANSWERS_TIPS = "tips"


def content_key(content_id: str) -> str:
    """The short key a listener's state stores for a piece, unlockable or variant: 36 bits of
    BLAKE2b as 6 URL-safe characters, so a listener who heard 500 pieces has a state of about 3 KB."""
    digest = hashlib.blake2b(content_id.encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()[:KEY_LENGTH]


class Localized(NamedTuple):
    """A text with an English default and optional per-locale versions."""

    default: str
    by_locale: Mapping[str, str] = MappingProxyType({})

    def get(self, locale: str | None) -> str:
        """The text for `locale`, or the default when that locale has none."""
        return self.by_locale.get(locale or "", self.default)


class Window(NamedTuple):
    """The dates (inclusive) on which something may be heard; either end may be open."""

    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        """Whether `day` falls inside the window."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


ALWAYS = Window()


class Recording(NamedTuple):
    """Words the band recorded, or wrote to be read aloud.

    `audio` plays in every locale, or only in `locales` when that is given; elsewhere (and when
    there is no clip) Alexa reads the transcript.
    """

    transcript: Localized
    audio: str | None = None
    locales: frozenset[str] | None = None

    def audio_for(self, locale: str | None) -> str | None:
        """The clip to play in `locale`, or None when the transcript must be read."""
        if self.locales is not None and locale not in self.locales:
            return None
        return self.audio


class Image(NamedTuple):
    """A picture for screens: a JPEG or PNG under the campaign's folder, and what it shows, for
    listeners who cannot see it (screen readers say the description)."""

    path: str
    description: Localized


class Variant(NamedTuple):
    """One way of saying a sentence, in force on the days of its window."""

    recording: Recording
    window: Window = ALWAYS
    #: Which variant this is, stable when others are added or removed (for "not the same twice").
    key: str = ""


class Sentence(NamedTuple):
    """A sentence the skill says: one or more variants."""

    variants: tuple[Variant, ...]

    def in_force(self, day: date | None) -> tuple[Variant, ...]:
        """The variants that may be said on `day` (all of them when `day` is None)."""
        return tuple(v for v in self.variants if day is None or v.window.contains(day))

    def pick(self, day: date | None, rng: Random, avoid: str | None = None) -> Variant | None:
        """A variant in force on `day`, never `avoid` when there is another; None when none is."""
        candidates = self.in_force(day)
        if len(candidates) > 1 and avoid:
            candidates = tuple(v for v in candidates if v.key != avoid) or candidates
        if not candidates:
            return None
        return candidates[0] if len(candidates) == 1 else rng.choice(candidates)


class Member(NamedTuple):
    """A band member, as listeners name them, with their own introduction when recorded."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    intro: Sentence | None = None
    photo: Image | None = None


class Album(NamedTuple):
    """The album being promoted, with its artwork for screens."""

    title: str
    release_date: date
    default_time_zone: str
    cover: Image | None = None


class Piece(NamedTuple):
    """One recorded piece of a section: a tip, a backstage story, an episode."""

    id: str
    section: str
    recording: Recording
    member: str | None = None
    window: Window = ALWAYS
    title: Localized | None = None
    #: For an episode of a long-form section: the album track it is about ("tell me about track three").
    track: int | None = None
    #: A picture of its own for screens (else the member's photo, the section's art, the cover).
    art: Image | None = None
    #: The piece's key in listeners' stored state: `content_key(id)`, computed once, by the parser
    #: (`keyed` builds a piece with it elsewhere).
    key: str = ""

    @classmethod
    def keyed(cls, id: str, section: str, recording: Recording, **fields: Any) -> "Piece":
        """A piece with its `key` computed from its id."""
        return cls(id, section, recording, **fields, key=content_key(id))

    def available_on(self, day: date) -> bool:
        """Whether listeners may hear this piece on `day`."""
        return self.window.contains(day)


class Section(NamedTuple):
    """A content section ("the studio", "backstage") and its pieces.

    A long-form section's pieces are episodes, streamed with AudioPlayer (`core.playback`) in
    manifest order rather than played in a shuffled rotation as SSML clips.

    Attributes:
        id: the section's id (the SECTION slot value id).
        name: what listeners call it; also the slot value.
        synonyms: other words listeners use for it.
        pieces: its pieces, in manifest order.
        answers: `ANSWERS_TIPS` when "give me a tip" plays this section.
        sentences: sentences this section says its own way (its intro, its offer...); any
            sentence it does not give comes from the campaign's.
        long_form: its pieces are episodes, streamed rather than spoken (any length).
        autoplay: when an episode finishes, the next one plays (long-form sections only).
        art: a picture of the section for screens.
    """

    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    answers: str | None = None
    sentences: "Sentences | None" = None
    long_form: bool = False
    autoplay: bool = False
    art: Image | None = None

    def available(self, day: date) -> tuple[Piece, ...]:
        """The pieces listeners may hear on `day`, in manifest order."""
        return tuple(p for p in self.pieces if p.available_on(day))


class Condition(NamedTuple):
    """When an unlockable unlocks.

    Attributes:
        kind: one of `UNLOCK_CONDITIONS`.
        section: for `heard_all`, the section whose every available piece must have been heard.
        count: for `visit_days` and the quiz and daily-question kinds, the number to reach.
        day: for `date`, the first day it unlocks.
    """

    kind: str
    section: str | None = None
    count: int | None = None
    day: date | None = None


#: Unlock conditions and the value each takes in the manifest.
UNLOCK_CONDITIONS: Mapping[str, str] = {
    "heard_all": "section",
    "visit_days": "count",
    "date": "day",
    "quiz_perfect": "flag",     # a round with every answer right
    "quiz_best": "count",       # a best round score of at least `count`
    "daily_tally": "count",     # at least `count` daily questions answered right
    "daily_finished": "flag",   # the daily challenge's last question answered
}


class Unlockable(NamedTuple):
    """An exclusive that stays hidden until the listener meets its condition.

    Attributes:
        id: its id.
        name: what the skill calls it when it unlocks ("a secret track title").
        when: the condition.
        hint: how to unlock it, said while it is locked (never the content itself).
        recording: the content, played when it unlocks and on request afterwards.
        key: its key in listeners' stored state, `content_key("unlock:<id>")` (build with `keyed`).
    """

    id: str
    name: Localized
    when: Condition
    recording: Recording
    hint: Localized | None = None
    key: str = ""

    @classmethod
    def keyed(cls, id: str, name: Localized, when: Condition, recording: Recording,
              hint: Localized | None = None) -> "Unlockable":
        """An unlockable with its `key` computed from its id."""
        return cls(id, name, when, recording, hint, content_key(f"unlock:{id}"))


class Manifest(NamedTuple):
    """One campaign: an artist, their album, members, sections, unlockables, countdown lines and
    sentences.

    `published` maps clip paths to the keys `dropday audio publish` uploaded them under.
    """

    campaign: str
    artist: str
    album: Album
    members: tuple[Member, ...]
    sections: tuple[Section, ...]
    countdown_lines: Mapping[int, Recording]
    out_now: Recording | None
    sentences: "Sentences"
    unlockables: tuple[Unlockable, ...] = ()
    invocation_name: str | None = None
    #: The version of the file it was read from (1 is upgraded in memory).
    source_version: int = SCHEMA_VERSION
    published: Mapping[str, str] = MappingProxyType({})
    quiz: "Quiz | None" = None
    daily: "Daily | None" = None
    reminders: "Reminders | None" = None
    draw: "Draw | None" = None

    # -- finding things ------------------------------------------------------------------------------

    def member(self, member_id: str | None) -> Member | None:
        """The member with `member_id`, or None."""
        return next((m for m in self.members if m.id == member_id), None)

    def find_member(self, spoken: str) -> Member | None:
        """The member whose id, name or synonym is `spoken` (ignoring case), or None."""
        wanted = " ".join(spoken.lower().split())
        return next((m for m in self.members
                     if wanted in (m.id, m.name.lower(), *(s.lower() for s in m.synonyms))), None)

    def section(self, section_id: str | None) -> Section | None:
        """The section with `section_id`, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    def find_section(self, spoken: str) -> Section | None:
        """The section whose id, name or synonym is `spoken` (ignoring case), or None."""
        wanted = " ".join(spoken.lower().split())
        return next((s for s in self.sections
                     if wanted in (s.id, s.name.lower(), *(w.lower() for w in s.synonyms))), None)

    @property
    def tips_section(self) -> Section | None:
        """The section "give me a tip" plays, if the campaign has one."""
        return next((s for s in self.sections if s.answers == ANSWERS_TIPS), None)

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """Every piece of every section, in manifest order."""
        return tuple(p for s in self.sections for p in s.pieces)

    def pieces_with_keys(self, keys: Iterable[str]) -> tuple[Piece, ...]:
        """The pieces whose state keys are in `keys`, in manifest order."""
        wanted = set(keys)
        return tuple(p for p in self.pieces if p.key in wanted)

    def unlockable(self, unlock_id: str) -> Unlockable | None:
        """The unlockable with `unlock_id`, or None."""
        return next((u for u in self.unlockables if u.id == unlock_id), None)

    # -- words -----------------------------------------------------------------------------------------

    def sentence(self, name: str, locale: str | None, section: Section | None = None,
                 day: date | None = None) -> Sentence:
        """The sentence `name` for `locale` with a variant in force on `day`: the section's own, else
        the campaign's, else the default wording."""
        if section is not None and section.sentences is not None:
            own = section.sentences.lookup(name, locale, day)
            if own is not None:
                return own
        if section is not None and section.answers == ANSWERS_TIPS and f"tips_{name}" in SENTENCE_NAMES:
            return self.sentences.get(f"tips_{name}", locale, day)
        return self.sentences.get(name, locale, day)

    def fill(self, text: str, **values: object) -> str:
        """`text` (a sentence or transcript) with {artist}, {album} and `values` filled in."""
        return text.format(artist=self.artist, album=self.album.title, **values)

    # -- the campaign as a whole -------------------------------------------------------------------------

    @property
    def features(self) -> frozenset[str]:
        """The formats this campaign uses (see docs/architecture.md), e.g. {"tips", "sections"}."""
        found = set()
        if self.sections:
            found.add("sections")
        if self.tips_section is not None:
            found.add("tips")
        if self.members:
            found.add("members")
        if any(m.intro for m in self.members):
            found.add("band")
        if self.unlockables:
            found.add("unlockables")
        found |= {name for name, entry in (("quiz", self.quiz), ("daily", self.daily)) if entry is not None}
        if self.quiz is not None or self.daily is not None:
            found.add("questions")   # answering a question: the quiz's or the daily one
        found |= {name for name, entry in (("reminders", self.reminders), ("draw", self.draw)) if entry}
        if any(s.long_form for s in self.sections):
            found.add("long_form")
        if self.images:
            found.add("screens")
        return frozenset(found)

    @property
    def windows(self) -> tuple[Window, ...]:
        """Every availability window the campaign declares."""
        windows = [p.window for p in self.pieces] + [q.window for q in (self.quiz.questions if self.quiz else ())]
        for sentence in self.sentences.all_sentences():
            windows += [v.window for v in sentence.variants]
        return tuple(windows)

    @property
    def campaign_end(self) -> date:
        """The last day anything changes for listeners: the release or the last window's end."""
        ends = [w.end for w in self.windows if w.end]
        ends += [u.when.day for u in self.unlockables if u.when.day]
        ends += [self.daily.last_day] if self.daily and self.daily.last_day else []
        return max([self.album.release_date, *ends])

    @property
    def recordings(self) -> tuple[Recording, ...]:
        """Every recording the campaign has: pieces, unlockables, intros, countdown lines, variants."""
        found = [p.recording for p in self.pieces]
        found += [u.recording for u in self.unlockables]
        found += [v.recording for m in self.members if m.intro for v in m.intro.variants]
        found += [*self.countdown_lines.values(), *([self.out_now] if self.out_now else [])]
        found += [r for entry in (self.quiz, self.daily) if entry for q in entry.questions for r in q.recordings]
        for sentences in (self.sentences, *(s.sentences for s in self.sections if s.sentences)):
            found += [v.recording for sentence in sentences.own_sentences() for v in sentence.variants]
        return tuple(found)

    @property
    def audio_paths(self) -> tuple[str, ...]:
        """Every clip the manifest refers to, each once."""
        return tuple(dict.fromkeys(r.audio for r in self.recordings if r.audio))

    @property
    def images(self) -> tuple[Image, ...]:
        """Every picture the campaign has: the cover, member photos, section and piece art."""
        found = [self.album.cover, *(m.photo for m in self.members), *(s.art for s in self.sections),
                 *(p.art for p in self.pieces)]
        return tuple(image for image in found if image is not None)

    @property
    def image_paths(self) -> tuple[str, ...]:
        """Every image file the manifest refers to, each once."""
        return tuple(dict.fromkeys(image.path for image in self.images))

    def clip_key(self, path: str) -> str:
        """Where clip (or image) `path` is served under AUDIO_BASE_URL: its content-hashed key once
        `dropday audio publish` has indexed it, else `<campaign>/<path>`."""
        return self.published.get(path) or f"{self.campaign}/{path}"
