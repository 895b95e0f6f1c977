"""The report's numbers, against values worked out by hand from the fixture week.

The week (tests/report/fixtures/, every event written by hand; `local_date` = the UTC day):

    1 Jan  A first visit (3 utterances: launch, t-one, t-two); B first visit (2: launch, t-one)
    2 Jan  A back: quiz q1 right, q2 wrong, stops;  C first visit (launch, then the session ends)
    3 Jan  B back: t-one on a degraded DynamoDB;    C back: quiz q1 wrong, q2 right, q3 right, finished
    4 Jan  D first visit, en-US: reminder offered, yes (Alexa asks for the permission), set (Connections.Response)
    5 Jan  t-three and t-four drop. A back: what's new (t-three), unlocks secret-track; B back: t-three
    6 Jan  C back: t-four, daily question (streak 1)
    7 Jan  nobody
    8 Jan  A back (a week after the first visit): daily question (streak 2); D back: cancels the reminder
"""

from __future__ import annotations

from datetime import date

from dropday.tooling.report.figures import compute_report
from dropday.tooling.report.events import EventLog


def test_the_report_states_its_period_campaign_and_what_it_read(week, event_log):
    assert (week.campaign, week.first, week.last) == ("report-band", date(2027, 1, 1), date(2027, 1, 8))
    # 20 plain lines + 14 non-empty lines of the export file; 4 of those hold no turn event
    assert (event_log.lines, event_log.skipped) == (34, 4)
    assert (week.events, week.other_campaigns, week.outside_period) == (28, 1, 1)
    assert (week.listeners, week.sessions) == (4, 12)


def test_listeners_per_day_split_into_new_and_returning(week):
    rows = {day: (new, returning) for day, new, returning, _ in week.figure("listeners-per-day").rows}
    assert rows == {"2027-01-01": (2, 0), "2027-01-02": (1, 1), "2027-01-03": (0, 2), "2027-01-04": (1, 0),
                    "2027-01-05": (0, 2), "2027-01-06": (0, 1), "2027-01-07": (0, 0), "2027-01-08": (0, 2)}


def test_utterances_per_session(week):
    # 12 sessions with 3,2,3,1,1,4,3,2,1,3,2,1 utterances: the session end and the Connections.Response don't count
    figure = week.figure("utterances-per-session")
    assert dict(figure.rows) == {"1": 4, "2": 3, "3": 4, "4": 1}
    assert "2.2 on average, median 2, over 12 sessions" in figure.sentence


def test_day_1_and_day_7_returns_by_week_of_first_visit(week):
    # A (1 Jan) back on 2 Jan, B (1 Jan) not, C (2 Jan) back on 3 Jan, D (4 Jan) not on 5 Jan: 2 of 4.
    # Day 7 is in the week only for A and B (8 Jan): A came, B did not: 1 of 2.
    figure = week.figure("day-1-and-day-7-returns")
    assert "50% came back the next day (2 of 4)" in figure.sentence
    assert "50% exactly a week later (1 of 2)" in figure.sentence
    # A, B and C first came in the week of Monday 28 December; D in the week of 4 January
    assert figure.rows == (("2026-12-28", 3, 3, 2, "67%", 2, 1, "50%"), ("2027-01-04", 1, 1, 0, "0%", 0, 0, "-"))


def test_plays_per_piece_with_the_piece_nobody_played(week):
    assert week.figure("plays-per-section").rows == (("tips", 7, 3),)
    most = week.figure("most-played").rows
    assert most[0] == ("tips", "t-one", 3, 2)                  # A once, B twice
    assert dict((r[1], r[2]) for r in most) == {"t-one": 3, "t-three": 2, "t-two": 1, "t-four": 1}
    least = week.figure("least-played")
    assert least.rows[0] == ("tips", "t-five", 0, 0)
    assert "Pieces never played: 1 of the campaign's 5 (t-five)" in least.sentence


def test_the_drop_of_the_fifth_brought_back_more_listeners(week):
    # Returning on 3-4 Jan: B, C (D was new). Returning on 5-6 Jan: A, B, C.
    assert week.figure("drops").rows == (("2027-01-05", "t-three, t-four", 2, 3, "+1 (+50%)"),)


def test_quiz_questions_by_right_rate_and_where_listeners_stop(week):
    rates = {q: (answers, right, rate) for q, answers, right, rate in week.figure("quiz-questions").rows}
    assert rates == {"q1": (2, 1, "50%"), "q2": (2, 1, "50%"), "q3": (1, 1, "100%")}
    # A stopped after question 2; C finished
    assert week.figure("quiz-stops").rows == (("after question 2", 1), ("finished", 1))


def test_daily_streaks_reminder_funnel_unlocks_locales_and_faults(week):
    assert week.figure("daily-streaks").rows == ((1, 1), (2, 1))
    # D's yes is the turn that had Alexa ask for the permission (a step of its own, and a consent)
    assert week.figure("reminders").rows == (("offered", 1, 1), ("consented", 1, 1), ("set", 1, 1),
                                            ("cancelled", 1, 1), ("consent_asked", 1, 1))
    assert week.figure("unlocks").rows == (("secret-track", 1),)
    assert week.figure("locales").rows == (("en-GB", 3, 23), ("en-US", 1, 5))
    faults = {name: (turns, share) for name, turns, share in week.figure("faults").rows}
    assert faults["dynamodb_degraded"] == (1, "4%") and faults["write_merged"] == (0, "0%")


def test_every_figure_has_a_sentence_and_its_numbers(week):
    for figure in week.figures:
        assert figure.sentence.endswith(".") and figure.columns, figure.key
        assert figure.rows or figure.too_little, figure.key


def test_a_period_with_too_little_data_says_so_plainly(event_log, report_band):
    from dropday.tooling.report.items import playable_items
    # GIVEN only the first day of the week
    day = compute_report(event_log, "report-band", date(2027, 1, 1), date(2027, 1, 1),
                         items=playable_items(report_band))
    too_little = {f.key: f.too_little for f in day.figures if f.chart is None}
    assert too_little["listeners-per-day"] == "Too little data to chart: listeners on fewer than two days."
    assert too_little["quiz-questions"] == "Too little data to chart: no quiz answers."
    assert too_little["drops"].startswith("Too little data to chart: no drop with two days before and after")
    assert too_little["reminders"] == "Too little data to chart: no reminder offers."


def test_without_a_manifest_the_report_says_what_it_cannot_show(event_log):
    report = compute_report(event_log, "report-band")
    assert any("No manifest was given" in note for note in report.notes)
    assert report.figure("drops").too_little == "Too little data to chart: no manifest, so no drop dates."
    # the period defaults to the events' own first and last days: E's turn of 20 December included
    assert (report.first, report.last, report.events) == (date(2026, 12, 20), date(2027, 1, 8), 29)


def test_no_events_at_all_gives_a_report_that_says_so():
    report = compute_report(EventLog(lines=3, skipped=3), "report-band")
    assert report.events == 0 and not report.figures
    assert "No turn events of this campaign in this period." in report.notes
