"""Telemetry tests: turn events and EMF blobs as they come out on stdout."""

from __future__ import annotations

import pytest

from telemetry_helpers import SECRET


@pytest.fixture
def telemetry():
    """The telemetry of a deployment serving `lantern-foxes`, writing to stdout as on Lambda."""
    from dropday.metrics import Telemetry
    return Telemetry("lantern-foxes", SECRET, namespace="Dropday", service="dropday-prod", key_id="2027-01")
