"""Reading `reminders:` and `draw:`: a broken entry names its line, its place and the fix."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from dropday.content import read_manifest
from dropday.core.campaign import ManifestError
from support import FIXTURES

OPTINS = FIXTURES / "optins-campaign.yaml"


def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = OPTINS.read_text()
    assert old in text, old
    path = tmp_path / "optin-band.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        read_manifest(path)
    return [str(p) for p in caught.value.problems]


def test_the_opt_in_campaign_reads_its_reminders_and_draw():
    campaign = read_manifest(OPTINS)
    assert campaign.reminders.plan("release_day").at == time(9)
    assert campaign.reminders.plan("daily").at == time(19, 30)
    assert campaign.draw.closes == date(2027, 2, 28) and campaign.draw.markets == {"en-GB"}
    assert {"reminders", "draw"} <= campaign.features


def test_a_campaign_without_them_has_neither_feature(test_campaign):
    assert test_campaign.reminders is None and test_campaign.draw is None
    assert not {"reminders", "draw"} & test_campaign.features


def test_an_unquoted_time_that_yaml_reads_as_a_number_asks_for_quotes(tmp_path):
    path = broken_copy(tmp_path, 'time: "19:30"', "time: 19:30")
    assert problems_of(path) == [
        'line 32: reminders.daily.time: reads as the number 1170, not a time (YAML turns an unquoted 19:30 into a '
        'number). Fix: put the time in quotes, e.g. time: "19:30"']


def test_a_time_that_is_no_time_of_day_says_how_to_write_one(tmp_path):
    [problem] = problems_of(broken_copy(tmp_path, 'time: "09:00"', 'time: "9am"'))
    assert problem.startswith("line 27: reminders.release_day.time: expected a time of day such as \"19:30\", found '9am'")


def test_an_unknown_reminder_kind_lists_the_known_ones(tmp_path):
    [problem] = problems_of(broken_copy(tmp_path, "  daily:\n    time:", "  weekly:\n    time:"))
    assert "reminders.weekly: is not a known key" in problem and "daily, release_day" in problem


def test_a_reminder_without_its_text_says_so(tmp_path):
    [problem] = problems_of(broken_copy(tmp_path, "    text: Today's question from {artist} is waiting.\n", ""))
    assert "reminders.daily.text: is missing" in problem


def test_a_reminder_text_with_an_unknown_placeholder_is_refused(tmp_path):
    [problem] = problems_of(broken_copy(tmp_path, "Today's question from {artist}", "Today's question for {name}"))
    assert "reminders.daily.text: uses the unknown placeholder {name}" in problem


@pytest.mark.parametrize("old, new, expected", [
    ("link: https://owls.example/draw-terms", "link: owls.example/draw-terms",
     "draw.link: `owls.example/draw-terms` is not an https address"),
    ("markets: [en-GB]", "markets: []", "draw.markets: is empty, so the draw runs nowhere"),
    ("markets: [en-GB]", "markets: [english]", "draw.markets[0]: `english` is not a locale code"),
    ("when: {visit_days: 2}", "when: {quiz_champion: true}", "draw.when.quiz_champion: `quiz_champion` is not a condition"),
    ("closes: 2027-02-28", "closes: 28 February", "draw.closes: expected a date"),
    ("  prize: a signed print\n", "", "draw.prize: is missing"),
])
def test_a_broken_draw_names_the_place_and_the_fix(tmp_path, old, new, expected):
    problems = problems_of(broken_copy(tmp_path, old, new))
    assert any(expected in p and "Fix:" in p for p in problems), problems
