"""Paths the report tests share (importable as `report_helpers`)."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EVENT_FILES = (FIXTURES / "events.jsonl", FIXTURES / "cloudwatch-export.log")
