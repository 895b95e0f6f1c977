"""Faults made for real on loopback: a DynamoDB that hangs, throttles, refuses or denies."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from support import atomic_moto_server, create_state_table, free_port

TABLE = "dropday-fault-state"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server on loopback (its endpoint URL), shared by the tests of this folder."""
    port = free_port()
    server = atomic_moto_server(port)   # conditional writes as atomic as DynamoDB's (tests/support.py)
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def state_table(moto_server) -> str:
    """A fresh state table on the moto server; returns its name."""
    name = f"{TABLE}-{time.monotonic_ns()}"
    create_state_table(boto3.resource("dynamodb", endpoint_url=moto_server), name)
    return name


class FaultyDynamoDB:
    """An HTTP endpoint in front of the moto server that misbehaves on purpose.

    Attributes:
        mode: "pass" (forward to moto), "hang" (accept, never answer), "throttle" (answer
            ProvisionedThroughputExceededException), "error" (HTTP 500).
        faults_left: how many requests misbehave before it passes again (None: all of them).
        operations: the operations that misbehave (None: all of them), e.g. {"PutItem"}.
        requests: every DynamoDB operation received, by its X-Amz-Target name.
    """

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.mode = "pass"
        self.faults_left: int | None = None
        self.operations: set[str] | None = None
        self.requests: list[str] = []
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def _misbehaves(self, operation: str) -> bool:
        if self.mode == "pass" or (self.operations is not None and operation not in self.operations):
            return False
        if self.faults_left is None:
            return True
        if self.faults_left > 0:
            self.faults_left -= 1
            return True
        return False

    def _handler_class(self):
        faulty = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                operation = self.headers.get("X-Amz-Target", "").split(".")[-1]
                faulty.requests.append(operation)
                if faulty._misbehaves(operation):
                    if faulty.mode == "hang":
                        faulty._release.wait(30)
                        return
                    if faulty.mode == "throttle":
                        self._send(400, b'{"__type":"com.amazonaws.dynamodb.v20120810#'
                                        b'ProvisionedThroughputExceededException","message":"slow down"}')
                        return
                    self._send(500, b'{"__type":"com.amazon.coral.availability#InternalFailure"}')
                    return
                import urllib.request
                request = urllib.request.Request(faulty.upstream + self.path, data=body, method="POST",
                                                 headers={k: v for k, v in self.headers.items()
                                                          if k.lower() not in ("host", "content-length")})
                try:
                    with urllib.request.urlopen(request, timeout=10) as upstream:
                        self._send(upstream.status, upstream.read())
                except urllib.error.HTTPError as error:
                    self._send(error.code, error.read())

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def faulty_dynamodb(moto_server) -> Iterator[FaultyDynamoDB]:
    faulty = FaultyDynamoDB(moto_server)
    yield faulty
    faulty.close()
