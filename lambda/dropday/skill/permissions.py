"""What the listener has allowed the skill, as the request says, and how Alexa asks them for more."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

GRANTED = "granted"
MISSING = "missing"
#: The request carries a consent token but does not say which scopes it covers: only the API knows.
UNKNOWN = "unknown"


def permission(handler_input: HandlerInput, scope: str) -> str:
    """Whether the listener has allowed `scope`: GRANTED or MISSING when the request says so
    (`context.System.user.permissions.scopes`, or no consent token at all), else UNKNOWN."""
    context = handler_input.request_envelope.context
    user = getattr(getattr(context, "system", None), "user", None)
    permissions = getattr(user, "permissions", None)
    scopes = getattr(permissions, "scopes", None) or {}
    stated = scopes.get(scope) if isinstance(scopes, dict) else None
    if stated is not None:
        status = getattr(getattr(stated, "status", None), "value", None)
        return GRANTED if status == "GRANTED" else MISSING
    return UNKNOWN if getattr(permissions, "consent_token", None) else MISSING


def ask_for(scope: str, token: str):
    """The `Connections.SendRequest` AskFor directive: Alexa asks the listener to allow `scope`
    and answers the skill with a `Connections.Response` carrying `token`."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    return SendRequestDirective(name="AskFor", token=token, payload={
        "@type": "AskForPermissionsConsentRequest", "@version": "1", "permissionScope": scope})


def consent_card(scope: str):
    """The home card that lets the listener allow `scope` in the Alexa app."""
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[scope])
