"""The listeners of `dropday simulate`: who they are, and when they come back.

Plain Python over the campaign (`Manifest`) and its interaction models (`nlu.InteractionModel`):
no ASK SDK, no AWS. `traffic.py` sends what they say to the skill's handler and hands them the
answers. Each listener has

- a locale and a time zone (several of each: `LOCALE_SHARE`, `LOCALE_ZONES`), and one to three
  devices: an Echo (AudioPlayer), an Echo Show (AudioPlayer and a screen) or a speaker without
  AudioPlayer; a listener with several devices uses them in turn;
- the day they first open the skill (many on the first day, more on drop days and on release day),
  and how likely they are to come back each day after (their `engagement`, fading by `FADE` a day,
  raised on the days something new arrives and on release day);
- favourite sections, a quiz skill (the chance an answer is right) and an interest in the quiz and
  the daily question, whether they would like a reminder (and allow it when Alexa asks), and how
  talkative they are (turns per session).

What they say is `traffic_talk`'s. Every random choice comes from the listener's own `Random`,
seeded from the run's seed and their number, so a run is the same with the same seed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from ..core.campaign import Manifest
from ..core.campaign.model import Piece
from ..core.campaign.quiz import Question
from . import envelopes
from .nlu import InteractionModel
from .screens import SCREEN_DEVICES

#: Share of listeners per locale (among the locales the campaign has models for).
LOCALE_SHARE = {"en-GB": 0.40, "en-US": 0.30, "en-CA": 0.10, "en-AU": 0.10, "en-IN": 0.10}
#: Where listeners of a locale live, with shares.
LOCALE_ZONES = {
    "en-GB": {"Europe/London": 0.85, "Europe/Dublin": 0.15},
    "en-US": {"America/New_York": 0.45, "America/Chicago": 0.25, "America/Denver": 0.08,
              "America/Los_Angeles": 0.22},
    "en-CA": {"America/Toronto": 0.60, "America/Vancouver": 0.25, "America/Halifax": 0.15},
    "en-AU": {"Australia/Sydney": 0.50, "Australia/Melbourne": 0.30, "Australia/Perth": 0.20},
    "en-IN": {"Asia/Kolkata": 1.0},
}
#: Devices: (kind, share of first devices). `speaker`: a device without AudioPlayer.
DEVICE_KINDS = {"echo": 0.55, "echo-show": 0.30, "speaker": 0.15}
SHOW = SCREEN_DEVICES["hub-landscape-medium"]
#: How a listener's will to come back fades per day since their first visit.
FADE = 0.95
#: Local hours when sessions happen, with shares: morning, lunch, evening, late.
HOURS = ((7, 9, 0.25), (12, 14, 0.15), (17, 22, 0.50), (22, 24, 0.10))
#: The most turns a listener takes in one session.
MAX_TURNS = 14


@dataclass
class Device:
    """One of a listener's devices, and its audio player's state (as it reports it in requests)."""

    id: str
    kind: str
    token: str | None = None
    offset_ms: int = 0
    activity: str = "IDLE"
    queued: dict[str, Any] | None = None

    @property
    def audio_player(self) -> bool:
        return self.kind != "speaker"

    def interfaces(self) -> dict[str, Any]:
        """`supportedInterfaces` as the device reports them."""
        if self.kind == "echo-show":
            return SHOW.supported_interfaces()
        return {"AudioPlayer": {}} if self.audio_player else {}

    def viewport(self) -> dict[str, Any] | None:
        return SHOW.viewport() if self.kind == "echo-show" else None


@dataclass
class Listener:
    """One simulated listener (see the module docstring); `user_id` is the Alexa id their
    requests carry, never written anywhere by the skill."""

    number: int
    user_id: str
    locale: str
    zone: str
    devices: list[Device]
    joins: int
    engagement: float
    favourites: dict[str, float]
    quiz_skill: float
    quiz_interest: float
    daily_interest: float
    consents: bool
    grants: bool
    talkative: float
    rng: Random
    access_token: str
    allowed: set[str] = field(default_factory=set)
    busy_until: datetime | None = None
    answered_daily_on: date | None = None

    def new_session_id(self) -> str:
        """A session id in Alexa's format, from the listener's own randomness."""
        return f"amzn1.echo-api.session.{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"


@dataclass(frozen=True)
class Say:
    """What a listener does next: an intent (with slots), a launch, a walk-away, or an answer to Alexa's
    permission question (`consent`: ACCEPTED or DENIED)."""

    intent: str | None = None
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    launch: bool = False
    walk_away: str | None = None
    consent: str | None = None

    def request(self) -> dict[str, Any]:
        """The request body (see `envelopes`)."""
        if self.walk_away:
            return envelopes.session_ended(self.walk_away)
        return envelopes.launch() if self.launch else envelopes.intent(self.intent or "", self.slots)


class Campaign:
    """What listeners can ask for in a campaign: its sections, formats and dates, and its models."""

    def __init__(self, manifest: Manifest, models: dict[str, InteractionModel], skill_id: str) -> None:
        self.manifest, self.models, self.skill_id = manifest, models, skill_id
        self.locales = sorted(models)
        self.release = manifest.album.release_date
        dated = [p.window.start for p in manifest.pieces if p.window.start]
        dated += [q.window.start for q in (manifest.quiz.questions if manifest.quiz else ()) if q.window.start]
        self.drops = frozenset(dated)

    def first_content_day(self) -> date | None:
        """The first day something arrives: the earliest dated piece or question, or the daily's start."""
        days = [*self.drops, *([self.manifest.daily.start] if self.manifest.daily and self.manifest.daily.start
                              else [])]
        return min(days) if days else None

    def last_content_day(self) -> date:
        """The last of release day, the last drop and the daily question's last calendar day."""
        daily = self.manifest.daily
        return max([self.release, *self.drops, *([daily.last_day] if daily and daily.last_day else [])])

    def has(self, locale: str, intent: str) -> bool:
        return intent in self.models[locale].intents

    def said(self, locale: str, intent: str, **values: tuple[str, str | None]) -> Say:
        """`intent` with every slot its model declares; `values` gives some (spoken words, resolved id)."""
        model = self.models[locale]
        slots = {}
        for name, kind in model.intents.get(intent, {}).items():
            spoken, resolved = values.get(name, (None, None))
            named = next((v.name for v in model.slot_types.get(kind, ()) if v.id == resolved), spoken)
            slots[name] = envelopes.slot(name, spoken, resolved, named, slot_type=kind, skill_id=self.skill_id) \
                if spoken else envelopes.slot(name, None)
        return Say(intent, slots)

    def question(self, asking: dict[str, Any]) -> Question | None:
        """The quiz or daily question a session's `asking` attribute names."""
        manifest, key = self.manifest, asking.get("key")
        if asking.get("mode") == "quiz" and manifest.quiz:
            return manifest.quiz.question(key)
        if asking.get("mode") == "daily" and manifest.daily:
            return manifest.daily.question_with_key(key)
        return None


