"""A stand-in for the Alexa customer profile API's email address (`Profile.email`).

`localdev.alexa_api.AlexaApiStub` serves it over TLS on loopback beside the Settings API.
"""

from __future__ import annotations

import threading
import time
from typing import Any

EMAIL_PATH = "/v2/accounts/~current/settings/Profile.email"


class ProfileApiStub:
    """The listener's email address, and the ways the API can say no.

    Attributes:
        granted: whether the listener has allowed the skill their email address (403 when not).
        email: their address; None for an account without one (204).
        status: an HTTP status to answer with instead (429, 500...), or None.
        delay: seconds to wait before answering.
        calls: how many email requests arrived.
    """

    def __init__(self, email: str | None = "listener@example.com") -> None:
        self.granted = False
        self.email = email
        self.status: int | None = None
        self.delay = 0.0
        self.calls = 0
        self._lock = threading.Lock()

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any] | None:
        """The stub's answer to one HTTP request, or None when the path is not this API's."""
        if path.split("?")[0] != EMAIL_PATH:
            return None
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        if method != "GET":
            return 405, {"code": "METHOD_NOT_ALLOWED", "message": method}
        if not headers.get("Authorization", "").startswith("Bearer "):
            return 401, {"code": "UNAUTHORIZED", "message": "no access token"}
        if self.status is not None:
            return self.status, {"code": "UNKNOWN_ERROR", "message": f"stubbed HTTP {self.status}"}
        if not self.granted:
            return 403, {"code": "ACCESS_DENIED", "message": "the customer has not allowed this skill their email"}
        if self.email is None:
            return 204, None
        return 200, self.email
