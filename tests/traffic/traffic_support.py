"""What the traffic-simulator tests share (importable as `traffic_support`, beside the tests)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The tests' own campaign (fixtures/harbour-lights.yaml and its skill.json).
CAMPAIGN = "harbour-lights"
#: The listener-key secret of these runs, so that a test can find a listener's events from their id.
SECRET = "traffic-tests-listener-key-secret"