# -- the population ---------------------------------------------------------------------------------


def population(campaign: Campaign, count: int, seed: int, first_day: date, days: int) -> list[Listener]:
    """`count` listeners for a run of `days` days from `first_day`."""
    joining = [_join_weight(campaign, first_day + timedelta(days=d), d) for d in range(days)]
    locales = {loc: LOCALE_SHARE.get(loc, 0.05) for loc in campaign.locales}
    sections = [s.id for s in campaign.manifest.sections]
    listeners = []
    for number in range(1, count + 1):
        rng = Random(f"dropday-simulate:{seed}:{number}")
        locale = weighted(rng, locales)
        zone = weighted(rng, LOCALE_ZONES.get(locale, {campaign.manifest.album.default_time_zone: 1.0}))
        kinds = [weighted(rng, DEVICE_KINDS)]
        kinds += [weighted(rng, DEVICE_KINDS) for _ in range(weighted(rng, {0: 0.65, 1: 0.27, 2: 0.08}))]
        tag = f"SIM{seed:X}N{number:06d}"
        devices = [Device(f"amzn1.ask.device.{tag}D{n}", kind) for n, kind in enumerate(kinds, 1)]
        shares = {s: rng.gammavariate(0.6, 1.0) + 1e-3 for s in sections}
        total = sum(shares.values())
        consents = rng.random() < 0.35
        listeners.append(Listener(
            number=number, user_id=f"amzn1.ask.account.{tag}", locale=locale, zone=zone, devices=devices,
            joins=rng.choices(range(days), joining)[0], engagement=min(0.9, rng.betavariate(2.0, 3.0)),
            favourites={s: v / total for s, v in shares.items()}, quiz_skill=rng.betavariate(5.0, 3.0),
            quiz_interest=rng.betavariate(2.0, 4.0), daily_interest=rng.betavariate(3.0, 3.0),
            consents=consents, grants=consents and rng.random() < 0.85, talkative=rng.uniform(2.5, 9.0),
            rng=rng, access_token=f"simulated-access-token-{seed}-{number}"))
    return listeners


def _join_weight(campaign: Campaign, day: date, index: int) -> float:
    return 1.0 + (8.0 if index == 0 else 0.0) + (2.5 if day in campaign.drops else 0.0) + \
        (5.0 if day == campaign.release else 0.0)


def sessions_on(listener: Listener, campaign: Campaign, index: int, day: date) -> list[datetime]:
    """When (UTC) the listener opens the skill on `day` (index `index` of the run): none, one or two times."""
    rng = listener.rng
    if index < listener.joins:
        return []
    if index > listener.joins:
        chance = listener.engagement * FADE ** (index - listener.joins)
        chance *= (1.8 if day in campaign.drops else 1.0) * (2.2 if day == campaign.release else 1.0)
        if rng.random() >= min(0.95, chance):
            return []
    count = 2 if rng.random() < 0.2 else 1
    zone = ZoneInfo(listener.zone)
    moments = []
    for _ in range(count):
        start, end, _share = rng.choices(HOURS, [h[2] for h in HOURS])[0]
        minute = rng.randrange((end - start) * 60)
        local = datetime.combine(day, time(start + minute // 60, minute % 60, rng.randrange(60)), tzinfo=zone)
        moments.append(local.astimezone(ZoneInfo("UTC")))
    moments.sort()
    if count == 2 and moments[1] - moments[0] < timedelta(minutes=30):
        moments[1] = moments[0] + timedelta(minutes=30 + rng.randrange(120))
    return moments


def device_for(listener: Listener) -> Device:
    """The device a session happens on (the first one most often)."""
    devices = listener.devices
    return devices[0] if len(devices) == 1 or listener.rng.random() < 0.5 else listener.rng.choice(devices[1:])


def think_seconds(listener: Listener) -> float:
    """Simulated time between two turns: Alexa speaking (clips of a few seconds), the listener answering."""
    return listener.rng.uniform(6.0, 35.0)


def listens_through(listener: Listener) -> bool:
    """Whether the listener lets an episode play to its end (else they stop it part-way)."""
    return listener.rng.random() < 0.65


def episode_ms(episode: Piece | None) -> int:
    """How long an episode plays: its transcript read at a speaking pace (at least a minute)."""
    words = len(episode.recording.transcript.get(None).split()) if episode else 0
    return max(60_000, words * 420)


def weighted(rng: Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]
