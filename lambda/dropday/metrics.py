"""Telemetry: one turn event and one set of CloudWatch metrics per request; the only telemetry code.

Every request the skill answers produces a `TurnEvent`. `Telemetry.record(event)` writes it

- as one JSON line on stdout (the input of `dropday report`), through the stdlib logger
  `dropday.turns`, which has a handler of its own and does not propagate, so the line is written
  whatever level the root logger or `LOG_LEVEL` is at, and never in another format;
- as CloudWatch metrics in Embedded Metric Format, built by Powertools for AWS Lambda's metrics
  provider and written as one JSON blob on stdout per request. Dimensions: `campaign`, `kind`,
  `locale` (and a second set with `campaign` alone, so alarms and the dashboard read totals).

No raw Alexa id ever reaches either: `listener` is `pseudonymous_key(user id, the campaign's
secret)` (HMAC-SHA256), `session` a keyed hash of the session id. Every other log line is kept
free of Alexa ids by `dropday.logs`.

Code that meets a fault during a request (DynamoDB unavailable, the Settings API's fallback, a
write conflict) calls `fault(name)`; the fault lands in the event of the request in progress.

Powertools is imported when a `Telemetry` is built (once per container), not with this module,
so tools that read the event schema (`dropday report`) never load it.
"""

import contextvars
import hashlib
import hmac
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

logger = logging.getLogger(__name__)

EVENT = "turn"
EVENT_VERSION = 1
#: The logger the turn events are written through (one JSON line each, on stdout).
TURN_LOGGER = "dropday.turns"

KINDS = frozenset({
    "launch", "tip", "piece", "whats_new", "countdown", "listen", "band", "member_intro", "unlocks",
    "quiz_start", "quiz_answer", "quiz_skip", "quiz_repeat", "quiz_stop", "daily_question", "daily_answer",
    "reminder", "draw", "help", "fallback", "repeat", "goodbye", "session_end", "playback", "skill_event",
    "error", "rejected",
})
REMINDER_STEPS = frozenset({
    "offered", "declined", "consent_asked", "consented", "consent_denied", "set", "already_set", "cancelled",
    "nothing_to_cancel", "failed", "unsupported",
})
#: Fault name (in events and `fault()`) -> CloudWatch metric name (turns answered with that fault).
FAULTS = {
    "dynamodb_degraded": "DynamoDbDegraded",
    "settings_api_fallback": "SettingsApiFallback",
    "write_redone": "WritesRedone",
    "write_merged": "WritesMerged",
    "reminders_api_failed": "RemindersApiFailed",
    "profile_api_failed": "ProfileApiFailed",
}
#: Reminder step -> metric name, for the steps the dashboard's funnel shows.
REMINDER_METRICS = {"offered": "RemindersOffered", "consented": "RemindersConsented", "set": "RemindersSet",
                    "cancelled": "RemindersCancelled", "failed": "RemindersFailed"}
#: Plays of one section are counted as the metric `SectionPlays.<section id>` (see `metric_counts`).
SECTION_METRIC_PREFIX = "SectionPlays."
#: At most this many distinct section metrics per container; more sections count as `other`.
MAX_SECTION_METRICS = 20
#: Every other metric a turn can add (the dashboard and the alarms read only these and sections).
METRIC_NAMES = frozenset({
    "Turns", "SessionsOpened", "ListenersNew", "ListenersReturning", "PiecesPlayed", "WhatsNewPlayed",
    "QuizAnswersRight", "QuizAnswersWrong", "QuizzesFinished", "DailyAnswered", "DailyAnsweredRight",
    "Unlocks", "DrawEntries", "FaultsOther", *REMINDER_METRICS.values(), *FAULTS.values(),
})
DIMENSIONS = ("campaign", "kind", "locale")

_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
_CONTENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_LISTENER_KEY_LENGTH = 16   # hex digits: 64 bits, no collisions to speak of among a campaign's listeners
_SESSION_KEY_LENGTH = 12


# -- The event ------------------------------------------------------------------------------------

class PlayedPiece(NamedTuple):
    """A piece of content played in a turn (ids from the manifest)."""

    section: str
    piece: str


