"""Every number of the report, computed from turn events in plain Python (no plotting here).

Definitions the sentences repeat for the reader:

- A listener's *day* is the local date of the turn on their device (`local_date`, else the UTC
  date of `at`). A *visit* is any turn the listener made (session ends, AudioPlayer and skill
  events, and rejected requests do not count). An *utterance* is a launch or intent request.
- A listener is *new* on the day of their first visit (the skill's own record, `first_visit`),
  and *returning* on every other day they visit.
- Day-N return: among listeners whose first visit is in the period and whose day N is too, the
  share who visit again exactly N days after their first visit. Cohorts are weeks (Monday to
  Sunday) of first visits.
- A drop's effect: distinct returning listeners in the two days from its `available.from` (the
  day itself and the next) against the two days before.
"""

from __future__ import annotations

import functools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ...metrics import FAULTS
from .events import EventLog
from .items import Playable

NOT_VISITS = frozenset({"session_end", "playback", "skill_event", "rejected"})
UTTERANCES = frozenset({"LaunchRequest", "IntentRequest"})
FUNNEL = ("offered", "consented", "set", "cancelled")
OTHER_REMINDER_STEPS = ("declined", "consent_asked", "consent_denied", "already_set", "failed", "unsupported",
                        "nothing_to_cancel")
TOP = 10


@dataclass(frozen=True)
class Chart:
    """What to draw, for `charts.py`: one mark over rows of data.

    Attributes:
        mark: `bar` (vertical), `hbar` (horizontal bars, categories on the y axis) or `line`.
        x, y: fields of `data` on each axis (for `hbar`, `x` is the value and `y` the category).
        x_type, y_type: Vega-Lite types (`nominal`, `ordinal`, `temporal`, `quantitative`).
        color: a field to colour (and stack or group) by, or None.
        percent: the value axis is a share, shown as a percentage.
    """

    mark: str
    x: str
    y: str
    data: tuple[dict[str, Any], ...]
    x_type: str = "nominal"
    y_type: str = "quantitative"
    x_title: str = ""
    y_title: str = ""
    color: str | None = None
    percent: bool = False
    order: tuple[str, ...] | None = None   # the order of the categories, when not alphabetical


@dataclass(frozen=True)
class Figure:
    """One section of the report: a sentence, a chart (or why there is none) and its numbers.

    Attributes:
        key: a short name, also the file name of the chart's PNG and SVG.
        title: the section's heading.
        sentence: what the chart shows, with the numbers that matter.
        columns, rows: the table of the numbers behind the chart.
        chart: what to draw; None when there is too little data.
        too_little: why there is no chart (said plainly in the report), or None.
    """

    key: str
    title: str
    sentence: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    chart: Chart | None = None
    too_little: str | None = None


@dataclass(frozen=True)
class Report:
    """The whole report: what was read, the period, and the figures in order."""

    campaign: str
    title: str
    first: date | None
    last: date | None
    events: int
    lines: int
    skipped: int
    other_campaigns: int
    outside_period: int
    sources: tuple[str, ...]
    listeners: int
    sessions: int
    figures: tuple[Figure, ...] = ()
    notes: tuple[str, ...] = ()

    def figure(self, key: str) -> Figure:
        """The figure named `key`."""
        return next(f for f in self.figures if f.key == key)


@dataclass
class _Data:
    """The events of the period, indexed the ways the figures need."""

    events: list[dict[str, Any]]
    first: date
    last: date
    days: list[date] = field(init=False)
    visits: dict[date, set[str]] = field(init=False)
    new: dict[date, set[str]] = field(init=False)
    first_day: dict[str, date] = field(init=False)

    def __post_init__(self) -> None:
        self.days = [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]
        self.visits, self.new, self.first_day = defaultdict(set), defaultdict(set), {}
        for event in self.events:
            listener, day = event.get("listener"), day_of(event)
            if not isinstance(listener, str) or day is None or event.get("kind") in NOT_VISITS:
                continue
            self.visits[day].add(listener)
            if event.get("first_visit") is True:
                self.new[day].add(listener)
                self.first_day[listener] = min(day, self.first_day.get(listener, day))

    def returning(self, day: date) -> set[str]:
        return self.visits.get(day, set()) - self.new.get(day, set())

    @functools.cached_property
    def plays(self) -> tuple[Counter, dict[tuple[str, str], set[str]]]:
        return _count_plays(self.events)

    @functools.cached_property
    def sessions(self) -> dict[str, dict[str, Any]]:
        return _count_sessions(self.events)


