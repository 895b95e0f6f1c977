"""Each turn writes one event line and one EMF blob on stdout, which CloudWatch turns into metrics."""

from __future__ import annotations

import pytest

from telemetry_helpers import emitted, metrics_of, tip_request
from dropday.metrics import (MAX_SECTION_METRICS, DailyTurn, PlayedPiece, QuizTurn, ReminderTurn, Telemetry,
                             TurnEvent, fault)

# kind of turn, the event's own fields -> the metrics CloudWatch gets (worked out by hand)
TURNS = {
    "a first visit opens with the launch": (
        dict(kind="launch", new_session=True, first_visit=True),
        {"Turns": 1, "SessionsOpened": 1, "ListenersNew": 1}),
    "a returning listener opens with the launch": (
        dict(kind="launch", new_session=True, first_visit=False),
        {"Turns": 1, "SessionsOpened": 1, "ListenersReturning": 1}),
    "a piece of what's new, later in the session": (
        dict(kind="whats_new", new_session=False, first_visit=False, whats_new=True,
             played=(PlayedPiece("backstage", "tour-van"), PlayedPiece("studio", "first-take"))),
        {"Turns": 1, "PiecesPlayed": 2, "SectionPlays.backstage": 1, "SectionPlays.studio": 1, "WhatsNewPlayed": 1}),
    "a tip as a one-shot": (
        dict(kind="tip", new_session=True, first_visit=False, played=(PlayedPiece("tips", "ada-warmup"),)),
        {"Turns": 1, "SessionsOpened": 1, "ListenersReturning": 1, "PiecesPlayed": 1, "SectionPlays.tips": 1}),
    "a right quiz answer that finishes the round": (
        dict(kind="quiz_answer", new_session=False, quiz=QuizTurn("q-first-gig", correct=True, position=5, round=5,
                                                                  score=4, finished=True)),
        {"Turns": 1, "QuizAnswersRight": 1, "QuizzesFinished": 1}),
    "a wrong quiz answer": (
        dict(kind="quiz_answer", new_session=False, quiz=QuizTurn("q-drummer", correct=False, position=2)),
        {"Turns": 1, "QuizAnswersWrong": 1}),
    "a quiz question asked, not yet answered": (
        dict(kind="quiz_start", new_session=False, quiz=QuizTurn("q-drummer", position=1)),
        {"Turns": 1}),
    "a right daily answer": (
        dict(kind="daily_answer", new_session=False, daily=DailyTurn("d-04", day=4, correct=True, streak=3, tally=4)),
        {"Turns": 1, "DailyAnswered": 1, "DailyAnsweredRight": 1}),
    "a reminder offered": (
        dict(kind="reminder", new_session=False, reminder=ReminderTurn("release_day", "offered")),
        {"Turns": 1, "RemindersOffered": 1}),
    "a reminder consented to": (
        dict(kind="reminder", new_session=False, reminder=ReminderTurn("release_day", "consented")),
        {"Turns": 1, "RemindersConsented": 1}),
    "a reminder set": (
        dict(kind="reminder", new_session=False, reminder=ReminderTurn("release_day", "set")),
        {"Turns": 1, "RemindersSet": 1}),
    "a reminder set on the listener's yes": (
        dict(kind="reminder", new_session=False, reminder={"kind": "release_day", "step": "set", "consented": True}),
        {"Turns": 1, "RemindersSet": 1, "RemindersConsented": 1}),
    "a listener who said yes, so Alexa asks for the permission": (
        dict(kind="reminder", new_session=False,
             reminder={"kind": "release_day", "step": "consent_asked", "consented": True}),
        {"Turns": 1, "RemindersConsented": 1}),
    "a reminder the listener declined": (
        dict(kind="reminder", new_session=False, reminder=ReminderTurn("release_day", "declined")),
        {"Turns": 1}),
    "two unlocks at once": (
        dict(kind="piece", new_session=False, played=(PlayedPiece("backstage", "encore"),),
             unlocked=("title-track-name", "bonus-demo")),
        {"Turns": 1, "PiecesPlayed": 1, "SectionPlays.backstage": 1, "Unlocks": 2}),
    "a draw entry": (
        dict(kind="draw", new_session=False, draw="entered"),
        {"Turns": 1, "DrawEntries": 1}),
    "a countdown answered without DynamoDB, in the campaign's zone": (
        dict(kind="countdown", new_session=True, faults=("dynamodb_degraded", "settings_api_fallback")),
        {"Turns": 1, "SessionsOpened": 1, "DynamoDbDegraded": 1, "SettingsApiFallback": 1}),
    "a tip saved after a write conflict, redone twice then merged": (
        dict(kind="tip", new_session=False, played=(PlayedPiece("tips", "rui-tuning"),),
             faults=("write_redone", "write_redone", "write_merged")),
        {"Turns": 1, "PiecesPlayed": 1, "SectionPlays.tips": 1, "WritesRedone": 1, "WritesMerged": 1}),
    "help": (dict(kind="help", new_session=False), {"Turns": 1}),
}


