"""Opt-ins as the content team writes them: the reminders a campaign offers, and its prize draw.

```yaml
reminders:
  release_day: {time: "09:00", text: "{album} by {artist} is out today!"}
  daily: {time: "19:30", text: {default: "Today's question is waiting.", en-US: "..."}}
draw:
  prize: a signed print of the album artwork
  when: {daily_finished: true}          # any unlock condition
  closes: 2027-02-28                    # the last day to enter, in the listener's local date
  markets: [en-GB]                      # the locales where it runs
  terms: UK residents 18 and over. One entry per person. Closes 28 February 2027.
  link: https://label.example/draw-terms
  hint: Answer every daily question to enter.   # optional: said while a listener is not eligible yet
```
"""

from collections.abc import Mapping
from datetime import date, time
from types import MappingProxyType
from typing import NamedTuple

from .model import Condition, Localized

#: The reminders a campaign can offer: on release day, and every day of the daily question.
REMINDER_KINDS = ("release_day", "daily")


class ReminderPlan(NamedTuple):
    """One reminder a campaign offers.

    Attributes:
        kind: one of `REMINDER_KINDS`.
        at: the time of day it goes off, in each listener's own time zone.
        text: what Alexa says when it goes off (may use {artist} and {album}).
    """

    kind: str
    at: time
    text: Localized


class Reminders(NamedTuple):
    """The campaign's `reminders:` entry: each kind it offers, by kind."""

    plans: Mapping[str, ReminderPlan] = MappingProxyType({})

    def plan(self, kind: str) -> ReminderPlan | None:
        """The plan of reminder `kind`, or None when the campaign does not offer it."""
        return self.plans.get(kind)


class Draw(NamedTuple):
    """The campaign's prize draw.

    Attributes:
        prize: what a winner gets, as the invitation names it.
        when: who may enter (an unlock condition: `daily_finished`, `daily_tally`, `visit_days`...).
        closes: the last day to enter, in the listener's local date.
        markets: the locales where the draw runs (elsewhere it is never mentioned).
        terms: the short terms line, said with the invitation and shown on the card.
        link: where the full terms are (https), shown on the card.
        hint: how to become eligible, said to a listener who asks too early.
    """

    prize: Localized
    when: Condition
    closes: date
    markets: frozenset[str]
    terms: Localized
    link: str
    hint: Localized | None = None

    def runs_in(self, locale: str | None) -> bool:
        """Whether the draw runs for listeners in `locale`."""
        return locale in self.markets

    def open_on(self, day: date) -> bool:
        """Whether entries are taken on the listener's local date `day`."""
        return day <= self.closes
