"""The campaign manifest: frozen dataclasses and a parser that reports every problem at once.

A manifest arrives as plain data (a dict, as YAML or JSON loads it). `parse_manifest` turns it
into a `Manifest` or raises `ManifestError` listing each problem with its place in the file
(`tips[3].member`), what is wrong and how to fix it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .texts import text_problems

SCHEMA_VERSION = 1
DEFAULT = "default"
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LOCALE_PATTERN = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
AUDIO_PATH_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\.mp3$")
MAX_SLOT_VALUE_LENGTH = 140
TIP_KEY_LENGTH = 6

#: Sentences the skill needs, with the placeholders each may use.
PHRASES: Mapping[str, frozenset[str]] = {
    key: frozenset(names)
    for key, names in {
        "welcome_first": (),
        "welcome_back": (),
        "welcome_back_one_new": (),
        "welcome_back_many_new": ("count",),
        "ask_tip_or_countdown": (),
        "reprompt_tip_or_countdown": (),
        "tip_intro": ("member",),
        "offer_another_tip": (),
        "reprompt_another_tip": (),
        "member_has_nothing_new": ("member",),
        "offer_other_member": ("other_member",),
        "reprompt_other_member": ("other_member",),
        "member_not_recognised": (),
        "no_tips_available": (),
        "countdown_days": ("days",),
        "countdown_hours": ("hours",),
        "countdown_last_hour": (),
        "countdown_release_day": (),
        "countdown_out_now": (),
        "offer_tip_after_countdown": (),
        "offer_tip_after_release": (),
        "help": (),
        "ask_help": (),
        "fallback": (),
        "reprompt_fallback": (),
        "nothing_to_repeat": (),
        "goodbye": (),
        "goodbye_after_release": (),
        "error": (),
    }.items()
}
#: Placeholders every sentence may use.
COMMON_PLACEHOLDERS = frozenset({"artist", "album"})


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a manifest.

    Attributes:
        path: where, as a YAML path such as ``tips[3].member``.
        message: what is wrong.
        fix: how to put it right.
        line: the line in the file, when known.
    """

    path: str
    message: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path or '(top level)'}: {self.message}. Fix: {self.fix}"


class ManifestError(ValueError):
    """A manifest that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem], source: str = "<manifest>") -> None:
        self.problems = tuple(problems)
        self.source = source
        lines = "\n".join(f"  {source}: {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s) in the manifest:\n{lines}")


@dataclass(frozen=True)
class Localized:
    """A text with an English default and optional per-locale versions."""

    default: str
    by_locale: Mapping[str, str] = field(default_factory=dict)

    def get(self, locale: str | None) -> str:
        """The text for `locale`, or the default when that locale has none."""
        return self.by_locale.get(locale or "", self.default)


def tip_key(tip_id: str) -> str:
    """The short key a listener's state stores for a tip: 36 bits of BLAKE2b as 6 URL-safe
    characters, so that a listener who heard 500 tips still has a state of about 3 KB."""
    digest = hashlib.blake2b(tip_id.encode(), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TIP_KEY_LENGTH]


@dataclass(frozen=True)
class Member:
    """A band member, as listeners name them."""

    id: str
    name: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Window:
    """The dates (inclusive) on which a tip may be served; either end may be open."""

    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        """Whether `day` falls inside the window."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Tip:
    """A tip recorded by one member.

    `audio` plays in every locale, or only in `locales` when that is given; elsewhere the
    transcript is spoken as text.
    """

    id: str
    member: str
    transcript: Localized
    audio: str | None = None
    window: Window = Window()
    locales: frozenset[str] | None = None
    #: The tip's key in listeners' stored state (see `tip_key`), computed once.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", tip_key(self.id))

    def available_on(self, day: date) -> bool:
        """Whether listeners may hear this tip on `day`."""
        return self.window.contains(day)

    def audio_for(self, locale: str | None) -> str | None:
        """The clip to play in `locale`, or None when the transcript must be spoken."""
        if self.locales is not None and locale not in self.locales:
            return None
        return self.audio