@pytest.mark.parametrize("fields, expected", TURNS.values(), ids=TURNS.keys())
def test_each_kind_of_turn_adds_its_metrics_in_one_emf_blob(telemetry, capsys, fields, expected):
    # WHEN the skill records the turn
    telemetry.record(TurnEvent(at="2027-01-02T10:00:00Z", locale="en-GB", **fields))
    # THEN stdout holds one event line and one EMF blob with exactly these metrics
    events, blobs = emitted(capsys.readouterr().out)
    assert len(events) == 1 and len(blobs) == 1
    assert metrics_of(blobs[0]) == expected
    [directive] = blobs[0]["_aws"]["CloudWatchMetrics"]
    assert all(metric["Unit"] == "Count" for metric in directive["Metrics"])


def test_metrics_have_the_documented_dimensions_only_and_a_campaign_total(telemetry, capsys, monkeypatch):
    # GIVEN Powertools' own service variable in the environment (it would add a `service` dimension)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "someone-elses-service")
    # WHEN a turn is recorded
    telemetry.record(TurnEvent(kind="countdown", locale="en-US"))
    # THEN the metrics are per campaign, kind and locale, and per campaign alone (for totals and alarms)
    [blob] = emitted(capsys.readouterr().out)[1]
    [directive] = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Dropday"
    assert directive["Dimensions"] == [["campaign", "kind", "locale"], ["campaign"]]
    assert (blob["campaign"], blob["kind"], blob["locale"]) == ("lantern-foxes", "countdown", "en-US")
    # AND the deployment's service name rides along as a property, not a dimension
    assert blob["service"] == "dropday-prod"


def test_dimension_values_stay_bounded_whatever_the_request_says(telemetry, capsys):
    telemetry.record(TurnEvent(kind="something-new", locale="xx-not-a-locale-" + "x" * 200))
    telemetry.record(TurnEvent(kind="rejected"))
    blobs = emitted(capsys.readouterr().out)[1]
    assert [(b["kind"], b["locale"]) for b in blobs] == [("other", "unknown"), ("rejected", "unknown")]


def test_sections_beyond_the_bound_count_as_other(telemetry, capsys):
    # GIVEN more sections than a campaign could sensibly have, and one id that is not an id
    sections = [f"s{n}" for n in range(MAX_SECTION_METRICS + 3)] + ["Not An Id!"]
    for section in sections:
        telemetry.record(TurnEvent(kind="piece", played=(PlayedPiece(section, "p"),)))
    names = {name for blob in emitted(capsys.readouterr().out)[1] for name in metrics_of(blob)
             if name.startswith("SectionPlays.")}
    # THEN only the first MAX_SECTION_METRICS sections get a metric of their own
    assert names == {f"SectionPlays.s{n}" for n in range(MAX_SECTION_METRICS)} | {"SectionPlays.other"}


def test_the_event_line_has_the_documented_fields_and_leaves_out_what_does_not_apply(telemetry, capsys):
    # GIVEN a request that arrived, and a piece played from it
    telemetry.begin(tip_request())
    telemetry.record(telemetry.event("piece", first_visit=False, local_date="2027-01-02",
                                     played=(PlayedPiece("backstage", "tour-van"),), whats_new=False))
    [event] = emitted(capsys.readouterr().out)[0]
    # THEN the line reads like docs/architecture.md's example, field for field, in order
    assert list(event) == ["event", "v", "at", "campaign", "key_id", "listener", "session", "locale", "request",
                           "intent", "kind", "new_session", "first_visit", "local_date", "played", "whats_new",
                           "duration_ms"]
    assert event["event"] == "turn" and event["v"] == 1
    assert event["at"] == "2027-01-02T10:00:00Z"
    assert (event["campaign"], event["key_id"]) == ("lantern-foxes", "2027-01")
    assert (event["locale"], event["request"], event["intent"]) == ("en-GB", "IntentRequest", "TipIntent")
    assert event["new_session"] is True and event["first_visit"] is False and event["whats_new"] is False
    assert event["played"] == [{"section": "backstage", "piece": "tour-van"}]
    assert len(event["listener"]) == 16 and len(event["session"]) == 12
    assert event["duration_ms"] >= 0
    # AND quiz, daily, reminder, unlocked, draw and faults are left out: they did not apply
    assert not {"quiz", "daily", "reminder", "unlocked", "draw", "faults"} & set(event)


