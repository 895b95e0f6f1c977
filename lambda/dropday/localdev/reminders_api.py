"""A stand-in for the Alexa Reminders API, checking what the skill sends as Alexa would.

`RemindersApiStub` answers `POST /v1/alerts/reminders`, `DELETE /v1/alerts/reminders/{alertToken}`
and `GET /v1/alerts/reminders`; `localdev.alexa_api.AlexaApiStub` serves it over TLS on loopback
beside the Settings API, at the `apiEndpoint` the requests name.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = "/v1/alerts/reminders"
_ONE = re.compile(r"^/v1/alerts/reminders/(?P<token>[^/?]+)$")
#: Wall-clock time without an offset, as Alexa requires for `scheduledTime` (a trailing Z is rejected).
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")
_RULE = re.compile(r"^FREQ=(DAILY|WEEKLY);(BY[A-Z]+=[0-9A-Z,]+;)*INTERVAL=\d+;?$")

Answer = tuple[int, Any]


class RemindersApiStub:
    """The reminders a skill set for one listener, and the ways the API can say no.

    Attributes:
        granted: whether the listener has allowed the skill reminders (401 when not).
        supported: whether this device and account have reminders (403 on create when not).
        status: an HTTP status to answer every call with instead (429, 500, 503...), or None.
        delay: seconds to wait before answering (to test a slow API).
        reminders: alert token -> the reminder as created (its JSON body).
        calls: (method, path) of every call, in order.
        rejected: why each request was answered 400, in order.
    """

    def __init__(self) -> None:
        self.granted = False
        self.supported = True
        self.status: int | None = None
        self.delay = 0.0
        self.reminders: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str]] = []
        self.rejected: list[str] = []
        self._lock = threading.Lock()

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer | None:
        """The stub's answer to one HTTP request, or None when the path is not the Reminders API's."""
        path = path.split("?")[0]
        if path != ROOT and not _ONE.match(path):
            return None
        with self._lock:
            self.calls.append((method, path))
        if self.delay:
            time.sleep(self.delay)
        if not headers.get("Authorization", "").startswith("Bearer "):
            return 401, {"code": "UNAUTHORIZED", "message": "no access token"}
        if self.status is not None:
            return self.status, {"code": "STUBBED_FAILURE", "message": f"stubbed HTTP {self.status}"}
        if not self.granted:
            return 401, {"code": "UNAUTHORIZED", "message": "the customer has not allowed reminders for this skill"}
        if method == "POST" and path == ROOT:
            return self._create(body)
        if method == "DELETE" and (match := _ONE.match(path)):
            with self._lock:
                gone = self.reminders.pop(match["token"], None)
            return (200, {}) if gone is not None else (404, {"code": "NOT_FOUND", "message": "no such reminder"})
        if method == "GET" and path == ROOT:
            with self._lock:
                alerts = [{"alertToken": token, **reminder} for token, reminder in self.reminders.items()]
            return 200, {"totalCount": str(len(alerts)), "alerts": alerts}
        return 405, {"code": "METHOD_NOT_ALLOWED", "message": method}

    def _create(self, body: bytes) -> Answer:
        if not self.supported:
            return 403, {"code": "DEVICE_NOT_SUPPORTED", "message": "reminders are not supported on this device"}
        try:
            reminder = json.loads(body or b"null")
        except ValueError:
            reminder = None
        problem = problem_with(reminder)
        if problem:
            with self._lock:
                self.rejected.append(problem)
            return 400, {"code": "INVALID_REQUEST", "message": problem}
        token = f"amzn1.alert.reminder.{uuid.uuid4()}"
        with self._lock:
            self.reminders[token] = reminder
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000", time.gmtime())
        return 201, {"alertToken": token, "createdTime": now, "updatedTime": now, "status": "ON", "version": "1",
                     "href": f"{ROOT}/{token}"}


def problem_with(reminder: object) -> str | None:
    """What Alexa would reject in a create-reminder body, or None when it is well formed."""
    if not isinstance(reminder, dict):
        return "the body is not a JSON object"
    if not isinstance(reminder.get("requestTime"), str):
        return "requestTime is missing"
    trigger = reminder.get("trigger") if isinstance(reminder.get("trigger"), dict) else {}
    if trigger.get("type") != "SCHEDULED_ABSOLUTE":
        return f"trigger.type is {trigger.get('type')!r}, not SCHEDULED_ABSOLUTE"
    if not (isinstance(trigger.get("scheduledTime"), str) and _LOCAL_TIME.match(trigger["scheduledTime"])):
        return f"trigger.scheduledTime {trigger.get('scheduledTime')!r} is not a local time without an offset"
    try:
        ZoneInfo(trigger.get("timeZoneId") or "")
    except (ZoneInfoNotFoundError, ValueError):
        return f"trigger.timeZoneId {trigger.get('timeZoneId')!r} is not a time zone"
    recurrence = trigger.get("recurrence")
    if recurrence is not None:
        for key in ("startDateTime", "endDateTime"):
            if not (isinstance(recurrence.get(key), str) and _LOCAL_TIME.match(recurrence[key])):
                return f"trigger.recurrence.{key} {recurrence.get(key)!r} is not a local time without an offset"
        if recurrence["endDateTime"] <= recurrence["startDateTime"]:
            return "trigger.recurrence ends before it starts"
        rules = recurrence.get("recurrenceRules")
        if not (isinstance(rules, list) and rules and all(isinstance(r, str) and _RULE.match(r) for r in rules)):
            return f"trigger.recurrence.recurrenceRules {rules!r} are not recurrence rules"
        if "freq" in recurrence or "byDay" in recurrence:
            return "trigger.recurrence uses the deprecated freq/byDay"
    content = ((reminder.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if not (isinstance(content, list) and content and all(
            isinstance(c, dict) and c.get("locale") and (c.get("text") or c.get("ssml")) for c in content)):
        return "alertInfo.spokenInfo.content has no spoken text with its locale"
    if (reminder.get("pushNotification") or {}).get("status") not in ("ENABLED", "DISABLED"):
        return "pushNotification.status is missing"
    return None
