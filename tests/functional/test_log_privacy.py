"""No raw Alexa id (user, device, person, session) in any log line, at any level, from any logger.

Lambda's application log level can put the root logger at DEBUG, where botocore logs request
bodies (the user id is the item key) and urllib3 logs request paths (the device id is in the
Settings API's). Each test runs a dialog with the root logger at DEBUG and greps every line.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from dropday.localdev import envelopes
from dropday.localdev.conversation import Conversation
from dropday.logs import hashed_id, redacted
from support import free_port

USER = "amzn1.ask.account.AHH544XEWB5AMF26NHZEQUV7HZSAMPLE"
DEVICE = "amzn1.ask.device.AFW7VPJ27CEV56RI4BETM2SSAMPLE"
PERSON = "amzn1.ask.person.AMX5XQ0SAMPLE"
RAW_IDS = (USER, DEVICE, PERSON, "AHH544XEWB5AMF26NHZEQUV7HZSAMPLE", "AFW7VPJ27CEV56RI4BETM2SSAMPLE",
           "AMX5XQ0SAMPLE", "amzn1.echo-api.session.")
#: Loggers of the test's own stand-ins (in-process moto, its HTTP server), not of the skill.
HARNESS = ("moto", "werkzeug", "faker", "asyncio")


@pytest.fixture
def everything_logged(caplog):
    """Every line logged meanwhile, by any logger, with the root logger (and dropday's) at DEBUG."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="dropday")

    def lines() -> list[str]:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return [formatter.format(r) for r in caplog.records if not r.name.startswith(HARNESS)]
    return lines


def a_whole_dialog(skill, api_endpoint: str) -> None:
    """Launch, tips, a member, the countdown, an unknown intent, help, repeat, stop, a session ended
    in error, a session end quoting the user id, and the skill disabled."""
    def on_a_device_with_voice_profiles(event, context):  # every request names a recognised speaker
        event["context"]["System"]["person"] = {"personId": PERSON}
        return skill(event, context)

    listener = Conversation(on_a_device_with_voice_profiles, user_id=USER, device_id=DEVICE,
                            api_endpoint=api_endpoint, now=datetime(2027, 2, 1, 12, tzinfo=timezone.utc))
    listener.launch()
    listener.ask("TipIntent")
    listener.ask("TipIntent", member=envelopes.slot("member", "the singer", resolved_id="ivy"))
    listener.ask("CountdownIntent")
    listener.ask("SomeOtherSkillIntent")
    listener.ask("AMAZON.HelpIntent")
    listener.ask("AMAZON.RepeatIntent")
    listener.ask("AMAZON.StopIntent")
    listener.launch()
    ended = envelopes.session_ended("ERROR")
    ended["error"] = {"type": "INVALID_RESPONSE", "message": f"bad response for {USER} on {DEVICE}"}
    listener.send(ended)
    skill({"version": "1.0", "context": {"System": {
        "application": {"applicationId": envelopes.DEFAULT_SKILL_ID}, "user": {"userId": USER},
        "apiEndpoint": api_endpoint}}, "request": {
        "type": "AlexaSkillEvent.SkillDisabled", "requestId": "amzn1.echo-api.request.1",
        "timestamp": "2027-02-01T12:00:00Z", "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"}}}, None)


def assert_no_raw_id(lines: list[str]) -> None:
    leaks = [line for line in lines if any(raw in line for raw in RAW_IDS)]
    assert not leaks, "\n".join(leaks)


def test_a_dialog_with_the_settings_api_answering_logs_no_raw_id(skill, settings_api, everything_logged):
    a_whole_dialog(skill, settings_api.endpoint)
    lines = everything_logged()
    assert any("unknown intent" in line for line in lines)   # the skill did log, at several levels
    assert_no_raw_id(lines)


def test_a_dialog_with_the_settings_api_unreachable_logs_no_raw_id(skill, everything_logged):
    # GIVEN a Settings API that refuses connections: the failure quotes the URL, which holds the device id
    a_whole_dialog(skill, f"https://127.0.0.1:{free_port()}")
    lines = everything_logged()
    [failure] = [line for line in lines if "Settings API time zone failed" in line]
    assert f"<device {hashed_id(DEVICE)}>" in failure
    assert_no_raw_id(lines)


def test_a_dialog_with_dynamodb_failing_logs_no_raw_id(skill, dynamodb, settings_api, everything_logged):
    dynamodb.Table("dropday-test-state").delete()
    a_whole_dialog(skill, settings_api.endpoint)
    lines = everything_logged()
    assert any("listener state unavailable" in line for line in lines)
    assert_no_raw_id(lines)


def test_botocore_and_urllib3_never_log_below_warning_whatever_the_root_level(skill, settings_api, everything_logged):
    a_whole_dialog(skill, settings_api.endpoint)
    assert logging.getLogger("botocore").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("urllib3").getEffectiveLevel() == logging.WARNING
    assert not [line for line in everything_logged() if line.startswith(("botocore", "urllib3"))]


def test_an_exception_quoting_an_id_is_logged_with_the_id_hashed(everything_logged):
    # GIVEN a library exception whose message quotes a device id, logged with its traceback
    try:
        raise ValueError(f"/v2/devices/{DEVICE}/settings/System.timeZone failed")
    except ValueError:
        logging.getLogger("dropday.test").exception("the call failed for %s", USER)
    [line] = everything_logged()
    assert_no_raw_id([line])
    assert f"<device {hashed_id(DEVICE)}>" in line and f"<listener {hashed_id(USER)}>" in line
    assert "Traceback" in line


def test_ids_are_replaced_by_the_same_hash_that_names_the_listener_elsewhere():
    text = f"user {USER}, device {DEVICE}, person {PERSON}, session amzn1.echo-api.session.0b0e-11"
    assert redacted(text) == (f"user <listener {hashed_id(USER)}>, device <device {hashed_id(DEVICE)}>, "
                              f"person <person {hashed_id(PERSON)}>, "
                              f"session <session {hashed_id('amzn1.echo-api.session.0b0e-11')}>")
    assert redacted("skill amzn1.ask.skill.89751fb9-1ed5 request amzn1.echo-api.request.1") == \
        "skill amzn1.ask.skill.89751fb9-1ed5 request amzn1.echo-api.request.1"
