"""Paths the tests share (importable as `support`: pytest puts tests/ on the path)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_ALEXA_FIXTURES = REPO.parent / "shared" / "fixtures" / "alexa-app"
