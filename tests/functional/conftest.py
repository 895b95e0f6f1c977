"""Dialog tests run the real skill, the real DynamoDB adapter on moto, and a Settings API stub."""

from __future__ import annotations

from datetime import datetime, timezone
from random import Random

import boto3
import pytest
from moto import mock_aws

from dropday.config import Settings
from dropday.localdev.conversation import Conversation
from dropday.localdev.settings_api import SettingsApiStub
from support import create_state_table

TABLE = "dropday-test-state"
AUDIO = "https://cdn.test"


@pytest.fixture
def dynamodb():
    """A moto DynamoDB with the state table as template.yaml declares it."""
    with mock_aws():
        resource = boto3.resource("dynamodb")
        create_state_table(resource, TABLE)
        yield resource


@pytest.fixture
def dynamodb_client(dynamodb):
    """The plain DynamoDB client the skill talks through (on the same moto backend)."""
    return boto3.client("dynamodb")


@pytest.fixture
def dynamodb_calls(dynamodb_client):
    """The DynamoDB operations the skill makes, counted at its botocore client."""
    calls: list[str] = []
    dynamodb_client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    return calls


@pytest.fixture
def settings_api(monkeypatch):
    """The Alexa Settings API, stubbed over TLS on loopback and trusted through REQUESTS_CA_BUNDLE."""
    with SettingsApiStub() as stub:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stub.ca_bundle))
        yield stub


@pytest.fixture
def make_skill(dynamodb_client):
    """Build the skill's Lambda handler for a campaign."""
    from dropday.app import create_lambda_handler

    def make(manifest, seed: int = 7, **overrides):
        settings = Settings(state_table=TABLE, audio_base_url=AUDIO, **overrides)
        return create_lambda_handler(settings, manifest, dynamodb_client, Random(seed))

    return make


@pytest.fixture
def skill(make_skill, test_campaign):
    """The skill on the test campaign."""
    return make_skill(test_campaign)


@pytest.fixture
def listener(skill, settings_api):
    """A listener in London on 1 February 2027, seven weeks before the test album's release."""
    return Conversation(skill, now=datetime(2027, 2, 1, 12, 0, tzinfo=timezone.utc),
                        api_endpoint=settings_api.endpoint)


@pytest.fixture
def stored_item(dynamodb):
    """Read the item stored for a listener (None when there is none)."""
    def read(user_id: str = "amzn1.ask.account.LISTENER"):
        return dynamodb.Table(TABLE).get_item(Key={"id": user_id}).get("Item")
    return read
