"""Structure-aware fuzzing: thousands of broken, hostile and odd envelopes, never an exception."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timezone
from random import Random

import boto3
import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from support import create_state_table, free_port
from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.localdev import envelopes

CLOSED_API = f"https://127.0.0.1:{free_port()}"
INTENTS = ["TipIntent", "CountdownIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent",
           "AMAZON.RepeatIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
           "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent", "SomeOtherSkillIntent"]
REQUEST_TYPES = ["LaunchRequest", "IntentRequest", "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled",
                 "AudioPlayer.PlaybackStarted", "Display.ElementSelected", "Connections.Response", "Madeup.Request"]
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["<speak>", "</speak><audio src='http://evil/x.mp3'/>", "&", "&amp;", "]]>", "<!--",
                     "<?xml version='1.0'?>", "\x00\x07", "{member}", "{0.__class__}", "Ivy\u202e", "🦊" * 50]),
    st.text(min_size=5000, max_size=20000, alphabet=st.characters(codec="utf-8")),
)
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE_TEXT,
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                    max_size=3), max_leaves=6)


@st.composite
def envelopes_of_every_kind(draw):
    """A plausible envelope, then a few mutations anywhere in it."""
    kind = draw(st.sampled_from(REQUEST_TYPES))
    if kind == "IntentRequest":
        slots = {"member": envelopes.slot("member", draw(HOSTILE_TEXT), draw(st.none() | st.sampled_from(
            ["ivy", "max", "bob", "<x/>"])))} if draw(st.booleans()) else {}
        request = envelopes.intent(draw(st.sampled_from(INTENTS)), slots)
    else:
        request = {"type": kind}
    event = envelopes.envelope(request, user_id=draw(st.sampled_from(["amzn1.ask.account.A", "amzn1.ask.account.B"])),
                               device_id="amzn1.ask.device.D", locale=draw(st.sampled_from(
                                   ["en-GB", "en-US", "en-IN", "de-DE", "xx", ""])),
                               now=datetime(2027, 2, 1, tzinfo=timezone.utc), session_id="amzn1.echo-api.session.S",
                               new_session=draw(st.booleans()), attributes=draw(st.sampled_from(
                                   [{}, {"offer": {"member": "ivy"}}, {"offer": "yes"}, {"last": {"speech": 5}},
                                    {"last": {"speech": "<speak>x</speak>", "reprompt": None}}, {"tz": "Mars/Base"}])),
                               api_endpoint=CLOSED_API)
    for _ in range(draw(st.integers(0, 4))):
        mutate(event, draw)
    return event


def mutate(event, draw) -> None:
    """Delete a key, retype a value, or set an unknown enum value, somewhere in the envelope."""
    node, path = event, []
    while isinstance(node, dict) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node)))
        path.append((node, key))
        node = node[key]
    if not path:
        return
    parent, key = path[-1]
    action = draw(st.sampled_from(["delete", "retype", "enum"]))
    if action == "delete":
        del parent[key]
    elif action == "retype":
        parent[key] = draw(ANY_JSON)
    else:
        parent[key] = draw(st.sampled_from(["SOMETHING_NEW", "string", "", "ER_SUCCESS_MAYBE"]))


@pytest.fixture(scope="module")
def fuzzed_skill():
    from dropday.content import read_manifest
    from support import FIXTURES
    with mock_aws():
        resource = boto3.resource("dynamodb")
        create_state_table(resource, "dropday-fault-state")
        yield create_lambda_handler(Settings(state_table="dropday-fault-state", audio_base_url="https://cdn.test"),
                                    read_manifest(FIXTURES / "campaign.yaml"), boto3.client("dynamodb"), Random(0))


@settings(max_examples=5000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(event=envelopes_of_every_kind())
def test_no_envelope_makes_the_skill_raise_or_answer_invalidly(fuzzed_skill, event):
    response = fuzzed_skill(copy.deepcopy(event), None)
    parsed = DefaultSerializer().deserialize(json.dumps(response), ResponseEnvelope)
    assert parsed.version == "1.0"
    speech = (response.get("response") or {}).get("outputSpeech")
    if speech:
        root = ElementTree.fromstring(speech["ssml"])
        assert root.tag == "speak"
        assert all(el.tag == "audio" and el.get("src", "").startswith("https://cdn.test/") for el in root)
        assert len(speech["ssml"]) <= 8000
