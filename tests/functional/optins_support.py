"""Set-up of the opt-in dialog tests: the opt-in campaign, the Alexa APIs on loopback, the draw's
table on moto, and a listener whose account Alexa knows (what they allowed the skill).

Import the fixtures into a test module with `from optins_support import *`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from dropday.localdev.alexa_api import AlexaApiStub
from dropday.localdev.conversation import Answer, Conversation
from support import FIXTURES

DRAW_TABLE = "dropday-test-draw"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
EMAIL_SCOPE = "alexa::profile:email:read"
USER = "amzn1.ask.account.LISTENER"


@pytest.fixture(scope="session")
def optins_campaign():
    """tests/fixtures/optins-campaign.yaml: release on Friday 15 January 2027, a draw in en-GB."""
    from dropday.content import read_manifest
    return read_manifest(FIXTURES / "optins-campaign.yaml")


@pytest.fixture
def alexa_api(monkeypatch):
    """The Settings, Reminders and customer profile APIs over TLS on loopback (nothing allowed yet)."""
    with AlexaApiStub() as stub:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stub.ca_bundle))
        yield stub


@pytest.fixture
def draw_table(dynamodb):
    """The draw's table as template.yaml declares it, on moto; returns the boto3 Table."""
    dynamodb.create_table(TableName=DRAW_TABLE, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "campaign", "KeyType": "HASH"},
                                     {"AttributeName": "entrant", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "campaign", "AttributeType": "S"},
                                                {"AttributeName": "entrant", "AttributeType": "S"}])
    return dynamodb.Table(DRAW_TABLE)


@pytest.fixture
def optin_skill(make_skill, optins_campaign, draw_table):
    """The skill on the opt-in campaign, with its draw table."""
    return make_skill(optins_campaign, draw_table=DRAW_TABLE)


class Account:
    """What Alexa knows of the listener's account: the permissions they gave this skill, as the
    requests carry them (`context.System.user.permissions`) and as the APIs answer.

    Wraps the skill's handler, so a `Conversation` talks through it.
    """

    def __init__(self, skill, api: AlexaApiStub, scopes_in_requests: bool = False) -> None:
        self.skill, self.api = skill, api
        self.allowed: set[str] = set()
        #: whether requests list the allowed scopes by name (else only a consent token says anything is allowed)
        self.scopes_in_requests = scopes_in_requests

    def allow(self, scope: str) -> None:
        """The listener allows `scope` (by voice or in the Alexa app)."""
        self.allowed.add(scope)
        self.api.reminders.granted = REMINDERS_SCOPE in self.allowed
        self.api.profile.granted = EMAIL_SCOPE in self.allowed

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        if self.allowed:
            permissions: dict[str, Any] = {"consentToken": "local-consent-token"}
            if self.scopes_in_requests:
                permissions["scopes"] = {scope: {"status": "GRANTED"} for scope in sorted(self.allowed)}
            for holder in (event["context"]["System"]["user"], event.get("session", {}).get("user")):
                if holder is not None:
                    holder["permissions"] = permissions
        return self.skill(event, context)


def listener_at(skill, api: AlexaApiStub, now: datetime, zone: str = "Europe/London", locale: str = "en-GB",
                scopes_in_requests: bool = False) -> tuple[Conversation, Account]:
    """A listener in `zone` (as the Settings API answers) talking to `skill` at `now`."""
    account = Account(skill, api, scopes_in_requests)
    conversation = Conversation(account, now=now, locale=locale, api_endpoint=api.endpoint)
    api.zones[conversation.device_id] = zone
    return conversation, account


def ask_for_directive(answer: Answer) -> dict[str, Any] | None:
    """The AskFor directive of a response, or None."""
    return next((d for d in answer.response.get("response", {}).get("directives", [])
                 if d.get("type") == "Connections.SendRequest" and d.get("name") == "AskFor"), None)


def answer_consent(conversation: Conversation, asked: Answer, status: str, account: Account | None = None) -> Answer:
    """Alexa asked the listener for the permission in `asked`'s AskFor; they answer `status`
    (ACCEPTED, DENIED, NOT_ANSWERED) and Alexa sends the skill the Connections.Response in the
    same session (granting the permission first when ACCEPTED)."""
    directive = ask_for_directive(asked)
    assert directive is not None, asked.response
    if status == "ACCEPTED" and account is not None:
        account.allow(directive["payload"]["permissionScope"])
    event, _ = conversation.history[-1]
    conversation.session_id = event["session"]["sessionId"]
    conversation.attributes = dict(asked.response.get("sessionAttributes") or {})
    return conversation.send({"type": "Connections.Response", "name": "AskFor",
                              "status": {"code": "200", "message": "OK"}, "token": directive["token"],
                              "payload": {"permissionScope": directive["payload"]["permissionScope"],
                                          "status": status}})


def card(answer: Answer) -> dict[str, Any] | None:
    """The home card of a response, or None."""
    return answer.response.get("response", {}).get("card")


def spoken(answer: Answer) -> str:
    """What Alexa says, without the SSML wrapper."""
    return answer.speech.removeprefix("<speak>").removesuffix("</speak>")


__all__ = ["DRAW_TABLE", "EMAIL_SCOPE", "REMINDERS_SCOPE", "USER", "Account", "alexa_api", "answer_consent",
           "ask_for_directive", "card", "draw_table", "listener_at", "optin_skill", "optins_campaign", "spoken"]
