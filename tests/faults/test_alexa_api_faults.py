"""Faults made for real on loopback between the skill and the Alexa APIs: a Reminders or customer
profile API that accepts the connection and never answers, or drops it, or answers garbage.

A TCP proxy sits at the `apiEndpoint` the requests name, in front of the TLS stub of the Alexa
APIs (TLS goes through it untouched, so the certificate still matches 127.0.0.1).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

import boto3
import pytest
from moto import mock_aws

from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.content import read_manifest
from dropday.localdev.alexa_api import AlexaApiStub
from dropday.localdev.conversation import Conversation
from support import FIXTURES, create_state_table

STATE, DRAW = "dropday-fault-state", "dropday-fault-draw"
USER = "amzn1.ask.account.LISTENER"
JAN_2 = datetime(2027, 1, 2, 10, 0, tzinfo=timezone.utc)   # 13 days before release


class FaultyAlexaApi:
    """A TCP proxy to `upstream` that misbehaves on purpose.

    Attributes:
        mode: "pass" (forward), "hang" (accept, read, never answer), "reset" (close at once),
            "garbage" (answer bytes that are not TLS).
        connections: how many connections arrived.
    """

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.mode = "pass"
        self.connections = 0
        self._release = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._release.set()
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(client, self.mode), daemon=True).start()

    def _handle(self, client: socket.socket, mode: str) -> None:
        with client:
            if mode == "reset":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                return
            if mode == "hang":
                client.recv(65536)
                self._release.wait(30)
                return
            if mode == "garbage":
                client.recv(65536)
                client.sendall(b"HTTP/1.1 200 OK\r\n\r\nthis is not TLS")
                return
            with socket.create_connection(self.upstream) as upstream:
                pumps = [threading.Thread(target=_pump, args=(a, b), daemon=True)
                         for a, b in ((client, upstream), (upstream, client))]
                for pump in pumps:
                    pump.start()
                for pump in pumps:
                    pump.join(10)


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


@pytest.fixture
def world(monkeypatch) -> Iterator[tuple]:
    """The opt-in skill on moto, the Alexa APIs stub, and the faulty proxy in front of it."""
    campaign = read_manifest(FIXTURES / "optins-campaign.yaml")
    with mock_aws(), AlexaApiStub() as api:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(api.ca_bundle))
        resource = boto3.resource("dynamodb")
        create_state_table(resource, STATE)
        resource.create_table(TableName=DRAW, BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "campaign", "KeyType": "HASH"},
                                         {"AttributeName": "entrant", "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": "campaign", "AttributeType": "S"},
                                                    {"AttributeName": "entrant", "AttributeType": "S"}])
        skill = create_lambda_handler(Settings(state_table=STATE, draw_table=DRAW), campaign,
                                      boto3.client("dynamodb"))
        proxy = FaultyAlexaApi(api.endpoint)
        conversation = Conversation(_with_consent(skill), now=JAN_2, api_endpoint=proxy.endpoint)
        yield conversation, api, proxy, resource
        proxy.close()


def _with_consent(skill):
    """The listener has allowed the skill reminders and their email address (a consent token)."""
    def handler(event, context):
        event["context"]["System"]["user"]["permissions"] = {"consentToken": "local-consent-token"}
        return skill(event, context)
    return handler


def _stored(resource) -> dict:
    item = resource.Table(STATE).get_item(Key={"id": USER}).get("Item") or {}
    return item.get("attributes", {})


@pytest.mark.parametrize("mode", ["hang", "reset", "garbage"])
def test_a_reminders_api_that_hangs_drops_or_babbles_gets_a_kind_sentence_and_no_false_state(world, mode):
    conversation, api, proxy, resource = world
    api.reminders.granted = True
    # GIVEN a listener whose zone the skill already knows asks for the reminder
    conversation.ask("RemindMeIntent")
    # WHEN they say yes and the API misbehaves
    proxy.mode = mode
    answer = conversation.ask("AMAZON.YesIntent")
    # THEN they hear it could not be set this time, the session goes on, and nothing is stored as set
    assert "couldn't set your reminder this time" in answer.speech and answer.ends_session is False
    assert "reminders" not in _stored(resource) and api.reminders.reminders == {}
    # AND once the API is back, the same listener gets it set
    proxy.mode = "pass"
    conversation.ask("RemindMeIntent")
    assert "I'll remind you at 9 AM" in conversation.ask("AMAZON.YesIntent").speech
    assert len(api.reminders.reminders) == 1


@pytest.mark.parametrize("mode", ["hang", "reset"])
def test_a_profile_api_that_hangs_or_drops_keeps_the_listener_out_of_the_draw_and_says_so(world, mode):
    conversation, api, proxy, resource = world
    api.profile.granted = True
    conversation.launch()                       # 2 January
    conversation.wait(days=1)
    invitation = conversation.launch()          # a second day: invited
    assert "prize draw" in invitation.speech
    proxy.mode = mode
    answer = conversation.ask("AMAZON.YesIntent")
    assert "couldn't enter you in the draw just now" in answer.speech
    assert _stored(resource)["draw"] == {"invited": True}
    assert resource.Table(DRAW).scan()["Items"] == []