def test_quiz_daily_and_reminder_parts_keep_only_the_facts_given(telemetry, capsys):
    telemetry.record(TurnEvent(kind="quiz_answer", quiz=QuizTurn("q-first-gig", correct=True, position=3,
                                                                 round=5, score=2, finished=False),
                               daily=DailyTurn("d-04", correct=None, streak=3),
                               reminder=ReminderTurn("release_day", "offered"), unlocked=("title-track-name",),
                               draw="entered"))
    [event] = emitted(capsys.readouterr().out)[0]
    assert event["quiz"] == {"question": "q-first-gig", "correct": True, "position": 3, "round": 5, "score": 2,
                             "finished": False}
    assert event["daily"] == {"question": "d-04", "streak": 3}
    assert event["reminder"] == {"kind": "release_day", "step": "offered"}
    assert event["unlocked"] == ["title-track-name"] and event["draw"] == "entered"


def test_faults_met_during_a_request_land_in_its_event_once_and_not_in_the_next(telemetry, capsys):
    # GIVEN a request during which DynamoDB failed twice and the Settings API fell back
    telemetry.begin(tip_request())
    fault("dynamodb_degraded")
    fault("settings_api_fallback")
    fault("dynamodb_degraded")
    telemetry.record(telemetry.event("countdown"))
    # AND a next request that met none
    telemetry.begin(tip_request(new_session=False))
    telemetry.record(telemetry.event("help"))
    events, blobs = emitted(capsys.readouterr().out)
    # THEN the first turn names each fault once, and counts one degraded answer
    assert events[0]["faults"] == ["dynamodb_degraded", "settings_api_fallback"]
    assert metrics_of(blobs[0])["DynamoDbDegraded"] == 1
    # AND the second turn carries none
    assert "faults" not in events[1] and "DynamoDbDegraded" not in metrics_of(blobs[1])


def test_quiz_daily_and_reminder_facts_may_come_as_plain_mappings(telemetry, capsys):
    telemetry.record(TurnEvent(kind="quiz_answer", quiz={"question": "q-first-gig", "correct": False, "position": 2},
                               reminder={"kind": "release_day", "step": "set"}))
    events, blobs = emitted(capsys.readouterr().out)
    assert events[0]["quiz"] == {"question": "q-first-gig", "correct": False, "position": 2}
    assert metrics_of(blobs[0]) == {"Turns": 1, "QuizAnswersWrong": 1, "RemindersSet": 1}


def test_a_fault_outside_any_request_is_ignored(telemetry, capsys):
    fault("dynamodb_degraded")   # e.g. code run by a tool, with no request in progress
    telemetry.record(TurnEvent(kind="help"))
    events, _ = emitted(capsys.readouterr().out)
    assert "faults" not in events[0]


def test_an_unknown_fault_is_kept_in_the_event_and_counted_as_other(telemetry, capsys):
    telemetry.record(TurnEvent(kind="help", faults=("flux_capacitor",)))
    events, blobs = emitted(capsys.readouterr().out)
    assert events[0]["faults"] == ["flux_capacitor"]
    assert metrics_of(blobs[0]) == {"Turns": 1, "FaultsOther": 1}


def test_telemetry_that_cannot_record_warns_and_never_raises(telemetry, capsys, caplog):
    # GIVEN an event built wrong (a number where the played pieces go)
    telemetry.record(TurnEvent(kind="piece", played=42))
    # THEN the request goes on; a warning says telemetry failed
    assert "could not record the turn's telemetry" in caplog.text


def test_events_and_metrics_can_go_to_another_writer_than_stdout(capsys):
    # GIVEN telemetry built with a writer of its own (as a simulator or the local chat would)
    written: list[str] = []
    telemetry = Telemetry("lantern-foxes", "x" * 32, write=written.append)
    telemetry.record(TurnEvent(kind="help"))
    # THEN the event line and the EMF blob go there, one line each, and nothing to stdout
    assert capsys.readouterr().out == ""
    events, blobs = emitted("".join(written))
    assert len(written) == 2 and len(events) == 1 and metrics_of(blobs[0]) == {"Turns": 1}
