"""Alexa request envelopes, built as the Alexa service sends them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


def envelope(request: dict[str, Any], *, user_id: str, device_id: str, locale: str, now: datetime,
             session_id: str, new_session: bool, attributes: dict[str, Any] | None,
             api_endpoint: str = "https://api.eu.amazonalexa.com", skill_id: str = DEFAULT_SKILL_ID,
             api_access_token: str = "local-access-token",
             supported_interfaces: dict[str, Any] | None = None,
             viewport: dict[str, Any] | None = None,
             permissions: dict[str, Any] | None = None) -> dict[str, Any]:
    """A full request envelope around `request` (from `launch`, `intent`, `user_event` or `session_ended`).

    `supported_interfaces` is what the device reports (`{"AudioPlayer": {}}` for an Echo); none by default.
    `viewport` is a screen's `context.Viewport` (see `localdev.screens`); none by default.
    `permissions` is what the listener allowed the skill, as `user.permissions` says it
    (`{"consentToken": ..., "scopes": {scope: {"status": "GRANTED"}}}`); none by default.
    """
    application = {"applicationId": skill_id}
    user: dict[str, Any] = {"userId": user_id}
    if permissions is not None:
        user["permissions"] = dict(permissions)
    body = {"requestId": f"amzn1.echo-api.request.{uuid.uuid4()}", "locale": locale,
            "timestamp": now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **request}
    context: dict[str, Any] = {"System": {
        "application": application, "user": user,
        "device": {"deviceId": device_id, "supportedInterfaces": dict(supported_interfaces or {})},
        "apiEndpoint": api_endpoint, "apiAccessToken": api_access_token,
    }}
    if viewport is not None:
        context["Viewport"] = dict(viewport)
    return {
        "version": "1.0",
        "session": {"new": new_session, "sessionId": session_id, "application": application,
                    "attributes": attributes or {}, "user": user},
        "context": context,
        "request": body,
    }


def launch() -> dict[str, Any]:
    """A LaunchRequest body."""
    return {"type": "LaunchRequest"}


def intent(name: str, slots: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """An IntentRequest body; `slots` maps slot names to slot objects (see `slot`)."""
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots or {}}}


def slot(name: str, value: str | None, resolved_id: str | None = None, resolved_name: str | None = None,
         slot_type: str = "BAND_MEMBER", skill_id: str = DEFAULT_SKILL_ID) -> dict[str, Any]:
    """A slot as Alexa fills it, with an entity-resolution block when a value was said."""
    filled: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is None:
        return filled
    authority = f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}"
    if resolved_id:
        resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_MATCH"},
                      "values": [{"value": {"name": resolved_name or value, "id": resolved_id}}]}
    else:
        resolution = {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
    return {**filled, "value": value, "resolutions": {"resolutionsPerAuthority": [resolution]}}


def user_event(token: str, arguments: list[Any], source_id: str = "") -> dict[str, Any]:
    """An Alexa.Presentation.APL.UserEvent body: a touch on the screen with `token`, sending `arguments`."""
    return {"type": "Alexa.Presentation.APL.UserEvent", "token": token, "arguments": list(arguments),
            "source": {"type": "TouchWrapper", "handler": "Press", "id": source_id}, "components": {}}


def session_ended(reason: str = "USER_INITIATED") -> dict[str, Any]:
    """A SessionEndedRequest body."""
    return {"type": "SessionEndedRequest", "reason": reason}


def new_session_id() -> str:
    """A fresh session id in Alexa's format."""
    return f"amzn1.echo-api.session.{uuid.uuid4()}"
