"""Turn events are found however CloudWatch hands the lines out, and nothing else is taken for one."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date, datetime, timedelta, timezone

import boto3
import pytest
from moto import mock_aws

from report_helpers import EVENT_FILES, FIXTURES
from dropday.tooling.report.events import parse_line, read_cloudwatch, read_files

EVENT = {"event": "turn", "v": 1, "at": "2027-01-02T10:00:00Z", "campaign": "report-band", "kind": "tip"}


@pytest.mark.parametrize("line", [
    json.dumps(EVENT),
    "2027-01-02T10:00:00.123Z " + json.dumps(EVENT),                                   # CloudWatch export to S3
    "[INFO]\t2027-01-02T10:00:00.123Z\t6f1c-request\t" + json.dumps(EVENT),              # Lambda's text format
    "2027-01-02T10:00:00.123000+00:00 2027/01/02/[$LATEST]9f3a " + json.dumps(EVENT),  # aws logs tail
    json.dumps({"timestamp": "2027-01-02T10:00:00Z", "level": "INFO", "message": json.dumps(EVENT)}),  # Lambda JSON
    json.dumps({"level": "INFO", "service": "dropday", "message": EVENT}),              # Powertools Logger
], ids=["plain", "s3-export", "lambda-text", "aws-logs-tail", "lambda-json", "powertools-logger"])
def test_a_turn_event_is_found_in_every_format_cloudwatch_writes(line):
    assert parse_line(line) == EVENT


@pytest.mark.parametrize("line", [
    "START RequestId: 6f1c Version: $LATEST",
    '{"_aws": {"CloudWatchMetrics": []}, "Turns": [1.0]}',                              # an EMF blob
    '{"event": "turn"}',                                                                # no kind: not ours
    '{"event": "click", "kind": "tip"}',
    json.dumps({"message": "a log line that says {event: turn} in prose"}),
    "a broken line {\"event\": \"turn\", ",
    "[1, 2, 3]",
])
def test_other_lines_are_not_taken_for_turn_events(line):
    assert parse_line(line) is None


def test_a_folder_of_cloudwatch_exports_is_read_whole_gzip_included(tmp_path):
    # GIVEN an S3 export as CloudWatch writes it: gzipped files in folders, beside the other fixture
    (tmp_path / "exportedlogs" / "stream-1").mkdir(parents=True)
    with gzip.open(tmp_path / "exportedlogs" / "stream-1" / "000000.gz", "wt") as f:
        f.write((FIXTURES / "cloudwatch-export.log").read_text())
    shutil.copy(FIXTURES / "events.jsonl", tmp_path / "events.jsonl")
    (tmp_path / "notes.md").write_text("not a log\n")
    # THEN it reads exactly what the two fixture files hold, and leaves the notes alone
    folder, files = read_files([tmp_path]), read_files(EVENT_FILES)
    assert (folder.lines, folder.skipped) == (files.lines, files.skipped) == (34, 4)
    assert sorted(json.dumps(e) for e in folder.events) == sorted(json.dumps(e) for e in files.events)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.log does not exist"):
        read_files([tmp_path / "nowhere.log"])


#: CloudWatch takes log events of the last 14 days only: the fixture week is logged as if its
#: 1 January were nine days ago.
TODAY = datetime.now(timezone.utc).date()
WEEK_START = TODAY - timedelta(days=9)


def _logged_at(line: str) -> datetime:
    """When a fixture line is logged: its event's day moved to the recent week, else mid-week."""
    event = parse_line(line)
    if event is None:
        day, clock = WEEK_START + timedelta(days=4), "12:00:00"
    elif event["at"] < "2027-01-01":
        day, clock = WEEK_START - timedelta(days=3), event["at"][11:19]    # before the queried range
    else:
        day, clock = WEEK_START + timedelta(days=int(event["at"][8:10]) - 1), event["at"][11:19]
    return datetime.fromisoformat(f"{day}T{clock}+00:00")


@pytest.fixture
def log_group():
    """A moto CloudWatch Logs group holding the fixture week's lines, each at its event's time."""
    with mock_aws():
        client = boto3.client("logs")
        client.create_log_group(logGroupName="/aws/lambda/dropday-skill")
        client.create_log_stream(logGroupName="/aws/lambda/dropday-skill", logStreamName="2027/01/01/[$LATEST]abc")
        lines = [line for path in EVENT_FILES for line in path.read_text().splitlines() if line.strip()]
        events = sorted(({"timestamp": int(_logged_at(line).timestamp() * 1000) + n, "message": line}
                         for n, line in enumerate(lines)), key=lambda e: e["timestamp"])
        answer = client.put_log_events(logGroupName="/aws/lambda/dropday-skill",
                                       logStreamName="2027/01/01/[$LATEST]abc", logEvents=events)
        assert "rejectedLogEventsInfo" not in answer
        yield client


def _read(client, **options):
    queries = []
    client.meta.events.register("before-call.logs.StartQuery", lambda **_: queries.append(1))
    log = read_cloudwatch("/aws/lambda/dropday-skill", WEEK_START, WEEK_START + timedelta(days=7), "report-band",
                          client=client, **options)
    client.meta.events.unregister("before-call.logs.StartQuery")
    return log, len(queries)


def test_cloudwatch_logs_insights_gives_the_same_events_for_the_period(log_group):
    # WHEN the report reads the week from the log group
    log, queries = _read(log_group)
    # THEN it has every turn of the week in one query (and, as moto runs no filter, the week's other
    # lines, skipped); the line logged before the week is not read
    assert queries == 1
    assert len([e for e in log.events if e["campaign"] == "report-band"]) == 28
    assert (log.lines, log.skipped) == (33, 4)
    assert log.sources == [f"CloudWatch Logs /aws/lambda/dropday-skill, {WEEK_START} to "
                           f"{WEEK_START + timedelta(days=7)} (UTC)"]


def test_a_query_that_fills_the_insights_limit_is_split_until_nothing_is_cut_off(log_group):
    # GIVEN a limit of 5 rows per query (Logs Insights' is 10,000)
    whole, _ = _read(log_group)
    split, queries = _read(log_group, limit=5)
    # THEN the windows were split, and together read every line once
    assert queries > 33 // 5
    assert split.lines == whole.lines == 33
    assert sorted(json.dumps(e) for e in split.events) == sorted(json.dumps(e) for e in whole.events)


def test_a_query_still_running_is_polled_and_a_failed_one_is_an_error():
    class Insights:
        def __init__(self, statuses):
            self.statuses = list(statuses)

        def start_query(self, **_):
            return {"queryId": "q"}

        def get_query_results(self, queryId):
            status = self.statuses.pop(0)
            return {"status": status, "results": [[{"field": "@message", "value": json.dumps(EVENT)}]]}

    slept = []
    log = read_cloudwatch("g", date(2027, 1, 2), date(2027, 1, 2), "report-band",
                          client=Insights(["Scheduled", "Running", "Complete"]), sleep=slept.append)
    assert len(log.events) == 1 and len(slept) == 2
    with pytest.raises(RuntimeError, match="ended Failed"):
        read_cloudwatch("g", date(2027, 1, 2), date(2027, 1, 2), "report-band", client=Insights(["Failed"]),
                        sleep=slept.append)
