"""Alexa's permission questions in `dropday chat`, and the reminders a listener has.

When a skill answers with `Connections.SendRequest` `AskFor` (an `AskForPermissionsConsentRequest`
for a `permissionScope`), Alexa itself asks the listener, and the chat shows it as Alexa says it:

    Alexa (consent): The Opt-In Owls would like to create reminders. Is that okay?

The person at the keyboard answers as the listener would: "yes" or "no" (the built-in intents'
phrases of the locale), or `/consent yes|no|ignore`. `ConsentDesk.request` is the
`Connections.Response` Alexa then sends the skill in the same session (name `AskFor`, status code 200,
`payload.status` ACCEPTED, DENIED or NOT_ANSWERED, the token echoed); an accepted permission is
granted to the listener's account first (`accounts`), so this request and every later one carries it.

`reminder_lines` lists the reminders a skill set for a listener in the Reminders API stub (`/reminders`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .accounts import EMAIL_SCOPE, REMINDERS_SCOPE, Account

SEND_REQUEST = "Connections.SendRequest"
#: What Alexa says a permission is for, in its question.
PURPOSES = {REMINDERS_SCOPE: "create reminders", EMAIL_SCOPE: "use your email address"}
#: `/consent` arguments, and the spoken answers' intents, as the status Alexa sends the skill.
ANSWERS = {"yes": "ACCEPTED", "no": "DENIED", "ignore": "NOT_ANSWERED"}
SPOKEN = {"AMAZON.YesIntent": "ACCEPTED", "AMAZON.NoIntent": "DENIED"}
HOW_TO_ANSWER = 'say "yes" or "no", or /consent yes|no|ignore'


@dataclass
class Question:
    """A permission question Alexa is asking for a skill (its campaign), from its AskFor directive."""

    campaign: str
    scope: str
    token: str


def ask_for(directives: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The AskFor directive among an answer's directives, or None."""
    return next((d for d in directives if d.get("type") == SEND_REQUEST and d.get("name") == "AskFor"), None)


def question_text(scope: str, skill_name: str) -> str:
    """What Alexa asks, e.g. `The Opt-In Owls would like to create reminders. Is that okay?`."""
    purpose = PURPOSES.get(scope, f"use the permission {scope}")
    return f"{skill_name} would like to {purpose}. Is that okay?"


def skill_name(models_dir: Path | None, locale: str, fallback: str) -> str:
    """The skill's name as Alexa says it: `skill.json`'s name for the locale, else `fallback`."""
    try:
        manifest = json.loads((Path(models_dir) / "skill.json").read_text(encoding="utf-8"))["manifest"]
        locales = manifest["publishingInformation"]["locales"]
        found = (locales.get(locale) or next(iter(locales.values())))["name"]
        return found if isinstance(found, str) and found.strip() else fallback
    except (OSError, TypeError, ValueError, KeyError, StopIteration):
        return fallback


class ConsentDesk:
    """The permission question waiting for the listener's answer on one device, if any."""

    def __init__(self) -> None:
        self.waiting: Question | None = None

    def asked(self, campaign: str, directives: list[dict[str, Any]]) -> Question | None:
        """Note the question of an answer's AskFor directive (None when the answer asks nothing)."""
        directive = ask_for(directives)
        if directive is None:
            return None
        payload = directive.get("payload") or {}
        self.waiting = Question(campaign, str(payload.get("permissionScope", "")), str(directive.get("token", "")))
        return self.waiting

    def request(self, status: str, account: Account | None) -> dict[str, Any]:
        """The Connections.Response that answers the waiting question with `status`; an ACCEPTED
        permission is granted to `account` first. The question is then answered."""
        question = self.waiting
        if question is None:
            raise ValueError("no permission question is waiting")
        if status == "ACCEPTED" and account is not None:
            account.allow(question.scope)
        self.waiting = None
        return {"type": "Connections.Response", "name": "AskFor", "status": {"code": "200", "message": "OK"},
                "token": question.token, "payload": {"permissionScope": question.scope, "status": status}}

    def drop(self) -> None:
        """Forget the question (its session is gone)."""
        self.waiting = None


def command_status(argument: str) -> str:
    """The status of `/consent yes|no|ignore`.

    Raises:
        ValueError: another argument.
    """
    status = ANSWERS.get(argument.strip().lower())
    if status is None:
        raise ValueError("/consent takes yes, no or ignore")
    return status


def heard(request: dict[str, Any]) -> str:
    """The `Heard:` line of a Connections.Response."""
    payload = request.get("payload") or {}
    return f"Connections.Response AskFor {payload.get('status')} ({payload.get('permissionScope')})"


# -- /reminders ---------------------------------------------------------------------------------------------


def reminders_report(listener: str, skills: list[tuple[str, dict[str, dict[str, Any]]]], locale: str,
                     now: datetime) -> str:
    """What `/reminders` prints: for each skill (its name, and the reminders it set for `listener`) that
    set any, or for the only one, how many and one line each."""
    lines = []
    for name, reminders in skills:
        found = reminder_lines(reminders, locale, now)
        if found or len(skills) == 1:
            count = f"{len(found)} reminder{'s' if len(found) != 1 else ''}" if found else "no reminders"
            lines += [f'({count} for listener "{listener}" from {name})'] + [f"  {line}" for line in found]
    return "\n".join(lines) or f'(no reminders for listener "{listener}" from any skill on this device)'


def reminder_lines(reminders: dict[str, dict[str, Any]], locale: str, now: datetime) -> list[str]:
    """One line per reminder, in the order they ring: when (local time and zone), how often, and what
    Alexa will say, e.g. `Fri 2027-01-15 09:00 Europe/London, once: "Yes Means Yes ... is out today!"`."""
    found = []
    for body in reminders.values():
        trigger = body.get("trigger") or {}
        zone = str(trigger.get("timeZoneId") or "UTC")
        first = _local(trigger.get("scheduledTime"))
        recurrence = trigger.get("recurrence") or {}
        text = _spoken(body, locale)
        if recurrence:
            start, end = _local(recurrence.get("startDateTime")), _local(recurrence.get("endDateTime"))
            rules = "; ".join(recurrence.get("recurrenceRules") or [])
            how = _how_often(rules)
            when = (f"{how} at {start:%H:%M} {zone}, from {start:%a %Y-%m-%d} until {end:%a %Y-%m-%d}"
                    if start and end else f"{how} ({rules}) {zone}")
            last = end
        else:
            when = f"{first:%a %Y-%m-%d %H:%M} {zone}, once" if first else f"{trigger.get('scheduledTime')} {zone}"
            last = first
        rung = last is not None and _past(last, zone, now)
        found.append((first or datetime.max, f'{when}: "{text}"' + (" (rung already)" if rung else "")))
    return [line for _, line in sorted(found, key=lambda pair: pair[0])]


def _local(text: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def _how_often(rules: str) -> str:
    if "FREQ=DAILY" in rules:
        return "every day"
    if "FREQ=WEEKLY" in rules:
        return "every week"
    return "repeating"


def _past(local: datetime, zone: str, now: datetime) -> bool:
    try:
        return local.replace(tzinfo=ZoneInfo(zone)) < now
    except (ValueError, KeyError):
        return False


def _spoken(body: dict[str, Any], locale: str) -> str:
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content") or []
    chosen = next((c for c in content if c.get("locale") == locale), content[0] if content else {})
    return str(chosen.get("text") or chosen.get("ssml") or "")
