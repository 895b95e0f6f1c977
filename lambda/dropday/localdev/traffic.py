"""`dropday simulate`: many listeners over many days, through the skill's Lambda handler.

The run builds the skill as Lambda does (`app.create_lambda_handler`: the campaign, a DynamoDB
client, the telemetry), on a moto DynamoDB server on loopback (or `endpoint`) and the Alexa API
stubs over TLS on loopback (Settings, Reminders, customer profile: `alexa_api`), each listener with
an access token and Reminders and profile stubs of their own, so each allows the skill what they
chose. It then plays the campaign's days: on each simulated day the listeners of `traffic_model`
who come back open sessions on their devices, in order of the moment (UTC) they do, and say what
`traffic_talk` has them say; each request
is a full envelope (`envelopes`) at the moment the run's `Clock` shows, so drops, the daily
question and unlocks happen as in a real campaign. Devices with AudioPlayer play the episodes they
are handed and send the events a device sends (started, nearly finished, finished or stopped).

The skill's telemetry writes each turn event (the line the `dropday.turns` logger writes in
Lambda) to the events file, which `dropday report` reads; its metrics blobs are dropped.
The run measures each request as the device waited for it, by kind of turn, and checks at the end
that every listener's stored state holds the pieces they were served (`traffic_stats`).

Requests go one at a time, as one warm Lambda container serves them: throughput is that of one
container (plus the local DynamoDB), latency that of a turn with no queueing. With the same seed
the same listeners say the same things and the skill answers the same (only timings differ).
"""

from __future__ import annotations

import json
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from random import Random
from typing import Any, TextIO

from ..core.episodes import episode_of
from . import envelopes, traffic_model as model, traffic_talk as talk
from .backend import Backend, ChatError
from .clock import Clock
from .conversation import Answer
from .traffic_setup import PerListener, ensure_draw_table, load_campaign_and_models, traffic_backend
from .traffic_stats import Ledger, TrafficResult

#: How many days a run covers by default: from the first day content arrives to a week after release.
DAYS_AFTER_RELEASE = 7
#: The default start when nothing in the campaign is dated: this many days before release.
DAYS_BEFORE_RELEASE = 14
#: Never start earlier than this many days before release by default.
MOST_DAYS_BEFORE = 60
#: The secret of listener keys in the events, when LISTENER_KEY_SECRET is not set (so that two runs
#: with one seed give the same keys).
LOCAL_SECRET = "dropday-simulate-local-secret"
_NEARLY_BEFORE_MS = 10_000


@dataclass
class TrafficOptions:
    """What `dropday simulate` was asked for (see `dropday simulate --help`)."""

    campaign: str | None = None
    manifest: Path | None = None
    models: Path | None = None
    listeners: int = 100
    days: int | None = None
    start: date | None = None
    seed: int = 1
    endpoint: str | None = None
    events: Path = Path("build/simulate/events.jsonl")


def default_window(campaign: model.Campaign) -> tuple[date, int]:
    """The first day and length of a run by default: from the first day content arrives (at most
    `MOST_DAYS_BEFORE` days before release; `DAYS_BEFORE_RELEASE` when nothing is dated) to
    `DAYS_AFTER_RELEASE` days after the last of release day, the last drop and the daily question's
    last day."""
    release = campaign.release
    first = campaign.first_content_day() or release - timedelta(days=DAYS_BEFORE_RELEASE)
    first = max(min(first, release), release - timedelta(days=MOST_DAYS_BEFORE))
    return first, (campaign.last_content_day() - first).days + DAYS_AFTER_RELEASE + 1


