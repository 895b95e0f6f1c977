"""Composition root: settings, manifest, persistence and the skill, wired into `lambda_handler`.

The manifest is loaded and validated when this module is imported (the Lambda cold start): an
invalid manifest stops the container with a message naming the file and the problem, rather
than serving a half-loaded skill. Clients to AWS are made on the first request.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Mapping
from datetime import datetime, time, timezone
from random import Random
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

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


def create_lambda_handler(settings: Settings, manifest: Manifest, dynamodb_client=None,
                          rng: Random | None = None) -> Handler:
    """Build the skill and return a Lambda handler for it.

    Args:
        settings: the deployment's settings.
        manifest: the campaign to serve.
        dynamodb_client: a botocore/boto3 DynamoDB client (tests pass moto's); made from the
            environment when None.
        rng: randomness for tip order (tests pass a seeded one).

    Returns:
        `handler(event, context)`, which never raises: a request it cannot read gets a valid
        response and a log line.
    """
    from .aws import make_draw_entries, make_persistence_adapter  # botocore only once a skill is really built

    campaign_over = datetime.combine(manifest.campaign_end, time(0), tzinfo=timezone.utc).timestamp()
    store = make_persistence_adapter(settings, dynamodb_client,
                                     expires_no_later_than=int(campaign_over) + settings.state_ttl_days * 86400)
    draw_entries = make_draw_entries(settings, store.client) if manifest.draw is not None else None
    context = SkillContext(manifest, settings.audio_base_url, rng or Random(), store, draw_entries)
    skill = CustomSkill(skill_configuration=build_skill_builder(
        context, settings.settings_api_timeout).skill_configuration)

    def handler(event: Mapping[str, Any], lambda_context: Any = None) -> dict:
        try:
            if not isinstance(event, Mapping):
                logger.warning("rejected an event that is not a JSON object: %s", type(event).__name__)
                return dict(EMPTY_RESPONSE)
            application_id = _application_id(event)
            if settings.skill_ids and application_id not in settings.skill_ids:
                logger.warning("rejected a request for skill %r: not in SKILL_IDS", application_id)
                return dict(EMPTY_RESPONSE)
            envelope = _deserialise(skill, event)
            if envelope is None:
                return _unreadable_request(manifest, event)
            return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=lambda_context))
        except Exception:
            logger.exception("request failed outside the skill's handlers")
            return _unreadable_request(manifest, event)

    return handler


def _deserialise(skill: CustomSkill, event: Mapping[str, Any]) -> RequestEnvelope | None:
    """The request envelope; a reduced copy when the SDK cannot read the original or the
    original lacks the `context.System` the SDK relies on; None when neither will do."""
    kind = _mapping(event.get("request")).get("type")
    if _mapping(_mapping(event.get("context")).get("System")):
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
        essentials["session"] = {
            "new": session.get("new") is True, "sessionId": _text(session.get("sessionId")) or "unknown",
            "application": application, "user": user,
            "attributes": session.get("attributes") if isinstance(session.get("attributes"), dict) else {},
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


def error_sentence(manifest: Manifest, locale: str | None) -> str:
    """The campaign's apology for a failure, as text (its first variant)."""
    return manifest.fill(manifest.sentence("error", locale).variants[0].recording.transcript.get(locale))


def _application_id(event: Mapping[str, Any]) -> str | None:
    system = _mapping(_mapping(event.get("context")).get("System"))
    return _text(_mapping(system.get("application")).get("applicationId")) or \
        _text(_mapping(_mapping(event.get("session")).get("application")).get("applicationId"))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_timestamp(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value.replace("Z", "+00:00")) is not None
    except ValueError:
        return False


def load_manifest_or_stop(settings: Settings) -> Manifest:
    """The campaign to serve; an invalid one is logged in full and stops the cold start."""
    try:
        return load_campaign(settings.manifest_dir, settings.campaign)
    except ManifestError as exc:
        logger.critical("refusing to start: %s", exc)
        raise


@functools.lru_cache(maxsize=1)
def _default_handler() -> Handler:
    return create_lambda_handler(SETTINGS, MANIFEST)


def lambda_handler(event: Mapping[str, Any], context: Any) -> dict:
    """The Lambda entry point (`lambda_function.lambda_handler` re-exports it)."""
    return _default_handler()(event, context)


SETTINGS = Settings.from_env()
logging.getLogger("dropday").setLevel(SETTINGS.log_level)
MANIFEST = load_manifest_or_stop(SETTINGS)
