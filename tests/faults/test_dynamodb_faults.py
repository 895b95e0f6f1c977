"""DynamoDB slow, gone, throttling or denying: the listener still hears a tip, fast, and nothing
stored is damaged."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from random import Random

import boto3
import pytest

from support import free_port, heard_tips
from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.localdev.conversation import Conversation

NOW = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
TIPS = {"ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip"}


@pytest.fixture
def skill_on(monkeypatch, test_campaign):
    """The skill with DynamoDB at `endpoint`, found through AWS_ENDPOINT_URL_DYNAMODB as in Lambda."""
    def build(endpoint: str, table: str = "dropday-fault-state"):
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
        return create_lambda_handler(Settings(state_table=table, audio_base_url="https://cdn.test"),
                                     test_campaign, rng=Random(3))
    return build


def ask_for_a_tip(skill):
    """One tip request, timed; the Settings API is never needed for a tip."""
    listener = Conversation(skill, now=NOW, api_endpoint=f"https://127.0.0.1:{free_port()}")
    started = time.monotonic()
    answer = listener.ask("TipIntent")
    return answer, time.monotonic() - started


def fault_lines(caplog) -> list[str]:
    """The skill's warnings about the fault (not the once-per-container telemetry set-up warning,
    which lands in whichever test builds the first skill)."""
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.WARNING and r.name.startswith("dropday") and r.name != "dropday.metrics"]


@pytest.mark.parametrize(("mode", "reads"), [("hang", 1), ("throttle", 3), ("error", 1)])
def test_a_failing_dynamodb_still_gets_the_listener_a_tip_within_3_seconds(skill_on, faulty_dynamodb, state_table,
                                                                          caplog, mode, reads):
    faulty_dynamodb.mode = mode
    answer, elapsed = ask_for_a_tip(skill_on(faulty_dynamodb.endpoint, state_table))
    assert answer.speech.startswith("<speak>From ") and answer.ends_session is False
    assert elapsed < 3.0
    assert faulty_dynamodb.requests == ["GetItem"] * reads          # bounded retries, and no write
    [line] = fault_lines(caplog)
    assert line.startswith("listener state unavailable for ")


def test_a_closed_port_costs_the_listener_nothing(skill_on, caplog):
    answer, elapsed = ask_for_a_tip(skill_on(f"http://127.0.0.1:{free_port()}"))
    assert answer.speech.startswith("<speak>From ")
    assert elapsed < 3.0
    assert len(fault_lines(caplog)) == 1


def test_an_endpoint_pointing_nowhere_costs_the_listener_nothing(skill_on, caplog):
    answer, elapsed = ask_for_a_tip(skill_on("http://dynamodb.nowhere.invalid:8000"))
    assert answer.speech.startswith("<speak>From ")
    assert elapsed < 3.0
    assert len(fault_lines(caplog)) == 1


def test_brief_throttling_is_retried_and_the_state_is_saved(skill_on, faulty_dynamodb, state_table, moto_server,
                                                           test_campaign):
    faulty_dynamodb.mode, faulty_dynamodb.faults_left = "throttle", 2
    answer, _ = ask_for_a_tip(skill_on(faulty_dynamodb.endpoint, state_table))
    assert faulty_dynamodb.requests == ["GetItem", "GetItem", "GetItem", "PutItem"]
    item = boto3.resource("dynamodb", endpoint_url=moto_server).Table(state_table).get_item(
        Key={"id": "amzn1.ask.account.LISTENER"})["Item"]
    [heard] = heard_tips(test_campaign, item["attributes"])
    assert heard in TIPS


def test_a_failed_write_leaves_the_stored_state_as_it_was(skill_on, faulty_dynamodb, state_table, moto_server, caplog):
    skill = skill_on(faulty_dynamodb.endpoint, state_table)
    listener = Conversation(skill, now=NOW, api_endpoint=f"https://127.0.0.1:{free_port()}")
    listener.ask("TipIntent")
    table = boto3.resource("dynamodb", endpoint_url=moto_server).Table(state_table)
    before = table.get_item(Key={"id": "amzn1.ask.account.LISTENER"})["Item"]
    faulty_dynamodb.mode, faulty_dynamodb.operations = "error", {"PutItem"}
    answer = listener.ask("AMAZON.YesIntent")
    assert answer.speech.startswith("<speak>From ")
    assert table.get_item(Key={"id": "amzn1.ask.account.LISTENER"})["Item"] == before
    [line] = fault_lines(caplog)
    assert line.startswith("could not save listener state for ")


def test_access_denied_on_write_still_answers_and_is_logged_once(monkeypatch, test_campaign, caplog):
    from moto import mock_aws
    from moto.core import set_initial_no_auth_action_count

    from support import create_state_table

    @set_initial_no_auth_action_count(4)
    def scenario():
        iam = boto3.client("iam")
        iam.create_user(UserName="skill")
        iam.put_user_policy(UserName="skill", PolicyName="read-only", PolicyDocument=(
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", '
            '"Resource": "*"}]}'))
        key = iam.create_access_key(UserName="skill")["AccessKey"]
        create_state_table(boto3.resource("dynamodb"), "dropday-fault-state")
        session = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                region_name="eu-west-1")
        skill = create_lambda_handler(Settings(state_table="dropday-fault-state", audio_base_url="https://cdn.test"),
                                      test_campaign, session.client("dynamodb"), Random(3))
        return ask_for_a_tip(skill)[0]

    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with mock_aws():
        answer = scenario()
    assert answer.speech.startswith("<speak>From ")
    [line] = fault_lines(caplog)
    assert line.startswith("could not save listener state for ") and "AccessDenied" in line


# A damaged item (attributes that are not a map) is kept aside and replaced: see test_hostile_state.py.