def simulate(options: TrafficOptions, backend: Backend | None = None, progress: TextIO | None = None) -> TrafficResult:
    """Run the simulation; a line per simulated day to `progress` (None: silent).

    Raises:
        ChatError: the campaign, its models or an option cannot be used.
    """
    settings, manifest, models, skill_id = load_campaign_and_models(options)
    campaign = model.Campaign(manifest, models, skill_id)
    first_day, days = default_window(campaign)
    if options.start is not None:
        first_day, days = options.start, max(1, (campaign.last_content_day() - options.start).days +
                                             DAYS_AFTER_RELEASE + 1)
    days = options.days or days
    if options.listeners < 1 or days < 1:
        raise ChatError("--listeners and --days must be at least 1")
    listeners = model.population(campaign, options.listeners, options.seed, first_day, days)
    result = TrafficResult(manifest.campaign, first_day, days, options.listeners, options.events, options.seed)
    options.events.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        if backend is None:
            backend = stack.enter_context(traffic_backend(options.endpoint))
        events = stack.enter_context(open(options.events, "w", encoding="utf-8"))
        run = _Run(campaign, settings, backend, events, result, Random(options.seed))
        run.accounts(listeners)
        started = time.perf_counter()
        try:
            for index in range(days):
                day = first_day + timedelta(days=index)
                turns, sessions = result.turns, result.sessions
                run.day(listeners, index, day)
                if progress is not None:
                    elapsed = time.perf_counter() - started
                    print(f"day {index + 1}/{days} {day}: {result.sessions - sessions} sessions, "
                          f"{result.turns - turns} turns; {result.turns} turns in all, "
                          f"{result.turns / elapsed if elapsed else 0:.0f} turns/s", file=progress, flush=True)
        except KeyboardInterrupt:   # Ctrl-C: the summary of what ran (a request may have been cut short)
            result.interrupted = True
        finally:
            result.seconds = time.perf_counter() - started
            events.flush()
        result.reminders_set = sum(len(stub.reminders) for stub in run.reminders.values())
        if result.interrupted:
            return result
        table = backend.dynamodb.Table(settings.state_table)
        items = [(listener.number, listener.user_id, table.get_item(Key={"id": listener.user_id}).get("Item"))
                 for listener in listeners]
        result.problems, result.checked = run.ledger.check(items), len(items)
    return result


