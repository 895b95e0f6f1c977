"""The HTML report opens anywhere, offline: every chart, its sentence and its numbers in one file."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser

import pytest

from report_helpers import EVENT_FILES, FIXTURES
from dropday.cli.__main__ import main
from dropday.tooling.report.charts import chart_for
from dropday.tooling.report.page import write_report


class _Page(HTMLParser):
    """What a browser would load: scripts, links, images, and every attribute that names a URL."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "data", "action", "srcset", "poster") and value:
                self.urls.append(value)
        if tag in ("script", "h1", "h2"):
            self._in = tag
            if tag == "script":
                self.scripts.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in in ("h1", "h2"):
            self.headings.append(data)


@pytest.fixture(scope="module")
def page(week, tmp_path_factory):
    """The fixture week's report, without the image files (one image is drawn in its own test)."""
    out = tmp_path_factory.mktemp("report")
    html = write_report(week, out, images=False).read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    return html, parsed


def test_the_page_loads_nothing_from_anywhere(page):
    html, parsed = page
    # THEN no script, stylesheet, image or link points outside the file
    assert not [u for u in parsed.urls if re.match(r"^(https?:)?//", u)]
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    assert "<link" not in markup and "@import" not in markup and "url(" not in markup
    # AND Vega, Vega-Lite and Vega-Embed are in the page itself
    assert parsed.scripts and any("vegaEmbed" in s and len(s) > 100_000 for s in parsed.scripts)
    # AND every chart's data is in its spec, never fetched
    calls = re.findall(r'vegaEmbed\("#chart-([\w-]+)", (\{.*\}), \{actions: false', html)
    assert len(calls) == 16
    for _, spec in calls:
        spec = json.loads(spec.replace("<\\/", "</"))
        assert "url" not in json.dumps(spec.get("data", {})) and spec["data"]["values"]


def test_the_page_states_campaign_period_and_how_many_events_it_read(page):
    html, parsed = page
    assert parsed.headings[0] == "The Report Band: Figures"
    assert "<b>report-band</b> skill from 2027-01-01 to 2027-01-08, read from 28 turn events" in html
    assert "<td>lines that were not turn events</td><td class=\"n\">4</td>" in html


def test_every_chart_has_its_sentence_and_table(page, week):
    html, parsed = page
    for figure in week.figures:
        assert figure.title in parsed.headings
        assert figure.sentence.replace("'", "&#x27;") in html
    # e.g. the numbers behind the drop chart
    assert "<td>2027-01-05</td><td>t-three, t-four</td><td class=\"n\">2</td><td class=\"n\">3</td>" in html


def test_sections_with_too_little_data_say_so_instead_of_a_chart(event_log, report_band, tmp_path):
    from datetime import date

    from dropday.tooling.report.figures import compute_report
    from dropday.tooling.report.items import playable_items
    day = compute_report(event_log, "report-band", date(2027, 1, 1), date(2027, 1, 1),
                         items=playable_items(report_band))
    html = write_report(day, tmp_path, images=False).read_text(encoding="utf-8")
    assert '<p class="too-little">Too little data to chart: no quiz answers.</p>' in html
    assert 'id="chart-quiz-questions"' not in html


def test_chart_specs_draw_the_figures_numbers(week):
    listeners = chart_for(week.figure("listeners-per-day")).to_dict()
    assert listeners["mark"]["type"] == "bar"
    assert listeners["encoding"]["color"]["field"] == "who"
    values = {(v["day"], v["who"]): v["listeners"] for v in listeners["data"]["values"]}
    assert values[("2027-01-02", "new")] == 1 and values[("2027-01-02", "returning")] == 1
    returns = chart_for(week.figure("day-1-and-day-7-returns")).to_dict()
    assert returns["encoding"]["y"]["axis"]["format"] == "%"
    assert {(v["cohort"], v["return"]): v["share"] for v in returns["data"]["values"]}[("2026-12-28", "day 1")] == \
        pytest.approx(2 / 3)
    quiz = chart_for(week.figure("quiz-questions")).to_dict()
    assert quiz["encoding"]["y"]["sort"] == ["q1", "q2", "q3"]          # hardest first
    assert chart_for(dataclasses.replace(week.figure("quiz-questions"), chart=None)) is None


def test_a_chart_is_drawn_as_png_and_svg_beside_the_page(week, tmp_path):
    # GIVEN a report with one chart (drawing all sixteen takes several seconds)
    one = dataclasses.replace(week, figures=(week.figure("reminders"),))
    write_report(one, tmp_path, images=True)
    png, svg = (tmp_path / "reminders.png").read_bytes(), (tmp_path / "reminders.svg").read_text()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    assert svg.lstrip().startswith("<svg") and "consented" in svg
    assert 'href="reminders.png"' in (tmp_path / "report.html").read_text()


def test_dropday_report_from_exported_files(tmp_path, capsys):
    status = main(["report", *map(str, EVENT_FILES), "--manifest", str(FIXTURES / "report-band.yaml"),
                   "--from", "2027-01-01", "--to", "2027-01-08", "--out", str(tmp_path / "out"), "--no-images"])
    out = capsys.readouterr().out
    assert status == 0
    assert "read 34 lines: 28 turn events of report-band (4 listeners, 12 sessions); skipped 4 other lines, " \
           "1 events of other campaigns, 1 outside the period" in out
    assert "16 charts, 0 sections with too little data to chart" in out
    assert (tmp_path / "out" / "report.html").is_file()


@pytest.mark.parametrize("argv, message", [
    (["report"], "give the files of exported log lines, or --log-group/--stack"),
    (["report", "x.log", "--stack", "prod"], "one of the two"),
    (["report", "x.log", "--from", "2027-01-08", "--to", "2027-01-01"], "--to 2027-01-01 is before --from 2027-01-08"),
])
def test_a_command_line_that_cannot_work_says_why(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_missing_events_file_is_named(tmp_path, capsys):
    assert main(["report", str(tmp_path / "none.log"), "--manifest", str(FIXTURES / "report-band.yaml")]) == 2
    assert "none.log does not exist" in capsys.readouterr().err