def compute_report(log: EventLog, campaign: str | None = None, first: date | None = None,
                   last: date | None = None, items: Sequence[Playable] | None = None,
                   title: str = "") -> Report:
    """The report on `campaign`'s events in `log` from `first` to `last` (UTC dates of `at`;
    by default the events' own first and last days).

    Args:
        campaign: the campaign to report on; None for the one most events are of.
        items: the campaign's playable pieces (`items.playable_items`); None when the manifest is
            not at hand (then pieces never played and the drops cannot be shown).
        title: how to name the campaign in the heading (artist and album).
    """
    counts = Counter(e.get("campaign") for e in log.events)
    if campaign is None:
        campaign = counts.most_common(1)[0][0] if counts else ""
    mine = [e for e in log.events if e.get("campaign") == campaign]
    in_period = [e for e in mine if _in(e, first, last)]
    in_period.sort(key=lambda e: str(e.get("at", "")))
    days = [d for d in (day_of(e) for e in in_period) if d is not None]
    utc_days = [d for d in (_utc_day(e) for e in in_period) if d is not None]
    first = first or (min(utc_days) if utc_days else None)
    last = last or (max(utc_days) if utc_days else None)
    notes = []
    if items is None:
        notes.append("No manifest was given, so pieces never played and the effect of drops are not shown.")
    if first is None or last is None:
        return Report(campaign, title or campaign, first, last, 0, log.lines, log.skipped, len(log.events) - len(mine),
                      len(mine), tuple(log.sources), 0, 0, (), tuple(notes + ["No turn events of this campaign "
                                                                                      "in this period."]))
    data = _Data(in_period, min([first, *days]), max([last, *days]))
    listeners = {e["listener"] for e in in_period if isinstance(e.get("listener"), str)}
    sessions = {e["session"] for e in in_period if isinstance(e.get("session"), str)}
    figures = (listeners_per_day(data), sessions_per_day(data), utterances_per_session(data), day_n_return(data),
               plays_per_section(data), most_played(data, items), least_played(data, items),
               drop_effect(data, items), quiz_right_rates(data), quiz_stops(data), daily_streaks(data),
               reminder_funnel(data), unlocks(data), locales(data), faults(data), kinds(data))
    key_ids = sorted({e["key_id"] for e in in_period if isinstance(e.get("key_id"), str)})
    if len(key_ids) > 1:
        notes.append(f"The listener key was rotated in this period (keys {', '.join(key_ids)}): a listener seen "
                     "under two keys counts twice, and as new after the rotation only if the skill says so.")
    return Report(campaign, title or campaign, first, last, len(in_period), log.lines, log.skipped,
                  len(log.events) - len(mine), len(mine) - len(in_period), tuple(log.sources), len(listeners),
                  len(sessions), tuple(figures), tuple(notes))


def day_of(event: dict[str, Any]) -> date | None:
    """The listener's day of a turn: its `local_date`, else the UTC date of `at`."""
    return _date(event.get("local_date")) or _utc_day(event)


def _utc_day(event: dict[str, Any]) -> date | None:
    at = event.get("at")
    return _date(at[:10]) if isinstance(at, str) else None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _in(event: dict[str, Any], first: date | None, last: date | None) -> bool:
    day = _utc_day(event)
    if day is None:
        return first is None and last is None
    return (first is None or day >= first) and (last is None or day <= last)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