class _Run:
    """One run's skill, clock and bookkeeping."""

    def __init__(self, campaign: model.Campaign, settings, backend: Backend, events: TextIO,
                 result: TrafficResult, rng: Random) -> None:
        from ..app import create_lambda_handler
        from ..metrics import Telemetry
        from .dynamodb_server import ensure_state_table

        self.campaign, self.events, self.result = campaign, events, result
        self.api = backend.settings_api
        self.clock = Clock(datetime.combine(result.first_day, datetime.min.time(), tzinfo=timezone.utc),
                           running=False)
        self.ledger = Ledger(campaign.manifest)
        self.reminders: dict[str, Any] = {}
        self._last_event: dict[str, Any] = {}
        self._current: model.Listener | None = None
        if backend.create_table:
            ensure_state_table(backend.dynamodb, settings.state_table)
            if campaign.manifest.draw is not None:
                ensure_draw_table(backend.dynamodb, settings.draw_table)
        telemetry = Telemetry(campaign.manifest.campaign, settings.listener_key_secret or LOCAL_SECRET,
                              namespace=settings.metrics_namespace, service=settings.service_name,
                              key_id=settings.listener_key_id, write=self._telemetry_line)
        self.handler = create_lambda_handler(settings, campaign.manifest, backend.dynamodb_client, rng, telemetry)

    def accounts(self, listeners: list[model.Listener]) -> None:
        """Each listener's devices in their zone (Settings API), and their own Reminders and profile stubs."""
        for listener in listeners:
            for device in listener.devices:
                self.api.zones[device.id] = listener.zone
        router = PerListener(self.api, {listener.access_token: listener for listener in listeners})
        self.reminders = router.reminders

    # -- a day ------------------------------------------------------------------------------------

    def day(self, listeners: list[model.Listener], index: int, day: date) -> None:
        visits = sorted((moment, listener.number, listener) for listener in listeners
                        for moment in model.sessions_on(listener, self.campaign, index, day))
        for moment, _number, listener in visits:
            if listener.busy_until is not None and moment < listener.busy_until:
                moment = listener.busy_until + timedelta(minutes=5)
            self.session(listener, model.device_for(listener), moment, day)

    def session(self, listener: model.Listener, device: model.Device, moment: datetime, day: date) -> None:
        """One session, from "open ..." to the end, then the episode it started, if any."""
        self.result.sessions += 1
        self.result.visitors.add(listener.number)
        session = {"id": listener.new_session_id(), "new": True, "attributes": {}}
        say = talk.opening(listener, self.campaign, day)
        turns = 0
        while True:
            self.clock.set(moment)
            answer = self.send(listener, device, say.request(), session)
            turns += 1
            moment += timedelta(seconds=model.think_seconds(listener))
            if say.walk_away:
                break
            ask_for = _directive(answer, "Connections.SendRequest")
            if ask_for is not None:     # Alexa asks the listener, then answers the skill in the same session
                self.clock.set(moment)
                scope = (ask_for.get("payload") or {}).get("permissionScope", "")
                answer = self.send(listener, device, _consent(ask_for, talk.consent_answer(listener, scope)), session)
                moment += timedelta(seconds=model.think_seconds(listener))
            self._follow(listener, device, answer, moment)
            if answer.ends_session is not False:
                break
            say = talk.next_say(listener, self.campaign, day, session["attributes"], turns)
        listener.busy_until = max(moment, listener.busy_until or moment)
        self._play_on(listener, device)

    # -- requests ----------------------------------------------------------------------------------

    def send(self, listener: model.Listener, device: model.Device, request: dict[str, Any],
             session: dict[str, Any] | None) -> Answer:
        """One request in a full envelope (no session for AudioPlayer events); returns the answer."""
        event = envelopes.envelope(
            request, user_id=listener.user_id, device_id=device.id, locale=listener.locale, now=self.clock.now(),
            session_id=session["id"] if session else listener.new_session_id(),
            new_session=session["new"] if session else True, attributes=session["attributes"] if session else {},
            api_endpoint=self.api.endpoint, skill_id=self.campaign.skill_id,
            api_access_token=listener.access_token, supported_interfaces=device.interfaces(),
            viewport=device.viewport())
        if session is None:
            del event["session"]
        if device.audio_player and device.token:
            event["context"]["AudioPlayer"] = {"token": device.token, "offsetInMilliseconds": device.offset_ms,
                                               "playerActivity": device.activity}
        if listener.allowed:
            permissions = {"consentToken": f"simulated-consent-{listener.number}",
                           "scopes": {scope: {"status": "GRANTED"} for scope in sorted(listener.allowed)}}
            event["context"]["System"]["user"]["permissions"] = permissions
            if session is not None:
                event["session"]["user"]["permissions"] = permissions
        self._current, self._last_event = listener, {}
        started = time.perf_counter()
        response = self.handler(event, None)
        elapsed = (time.perf_counter() - started) * 1000
        answer = Answer(response)
        kind = self._last_event.get("kind", "unrecorded")
        self.result.turns += 1
        self.result.requests[request["type"]] += 1
        self.result.latencies.add(kind, elapsed)
        for name in self._last_event.get("faults") or ():
            self.result.faults[name] += 1
        if session is not None:
            session["new"] = False
            session["attributes"] = dict(response.get("sessionAttributes") or {})
        return answer

    def _telemetry_line(self, line: str) -> None:
        """Where the skill's telemetry writes: turn events to the file (and the ledger); metrics blobs dropped."""
        if not line.startswith('{"event":'):
            return
        self.events.write(line)
        event = json.loads(line)
        self._last_event = event
        if self._current is not None:
            self.ledger.served(self._current.user_id, event)

    # -- the audio player ----------------------------------------------------------------------------

    def _follow(self, listener: model.Listener, device: model.Device, answer: Answer, moment: datetime) -> None:
        """Do what the answer's AudioPlayer directives say (start or queue a stream, stop)."""
        if not device.audio_player:
            return
        for directive in answer.directives:
            kind = directive.get("type")
            if kind == "AudioPlayer.Stop" and device.activity == "PLAYING":
                device.activity = "STOPPED"
                self.clock.set(moment)
                self.send(listener, device, self._player_event(device, "AudioPlayer.PlaybackStopped"), None)
            elif kind == "AudioPlayer.Play":
                stream = directive["audioItem"]["stream"]
                if directive.get("playBehavior") == "ENQUEUE":
                    if stream.get("expectedPreviousToken") == device.token:
                        device.queued = stream
                else:
                    device.queued = None
                    if device.activity == "PLAYING":   # the stream playing gives way to the new one
                        self.clock.set(moment)
                        self.send(listener, device, self._player_event(device, "AudioPlayer.PlaybackStopped"), None)
                    device.token, device.offset_ms, device.activity = stream["token"], \
                        int(stream.get("offsetInMilliseconds", 0)), "PLAYING"
                    self.clock.set(moment)
                    self.send(listener, device, self._player_event(device, "AudioPlayer.PlaybackStarted"), None)

    def _play_on(self, listener: model.Listener, device: model.Device) -> None:
        """After the session: the episode on the device plays to its end (and on to a queued one), or
        the listener stops it part-way ("Alexa, stop", in a session of its own)."""
        moment = listener.busy_until or self.clock.now()
        while device.audio_player and device.activity == "PLAYING" and device.token:
            length = model.episode_ms(episode_of(self.campaign.manifest, device.token))
            if not model.listens_through(listener):
                played = int((length - device.offset_ms) * listener.rng.uniform(0.1, 0.9))
                device.offset_ms += played
                moment += timedelta(milliseconds=played)
                self.clock.set(moment)
                session = {"id": listener.new_session_id(), "new": True, "attributes": {}}
                self.result.sessions += 1
                stop = self.campaign.said(listener.locale, listener.rng.choice(("AMAZON.PauseIntent",
                                                                                "AMAZON.StopIntent")))
                self._follow(listener, device, self.send(listener, device, stop.request(), session), moment)
                device.activity = "STOPPED" if device.activity == "PLAYING" else device.activity
                break
            nearly = max(device.offset_ms, length - _NEARLY_BEFORE_MS)
            moment += timedelta(milliseconds=nearly - device.offset_ms)
            device.offset_ms = nearly
            self.clock.set(moment)
            self._follow(listener, device, self.send(
                listener, device, self._player_event(device, "AudioPlayer.PlaybackNearlyFinished"), None), moment)
            moment += timedelta(milliseconds=length - nearly)
            device.offset_ms, device.activity = length, "FINISHED"
            self.clock.set(moment)
            self.send(listener, device, self._player_event(device, "AudioPlayer.PlaybackFinished"), None)
            episode = episode_of(self.campaign.manifest, device.token)
            if episode is not None:
                self.ledger.finished(listener.user_id, episode.section, episode.id)
            if device.queued is not None:
                queued, device.queued = device.queued, None
                device.token, device.offset_ms, device.activity = queued["token"], 0, "PLAYING"
                self.send(listener, device, self._player_event(device, "AudioPlayer.PlaybackStarted"), None)
        listener.busy_until = max(moment, listener.busy_until or moment)

    @staticmethod
    def _player_event(device: model.Device, kind: str) -> dict[str, Any]:
        return {"type": kind, "token": device.token, "offsetInMilliseconds": device.offset_ms}


def _directive(answer: Answer, kind: str) -> dict[str, Any] | None:
    return next((d for d in answer.directives if d.get("type") == kind), None)


def _consent(ask_for: dict[str, Any], status: str) -> dict[str, Any]:
    """The Connections.Response Alexa sends after asking the listener for a permission."""
    return {"type": "Connections.Response", "name": "AskFor", "status": {"code": "200", "message": "OK"},
            "token": ask_for.get("token"), "payload": {"permissionScope": (ask_for.get("payload") or {}).get(
                "permissionScope"), "status": status}}

