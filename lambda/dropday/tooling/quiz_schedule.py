"""`dropday schedule`'s lines for the quiz and the daily question: which quiz questions are in force
(shown when the set changes, new ones marked *), and each day's daily question with its answer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from ..core.campaign.model import Manifest
from ..core.campaign.quiz import CALENDAR, Question


def lines(manifest: Manifest, first: date, last: date) -> list[str]:
    """The quiz's and the daily question's schedule from `first` to `last` (none without either)."""
    found = sorted([*_quiz_lines(manifest, first, last), *_daily_lines(manifest, first, last)],
                   key=lambda line: line[0])   # by day (stably: the quiz's line first)
    return ["", "Quiz and daily question:", *(text for _, text in found)] if found else []


def _quiz_lines(manifest: Manifest, first: date, last: date) -> Iterator[tuple[date, str]]:
    quiz = manifest.quiz
    if quiz is None:
        return
    before: tuple[Question, ...] | None = None
    for day in _days(first, last):
        now = quiz.available(day)
        if now == before:
            continue
        new = {q.id for q in now} - {q.id for q in before or ()} if before is not None else set()
        ended = [q.id for q in before or () if q not in now]
        listed = ", ".join(("*" if q.id in new else "") + q.id for q in now) or "(none)"
        short = f" (rounds of {len(now)}, not {quiz.round_length})" if len(now) < quiz.round_length else ""
        yield day, f"{day:%Y-%m-%d %a} quiz: {len(now)} questions{short}: {listed}" + \
            (f"; ended: {', '.join(ended)}" if ended else "")
        before = now


def _daily_lines(manifest: Manifest, first: date, last: date) -> Iterator[tuple[date, str]]:
    daily = manifest.daily
    if daily is None:
        return
    if daily.pace != CALENDAR or daily.start is None:
        since = f" from {daily.start:%Y-%m-%d %a}" if daily.start else ""
        yield first, f"daily question at the listener's own pace{since}: {daily.days} questions, one a day, in order"
        return
    for day in _days(max(first, daily.start), last):
        number = (day - daily.start).days + 1
        question = daily.question(number)
        if question is None:
            break
        answer = f"{question.answer.letter}: {question.answer.words}" if question.answer.letter else \
            question.answer.words
        finale = f"; finale: {daily.finale}" if number == daily.days and daily.finale else ""
        yield day, (f"{day:%Y-%m-%d %a} daily question {number} of {daily.days} ({question.id}): "
               f"{manifest.fill(question.recording.transcript.default)} answer {answer}{finale}")


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)