class QuizTurn(NamedTuple):
    """What a quiz turn did: the question, and how the answer went when there was one."""

    question: str
    correct: bool | None = None
    position: int | None = None
    round: int | None = None
    score: int | None = None
    finished: bool | None = None


class DailyTurn(NamedTuple):
    """What a daily-question turn did."""

    question: str
    day: int | None = None
    correct: bool | None = None
    streak: int | None = None
    tally: int | None = None


class ReminderTurn(NamedTuple):
    """A step of a reminder offer (`REMINDER_STEPS`), for a kind of reminder (e.g. `release_day`);
    `consented` when the turn carries the listener's yes to setting it."""

    kind: str
    step: str
    consented: bool | None = None


class TurnEvent(NamedTuple):
    """One request, as the report and the metrics see it (docs/architecture.md, "Turn events").

    Fields that do not apply stay None (or empty) and are left out of the JSON line. `listener`
    and `session` are keyed hashes (`pseudonymous_key`, `session_key`), never Alexa's ids.
    Build it with keywords; `event._replace(...)` gives a changed copy. `played` holds
    `PlayedPiece`s; `quiz`, `daily` and `reminder` may be their NamedTuples or plain mappings
    with the same keys. (These are NamedTuples,
    not dataclasses: five dataclasses cost this module about 7 ms of every cold start.)
    """

    kind: str
    at: str | datetime | None = None
    campaign: str = ""
    listener: str | None = None
    session: str | None = None
    locale: str | None = None
    request: str | None = None
    intent: str | None = None
    new_session: bool | None = None
    first_visit: bool | None = None
    local_date: str | date | None = None
    played: tuple[PlayedPiece, ...] = ()
    whats_new: bool | None = None
    quiz: QuizTurn | None = None
    daily: DailyTurn | None = None
    reminder: ReminderTurn | None = None
    unlocked: tuple[str, ...] = ()
    draw: str | None = None
    faults: tuple[str, ...] = ()
    duration_ms: float | None = None
    key_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The event as its JSON line holds it, in the documented field order."""
        out: dict[str, Any] = {"event": EVENT, "v": EVENT_VERSION}
        values = {
            "at": _iso_utc(self.at), "campaign": self.campaign or None, "key_id": self.key_id,
            "listener": self.listener, "session": self.session, "locale": self.locale, "request": self.request,
            "intent": self.intent, "kind": self.kind, "new_session": self.new_session,
            "first_visit": self.first_visit,
            "local_date": self.local_date.isoformat() if isinstance(self.local_date, date) else self.local_date,
            "played": [{"section": p.section, "piece": p.piece} for p in self.played] or None,
            "whats_new": self.whats_new, "quiz": _facts(self.quiz), "daily": _facts(self.daily),
            "reminder": _facts(self.reminder), "unlocked": list(self.unlocked) or None, "draw": self.draw,
            "faults": list(self.faults) or None,
            "duration_ms": round(self.duration_ms, 1) if self.duration_ms is not None else None,
        }
        out.update((name, value) for name, value in values.items() if value is not None)
        return out


def _facts(part: "NamedTuple | Mapping[str, Any] | None") -> "dict[str, Any] | None":
    if part is None:
        return None
    items = part.items() if isinstance(part, Mapping) else part._asdict().items()
    return {str(name): value for name, value in items if value is not None}


def _fact(part: "NamedTuple | Mapping[str, Any] | None", name: "str") -> "Any":
    """One fact of a quiz, daily or reminder part, whether a NamedTuple or a plain mapping."""
    return part.get(name) if isinstance(part, Mapping) else getattr(part, name, None)


def _iso_utc(value: str | datetime | None) -> str | None:
    if isinstance(value, datetime):
        value = value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


# -- Pseudonymous keys ----------------------------------------------------------------------------

def pseudonymous_key(user_id: str, secret: bytes | str) -> str:
    """The listener's key in events and logs: HMAC-SHA256 of their Alexa user id with the
    campaign's secret, as 16 hex digits.

    The same listener always gets the same key under one secret, so the report can count
    distinct and returning listeners; without the secret nobody can tell whose key it is, or
    compute the key of a known user id. A new secret (rotation) gives everyone new keys.
    """
    return _keyed(b"listener:", user_id, secret)[:_LISTENER_KEY_LENGTH]


def session_key(session_id: str, secret: bytes | str) -> str:
    """A session's key in events: a keyed hash of Alexa's session id, as 12 hex digits."""
    return _keyed(b"session:", session_id, secret)[:_SESSION_KEY_LENGTH]


def _keyed(purpose: bytes, value: str, secret: bytes | str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, purpose + value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


# -- Common fields from a request envelope ---------------------------------------------------------

def envelope_fields(envelope: Mapping[str, Any], secret: bytes | str) -> dict[str, Any]:
    """The fields of a turn event that the request itself gives: `at`, `listener`, `session`,
    `locale`, `request`, `intent`, `new_session` (those it has).

    Reads the envelope as Lambda receives it (camelCase JSON) or as the ASK SDK's model
    `to_dict()` gives it (snake_case); never imports the SDK. Ids come out hashed.
    """
    request = _part(envelope, "request")
    session = _part(envelope, "session")
    system = _part(_part(envelope, "context"), "System", "system")
    user_id = _text(_part(_part(system, "user"), "userId", "user_id")) or \
        _text(_part(_part(session, "user"), "userId", "user_id"))
    session_id = _text(_part(session, "sessionId", "session_id"))
    kind = _text(_part(request, "type", "object_type"))
    locale = _text(_part(request, "locale"))
    intent = _text(_part(_part(request, "intent"), "name")) if kind == "IntentRequest" else None
    new = _part(session, "new")
    fields = {
        "at": _timestamp(_part(request, "timestamp")),
        "listener": pseudonymous_key(user_id, secret) if user_id else None,
        "session": session_key(session_id, secret) if session_id else None,
        "locale": locale if locale and _LOCALE.match(locale) else None,
        "request": kind[:100] if kind else None,
        "intent": intent[:100] if intent else None,
        "new_session": new if isinstance(new, bool) else None,
    }
    return {name: value for name, value in fields.items() if value is not None}


def _part(value: Any, *names: str) -> Any:
    if not isinstance(value, Mapping):
        return {}
    for name in names:
        if name in value and value[name] is not None:
            return value[name]
    return {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _timestamp(value: Any) -> str | None:
    if isinstance(value, datetime):
        return _iso_utc(value)
    if isinstance(value, str):
        try:
            return _iso_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


# -- Faults of the request in progress --------------------------------------------------------------

class _Request:
    """What is known of the request in progress: when it began, its envelope's fields, its faults."""

    __slots__ = ("started", "fields", "faults", "noted")

    def __init__(self, started: float, fields: dict[str, Any]) -> None:
        self.started, self.fields, self.faults, self.noted = started, fields, [], {}


