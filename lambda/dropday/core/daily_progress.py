"""A listener's daily-question challenge, and its day arithmetic (no turns here, so that
`core.listener` can hold it without importing the dialog).

Stored (the `daily` part of the listener's item, a few numbers whatever the challenge's length):

    {"tally": 4, "answered": 5, "streak": 3, "last": "2027-01-02", "day": 5, "right": true}

Per field, where it lives: all of it is stored (the tally, the streak and the last answered day
are kept across sessions and devices); the question being asked in this session is in the
session (`core.session.AskedQuestion`), so that the answer is matched to it.

Days are the listener's local days (`Turn.today`, in their own time zone). A question is answered
once a day; answering on the day after the last answer adds to the streak, any other day starts
it again at one (a missed day ends the streak but keeps the tally).
"""

from collections.abc import Mapping
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from .campaign.quiz import CALENDAR, Daily


class Status(Enum):
    """Where a listener stands in the challenge on a day."""

    NOT_STARTED = "not_started"   # before the first day
    WAITING = "waiting"           # today's question is not answered yet
    ANSWERED = "answered"         # today's question is answered: come back tomorrow
    OVER = "over"                 # every day is past (calendar), or every question answered


class DailyProgress(NamedTuple):
    """One listener's challenge.

    Attributes:
        tally: questions answered right.
        answered: questions answered, right or wrong.
        streak: consecutive local days with an answer, up to `last`.
        last: the local date of the last answer.
        day: the challenge day (1 is the first) of the last answer.
        right: whether the last answer was right.
    """

    tally: int = 0
    answered: int = 0
    streak: int = 0
    last: date | None = None
    day: int = 0
    right: bool = False

    def finished(self, daily: Daily) -> bool:
        """Whether the listener answered the challenge's last question."""
        return self.day >= daily.days

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage; empty fields are left out."""
        data = {"tally": self.tally, "answered": self.answered, "streak": self.streak,
                "last": self.last.isoformat() if self.last else None, "day": self.day, "right": self.right}
        return {k: v for k, v in data.items() if v}

    @classmethod
    def from_dict(cls, data: object) -> "DailyProgress":
        """Read a stored dict (anything damaged reads as not played)."""
        from .listener import count, day   # the readers of every stored part (listener imports this module)

        if not isinstance(data, Mapping):
            return cls()
        return cls(count(data.get("tally")), count(data.get("answered")), count(data.get("streak")),
                   day(data.get("last")), count(data.get("day")), data.get("right") is True)

    def merged(self, base: "DailyProgress", theirs: "DailyProgress") -> "DailyProgress":
        """This request's progress (`self`) combined with another device's (`theirs`), both made on
        top of `base`: two answers to one day's question count once (theirs, stored first)."""
        if self == base:
            return theirs
        if theirs == base or (self.last and theirs.last and self.last > theirs.last):
            return self
        return theirs


def day_number(daily: Daily, progress: DailyProgress, today: date) -> int:
    """The challenge day of the question for `today` (1 is the first): the campaign's calendar
    day, or at the listener's own pace their next question (today's, once answered today)."""
    if daily.pace == CALENDAR:
        return (today - daily.start).days + 1 if daily.start else 0
    if progress.last == today:
        return progress.day
    return progress.answered + 1


def status(daily: Daily, progress: DailyProgress, today: date) -> Status:
    """Where the listener stands on `today`."""
    if progress.last == today:
        return Status.ANSWERED
    if daily.start and today < daily.start:
        return Status.NOT_STARTED
    number = day_number(daily, progress, today)
    if number > daily.days or progress.finished(daily) or daily.question(number) is None:
        return Status.OVER
    return Status.WAITING


def answer(daily: Daily, progress: DailyProgress, today: date, right: bool) -> DailyProgress:
    """The progress after answering today's question (unchanged if it was answered today already)."""
    if status(daily, progress, today) is not Status.WAITING:
        return progress
    streak = progress.streak + 1 if progress.last == today - timedelta(days=1) else 1
    return progress._replace(tally=progress.tally + right, answered=progress.answered + 1, streak=streak,
                   last=today, day=day_number(daily, progress, today), right=right)


def current_streak(progress: DailyProgress, today: date) -> int:
    """The streak still alive on `today`: it ends once a day passes without an answer."""
    alive = progress.last is not None and today - progress.last <= timedelta(days=1)
    return progress.streak if alive else 0
