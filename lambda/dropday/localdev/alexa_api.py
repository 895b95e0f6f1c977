"""The Alexa APIs the skill calls, on one loopback TLS endpoint, as Alexa serves them at `apiEndpoint`:
the Settings API's time zone (`settings_api.SettingsApiStub`), the Reminders API
(`reminders_api.RemindersApiStub`) and the customer profile's email (`profile_api.ProfileApiStub`).

Trust its certificate through `REQUESTS_CA_BUNDLE` (`ca_bundle`), as for the Settings API stub.
"""

from __future__ import annotations

import ssl
from http.server import BaseHTTPRequestHandler

from .profile_api import ProfileApiStub
from .reminders_api import RemindersApiStub
from .settings_api import SettingsApiStub


class AlexaApiStub(SettingsApiStub):
    """`SettingsApiStub` that also answers the Reminders and customer profile APIs.

    Attributes:
        reminders: the Reminders API's state and failure knobs.
        profile: the customer profile's state and failure knobs.
    """

    def __init__(self, default_zone: str = "Europe/London") -> None:
        self.reminders = RemindersApiStub()
        self.profile = ProfileApiStub()
        super().__init__(default_zone)

    def __enter__(self) -> AlexaApiStub:
        super().__enter__()
        return self

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        settings = super()._handler_class()
        stub = self

        class Handler(settings):  # type: ignore[valid-type, misc]
            def do_GET(self) -> None:  # noqa: N802
                if not self._routed("GET"):
                    super().do_GET()

            def do_POST(self) -> None:  # noqa: N802
                if not self._routed("POST"):
                    self._answer(404, {"message": "not found"})

            def do_DELETE(self) -> None:  # noqa: N802
                if not self._routed("DELETE"):
                    self._answer(404, {"message": "not found"})

            def _routed(self, method: str) -> bool:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items()}
                for api in (stub.reminders, stub.profile):
                    answer = api.answer(method, self.path, headers, body)
                    if answer is not None:
                        self._answer(*answer)
                        return True
                return False

            def _answer(self, status: int, body: object) -> None:
                if status != 204:
                    super()._answer(status, body)
                    return
                try:
                    self.send_response(204)
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass

        return Handler