_CURRENT: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("dropday_request", default=None)


def fault(name: str) -> None:
    """Note that the request in progress met a fault (a `FAULTS` name, e.g. `dynamodb_degraded`).

    It is added to the request's turn event and counted once per turn in the metrics. Outside a
    request (`Telemetry.begin` not called in this thread or task) nothing happens.
    """
    current = _CURRENT.get()
    if current is not None and name not in current.faults:
        current.faults.append(name)


def note(**facts: Any) -> None:
    """Add facts to the turn event of the request in progress (its `kind`, what it `played`...);
    a later note of the same fact wins. Outside a request nothing happens."""
    current = _CURRENT.get()
    if current is not None:
        current.noted.update(facts)


# -- Metrics ---------------------------------------------------------------------------------------

def metric_counts(event: TurnEvent, section_name: Callable[[str], str] = lambda s: s) -> dict[str, int]:
    """The metrics one turn adds, by name (values are counts).

    Plays per section are the metrics `SectionPlays.<section>` rather than a `section`
    dimension: every metric of a turn then shares one dimension set and one EMF blob, the
    dimensions stay the documented three, and the names are bounded by the manifest's sections
    (`section_name` maps anything beyond the bound to `other`).
    """
    counts: dict[str, int] = {"Turns": 1}

    def add(name: str, n: int = 1) -> None:
        counts[name] = counts.get(name, 0) + n

    if event.new_session:
        add("SessionsOpened")
    if event.first_visit is True:
        add("ListenersNew")
    elif event.first_visit is False and event.new_session:
        add("ListenersReturning")
    if event.played:
        add("PiecesPlayed", len(event.played))
        for piece in event.played:
            add(SECTION_METRIC_PREFIX + section_name(piece.section))
    if event.whats_new:
        add("WhatsNewPlayed")
    if event.quiz is not None:
        correct = _fact(event.quiz, "correct")
        if correct is True:
            add("QuizAnswersRight")
        elif correct is False:
            add("QuizAnswersWrong")
        if _fact(event.quiz, "finished"):
            add("QuizzesFinished")
    if event.daily is not None and _fact(event.daily, "correct") is not None:
        add("DailyAnswered")
        if _fact(event.daily, "correct"):
            add("DailyAnsweredRight")
    if event.reminder is not None and _fact(event.reminder, "step") in REMINDER_METRICS:
        add(REMINDER_METRICS[_fact(event.reminder, "step")])
    if event.reminder is not None and _fact(event.reminder, "consented") is True:
        add(REMINDER_METRICS["consented"])
    if event.unlocked:
        add("Unlocks", len(event.unlocked))
    if event.draw == "entered":
        add("DrawEntries")
    for name in dict.fromkeys(event.faults):
        add(FAULTS.get(name, "FaultsOther"))
    return counts


