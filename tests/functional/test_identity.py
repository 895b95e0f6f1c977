"""Which skill may call: SKILL_IDS is refused at cold start unless it names well-formed skill ids,
and a request must name an allowed skill consistently wherever it names one."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from dropday.config import ConfigError, Settings
from dropday.localdev import envelopes
from support import REPO

OURS = "amzn1.ask.skill.89751fb9-1ed5-4a6e-9df4-0af1d1b3c3ad"
THEIRS = "amzn1.ask.skill.4cda8755-6c0d-47a2-85c3-448fbf7c2732"
LEGACY = "amzn1.echo-sdk-ams.app.000000d0-ed00-0000-ad00-000000d00ebe"


# -- SKILL_IDS at cold start ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [",", "   ", " , ,"], ids=["comma", "spaces", "commas-and-spaces"])
def test_a_skill_ids_value_that_names_no_skill_is_refused_rather_than_allowing_every_skill(value):
    with pytest.raises(ConfigError, match=r"SKILL_IDS names no skill id .* or leave it unset"):
        Settings.from_env({"SKILL_IDS": value})


@pytest.mark.parametrize("value", [f"{OURS} {THEIRS}", f"{OURS};{THEIRS}", "ours", "amzn1.ask.skill.ours",
                                   f"{OURS}\n{THEIRS}"], ids=["space", "semicolon", "word", "not-a-uuid", "newline"])
def test_a_skill_ids_value_with_something_that_is_not_a_skill_id_is_refused_naming_it(value):
    with pytest.raises(ConfigError, match=r"SKILL_IDS holds .* which is not a skill id.*separate several ids "
                                          r"with commas"):
        Settings.from_env({"SKILL_IDS": value})


def test_well_formed_skill_ids_are_accepted_with_spaces_around_the_commas():
    settings = Settings.from_env({"SKILL_IDS": f" {OURS} , {LEGACY},"})
    assert settings.skill_ids == frozenset({OURS, LEGACY})


@pytest.mark.parametrize("env", [{}, {"SKILL_IDS": ""}], ids=["unset", "empty"])
def test_skill_ids_unset_allows_any_skill_for_local_development(env):
    assert Settings.from_env(env).skill_ids == frozenset()


def test_a_malformed_skill_ids_stops_the_cold_start_with_the_reason():
    env = {k: v for k, v in os.environ.items() if k not in ("MANIFEST_DIR", "DROPDAY_CAMPAIGN", "AUDIO_BASE_URL")}
    result = subprocess.run([sys.executable, "-c", "import lambda_function"], capture_output=True, text=True,
                            env={**env, "PYTHONPATH": str(REPO / "lambda"), "SKILL_IDS": "ours;theirs"},
                            cwd=REPO / "lambda", timeout=60)
    assert result.returncode != 0
    assert "ConfigError: SKILL_IDS holds 'ours;theirs', which is not a skill id" in result.stderr


# -- the skill ids a request names -------------------------------------------------------------------------------


@pytest.fixture
def our_skill(make_skill, test_campaign):
    return make_skill(test_campaign, skill_ids=frozenset({OURS}))


def tip_request(context_id: object = OURS, session_id: object = OURS) -> dict:
    event = envelopes.envelope(envelopes.intent("TipIntent"), user_id="amzn1.ask.account.X",
                               device_id="amzn1.ask.device.X", locale="en-GB",
                               now=datetime(2027, 2, 1, tzinfo=timezone.utc), session_id="amzn1.echo-api.session.X",
                               new_session=True, attributes={})
    for holder, value in ((event["context"]["System"], context_id), (event["session"], session_id)):
        holder["application"] = {"applicationId": value}
        if value is None:
            del holder["application"]
    return event


def test_a_request_naming_our_skill_in_both_places_is_served(our_skill):
    assert our_skill(tip_request(), None)["response"]["outputSpeech"]["ssml"].startswith("<speak>From ")


@pytest.mark.parametrize(("context_id", "session_id"), [(OURS, THEIRS), (THEIRS, OURS)],
                         ids=["other-skill-in-session", "other-skill-in-context"])
def test_a_request_whose_two_skill_ids_disagree_is_rejected_before_any_database_access(
        our_skill, dynamodb_calls, caplog, context_id, session_id):
    with caplog.at_level(logging.WARNING):
        response = our_skill(tip_request(context_id, session_id), None)
    assert response == {"version": "1.0", "response": {}}
    assert dynamodb_calls == []
    assert "names two different skills" in caplog.text


def test_a_request_naming_no_skill_id_is_rejected_when_skill_ids_is_set(our_skill, dynamodb_calls, caplog):
    with caplog.at_level(logging.WARNING):
        response = our_skill(tip_request(None, None), None)
    assert response == {"version": "1.0", "response": {}}
    assert dynamodb_calls == []
    assert "names no skill id" in caplog.text


@pytest.mark.parametrize("value", [5, "", ["x"]], ids=["number", "empty", "list"])
def test_a_skill_id_that_is_not_text_counts_as_another_skill(our_skill, dynamodb_calls, value):
    response = our_skill(tip_request(OURS, value), None)
    assert response == {"version": "1.0", "response": {}}
    assert dynamodb_calls == []


def test_a_request_without_context_system_naming_our_skill_in_its_session_is_served(our_skill):
    event = tip_request(None, OURS)
    del event["context"]
    assert our_skill(event, None)["response"]["outputSpeech"]["ssml"].startswith("<speak>From ")