@dataclass(frozen=True)
class CountdownLine:
    """A pre-recorded countdown line with its transcript."""

    transcript: Localized
    audio: str | None = None


@dataclass(frozen=True)
class Album:
    """The album being promoted."""

    title: str
    release_date: date
    default_time_zone: str


@dataclass(frozen=True)
class Phrases:
    """Every sentence of the skill: a default table and per-locale overrides."""

    default: Mapping[str, str]
    by_locale: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def get(self, key: str, locale: str | None) -> str:
        """The sentence `key` for `locale`, falling back to the default table."""
        return self.by_locale.get(locale or "", {}).get(key) or self.default[key]


@dataclass(frozen=True)
class Manifest:
    """One campaign: an artist, their album, members, tips, countdown lines and sentences.

    `published` maps clip paths to the keys `dropday audio publish` uploaded them under.
    """

    campaign: str
    artist: str
    album: Album
    members: tuple[Member, ...]
    tips: tuple[Tip, ...]
    countdown_lines: Mapping[int, CountdownLine]
    out_now: CountdownLine | None
    phrases: Phrases
    published: Mapping[str, str] = field(default_factory=dict)

    def clip_key(self, path: str) -> str:
        """Where clip `path` is served under AUDIO_BASE_URL: its content-hashed key once
        `dropday audio publish` has indexed it, else `<campaign>/<path>`."""
        return self.published.get(path) or f"{self.campaign}/{path}"

    def member(self, member_id: str) -> Member | None:
        """The member with `member_id`, or None."""
        return next((m for m in self.members if m.id == member_id), None)

    def find_member(self, spoken: str) -> Member | None:
        """The member whose id, name or synonym is `spoken` (ignoring case), or None."""
        wanted = " ".join(spoken.lower().split())
        return next((m for m in self.members
                     if wanted in (m.id, m.name.lower(), *(s.lower() for s in m.synonyms))), None)

    def tips_with_keys(self, keys) -> tuple[Tip, ...]:
        """The tips whose state keys are in `keys` (e.g. `ListenerState.heard`), in manifest order."""
        wanted = set(keys)
        return tuple(t for t in self.tips if t.key in wanted)

    def tips_available(self, day: date) -> tuple[Tip, ...]:
        """Tips listeners may hear on `day`, in manifest order."""
        return tuple(t for t in self.tips if t.available_on(day))

    def say(self, key: str, locale: str | None, **values: object) -> str:
        """The sentence `key` in `locale` with its placeholders filled in."""
        return self.fill(self.phrases.get(key, locale), **values)

    def fill(self, text: str, **values: object) -> str:
        """`text` (a sentence or transcript) with {artist}, {album} and `values` filled in."""
        return text.format(artist=self.artist, album=self.album.title, **values)

    @property
    def campaign_end(self) -> date:
        """The last day anything changes for listeners: the release or the last tip window's end."""
        ends = [t.window.end for t in self.tips if t.window.end]
        return max([self.album.release_date, *ends])

    @property
    def audio_paths(self) -> tuple[str, ...]:
        """Every clip the manifest refers to, each once."""
        lines = [*self.countdown_lines.values(), *([self.out_now] if self.out_now else [])]
        paths = [t.audio for t in self.tips] + [line.audio for line in lines]
        return tuple(dict.fromkeys(p for p in paths if p))


def parse_manifest(data: object, source: str = "<manifest>") -> Manifest:
    """Check manifest data and build a `Manifest` from it.

    Args:
        data: the loaded YAML or JSON document.
        source: the file name, used in error messages.

    Returns:
        The campaign, fully validated.

    Raises:
        ManifestError: listing every problem found, never only the first.
    """
    parser = _Parser()
    manifest = parser.manifest(data)
    if parser.problems or manifest is None:
        raise ManifestError(parser.problems, source)
    return manifest


