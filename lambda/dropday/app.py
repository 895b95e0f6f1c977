"""Composition root: settings, manifest, persistence and the skill, wired into `lambda_handler`.

The manifest is loaded and validated when this module is imported (the Lambda cold start): an
invalid manifest stops the container with a message naming the file and the problem, rather
than serving a half-loaded skill. The skill itself, with its AWS client and its telemetry, is
built by `default_handler()`: the Lambda entry (`lambda_function`) calls it during init, so that
Lambda's initialisation, which often runs before any request arrives, does that work too; anything
else that imports this module builds nothing until it asks.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta, timezone
from random import Random
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from . import logs
from .config import Settings
from .content import load_campaign
from .core.campaign import Manifest, ManifestError
from .core.speech import say
from .skill.builder import build_skill_builder
from .skill.turns import SkillContext

logger = logging.getLogger(__name__)

Handler = Callable[[Mapping[str, Any], Any], dict]
EMPTY_RESPONSE: dict[str, Any] = {"version": "1.0", "response": {}}
_SPEAKING_REQUESTS = ("LaunchRequest", "IntentRequest")
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")
#: Nesting deeper than this is not a request Alexa sends (its envelopes nest about 8 deep; the
#: skill's own session attributes 3), and deserialising it would exhaust Python's recursion limit.
MAX_EVENT_DEPTH = 48
MAX_ATTRIBUTES_DEPTH = 16
#: A moment this close to the ends of Python's calendar cannot be placed in every time zone.
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=2)
_LATEST = datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=2)


def create_lambda_handler(settings: Settings, manifest: Manifest, dynamodb_client=None,
                          rng: Random | None = None, telemetry=None) -> Handler:
    """Build the skill and return a Lambda handler for it.

    Args:
        settings: the deployment's settings.
        manifest: the campaign to serve.
        dynamodb_client: a botocore/boto3 DynamoDB client (tests pass moto's); made from the
            environment when None.
        rng: randomness for tip order (tests pass a seeded one).
        telemetry: where turn events and metrics go (`metrics.Telemetry`); made from the
            settings when None.

    Returns:
        `handler(event, context)`, which never raises: a request it cannot read gets a valid
        response and a log line.
    """
    from .aws import make_draw_entries, make_persistence_adapter  # botocore only once a skill is really built
    from .metrics import Telemetry

    telemetry = telemetry or Telemetry.from_settings(settings, manifest.campaign)

    campaign_over = datetime.combine(manifest.campaign_end, time(0), tzinfo=timezone.utc).timestamp()
    store = make_persistence_adapter(settings, dynamodb_client,
                                     expires_no_later_than=int(campaign_over) + settings.state_ttl_days * 86400)
    draw_entries = make_draw_entries(settings, store.client) if manifest.draw is not None else None
    context = SkillContext(manifest, settings.audio_base_url, rng or Random(), store, draw_entries)
    skill = CustomSkill(skill_configuration=build_skill_builder(
        context, settings.settings_api_timeout).skill_configuration)

    def handler(event: Mapping[str, Any], lambda_context: Any = None) -> dict:
        telemetry.begin(event if isinstance(event, Mapping) else None)
        kind = "rejected"
        try:
            if not isinstance(event, Mapping):
                logger.warning("rejected an event that is not a JSON object: %s", type(event).__name__)
                return dict(EMPTY_RESPONSE)
            refused = foreign_skill(event, settings.skill_ids)
            if refused:
                logger.warning("rejected a request that %s", refused)
                return dict(EMPTY_RESPONSE)
            kind = turn_kind(event)
            envelope = _deserialise(skill, event)
            if envelope is None:
                return _unreadable_request(manifest, event)
            return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=lambda_context))
        except Exception:
            logger.exception("request failed outside the skill's handlers")
            kind = "error"
            return _unreadable_request(manifest, event)
        finally:
            telemetry.finish(kind)

    return handler


def _deserialise(skill: CustomSkill, event: Mapping[str, Any]) -> RequestEnvelope | None:
    """The request envelope; a reduced copy when the SDK cannot read the original, or the
    original lacks the `context.System` the SDK relies on, or holds something the skill cannot
    use (`implausible`); None when neither will do."""
    kind = _mapping(event.get("request")).get("type")
    problem = implausible(event)
    if problem:
        logger.warning("request of type %r %s; answering from its essentials", kind, problem)
    elif _mapping(_mapping(event.get("context")).get("System")):
        try:
            return skill.serializer.deserialize(payload=json.dumps(event, default=str), obj_type=RequestEnvelope)
        except (AskSdkException, ValueError, TypeError) as exc:
            logger.warning("request of type %r is not readable as sent (%s); trying its essentials",
                           kind, str(exc)[:200])
    else:
        logger.warning("request of type %r has no context.System; trying its essentials", kind)
    essentials = essential_envelope(event)
    if essentials is None:
        return None
    try:
        return skill.serializer.deserialize(payload=json.dumps(essentials), obj_type=RequestEnvelope)
    except (AskSdkException, ValueError, TypeError):
        logger.warning("request essentials are not readable either; answering without the skill")
        return None


def implausible(event: Mapping[str, Any]) -> str | None:
    """What, in an envelope the SDK would read, the skill cannot use as sent; None for a sane one.

    Alexa never sends these, but a forged or corrupted request may: an intent request without an
    intent, a timestamp at the very ends of the calendar, nesting deep enough to exhaust Python's
    recursion limit.
    """
    request = _mapping(event.get("request"))
    if request.get("type") == "IntentRequest" and not isinstance(_mapping(request.get("intent")).get("name"), str):
        return "has no intent name"
    timestamp = request.get("timestamp")
    if isinstance(timestamp, str) and _parsed_timestamp(timestamp) is not None and not _is_timestamp(timestamp):
        return f"has a timestamp that no time zone can show ({timestamp[:40]!r}); the skill's clock is used"
    if _deeper_than(event, MAX_EVENT_DEPTH):
        return f"nests deeper than {MAX_EVENT_DEPTH} levels"
    if _deeper_than(_mapping(event.get("session")).get("attributes"), MAX_ATTRIBUTES_DEPTH):
        return f"has session attributes nested deeper than {MAX_ATTRIBUTES_DEPTH} levels; they are dropped"
    return None


def essential_envelope(event: Mapping[str, Any]) -> dict | None:
    """The parts of a launch, intent or session-ended request the skill uses, with well-formed
    values only; None for other request types.

    A request with an unknown enum value or a malformed field elsewhere still reaches the
    skill this way instead of failing deserialisation as a whole.
    """
    request = _mapping(event.get("request"))
    kind = request.get("type")
    if kind not in (*_SPEAKING_REQUESTS, "SessionEndedRequest"):
        return None
    session, system = _mapping(event.get("session")), _mapping(_mapping(event.get("context")).get("System"))
    essential_request = {"type": kind, "requestId": _text(request.get("requestId")) or "unknown"}
    if _is_timestamp(request.get("timestamp")):
        essential_request["timestamp"] = request["timestamp"]
    if isinstance(request.get("locale"), str) and _LOCALE.match(request["locale"]):
        essential_request["locale"] = request["locale"]
    if kind == "IntentRequest":
        intent = _mapping(request.get("intent"))
        slots = {name: {"name": name, "value": _text(_mapping(slot).get("value"))}
                 for name, slot in _mapping(intent.get("slots")).items() if isinstance(name, str)}
        essential_request["intent"] = {"name": _text(intent.get("name")) or "AMAZON.FallbackIntent",
                                       "slots": slots}
    essentials: dict[str, Any] = {"version": "1.0", "request": essential_request}
    user = {"userId": _text(_mapping(system.get("user")).get("userId"))
            or _text(_mapping(session.get("user")).get("userId"))}
    application = {"applicationId": _application_id(event)}
    if session:
        attributes = session.get("attributes")
        essentials["session"] = {
            "new": session.get("new") is True, "sessionId": _text(session.get("sessionId")) or "unknown",
            "application": application, "user": user,
            "attributes": attributes if isinstance(attributes, dict) and
            not _deeper_than(attributes, MAX_ATTRIBUTES_DEPTH) else {},
        }
    device_id = _text(_mapping(system.get("device")).get("deviceId"))
    essentials["context"] = {"System": {
        "application": application, "user": user,
        **({"device": {"deviceId": device_id, "supportedInterfaces": {}}} if device_id else {}),
        **{key: system[key] for key in ("apiEndpoint", "apiAccessToken") if _text(system.get(key))},
    }}
    return essentials


def _unreadable_request(manifest: Manifest, event: Any) -> dict:
    """The answer to a request the skill could not read: an apology where a listener is waiting."""
    request = _mapping(event.get("request")) if isinstance(event, Mapping) else {}
    if request.get("type") not in _SPEAKING_REQUESTS:
        return dict(EMPTY_RESPONSE)
    locale = request.get("locale") if isinstance(request.get("locale"), str) else None
    return {"version": "1.0", "response": {
        "outputSpeech": {"type": "SSML", "ssml": say(error_sentence(manifest, locale)).ssml()},
        "shouldEndSession": True}}


#: The kind of turn of a request no handler describes (handlers note their own, e.g. `piece`).
_KINDS_BY_REQUEST = {"LaunchRequest": "launch", "IntentRequest": "fallback", "SessionEndedRequest": "session_end"}


def turn_kind(event: Mapping[str, Any]) -> str:
    """The kind of turn of a request by its type, for its event (the handler's note wins)."""
    kind = _mapping(event.get("request")).get("type")
    if not isinstance(kind, str):
        return "error"
    if kind.startswith(("AudioPlayer.", "PlaybackController.")):
        return "playback"
    if kind.startswith("AlexaSkillEvent.") or kind.startswith("AlexaHouseholdListEvent."):
        return "skill_event"
    return _KINDS_BY_REQUEST.get(kind, "skill_event")


def error_sentence(manifest: Manifest, locale: str | None) -> str:
    """The campaign's apology for a failure, as text (its first variant)."""
    return manifest.fill(manifest.sentence("error", locale).variants[0].recording.transcript.get(locale))
def foreign_skill(event: Mapping[str, Any], skill_ids: frozenset[str]) -> str | None:
    """Why a request is not for this deployment, or None when it is.

    With `skill_ids` (SKILL_IDS) set, every skill id the request names, in `context.System` and in
    `session`, must be the same one, and in `skill_ids`; a request naming none is refused too.
    Without it (local development) any request is served.
    """
    if not skill_ids:
        return None
    named = [_mapping(holder).get("applicationId") for holder in (
        _mapping(_mapping(event.get("context")).get("System")).get("application"),
        _mapping(event.get("session")).get("application"))]
    named = [value for value in named if value is not None]
    if not named:
        return "names no skill id, while SKILL_IDS is set"
    if any(value != named[0] for value in named):
        return (f"names two different skills ({_shown(named[0])} in context.System, {_shown(named[1])} in session); "
                "neither is served")
    if named[0] not in skill_ids:
        return f"is for skill {_shown(named[0])}: not in SKILL_IDS"
    return None


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:80] + "..."


def _application_id(event: Mapping[str, Any]) -> str | None:
    system = _mapping(_mapping(event.get("context")).get("System"))
    return _text(_mapping(system.get("application")).get("applicationId")) or \
        _text(_mapping(_mapping(event.get("session")).get("application")).get("applicationId"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _parsed_timestamp(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _is_timestamp(value: Any) -> bool:
    """Whether `value` is an ISO timestamp that every time zone can show."""
    moment = _parsed_timestamp(value) if isinstance(value, str) else None
    try:
        return moment is not None and _EARLIEST <= moment <= _LATEST
    except (OverflowError, ValueError):
        return False


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether JSON `value` nests more than `limit` levels of objects and arrays (walked without recursion)."""
    level: list[Any] = [value] if isinstance(value, (dict, list)) else []
    for _ in range(limit):
        if not level:
            return False
        level = [child for node in level for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (dict, list))]
    return bool(level)


def load_manifest_or_stop(settings: Settings) -> Manifest:
    """The campaign to serve; an invalid one is logged in full and stops the cold start."""
    try:
        return load_campaign(settings.manifest_dir, settings.campaign)
    except ManifestError as exc:
        logger.critical("refusing to start: %s", exc)
        raise


@functools.lru_cache(maxsize=1)
def default_handler() -> Handler:
    """The deployment's skill (`create_lambda_handler` with this container's settings and
    campaign), built on the first call."""
    return create_lambda_handler(SETTINGS, MANIFEST)


def lambda_handler(event: Mapping[str, Any], context: Any) -> dict:
    """The Lambda entry point (`lambda_function.lambda_handler` re-exports it)."""
    return default_handler()(event, context)


logs.install()   # no raw Alexa id in any log line, whatever the level (README: privacy)
SETTINGS = Settings.from_env()
logging.getLogger("dropday").setLevel(SETTINGS.log_level)
MANIFEST = load_manifest_or_stop(SETTINGS)
