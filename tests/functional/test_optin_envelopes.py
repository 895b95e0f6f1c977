"""Real Alexa envelopes of the consent flow (../shared/fixtures/alexa-more/) answered without raising."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from dropday.localdev import envelopes
from optins_support import *  # noqa: F403 (the opt-in fixtures and helpers)
from optins_support import REMINDERS_SCOPE, USER
from support import REPO

MORE = REPO.parent / "shared" / "fixtures" / "alexa-more"
pytestmark = pytest.mark.skipif(not MORE.is_dir(), reason=f"the shared Alexa envelopes are not at {MORE}")


def fixture(name: str) -> dict:
    return json.loads((MORE / name).read_text(encoding="utf-8"))


def test_a_real_askfor_denial_is_answered_kindly_with_the_consent_card(optin_skill, alexa_api, stored_item):
    # GIVEN Alexa.NET's Connections.Response (AskFor, DENIED, a token the skill never wrote), in a session
    request = fixture("connections-response-askfor-denied.request-only.json")
    event = envelopes.envelope(request, user_id=USER, device_id="amzn1.ask.device.DEVICE", locale="en-US",
                               now=datetime(2027, 1, 2, 10, tzinfo=timezone.utc), session_id="amzn1.echo-api.session.1",
                               new_session=False, attributes={}, api_endpoint=alexa_api.endpoint)
    event["request"] = request
    # WHEN it reaches the skill
    response = optin_skill(event, None)
    # THEN the listener hears that no reminder was set, gets the card, and neither reminder is offered for a week
    assert "I haven't set a reminder" in response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["card"] == {"type": "AskForPermissionsConsent", "permissions": [REMINDERS_SCOPE]}
    assert response["response"]["shouldEndSession"] is False
    assert set(stored_item(USER)["attributes"]["reminders"]["cooling"]) == {"release_day", "daily"}


@pytest.mark.parametrize("name", ["skillevent-permission-accepted.json", "skillevent-permission-changed.json"])
def test_real_permission_events_get_an_empty_valid_response(optin_skill, name):
    response = optin_skill(fixture(name), None)
    assert response["version"] == "1.0" and response["response"] == {}


def test_a_real_connections_response_of_another_kind_is_left_alone(optin_skill):
    response = optin_skill(fixture("connections-response-isp-buy-accepted.json"), None)
    assert response["version"] == "1.0" and "outputSpeech" not in response["response"]
