"""Report tests: a hand-made week of a small campaign (tests/report/fixtures/)."""

from __future__ import annotations

from datetime import date

import pytest

from report_helpers import EVENT_FILES, FIXTURES


@pytest.fixture(scope="session")
def report_band():
    """The campaign the events are of: five tips, t-three and t-four dropped on 5 January."""
    from dropday.content import read_manifest
    return read_manifest(FIXTURES / "report-band.yaml")


@pytest.fixture(scope="session")
def event_log():
    """Both fixture files read: 28 turns of report-band, 1 of another campaign, 1 from before the week,
    and 4 lines that are no turn events (START, END, an EMF blob, a broken line)."""
    from dropday.tooling.report.events import read_files
    return read_files(EVENT_FILES)


@pytest.fixture(scope="session")
def week(event_log, report_band):
    """The report on the week of 1 to 8 January 2027."""
    from dropday.tooling.report.figures import compute_report
    from dropday.tooling.report.items import playable_items
    return compute_report(event_log, "report-band", date(2027, 1, 1), date(2027, 1, 8),
                          items=playable_items(report_band), title="The Report Band: Figures")