def dimensions(event: TurnEvent, campaign: str) -> dict[str, str]:
    """The turn's dimension values, each from a bounded set: unknown kinds count as `other`,
    missing or malformed locales as `unknown`."""
    return {"campaign": campaign, "kind": event.kind if event.kind in KINDS else "other",
            "locale": event.locale if event.locale and _LOCALE.match(event.locale) else "unknown"}


_CONTAINER_SECRET: list[bytes] = []


def _container_secret() -> bytes:
    """A random secret for this container, when the deployment gives none (warned about once)."""
    if not _CONTAINER_SECRET:
        import secrets
        logger.warning("LISTENER_KEY_SECRET is not set: listener keys change with every container, so the "
                       "report cannot tell returning listeners")
        _CONTAINER_SECRET.append(secrets.token_bytes(32))
    return _CONTAINER_SECRET[0]


class Telemetry:
    """Turn events and metrics for one campaign; build one per container (`from_settings`).

    Per request: `begin(envelope)` when it arrives (starts the clock and the fault collector),
    then `record(event)` once with the turn's event (`event(...)` builds one from the envelope's
    fields). `record` never raises: telemetry that fails costs a warning, never an answer.
    """

    def __init__(self, campaign: str, secret: bytes | str | None, namespace: str = "dropday",
                 service: str = "dropday", key_id: str | None = None,
                 write: Callable[[str], None] | None = None) -> None:
        """
        Args:
            campaign: the campaign served (the `campaign` dimension and event field).
            secret: the campaign's listener-key secret; None or empty gives a random one for this
                container only (nobody is recognised across containers; a warning says so).
            namespace: the CloudWatch namespace of the metrics.
            service: the deployment's name, written into each EMF blob (not a dimension).
            key_id: which secret is in use (`LISTENER_KEY_ID`); written into each event so the
                report knows where keys were rotated.
            write: where the event lines and EMF blobs go instead of stdout (a simulator's file,
                `dropday chat`'s log), one line per call; by default the event line goes through the
                `dropday.turns` logger and the blob straight to stdout, as Lambda expects.
        """
        from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

        if not secret:
            secret = _container_secret()
        self.campaign = campaign
        self.service = service
        self.key_id = key_id or None
        self._secret = secret.encode() if isinstance(secret, str) else secret
        # service="" keeps Powertools from adding a `service` dimension (or reading one from the
        # environment): the dimensions are the documented three.
        self._emf = AmazonCloudWatchEMFProvider(namespace=namespace, service="")
        self._write = write
        self._sections: set[str] = set()
        self._turns = _turn_logger()

    @classmethod
    def from_settings(cls, settings, campaign: str) -> "Telemetry":
        """The telemetry of a deployment (`config.Settings`) serving `campaign`."""
        return cls(campaign, settings.listener_key_secret, namespace=settings.metrics_namespace,
                   service=settings.service_name, key_id=settings.listener_key_id)

    def listener_key(self, user_id: str) -> str:
        """`pseudonymous_key` under this campaign's secret (for logs that name a listener)."""
        return pseudonymous_key(user_id, self._secret)

    def begin(self, envelope: Mapping[str, Any] | None = None) -> None:
        """A request has arrived: start its clock and its fault collector, and keep the fields
        its envelope gives (`envelope_fields`) for `event`."""
        fields = envelope_fields(envelope, self._secret) if envelope is not None else {}
        _CURRENT.set(_Request(time.perf_counter(), fields))

    def event(self, kind: str, envelope: Mapping[str, Any] | None = None, **fields: Any) -> TurnEvent:
        """A turn event of `kind` for the request in progress: the envelope's fields (this
        `envelope`, else the one given to `begin`), the campaign, and `fields` on top."""
        current = _CURRENT.get()
        common = envelope_fields(envelope, self._secret) if envelope is not None else \
            (dict(current.fields) if current is not None else {})
        return TurnEvent(kind=kind, campaign=self.campaign, key_id=self.key_id, **{**common, **fields})

    def finish(self, kind: str) -> None:
        """Record the request in progress: its noted facts (`note`) over the envelope's fields, of
        the noted kind, else `kind`. Call once per request, whatever answered it."""
        current = _CURRENT.get()
        noted = dict(current.noted) if current is not None else {}
        self.record(self.event(noted.pop("kind", kind), **noted))

    def record(self, event: TurnEvent) -> None:
        """Write the turn's event line and its metrics (one EMF blob), with the faults noted
        since `begin` and the time since then; ends the request's collection."""
        try:
            current = _CURRENT.get()
            _CURRENT.set(None)
            if current is not None:
                extra = tuple(name for name in current.faults if name not in event.faults)
                event = event._replace(faults=tuple(event.faults) + extra, duration_ms=event.duration_ms if
                                       event.duration_ms is not None else (time.perf_counter() - current.started) * 1000)
            if not event.campaign:
                event = event._replace(campaign=self.campaign)
            line = json.dumps(event.to_dict(), separators=(",", ":"), ensure_ascii=False)
            if self._write is not None:
                self._write(line + "\n")
            else:
                self._turns.info(line)
            self._write_metrics(event)
        except Exception as exc:  # telemetry must never cost the listener their answer
            logger.warning("could not record the turn's telemetry: %s: %s", type(exc).__name__, exc)

    def _write_metrics(self, event: TurnEvent) -> None:
        emf = self._emf
        try:
            for name, value in dimensions(event, self.campaign).items():
                emf.add_dimension(name=name, value=value)
            emf.add_dimensions(campaign=self.campaign)
            for name, count in metric_counts(event, self._section_name).items():
                emf.add_metric(name=name, unit="Count", value=count)
            emf.add_metadata(key="service", value=self.service)
            blob = emf.serialize_metric_set()
        finally:
            emf.clear_metrics()
        line = json.dumps(blob, separators=(",", ":")) + "\n"
        if self._write is not None:
            self._write(line)
        else:
            sys.stdout.write(line)
            sys.stdout.flush()

    def _section_name(self, section: str) -> str:
        if section in self._sections:
            return section
        if not _CONTENT_ID.match(section) or len(self._sections) >= MAX_SECTION_METRICS:
            return "other"
        self._sections.add(section)
        return section


class _CurrentStdout(logging.StreamHandler):
    """Writes to `sys.stdout` as it is at each record (test capture and Lambda alike)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value) -> None:
        pass


def _turn_logger() -> logging.Logger:
    turns = logging.getLogger(TURN_LOGGER)
    if not any(isinstance(h, _CurrentStdout) for h in turns.handlers):
        turns.addHandler(_CurrentStdout())
    turns.setLevel(logging.INFO)
    turns.propagate = False
    return turns