# -- Listeners and sessions -------------------------------------------------------------------------

def listeners_per_day(data: _Data) -> Figure:
    rows = tuple((day.isoformat(), len(data.new.get(day, ())), len(data.returning(day)),
                  len(data.visits.get(day, ()))) for day in data.days)
    busiest = max(rows, key=lambda r: r[3])
    total_new = sum(r[1] for r in rows)
    sentence = (f"Listeners who visited each day: {total_new} came for the first time in the period and "
                f"{len(set().union(*data.visits.values())) - total_new if data.visits else 0} had come before; "
                f"the busiest day was {busiest[0]} with {busiest[3]} listeners.")
    if sum(r[3] for r in rows) == 0 or len(data.days) < 2:
        return Figure("listeners-per-day", "Listeners per day", sentence, ("day", "new", "returning", "listeners"),
                      rows, too_little="Too little data to chart: listeners on fewer than two days.")
    chart = Chart("bar", "day", "listeners", tuple(
        {"day": r[0], "listeners": n, "who": who} for r in rows for who, n in (("new", r[1]), ("returning", r[2]))),
        x_type="temporal", x_title="day", y_title="listeners", color="who")
    return Figure("listeners-per-day", "Listeners per day", sentence, ("day", "new", "returning", "listeners"),
                  rows, chart)


def _sessions(data: _Data) -> dict[str, dict[str, Any]]:
    return data.sessions


