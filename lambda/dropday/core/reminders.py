"""Reminders by voice: when to offer them, what they are, and what the listener hears.

Two reminders, both only with the listener's explicit "yes" to a question that says exactly what
will happen (Alexa's rules for reminders):

- on release day (`release_day`): once, at the campaign's time of day on the release date, in
  the listener's own time zone; offered after the countdown and on request ("remind me when the
  album comes out");
- every day of the daily question (`daily`): at the campaign's time or one the listener names,
  from tomorrow to the challenge's last day; offered after a listener's first daily question
  (`offer_daily`, called by the daily question's turn).

An unasked offer is made at most once a session, never while a reminder of that kind is set, and
never again for a week after a "no" (`COOLING_OFF`, kept in the listener's state). A listener who
asks always gets the question.

The turns here never call an API. Where the skill must act, they return what to do
(`CreateReminder`, `CancelReminders`, `core.optins.AskConsent`); the skill's edge does it and
hands the outcome back (`created`, `cancelled`), which gives the reply. Stored and session
parts: `core.optins`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, NamedTuple

from .campaign.optins import ReminderPlan
from .menu import what_next
from .optins import AskConsent, ApiResult, ConsentRequest, DailyChoice, Outcome
from .session import Offer
from .speech import Speech
from .turns import Reply

if TYPE_CHECKING:
    from .turns import Turn

#: The permission Alexa asks the listener for before the skill may set reminders.
SCOPE = "alexa::alerts:reminders:skill:readwrite"
#: How long a "no" keeps a reminder from being offered again.
COOLING_OFF = timedelta(days=7)
#: Reminder kind -> the kind of offer "yes" accepts.
OFFERS: Mapping[str, str] = {"release_day": "release_day_reminder", "daily": "daily_reminder"}
KINDS: Mapping[str, str] = {offer: kind for kind, offer in OFFERS.items()}
#: The locale a reminder is spoken in when the request names none.
FALLBACK_LOCALE = "en-US"


class ReminderBody(NamedTuple):
    """A reminder to create, as plain data (`skill.reminders_api` turns it into the SDK's request).

    Attributes:
        kind: `release_day` or `daily`.
        scheduled: when it (first) goes off, as wall-clock time in `zone` (no offset: Alexa
            rejects one).
        zone: the listener's IANA time zone (always sent).
        text: what Alexa says when it goes off.
        locale: the locale of `text`.
        requested: when the listener agreed, in UTC.
        until: for a daily reminder, its last occurrence (wall-clock time in `zone`).
    """

    kind: str
    scheduled: datetime
    zone: str
    text: str
    locale: str
    requested: datetime
    until: datetime | None = None

    @property
    def recurrence_rule(self) -> str | None:
        """The iCalendar rule of a daily reminder (None for a one-off)."""
        if self.until is None:
            return None
        return f"FREQ=DAILY;BYHOUR={self.scheduled.hour};BYMINUTE={self.scheduled.minute};BYSECOND=0;INTERVAL=1;"


class CreateReminder(NamedTuple):
    """The listener said yes: create `body`, then pass the outcome to `created`.

    Attributes:
        body: the reminder.
        choice: for a daily reminder, the time and last day agreed (for the consent token).
    """

    body: ReminderBody
    choice: DailyChoice | None = None


class CancelReminders(NamedTuple):
    """The listener asked to cancel: delete each of `tokens` (kind -> alert token), then pass the
    outcomes to `cancelled`."""

    tokens: Mapping[str, str]


# -- rules -------------------------------------------------------------------------------------------


def plan(turn: Turn, kind: str) -> ReminderPlan | None:
    """The campaign's reminder `kind`, or None when it offers none."""
    reminders = turn.manifest.reminders
    return reminders.plan(kind) if reminders is not None else None


def release_moment(turn: Turn, at: time) -> datetime:
    """When the release-day reminder goes off for this listener: release day at `at`, their zone."""
    return datetime.combine(turn.manifest.album.release_date, at, tzinfo=turn.zone)


def release_day_too_late(turn: Turn, at: time) -> bool:
    """Whether the release-day reminder's moment has passed for this listener."""
    return release_moment(turn, at).astimezone(timezone.utc) <= turn.now.astimezone(timezone.utc)


def first_daily_day(turn: Turn) -> date:
    """The first day of a daily reminder agreed today: tomorrow (today's question is answered)."""
    return turn.today + timedelta(days=1)


def may_offer(turn: Turn, kind: str) -> bool:
    """Whether the skill may offer reminder `kind` unasked in this turn: the campaign offers it,
    none is set, it was not offered in this session, and no "no" is cooling off."""
    stored = turn.state.optins
    return (plan(turn, kind) is not None and stored.token(kind) is None and kind not in turn.session.optins.offered
            and not stored.cooling_off(kind, turn.today))


def release_day_body(turn: Turn, at: time, text: str) -> ReminderBody:
    """The release-day reminder: release day at `at`, wall-clock time in the listener's zone."""
    return ReminderBody("release_day", datetime.combine(turn.manifest.album.release_date, at), turn.zone.key, text,
                        turn.locale or FALLBACK_LOCALE, _utc(turn.now))


def daily_body(turn: Turn, choice: DailyChoice, text: str) -> ReminderBody:
    """The daily reminder: every day at `choice.at` from tomorrow, ending on `choice.until`."""
    return ReminderBody("daily", datetime.combine(first_daily_day(turn), choice.at), turn.zone.key, text,
                        turn.locale or FALLBACK_LOCALE, _utc(turn.now), datetime.combine(choice.until, choice.at))


def body_for(turn: Turn, kind: str, choice: DailyChoice | None = None) -> ReminderBody | None:
    """The reminder `kind` (a daily one needs `choice`), or None when it cannot be set now."""
    found = plan(turn, kind)
    if found is None:
        return None
    text = turn.manifest.fill(found.text.get(turn.locale))
    if kind == "release_day":
        return None if release_day_too_late(turn, found.at) else release_day_body(turn, found.at, text)
    if choice is None or choice.until < first_daily_day(turn):
        return None
    return daily_body(turn, choice, text)


# -- words ---------------------------------------------------------------------------------------------


def spoken_time(turn: Turn, at: time) -> str:
    """"9 AM", "7:30 PM", "noon", in the campaign's words."""
    if at == time(0):
        return turn.text("time_midnight")
    if at == time(12):
        return turn.text("time_noon")
    hour = at.hour % 12 or 12
    half = "am" if at.hour < 12 else "pm"
    if at.minute:
        return turn.text(f"time_{half}_minutes", hour=hour, minutes=f"{at.minute:02d}")
    return turn.text(f"time_{half}", hour=hour)


def _release_values(turn: Turn, at: time) -> dict[str, str]:
    return {"time": spoken_time(turn, at), "day": turn.spoken_day(turn.manifest.album.release_date)}


def _daily_values(turn: Turn, choice: DailyChoice) -> dict[str, str]:
    return {"time": spoken_time(turn, choice.at), "day": turn.spoken_day(choice.until)}


def _event(kind: str, step: str, consented: bool = False, **more: object) -> dict[str, object]:
    """The turn's event facts: the reminder's kind and the step it reached; `consented` when this
    turn carries the listener's yes to setting it (the report's funnel counts those listeners)."""
    reminder: dict[str, object] = {"kind": kind, "step": step}
    if consented:
        reminder["consented"] = True
    return {"kind": "reminder", "reminder": reminder, **more}


# -- offers --------------------------------------------------------------------------------------------


def _offered(turn: Turn, reply: Reply, kind: str, question: Speech, reprompt: Speech,
             choice: DailyChoice | None = None) -> Reply:
    """`reply` ending on the offer of reminder `kind`, remembered as offered in this session."""
    session = reply.session or turn.session
    optins = session.optins
    session = session._replace(optins=optins._replace(offered=optins.offered | {kind}, daily=choice or optins.daily))
    event = {**reply.event, "reminder": {"kind": kind, "step": "offered"}}
    return reply._replace(question=question, reprompt=reprompt, offer=Offer(OFFERS[kind]), event=event,
                          session=session)


def offer_after_countdown(turn: Turn, reply: Reply) -> Reply:
    """The countdown's reply, ending on the offer of the release-day reminder when it may be made
    (see `may_offer`) and its moment is still to come; otherwise unchanged."""
    found = plan(turn, "release_day")
    if found is None or not may_offer(turn, "release_day") or release_day_too_late(turn, found.at):
        return reply
    values = _release_values(turn, found.at)
    return _offered(turn, reply, "release_day", turn.say("reminder_offer_release_day", **values),
                    turn.say("reminder_reprompt_release_day", **values))


def offer_daily(turn: Turn, reply: Reply, last_day: date) -> Reply:
    """`reply`, ending on the offer of a daily reminder at the campaign's time until `last_day`
    when it may be made (see `may_offer`) and a question is still to come after today.

    The daily question calls this after a listener's first daily question; a reply that would
    have ended the session then asks instead.
    """
    found = plan(turn, "daily")
    if found is None or not may_offer(turn, "daily") or last_day < first_daily_day(turn):
        return reply
    choice = DailyChoice(found.at, last_day)
    values = _daily_values(turn, choice)
    return _offered(turn, reply, "daily", turn.say("reminder_offer_daily", **values),
                    turn.say("reminder_reprompt_daily", **values), choice)


def remind_me(turn: Turn) -> Reply:
    """"Remind me when the album comes out": what it will be and "shall I?", or that it is set."""
    state = turn.started_state()
    found = plan(turn, "release_day")
    if found is None:
        return what_next(turn, turn.say("reminder_not_offered"), state, _event("release_day", "unsupported"))
    values = _release_values(turn, found.at)
    if state.optins.token("release_day"):
        speech = turn.say("reminder_already_set_release_day", **values) + turn.say("reminder_how_to_cancel")
        return what_next(turn, speech, state, _event("release_day", "already_set"))
    if release_day_too_late(turn, found.at):
        return what_next(turn, turn.say("reminder_too_late_release_day"), state, _event("release_day", "unsupported"))
    reply = Reply(Speech(), None, state, event={"kind": "reminder"})
    return _offered(turn, reply, "release_day", turn.say("reminder_offer_release_day", **values),
                    turn.say("reminder_reprompt_release_day", **values))


def choose_daily_time(turn: Turn, at: time | None) -> Reply:
    """"At 8 PM", while the daily reminder is on offer: the offer again, at that time."""
    state = turn.started_state()
    offered = turn.session.optins.daily
    if offered is None:
        return what_next(turn, turn.say("reminder_not_offered"), state, _event("daily", "unsupported"))
    choice = DailyChoice(at or offered.at, offered.until)
    values = _daily_values(turn, choice)
    reply = Reply(Speech(), None, state, event={"kind": "reminder"})
    return _offered(turn, reply, "daily", turn.say("reminder_offer_daily", **values),
                    turn.say("reminder_reprompt_daily", **values), choice)


# -- answers -------------------------------------------------------------------------------------------


def accept(turn: Turn, offer: Offer) -> Reply | CreateReminder:
    """"Yes" to a reminder offer: the reminder to create, or why there is none to create."""
    kind = KINDS[offer.kind]
    state = turn.started_state()
    if state.optins.token(kind):
        return _already_set(turn, kind, state)
    choice = turn.session.optins.daily if kind == "daily" else None
    body = body_for(turn, kind, choice)
    if body is None:
        name = "reminder_too_late_release_day" if kind == "release_day" and plan(turn, kind) else \
            "reminder_not_offered"
        return what_next(turn, turn.say(name), state, _event(kind, "unsupported"))
    return CreateReminder(body, choice)


def _already_set(turn: Turn, kind: str, state) -> Reply:
    found = plan(turn, kind)
    if kind == "release_day" and found is not None:
        speech = turn.say("reminder_already_set_release_day", **_release_values(turn, found.at))
    else:
        speech = turn.say("reminder_already_set_daily")
    return what_next(turn, speech + turn.say("reminder_how_to_cancel"), state, _event(kind, "already_set"))


def decline(turn: Turn, offer: Offer) -> Reply:
    """"No" to a reminder offer: not offered again for a week, then what next."""
    kind = KINDS[offer.kind]
    state = turn.started_state()
    state = state._replace(optins=state.optins.cooled((kind,), turn.today + COOLING_OFF))
    return what_next(turn, turn.say("reminder_declined"), state, _event(kind, "declined"))


def created(turn: Turn, request: CreateReminder, result: ApiResult, after_consent: bool = False) -> Reply | AskConsent:
    """What the listener hears once the skill tried to create `request`'s reminder.

    Args:
        result: DONE with the alert token; NO_PERMISSION when the listener has not allowed
            reminders (Alexa then asks them: `AskConsent`); UNSUPPORTED (a 403: no reminders on
            this device or account); FAILED otherwise (nothing is stored as if it had been set).
        after_consent: the listener has just allowed reminders, so a NO_PERMISSION is a
            failure rather than a reason to ask again.
    """
    body = request.body
    state = turn.started_state()
    if result.outcome is Outcome.DONE and result.value:
        state = state._replace(optins=state.optins.with_token(body.kind, result.value))
        if body.kind == "release_day":
            found = plan(turn, body.kind)
            said = turn.say("reminder_set_release_day", **_release_values(turn, found.at)) if found else Speech()
        else:
            said = turn.say("reminder_set_daily", **_daily_values(turn, request.choice)) if request.choice \
                else Speech()
        return what_next(turn, said + turn.say("reminder_how_to_cancel"), state, _event(body.kind, "set", consented=not after_consent))
    if result.outcome is Outcome.NO_PERMISSION and not after_consent:
        token = ConsentRequest(body.kind, request.choice).token
        reply = Reply(Speech(), None, state, event=_event(body.kind, "consent_asked", consented=True))
        return AskConsent(SCOPE, token, reply)
    if result.outcome is Outcome.UNSUPPORTED:
        return what_next(turn, turn.say("reminder_unsupported"), state, _event(body.kind, "unsupported", consented=not after_consent))
    return what_next(turn, turn.say("reminder_failed"), state,
                     _event(body.kind, "failed", consented=not after_consent,
                            faults=["reminders_api_failed"]))


def consent_refused(turn: Turn, kind: str | None, answered: bool) -> Reply:
    """The listener did not allow reminders when Alexa asked (DENIED, or NOT_ANSWERED): say so
    kindly, and offer neither reminder again for a week (the card is the edge's to send).

    Args:
        kind: the reminder they had said yes to (None when the answer names none of ours).
        answered: they said no (DENIED) rather than nothing (NOT_ANSWERED).
    """
    state = turn.started_state()
    state = state._replace(optins=state.optins.cooled(tuple(OFFERS), turn.today + COOLING_OFF))
    name = "reminder_consent_denied" if answered else "reminder_consent_not_answered"
    return what_next(turn, turn.say(name), state, _event(kind or "release_day", "consent_denied"))


def cancel(turn: Turn) -> Reply | CancelReminders:
    """"Cancel my reminder": the reminders to delete, or that there is none."""
    state = turn.started_state()
    if not state.optins.tokens:
        return what_next(turn, turn.say("reminder_nothing_to_cancel"), state,
                         _event("release_day", "nothing_to_cancel"))
    return CancelReminders(dict(state.optins.tokens))


def cancelled(turn: Turn, results: Mapping[str, ApiResult]) -> Reply:
    """What the listener hears once the skill tried to delete their reminders (kind -> outcome):
    those deleted (or already gone) are forgotten; the others are kept, and said so."""
    state = turn.started_state()
    gone = [kind for kind in OFFERS if kind in results and results[kind].outcome is Outcome.DONE]
    optins = state.optins
    for kind in gone:
        optins = optins.with_token(kind, None)
    state = state._replace(optins=optins)
    speech = Speech()
    if gone:
        names = turn.listing([turn.text(f"reminder_name_{kind}") for kind in gone], "and")
        speech += turn.say("reminder_cancelled", reminders=names)
    failed = [kind for kind in results if kind not in gone]
    if failed:
        speech += turn.say("reminder_cancel_failed")
        return what_next(turn, speech, state, _event(failed[0], "failed", faults=["reminders_api_failed"]))
    return what_next(turn, speech, state, _event(gone[0], "cancelled"))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