class _Parser:
    """Walks the document, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str, fix: str) -> None:
        self.problems.append(Problem(path, message, fix))

    # -- generic readers -------------------------------------------------------------------

    def mapping(self, value: object, path: str, required: Iterable[str] = (),
                optional: Iterable[str] = (), any_keys: bool = False) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a mapping of keys, found {_kind(value)}",
                         "write it as `key: value` lines indented under the name")
            return {}
        required, optional = tuple(required), tuple(optional)
        for key in required:
            if key not in value:
                self.problem(_join(path, key), "is missing", f"add `{key}:` under {path or 'the top level'}")
        known = set(required) | set(optional)
        for key in value:
            if key not in known and not any_keys:
                self.problem(_join(path, str(key)), "is not a known key",
                             f"remove it or correct the spelling (known keys: {', '.join(sorted(known))})")
        return value

    def text(self, value: object, path: str, max_length: int | None = None) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(path, f"expected some text, found {_kind(value)}",
                         "write the words after the colon, in quotes if YAML could read them as something "
                         "else (yes, no, on, off, a number or a date)")
            return ""
        self.problems += (Problem(path, *found) for found in text_problems(value))  # core/texts.py: every text
        if max_length and len(value) > max_length:
            self.problem(path, f"is {len(value)} characters long", f"shorten it to {max_length} characters")
        return value.strip()

    def identifier(self, value: object, path: str) -> str:
        text = self.text(value, path)
        if text and not ID_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a valid id",
                         "use lowercase letters, digits and hyphens, starting with a letter or digit")
        return text

    def day(self, value: object, path: str) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and DATE_PATTERN.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        shown = value.isoformat(sep=" ") if isinstance(value, datetime) else repr(value)
        self.problem(path, f"expected a date, found {shown}",
                     "write the date alone as YYYY-MM-DD, e.g. 2027-01-15 (no time of day)")
        return None

    def locale(self, value: object, path: str) -> str:
        text = self.text(value, path)
        if text and not LOCALE_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a locale code", "use a code such as en-GB or en-US")
        return text

    def localized(self, value: object, path: str, placeholders: frozenset[str] = frozenset()) -> Localized:
        if isinstance(value, str):
            return Localized(self.template(value, path, placeholders))
        table = self.mapping(value, path, any_keys=True)
        if isinstance(value, Mapping) and DEFAULT not in table:
            self.problem(_join(path, DEFAULT), "is missing",
                         "give the English text under `default:`; locales may override it")
        by_locale = {}
        for key, text in table.items():
            if key != DEFAULT:
                self.locale(key, _join(path, str(key)))
                by_locale[str(key)] = self.template(text, _join(path, str(key)), placeholders)
        return Localized(self.template(table[DEFAULT], _join(path, DEFAULT), placeholders)
                         if DEFAULT in table else "", by_locale)

    def template(self, value: object, path: str, placeholders: frozenset[str]) -> str:
        text = self.text(value, path)
        allowed = placeholders | COMMON_PLACEHOLDERS
        try:
            fields = [(name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
                      if name is not None]
        except ValueError as exc:
            self.problem(path, f"has an unbalanced brace ({exc})",
                         "write placeholders as {album}; remove stray { or } characters")
            return text
        for name, conversion, spec in fields:
            if conversion or spec:
                self.problem(path, f"has a placeholder with a format, `{{{name}{'!' + conversion if conversion else ''}"
                             f"{':' + spec if spec else ''}}}`", "write placeholders plainly, e.g. {album}")
        names = {name for name, _, _ in fields}
        for name in sorted(names - allowed):
            self.problem(path, f"uses the unknown placeholder {{{name}}}",
                         f"use only {', '.join('{' + n + '}' for n in sorted(allowed))}")
        return text

    def audio(self, value: object, path: str) -> str | None:
        if value is None:
            return None
        text = self.text(value, path)
        if text and not AUDIO_PATH_PATTERN.match(text):
            self.problem(path, f"`{text}` is not a safe clip path",
                         "use a relative path of letters, digits, '.', '-', '_' and '/' ending in .mp3, "
                         "without spaces, e.g. tips/ada-warmup.mp3")
        return text or None

    def sequence(self, value: object, path: str) -> list[object]:
        if not isinstance(value, list):
            self.problem(path, f"expected a list, found {_kind(value)}", "write each entry on its own `- ` line")
            return []
        return value

    # -- sections ----------------------------------------------------------------------------

    def manifest(self, data: object) -> Manifest | None:
        doc = self.mapping(data, "", required=("schema_version", "campaign", "artist", "members", "album",
                                                "tips", "countdown", "speech"))
        if not doc:
            return None
        version = doc.get("schema_version")
        if "schema_version" in doc and not (type(version) is int and version == SCHEMA_VERSION):
            self.problem("schema_version", f"is {doc['schema_version']!r}; this skill reads version {SCHEMA_VERSION}",
                         f"set `schema_version: {SCHEMA_VERSION}`")
        campaign = self.identifier(doc.get("campaign"), "campaign") if "campaign" in doc else ""
        artist = self.text(self.mapping(doc.get("artist"), "artist", required=("name",)).get("name"), "artist.name") \
            if "artist" in doc else ""
        members = self.members(doc.get("members"), "members") if "members" in doc else ()
        album = self.album(doc.get("album"), "album") if "album" in doc else None
        tips = self.tips(doc.get("tips"), "tips", {m.id for m in members}) if "tips" in doc else ()
        lines, out_now = self.countdown(doc.get("countdown"), "countdown") if "countdown" in doc else ({}, None)
        phrases = self.phrases(doc.get("speech"), "speech") if "speech" in doc else None
        if self.problems or album is None or phrases is None:
            return None
        return Manifest(campaign, artist, album, members, tips, lines, out_now, phrases)

    def members(self, value: object, path: str) -> tuple[Member, ...]:
        members, spoken = [], {}
        entries = self.sequence(value, path)
        if isinstance(value, list) and not entries:
            self.problem(path, "is empty", "list at least one band member")
        for i, entry in enumerate(entries):
            here = f"{path}[{i}]"
            item = self.mapping(entry, here, required=("id", "name"), optional=("synonyms",))
            member_id = self.identifier(item.get("id"), f"{here}.id") if "id" in item else ""
            name = self.text(item.get("name"), f"{here}.name", MAX_SLOT_VALUE_LENGTH) if "name" in item else ""
            synonyms = tuple(self.text(s, f"{here}.synonyms[{j}]", MAX_SLOT_VALUE_LENGTH)
                             for j, s in enumerate(self.sequence(item.get("synonyms", []), f"{here}.synonyms")))
            if member_id and any(m.id == member_id for m in members):
                self.problem(f"{here}.id", f"`{member_id}` is used by another member", "give each member its own id")
            for j, word in enumerate((name, *synonyms)):
                where = f"{here}.name" if j == 0 else f"{here}.synonyms[{j - 1}]"
                owner = spoken.setdefault(word.lower(), member_id)
                if word and owner != member_id:
                    self.problem(where, f"`{word}` also names member `{owner}`",
                                 "a name or synonym may belong to one member only")
            members.append(Member(member_id, name, synonyms))
        return tuple(members)

    def album(self, value: object, path: str) -> Album | None:
        item = self.mapping(value, path, required=("title", "release_date", "default_time_zone"))
        title = self.text(item.get("title"), f"{path}.title") if "title" in item else ""
        release = self.day(item.get("release_date"), f"{path}.release_date") if "release_date" in item else None
        zone = self.text(item.get("default_time_zone"), f"{path}.default_time_zone") \
            if "default_time_zone" in item else ""
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.problem(f"{path}.default_time_zone", f"`{zone}` is not an IANA time zone",
                             "use a name such as Europe/London or America/New_York")
        return Album(title, release, zone) if release else None

    def tips(self, value: object, path: str, member_ids: set[str]) -> tuple[Tip, ...]:
        tips: list[Tip] = []
        seen: set[str] = set()
        ids_by_key: dict[str, str] = {}
        for i, entry in enumerate(self.sequence(value, path)):
            here = f"{path}[{i}]"
            item = self.mapping(entry, here, required=("id", "member", "transcript"),
                                optional=("audio", "available", "locales"))
            tip_id = self.identifier(item.get("id"), f"{here}.id") if "id" in item else ""
            if tip_id in seen:
                self.problem(f"{here}.id", f"`{tip_id}` is used by another tip", "give each tip its own id")
            elif tip_id:
                other = ids_by_key.setdefault(tip_key(tip_id), tip_id)
                if other != tip_id:
                    self.problem(f"{here}.id", f"`{tip_id}` and `{other}` share a storage key (a one-in-billions "
                                 "clash)", "rename one of the two tips, e.g. add a digit")
            seen.add(tip_id)
            member = self.text(item.get("member"), f"{here}.member") if "member" in item else ""
            if member and member not in member_ids:
                self.problem(f"{here}.member", f"`{member}` is not a member id",
                             f"use one of: {', '.join(sorted(member_ids)) or '(no members defined)'}")
            transcript = self.localized(item.get("transcript"), f"{here}.transcript") \
                if "transcript" in item else Localized("")
            window = self.window(item["available"], f"{here}.available") if "available" in item else Window()
            locales = None
            if "locales" in item:
                locales = frozenset(self.locale(code, f"{here}.locales[{j}]")
                                    for j, code in enumerate(self.sequence(item["locales"], f"{here}.locales")))
                if "audio" not in item:
                    self.problem(f"{here}.locales", "names the locales of a clip, but the tip has no `audio`",
                                 "add `audio:` or remove `locales:`")
            tips.append(Tip(tip_id, member, transcript, self.audio(item.get("audio"), f"{here}.audio"),
                            window, locales))
        return tuple(tips)

    def window(self, value: object, path: str) -> Window:
        item = self.mapping(value, path, optional=("from", "until"))
        start = self.day(item["from"], f"{path}.from") if "from" in item else None
        end = self.day(item["until"], f"{path}.until") if "until" in item else None
        if isinstance(value, Mapping) and "from" not in item and "until" not in item:
            self.problem(path, "gives neither `from` nor `until`", "give at least one date, or remove `available`")
        if start and end and end < start:
            self.problem(f"{path}.until", f"{end} is before {start}", "make `until` the same day as `from` or later")
        return Window(start, end)

    def countdown(self, value: object, path: str) -> tuple[dict[int, CountdownLine], CountdownLine | None]:
        item = self.mapping(value, path, optional=("lines", "out_now"))
        lines: dict[int, CountdownLine] = {}
        for i, entry in enumerate(self.sequence(item.get("lines", []), f"{path}.lines")):
            here = f"{path}.lines[{i}]"
            line = self.mapping(entry, here, required=("days_to_go", "transcript"), optional=("audio",))
            days = line.get("days_to_go")
            if "days_to_go" in line and (not isinstance(days, int) or isinstance(days, bool) or days < 0):
                self.problem(f"{here}.days_to_go", f"expected a whole number of days, found {days!r}",
                             "write 0 for release day, 1 for the day before, and so on")
                continue
            if days in lines:
                self.problem(f"{here}.days_to_go", f"{days} already has a line", "keep one line per day")
            lines[days] = self.countdown_line(line, here)
        out_now = None
        if "out_now" in item:
            here = f"{path}.out_now"
            out_now = self.countdown_line(self.mapping(item["out_now"], here, required=("transcript",),
                                                       optional=("audio",)), here)
        return lines, out_now

    def countdown_line(self, line: Mapping[str, object], path: str) -> CountdownLine:
        transcript = self.localized(line.get("transcript"), f"{path}.transcript") \
            if "transcript" in line else Localized("")
        return CountdownLine(transcript, self.audio(line.get("audio"), f"{path}.audio"))

    def phrases(self, value: object, path: str) -> Phrases:
        tables = self.mapping(value, path, required=(DEFAULT,), any_keys=True)
        parsed: dict[str, dict[str, str]] = {}
        for name, table in tables.items():
            here = _join(path, str(name))
            if name != DEFAULT:
                self.locale(name, here)
            keys = self.mapping(table, here, required=PHRASES if name == DEFAULT else (), optional=PHRASES)
            parsed[str(name)] = {key: self.template(text, _join(here, str(key)), PHRASES.get(key, frozenset()))
                                 for key, text in keys.items() if key in PHRASES}
        default = parsed.pop(DEFAULT, {})
        return Phrases(default, parsed)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return {str: "text", bool: "true/false", int: "a number", float: "a number",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)