def _count_sessions(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Session key -> its first day and number of utterances."""
    sessions: dict[str, dict[str, Any]] = {}
    for event in events:
        key = event.get("session")
        if not isinstance(key, str):
            continue
        session = sessions.get(key)
        if session is None:
            session = sessions[key] = {"day": day_of(event), "utterances": 0}
        if event.get("request") in UTTERANCES:
            session["utterances"] += 1
    return sessions


def sessions_per_day(data: _Data) -> Figure:
    sessions = _sessions(data)
    per_day = Counter(s["day"] for s in sessions.values())
    utterances = Counter()
    for s in sessions.values():
        utterances[s["day"]] += s["utterances"]
    rows = tuple((day.isoformat(), per_day.get(day, 0), utterances.get(day, 0)) for day in data.days)
    sentence = f"Sessions opened each day ({len(sessions)} in all) and the utterances in them."
    columns = ("day", "sessions", "utterances")
    if len(sessions) == 0 or len(data.days) < 2:
        return Figure("sessions-per-day", "Sessions per day", sentence, columns, rows,
                      too_little="Too little data to chart: sessions on fewer than two days.")
    chart = Chart("line", "day", "sessions", tuple({"day": r[0], "sessions": r[1]} for r in rows),
                  x_type="temporal", x_title="day", y_title="sessions")
    return Figure("sessions-per-day", "Sessions per day", sentence, columns, rows, chart)


def utterances_per_session(data: _Data) -> Figure:
    counts = [s["utterances"] for s in _sessions(data).values() if s["utterances"]]
    histogram = Counter(min(n, 10) for n in counts)
    rows = tuple(("10 or more" if n == 10 else str(n), histogram[n]) for n in range(1, 11) if histogram[n])
    columns = ("utterances in the session", "sessions")
    if not counts:
        return Figure("utterances-per-session", "Utterances per session", "No session had an utterance.", columns,
                      rows, too_little="Too little data to chart: no utterances.")
    sentence = (f"How many times listeners spoke to the skill in one session: {statistics.mean(counts):.1f} on average, "
                f"median {statistics.median(counts):g}, over {len(counts)} sessions.")
    chart = Chart("bar", "utterances", "sessions", tuple({"utterances": r[0], "sessions": r[1]} for r in rows),
                  x_type="ordinal", x_title="utterances in the session", y_title="sessions",
                  order=tuple(r[0] for r in rows))
    return Figure("utterances-per-session", "Utterances per session", sentence, columns, rows, chart)


@dataclass(frozen=True)
class Returns:
    """Day-N returns of one cohort: how many could have returned, how many did."""

    listeners: int
    eligible_day1: int
    returned_day1: int
    eligible_day7: int
    returned_day7: int


def returns_by_cohort(data: _Data) -> dict[date, Returns]:
    """Cohort (Monday of the week of first visits) -> its day-1 and day-7 returns."""
    cohorts: dict[date, list[str]] = defaultdict(list)
    for listener, first in data.first_day.items():
        cohorts[first - timedelta(days=first.weekday())].append(listener)
    out = {}
    for week, members in sorted(cohorts.items()):
        counts = []
        for n in (1, 7):
            eligible = [m for m in members if data.first_day[m] + timedelta(days=n) <= data.last]
            returned = [m for m in eligible if m in data.visits.get(data.first_day[m] + timedelta(days=n), ())]
            counts += [len(eligible), len(returned)]
        out[week] = Returns(len(members), *counts)
    return out


def day_n_return(data: _Data) -> Figure:
    cohorts = returns_by_cohort(data)
    columns = ("first visits in the week of", "listeners", "day 1: could return", "day 1: returned", "day 1 share",
               "day 7: could return", "day 7: returned", "day 7 share")
    rows = tuple((week.isoformat(), r.listeners, r.eligible_day1, r.returned_day1,
                  _percent(_share(r.returned_day1, r.eligible_day1)), r.eligible_day7, r.returned_day7,
                  _percent(_share(r.returned_day7, r.eligible_day7))) for week, r in cohorts.items())
    total = Returns(*(sum(getattr(r, f) for r in cohorts.values()) for f in Returns.__dataclass_fields__))
    day1, day7 = _share(total.returned_day1, total.eligible_day1), _share(total.returned_day7, total.eligible_day7)
    sentence = (f"Of the listeners who first came in the period, {_percent(day1)} came back the next day "
                f"({total.returned_day1} of {total.eligible_day1}) and {_percent(day7)} exactly a week later "
                f"({total.returned_day7} of {total.eligible_day7}), by the week of their first visit.")
    if not total.eligible_day1:
        return Figure("day-1-and-day-7-returns", "Who comes back: day 1 and day 7", sentence, columns, rows,
                      too_little="Too little data to chart: no first visit with a next day in the period.")
    chart = Chart("bar", "cohort", "share", tuple(
        {"cohort": week.isoformat(), "share": share, "return": label}
        for week, r in cohorts.items()
        for label, share in (("day 1", _share(r.returned_day1, r.eligible_day1)),
                             ("day 7", _share(r.returned_day7, r.eligible_day7))) if share is not None),
        x_type="ordinal", x_title="week of first visit", y_title="share who came back", color="return", percent=True)
    return Figure("day-1-and-day-7-returns", "Who comes back: day 1 and day 7", sentence, columns, rows, chart)


# -- Content ------------------------------------------------------------------------------------------

def _plays(data: _Data) -> tuple[Counter, dict[tuple[str, str], set[str]]]:
    return data.plays


def _count_plays(events: list[dict[str, Any]]) -> tuple[Counter, dict[tuple[str, str], set[str]]]:
    """(section, piece) -> plays, and -> the listeners who played it."""
    plays: Counter = Counter()
    who: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in events:
        for played in event.get("played") or ():
            if isinstance(played, dict) and isinstance(played.get("piece"), str):
                key = (str(played.get("section", "")), played["piece"])
                plays[key] += 1
                if isinstance(event.get("listener"), str):
                    who[key].add(event["listener"])
    return plays, who


def plays_per_section(data: _Data) -> Figure:
    plays, who = _plays(data)
    sections: Counter = Counter()
    listeners: dict[str, set[str]] = defaultdict(set)
    for (section, _piece), n in plays.items():
        sections[section] += n
        listeners[section] |= who[(section, _piece)]
    rows = tuple((section, n, len(listeners[section])) for section, n in sections.most_common())
    columns = ("section", "plays", "listeners")
    if not rows:
        return Figure("plays-per-section", "Plays per section", "No piece was played in the period.", columns,
                      too_little="Too little data to chart: no plays.")
    sentence = (f"{sum(sections.values())} pieces were played; {rows[0][0]} was played most "
                f"({rows[0][1]} plays by {rows[0][2]} listeners).")
    chart = Chart("hbar", "plays", "section", tuple({"section": r[0], "plays": r[1]} for r in rows),
                  x_title="plays", y_title="section", y_type="nominal", order=tuple(r[0] for r in rows))
    return Figure("plays-per-section", "Plays per section", sentence, columns, rows, chart)


def _piece_table(data: _Data, items: Sequence[Playable] | None) -> list[tuple[str, str, int, int]]:
    plays, who = _plays(data)
    keys = list(plays)
    keys += [(i.section, i.piece) for i in items or () if (i.section, i.piece) not in plays]
    return sorted(((s, p, plays.get((s, p), 0), len(who.get((s, p), ()))) for s, p in keys),
                  key=lambda r: (-r[2], r[0], r[1]))


def most_played(data: _Data, items: Sequence[Playable] | None) -> Figure:
    table = [r for r in _piece_table(data, items) if r[2]][:TOP]
    columns = ("section", "piece", "plays", "listeners")
    if not table:
        return Figure("most-played", "Most played pieces", "No piece was played in the period.", columns,
                      too_little="Too little data to chart: no plays.")
    sentence = (f"The {len(table)} most played pieces; {table[0][1]} leads with {table[0][2]} plays by "
                f"{table[0][3]} listeners.")
    chart = Chart("hbar", "plays", "piece", tuple({"piece": r[1], "plays": r[2], "section": r[0]} for r in table),
                  y_type="nominal", x_title="plays", y_title="piece", order=tuple(r[1] for r in table))
    return Figure("most-played", "Most played pieces", sentence, columns, tuple(table), chart)


def least_played(data: _Data, items: Sequence[Playable] | None) -> Figure:
    table = _piece_table(data, items)
    never = [r for r in table if not r[2]]
    least = [r for r in table if r[2]][-TOP:][::-1]
    columns = ("section", "piece", "plays", "listeners")
    rows = tuple(never + least)
    if items is None:
        sentence = f"The {len(least)} least played pieces (without the manifest, pieces never played are unknown)."
    else:
        names = ", ".join(r[1] for r in never) or "none"
        sentence = (f"Pieces never played: {len(never)} of the campaign's {len(items)} ({names}); "
                    f"then the {len(least)} least played.")
    if not rows:
        return Figure("least-played", "Least played and never played pieces", sentence, columns,
                      too_little="Too little data to chart: no pieces.")
    chart = Chart("hbar", "plays", "piece", tuple({"piece": r[1], "plays": r[2], "section": r[0]} for r in rows),
                  y_type="nominal", x_title="plays", y_title="piece", order=tuple(r[1] for r in rows))
    return Figure("least-played", "Least played and never played pieces", sentence, columns, rows, chart)


def drop_effect(data: _Data, items: Sequence[Playable] | None) -> Figure:
    columns = ("drop day", "pieces", "returning listeners, 2 days before", "returning listeners, 2 days from the drop",
               "change")
    title = "The effect of each drop"
    if items is None:
        return Figure("drops", title, "Drops need the campaign's manifest.", columns,
                      too_little="Too little data to chart: no manifest, so no drop dates.")
    drops: dict[date, list[str]] = defaultdict(list)
    for item in items:
        if item.available_from is not None:
            drops[item.available_from].append(item.piece)
    rows = []
    for day, pieces in sorted(drops.items()):
        if day - timedelta(days=2) < data.first or day + timedelta(days=1) > data.last:
            continue
        before = data.returning(day - timedelta(days=2)) | data.returning(day - timedelta(days=1))
        after = data.returning(day) | data.returning(day + timedelta(days=1))
        change = f"{len(after) - len(before):+d}" + (f" ({(len(after) - len(before)) / len(before):+.0%})"
                                                     if before else "")
        rows.append((day.isoformat(), ", ".join(pieces), len(before), len(after), change))
    if not rows:
        return Figure("drops", title, "No piece dropped with two days of data on either side in the period.",
                      columns, too_little="Too little data to chart: no drop with two days before and after it "
                                          "in the period.")
    best = max(rows, key=lambda r: r[3] - r[2])
    sentence = (f"Returning listeners in the two days from each drop (the day and the next) against the two days "
                f"before; the drop of {best[0]} ({best[1]}) went from {best[2]} to {best[3]}.")
    chart = Chart("bar", "drop", "listeners", tuple(
        {"drop": r[0], "listeners": n, "window": w} for r in rows
        for w, n in (("2 days before", r[2]), ("2 days from the drop", r[3]))),
        x_type="ordinal", x_title="drop day", y_title="returning listeners", color="window")
    return Figure("drops", title, sentence, columns, tuple(rows), chart)


# -- Quiz and daily question ------------------------------------------------------------------------

def quiz_right_rates(data: _Data) -> Figure:
    answers, right = Counter(), Counter()
    for event in data.events:
        quiz = event.get("quiz")
        if isinstance(quiz, dict) and isinstance(quiz.get("question"), str) and isinstance(quiz.get("correct"), bool):
            answers[quiz["question"]] += 1
            right[quiz["question"]] += quiz["correct"]
    rows = tuple(sorted(((q, answers[q], right[q], right[q] / answers[q]) for q in answers),
                        key=lambda r: (r[3], r[0])))
    columns = ("question", "answers", "right", "right rate")
    if not rows:
        return Figure("quiz-questions", "Quiz questions by right rate", "No quiz answer in the period.", columns,
                      too_little="Too little data to chart: no quiz answers.")
    sentence = (f"The share of right answers per quiz question, hardest first: {rows[0][0]} was answered right "
                f"in {rows[0][2]} of {rows[0][1]} answers ({rows[0][3]:.0%}); {sum(answers.values())} answers in all.")
    chart = Chart("hbar", "right rate", "question", tuple({"question": r[0], "right rate": r[3]} for r in rows),
                  y_type="nominal", x_title="right answers", y_title="question", percent=True,
                  order=tuple(r[0] for r in rows))
    shown = tuple((q, n, r, _percent(rate)) for q, n, r, rate in rows)
    return Figure("quiz-questions", "Quiz questions by right rate", sentence, columns, shown, chart)


def quiz_stops(data: _Data) -> Figure:
    attempts: dict[tuple[str, str], dict[str, Any]] = {}
    for event in data.events:
        quiz = event.get("quiz")
        if not isinstance(quiz, dict) or not isinstance(event.get("listener"), str):
            continue
        attempt = attempts.setdefault((event["listener"], str(event.get("session"))), {"last": None, "done": False})
        if isinstance(quiz.get("position"), int):
            attempt["last"] = quiz["position"]
        attempt["done"] = attempt["done"] or quiz.get("finished") is True
    finished = sum(a["done"] for a in attempts.values())
    stops = Counter(a["last"] for a in attempts.values() if not a["done"] and a["last"] is not None)
    rows = tuple((f"after question {p}", n) for p, n in sorted(stops.items())) + (("finished", finished),)
    columns = ("where the quiz ended", "quiz sessions")
    if not attempts:
        return Figure("quiz-stops", "Where listeners stop the quiz", "No quiz was played in the period.", columns,
                      too_little="Too little data to chart: no quiz sessions.")
    worst = f"; most stopped after question {stops.most_common(1)[0][0]}" if stops else ""
    sentence = (f"Where each session's quiz ended: {finished} of {len(attempts)} quiz sessions reached the end{worst}.")
    chart = Chart("bar", "ended", "sessions", tuple({"ended": r[0], "sessions": r[1]} for r in rows),
                  x_type="ordinal", x_title="where the quiz ended", y_title="quiz sessions",
                  order=tuple(r[0] for r in rows))
    return Figure("quiz-stops", "Where listeners stop the quiz", sentence, columns, rows, chart)


def daily_streaks(data: _Data) -> Figure:
    longest: dict[str, int] = {}
    for event in data.events:
        daily = event.get("daily")
        if isinstance(daily, dict) and isinstance(daily.get("streak"), int) and isinstance(event.get("listener"), str):
            longest[event["listener"]] = max(daily["streak"], longest.get(event["listener"], 0))
    counts = Counter(longest.values())
    rows = tuple((streak, counts[streak]) for streak in sorted(counts))
    columns = ("longest streak (days in a row)", "listeners")
    if not rows:
        return Figure("daily-streaks", "Daily-question streaks", "No daily question was answered in the period.",
                      columns, too_little="Too little data to chart: no daily answers.")
    sentence = (f"Listeners by their longest run of daily questions answered on consecutive days: {len(longest)} "
                f"listeners answered, the longest run was {max(longest.values())} days.")
    chart = Chart("bar", "streak", "listeners", tuple({"streak": str(r[0]), "listeners": r[1]} for r in rows),
                  x_type="ordinal", x_title="longest streak (days)", y_title="listeners",
                  order=tuple(str(r[0]) for r in rows))
    return Figure("daily-streaks", "Daily-question streaks", sentence, columns, rows, chart)


# -- Reminders, unlocks, locales, faults --------------------------------------------------------------

def reminder_funnel(data: _Data) -> Figure:
    listeners: dict[str, set[str]] = defaultdict(set)
    events = Counter()
    for event in data.events:
        reminder = event.get("reminder")
        if isinstance(reminder, dict) and isinstance(reminder.get("step"), str):
            # A yes to setting it is its own step, or a fact of the step the yes reached.
            steps = {reminder["step"], *(("consented",) if reminder.get("consented") is True else ())}
            for step in steps:
                events[step] += 1
                if isinstance(event.get("listener"), str):
                    listeners[step].add(event["listener"])
    steps = list(FUNNEL) + [s for s in OTHER_REMINDER_STEPS if s in events]
    rows = tuple((step, len(listeners[step]), events[step]) for step in steps)
    columns = ("step", "listeners", "times")
    if not events:
        return Figure("reminders", "The reminder funnel", "No reminder was offered in the period.", columns, rows,
                      too_little="Too little data to chart: no reminder offers.")
    offered, consented, set_, cancelled = (len(listeners[s]) for s in FUNNEL)
    sentence = (f"Listeners at each step of the release-day reminder: offered to {offered}, consent given by "
                f"{consented}, set for {set_}, cancelled by {cancelled}.")
    chart = Chart("bar", "step", "listeners", tuple({"step": r[0], "listeners": r[1]} for r in rows[:len(FUNNEL)]),
                  x_type="ordinal", x_title="step", y_title="listeners", order=FUNNEL)
    return Figure("reminders", "The reminder funnel", sentence, columns, rows, chart)


def unlocks(data: _Data) -> Figure:
    who: dict[str, set[str]] = defaultdict(set)
    for event in data.events:
        for unlocked in event.get("unlocked") or ():
            if isinstance(unlocked, str):
                who[unlocked].add(str(event.get("listener")))
    rows = tuple(sorted(((u, len(ls)) for u, ls in who.items()), key=lambda r: (-r[1], r[0])))
    columns = ("unlocked", "listeners")
    if not rows:
        return Figure("unlocks", "Unlocks", "Nothing was unlocked in the period.", columns,
                      too_little="Too little data to chart: no unlocks.")
    sentence = f"Listeners who unlocked each reward ({len(rows)} rewards unlocked, {sum(r[1] for r in rows)} times in all)."
    chart = Chart("hbar", "listeners", "unlocked", tuple({"unlocked": r[0], "listeners": r[1]} for r in rows),
                  y_type="nominal", x_title="listeners", y_title="reward", order=tuple(r[0] for r in rows))
    return Figure("unlocks", "Unlocks", sentence, columns, rows, chart)


def locales(data: _Data) -> Figure:
    listeners: dict[str, set[str]] = defaultdict(set)
    turns = Counter()
    for event in data.events:
        locale = event.get("locale") if isinstance(event.get("locale"), str) else "unknown"
        turns[locale] += 1
        if isinstance(event.get("listener"), str):
            listeners[locale].add(event["listener"])
    rows = tuple(sorted(((loc, len(listeners[loc]), turns[loc]) for loc in turns), key=lambda r: (-r[1], r[0])))
    columns = ("locale", "listeners", "turns")
    if not rows:
        return Figure("locales", "Locales", "No turns.", columns, too_little="Too little data to chart: no turns.")
    sentence = (f"Where listeners are, by their device's locale: {rows[0][0]} has the most "
                f"({rows[0][1]} listeners, {rows[0][2]} turns), of {len(rows)} locales.")
    chart = Chart("hbar", "listeners", "locale", tuple({"locale": r[0], "listeners": r[1]} for r in rows),
                  y_type="nominal", x_title="listeners", y_title="locale", order=tuple(r[0] for r in rows))
    return Figure("locales", "Locales", sentence, columns, rows, chart)


def faults(data: _Data) -> Figure:
    turns = len(data.events)
    counts = Counter(name for event in data.events for name in dict.fromkeys(event.get("faults") or ())
                     if isinstance(name, str))
    names = list(FAULTS) + sorted(set(counts) - set(FAULTS))
    rows = tuple((name, counts[name], _percent(_share(counts[name], turns))) for name in names)
    columns = ("fault", "turns answered with it", "share of turns")
    if not counts:
        return Figure("faults", "Faults", f"No turn met a fault ({turns} turns).", columns, rows,
                      too_little="Nothing to chart: no faults.")
    sentence = (f"Turns the skill answered while something failed: faults in {sum(counts.values())} of "
                f"{turns} turns; the most frequent was {counts.most_common(1)[0][0]}.")
    chart = Chart("hbar", "turns", "fault", tuple({"fault": r[0], "turns": r[1]} for r in rows if r[1]),
                  y_type="nominal", x_title="turns", y_title="fault")
    return Figure("faults", "Faults", sentence, columns, rows, chart)


def kinds(data: _Data) -> Figure:
    counts = Counter(str(e.get("kind")) for e in data.events)
    rows = tuple(counts.most_common())
    columns = ("kind of turn", "turns")
    sentence = f"What the {len(data.events)} turns were, by kind; {rows[0][0]} was the most common." if rows else \
        "No turns."
    if not rows:
        return Figure("kinds", "Turns by kind", sentence, columns, too_little="Too little data to chart: no turns.")
    chart = Chart("hbar", "turns", "kind", tuple({"kind": k, "turns": n} for k, n in rows), y_type="nominal",
                  x_title="turns", y_title="kind", order=tuple(k for k, _ in rows))
    return Figure("kinds", "Turns by kind", sentence, columns, rows, chart)


def summary_rows(report: Report) -> Iterable[tuple[str, Any]]:
    """The report's header as (label, value) rows."""
    period = f"{report.first} to {report.last} (UTC)" if report.first else "no events"
    return (("campaign", report.campaign), ("period", period), ("turn events read", report.events),
            ("listeners", report.listeners), ("sessions", report.sessions), ("lines read", report.lines),
            ("lines that were not turn events", report.skipped),
            ("events of other campaigns", report.other_campaigns),
            ("events outside the period", report.outside_period))
