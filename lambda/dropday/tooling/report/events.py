"""Reading turn events: from files of exported log lines, or from CloudWatch Logs Insights.

Lenient by design: a line is a turn event when it holds one, however CloudWatch wrapped it (a
plain JSON line, a line of an S3 export with a timestamp before it, Lambda's text format with
level and request id before it, or Lambda's JSON log format with the event as its `message`).
Every other line is skipped and counted.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ...metrics import EVENT

_DECODER = json.JSONDecoder()

#: Logs Insights returns at most this many rows per query; a window that fills it is split in two.
INSIGHTS_LIMIT = 10_000
#: The Logs Insights query for a campaign's turn events (`{campaign}` is filled in). The filter
#: is loose (the event may be escaped inside Lambda's JSON log format); `parse_line` is exact.
INSIGHTS_QUERY = ("fields @timestamp, @message | filter @message like /event.{{1,5}}turn/ "
                  "and @message like /{campaign}/ | sort @timestamp asc | limit {limit}")


@dataclass
class EventLog:
    """The turn events read, and what was read to find them.

    Attributes:
        events: the turn events, as dicts (fields as in docs/architecture.md).
        lines: lines (or query rows) read.
        skipped: lines that held no turn event (EMF blobs, START/END lines, other logging...).
        sources: where they came from (files, or the log group and range), for the report.
    """

    events: list[dict[str, Any]] = field(default_factory=list)
    lines: int = 0
    skipped: int = 0
    sources: list[str] = field(default_factory=list)

    def add_line(self, line: str) -> None:
        """Read one line: keep its turn event, or count it as skipped."""
        self.lines += 1
        event = parse_line(line)
        if event is None:
            self.skipped += 1
        else:
            self.events.append(event)


def parse_line(line: str) -> dict[str, Any] | None:
    """The turn event a log line holds, or None.

    >>> parse_line('2027-01-02T10:00:00.000Z {"event": "turn", "v": 1, "kind": "tip"}')["kind"]
    'tip'
    """
    start = line.find("{")
    if start < 0:
        return None
    try:
        value, _ = _DECODER.raw_decode(line, start)
    except ValueError:
        return None
    return _turn_event(value, depth=0)


def _turn_event(value: Any, depth: int) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        return None
    if value.get("event") == EVENT and isinstance(value.get("kind"), str):
        return value
    message = value.get("message")           # Lambda's JSON log format, Powertools Logger
    if depth == 0 and isinstance(message, dict):
        return _turn_event(message, depth + 1)
    if depth == 0 and isinstance(message, str) and "{" in message:
        start = message.find("{")
        try:
            return _turn_event(_DECODER.raw_decode(message, start)[0], depth + 1)
        except ValueError:
            return None
    return None


def read_files(paths: Iterable[Path]) -> EventLog:
    """The turn events in files of log lines (in folders, the files named in `LOG_SUFFIXES`;
    `.gz` is unpacked).

    Raises:
        FileNotFoundError: a path that does not exist.
    """
    log = EventLog()
    for path in _files(paths):
        log.sources.append(str(path))
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.strip():
                    log.add_line(line)
    return log


#: In a folder, the files read as log lines (CloudWatch's S3 exports are `000000.gz`).
LOG_SUFFIXES = frozenset({".log", ".json", ".jsonl", ".ndjson", ".txt", ".gz", ""})


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                              and p.suffix.lower() in LOG_SUFFIXES)
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"{path} does not exist")


def read_cloudwatch(log_group: str, first: date, last: date, campaign: str, client=None,
                    limit: int = INSIGHTS_LIMIT, poll_seconds: float = 1.0, timeout_seconds: float = 600,
                    sleep: Callable[[float], None] = time.sleep) -> EventLog:
    """The turn events of `campaign` logged from the start of `first` to the end of `last` (UTC),
    through CloudWatch Logs Insights.

    A query returns at most `limit` rows, so a window whose query fills the limit is split in
    two and each half queried again, until every window fits.

    Args:
        log_group: the function's log group (stack output `SkillLogGroupName`).
        client: a boto3 `logs` client; one from the usual AWS configuration when None.

    Raises:
        RuntimeError: a query that failed, or did not finish within `timeout_seconds`.
    """
    if client is None:
        import boto3
        client = boto3.client("logs")
    start = int(datetime.combine(first, datetime.min.time(), tzinfo=timezone.utc).timestamp())
    end = int(datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=timezone.utc).timestamp()) - 1
    log = EventLog(sources=[f"CloudWatch Logs {log_group}, {first} to {last} (UTC)"])
    windows = [(start, end)]
    while windows:
        window_start, window_end = windows.pop(0)
        rows = _query(client, log_group, window_start, window_end, INSIGHTS_QUERY.format(campaign=campaign,
                                                                                          limit=limit),
                      poll_seconds, timeout_seconds, sleep)
        if len(rows) >= limit and window_end > window_start:
            middle = (window_start + window_end) // 2
            windows[:0] = [(window_start, middle), (middle + 1, window_end)]
            continue
        for row in rows:
            message = next((f["value"] for f in row if f.get("field") == "@message"), None)
            if message is not None:
                log.add_line(message)
    return log


def _query(client, log_group: str, start: int, end: int, query: str, poll_seconds: float,
           timeout_seconds: float, sleep: Callable[[float], None]) -> list[list[dict[str, str]]]:
    query_id = client.start_query(logGroupName=log_group, startTime=start, endTime=end,
                                  queryString=query)["queryId"]
    waited = 0.0
    while True:
        answer = client.get_query_results(queryId=query_id)
        status = answer.get("status")
        if status == "Complete":
            return answer.get("results", [])
        if status in ("Failed", "Cancelled", "Timeout", "Unknown"):
            raise RuntimeError(f"the Logs Insights query on {log_group} ended {status}")
        if waited >= timeout_seconds:
            raise RuntimeError(f"the Logs Insights query on {log_group} did not finish in {timeout_seconds:.0f} s")
        sleep(poll_seconds)
        waited += poll_seconds
