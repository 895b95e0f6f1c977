"""A stub of the Alexa Settings API on loopback, over TLS, so the SDK's real HTTP call runs.

The SDK's `DefaultApiClient` refuses plain http, so the stub serves HTTPS with a throwaway
certificate for 127.0.0.1 (made with `trustme`); point `REQUESTS_CA_BUNDLE` at `ca_bundle`.
"""

from __future__ import annotations

import json
import re
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import trustme

_TIME_ZONE_PATH = re.compile(r"^/v2/devices/(?P<device>[^/]+)/settings/System\.timeZone$")


class SettingsApiStub:
    """`GET /v2/devices/{deviceId}/settings/System.timeZone` answering the zone set per device.

    Attributes:
        zones: device id -> IANA zone name; other devices get `default_zone`.
        delay: seconds to wait before answering (to test a slow API).
        status: HTTP status to answer with (to test failures).
        calls: how many time zone requests arrived.

    Use as a context manager; `endpoint` is the `apiEndpoint` to put in requests.
    """

    def __init__(self, default_zone: str = "Europe/London") -> None:
        self.default_zone = default_zone
        self.zones: dict[str, str] = {}
        self.delay = 0.0
        self.status = 200
        self.calls = 0
        self._folder = tempfile.TemporaryDirectory(prefix="dropday-settings-api-")
        authority = trustme.CA()
        self.ca_bundle = Path(self._folder.name) / "ca.pem"
        authority.cert_pem.write_to_path(str(self.ca_bundle))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def endpoint(self) -> str:
        """The base URL to use as `context.System.apiEndpoint`."""
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> SettingsApiStub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._folder.cleanup()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                match = _TIME_ZONE_PATH.match(self.path)
                if not match:
                    self._answer(404, {"message": "not found"})
                    return
                stub.calls += 1
                if stub.delay:
                    time.sleep(stub.delay)
                if stub.status != 200:
                    self._answer(stub.status, {"type": "INTERNAL_ERROR", "message": "stubbed failure"})
                    return
                self._answer(200, stub.zones.get(match["device"], stub.default_zone))

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                    pass  # the client gave up waiting, as it should when we are slow

            def log_message(self, *args: object) -> None:
                pass

        return Handler
