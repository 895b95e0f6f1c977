"""The AWS Lambda Runtime API on loopback, and a function process that polls it: a packed
artifact run as the Lambda service runs it, without Docker and without AWS.

Lambda starts `python -m awslambdaric <Handler>` in the code folder; the runtime interface
client imports the handler (the function's *init*), then asks the Runtime API for an event
(`GET /next`), calls the handler and posts the result (`/response`) or the failure (`/error`).
An exception during init is posted to `/init/error` and the process exits. `RuntimeApiStub`
serves those endpoints and hands out the events it is given; `FunctionProcess` starts the
runtime interface client against it with an environment like Lambda's.

    with RuntimeApiStub() as api, FunctionProcess(python, code, runtime, handler, env).start(api):
        answer = api.invoke(event).response

The Runtime API is HTTP on loopback, as in Lambda (`AWS_LAMBDA_RUNTIME_API`). The `/next` reply
always carries a `Content-Type`: awslambdaric's native client crashes on one without it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

API = "/2018-06-01/runtime"
DEFAULT_FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:dropday-skill"


class FunctionFailed(Exception):
    """The function did not answer an invocation: it reported an error, its init failed, it ran
    past its timeout, or its process died. The message says which."""


@dataclass
class Invocation:
    """One event handed to the function, and what became of it.

    Attributes:
        request_id: the `Lambda-Runtime-Aws-Request-Id` it was delivered under.
        event: the event (any JSON value).
        delivered_at: `time.monotonic()` when the function fetched it (`GET /next`), or None.
        answered_at: `time.monotonic()` when its result or error arrived, or None.
        response: the function's result, decoded from JSON.
        error: what the function posted to `/error` (errorMessage, errorType, stackTrace).
    """

    request_id: str
    event: Any
    delivered_at: float | None = None
    answered_at: float | None = None
    response: Any = None
    error: dict[str, Any] | None = None
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def done(self) -> bool:
        """Whether a result or an error arrived."""
        return self._done.is_set()


class RuntimeApiStub:
    """The Lambda Runtime API (`/2018-06-01/runtime/...`) on 127.0.0.1, for one function process.

    Attributes:
        timeout_s: the function's timeout: `invoke` gives up after it, as Lambda would, and
            `Lambda-Runtime-Deadline-Ms` tells the function.
        init_error: what the function posted to `/init/error` (errorMessage, errorType,
            stackTrace), or None.
        polls: `time.monotonic()` of every `GET /next` (the first one marks the end of init).

    Use as a context manager; `address` is the value of `AWS_LAMBDA_RUNTIME_API`.
    """

    def __init__(self, timeout_s: float = 7.0, function_arn: str = DEFAULT_FUNCTION_ARN) -> None:
        self.timeout_s = timeout_s
        self.function_arn = function_arn
        self.init_error: dict[str, Any] | None = None
        self.polls: list[float] = []
        self._pending: queue.Queue[Invocation | None] = queue.Queue()
        self._invocations: dict[str, Invocation] = {}
        self._init_failed = threading.Event()
        self._closing = threading.Event()
        self._process: subprocess.Popen | None = None
        self._server = _Server(("127.0.0.1", 0), _handler_class(self))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def address(self) -> str:
        """`host:port`, the value of `AWS_LAMBDA_RUNTIME_API`."""
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self) -> RuntimeApiStub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._closing.set()
        self._pending.put(None)  # wakes a `GET /next` that is waiting
        self._server.shutdown()
        self._server.server_close()

    def watch(self, process: subprocess.Popen) -> None:
        """Notice when `process` (the function) dies, so that `invoke` does not wait in vain."""
        self._process = process

    def submit(self, event: Any) -> Invocation:
        """Queue `event` for the function's next `GET /next` (also before the function starts)."""
        invocation = Invocation(str(uuid.uuid4()), event)
        self._invocations[invocation.request_id] = invocation
        self._pending.put(invocation)
        return invocation

    def wait(self, invocation: Invocation, timeout_s: float | None = None) -> Invocation:
        """Wait until `invocation` is answered.

        Raises:
            FunctionFailed: init failed, the function posted an error, the process died, or
                `timeout_s` (default: the function's timeout once it fetched the event) passed.
        """
        limit = self.timeout_s if timeout_s is None else timeout_s
        start = time.monotonic()
        while not invocation._done.wait(0.02):
            if self._init_failed.is_set():
                raise FunctionFailed(f"the function's init failed: {self.init_error}")
            if self._process is not None and self._process.poll() is not None:
                raise FunctionFailed(f"the function's process exited ({self._process.returncode}) "
                                     f"before answering")
            begun = invocation.delivered_at or start
            if time.monotonic() - begun > limit:
                raise FunctionFailed(f"no answer {limit:g} s after the event was "
                                     f"{'delivered' if invocation.delivered_at else 'queued'}: "
                                     "Lambda would have stopped the function")
        if invocation.error is not None:
            raise FunctionFailed(f"the function reported an error: {invocation.error}")
        return invocation

    def invoke(self, event: Any, timeout_s: float | None = None) -> Invocation:
        """Hand `event` to the function and wait for its answer (see `wait`)."""
        return self.wait(self.submit(event), timeout_s)

    def wait_for_init_error(self, timeout_s: float = 30.0) -> dict[str, Any] | None:
        """What the function posted to `/init/error` within `timeout_s`, or None."""
        self._init_failed.wait(timeout_s)
        return self.init_error

    # -- called by the request handler ----------------------------------------------------------

    def _next(self) -> Invocation | None:
        self.polls.append(time.monotonic())
        while not self._closing.is_set():
            try:
                invocation = self._pending.get(timeout=0.1)
            except queue.Empty:
                continue
            if invocation is not None:
                invocation.delivered_at = time.monotonic()
            return invocation
        return None

    def _answered(self, request_id: str, *, response: Any = None, error: dict | None = None) -> bool:
        invocation = self._invocations.get(request_id)
        if invocation is None or invocation.done:
            return False
        invocation.answered_at = time.monotonic()
        invocation.response, invocation.error = response, error
        invocation._done.set()
        return True

    def _init_error(self, error: dict[str, Any]) -> None:
        self.init_error = error
        self._init_failed.set()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A function process that is stopped drops its connection: nothing to report."""
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler_class(stub: RuntimeApiStub) -> type[BaseHTTPRequestHandler]:
    class RuntimeApiHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the runtime client expects
        disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path != f"{API}/invocation/next":
                return self._reply(404, {"errorMessage": f"no such endpoint: GET {self.path}"})
            invocation = stub._next()
            if invocation is None:
                return self._reply(503, {"errorMessage": "the Runtime API is shutting down"})
            deadline_ms = int((time.time() + stub.timeout_s) * 1000)
            self._reply(200, invocation.event, {
                "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                "Lambda-Runtime-Deadline-Ms": str(deadline_ms),
                "Lambda-Runtime-Invoked-Function-Arn": stub.function_arn,
                "Lambda-Runtime-Trace-Id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0",
            })

        def do_POST(self) -> None:  # noqa: N802
            body = self._body()
            parts = self.path.removeprefix(API + "/").split("/")
            if parts == ["init", "error"]:
                stub._init_error(_json_or_text(body))
                return self._reply(202, {"status": "OK"})
            if len(parts) == 3 and parts[0] == "invocation" and parts[2] in ("response", "error"):
                value = _json_or_text(body)
                answered = stub._answered(parts[1], **({"response": value} if parts[2] == "response"
                                                       else {"error": value}))
                if answered:
                    return self._reply(202, {"status": "OK"})
                return self._reply(400, {"errorMessage": f"unknown or answered request id {parts[1]}"})
            self._reply(404, {"errorMessage": f"no such endpoint: POST {self.path}"})

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _reply(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")  # without it awslambdaric crashes
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (no line per request)
            pass

    return RuntimeApiHandler


def _json_or_text(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")


class FunctionProcess:
    """A function's process: `python -m awslambdaric <handler>` in the code folder, as Lambda starts it.

    Args:
        python: the interpreter (Lambda's is Python 3.12 with nothing installed beside it).
        code: the function's code folder (Lambda's `/var/task`, `LAMBDA_TASK_ROOT`).
        runtime: the folder with awslambdaric and the runtime's boto3 (Lambda's `/var/runtime`).
        handler: the handler string, `module.function`.
        environment: the function's own variables (template.yaml's `Environment`) and anything
            the caller adds (credentials, endpoints); Lambda's reserved variables are set here.
        log: file that receives the process's stdout and stderr (what CloudWatch would get).
        memory_mb, name, region: what Lambda tells the function about itself.

    `PYTHONPATH` is the code folder, then the runtime folder, and nothing else; bytecode is never
    written (`PYTHONDONTWRITEBYTECODE=1`: the code folder is read-only on Lambda).
    """

    def __init__(self, python: Path, code: Path, runtime: Path, handler: str, environment: Mapping[str, str],
                 log: Path, memory_mb: int = 256, name: str = "dropday-skill", region: str = "eu-west-1") -> None:
        self.python, self.code, self.runtime, self.handler = Path(python), Path(code), Path(runtime), handler
        self.environment, self.log = dict(environment), Path(log)
        self.memory_mb, self.name, self.region = memory_mb, name, region
        self.process: subprocess.Popen | None = None
        self.started_at: float | None = None
        self._log_file = None

    def env(self, api_address: str) -> dict[str, str]:
        """The process's whole environment: Lambda's reserved variables, then the function's."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC",
            "LAMBDA_TASK_ROOT": str(self.code), "LAMBDA_RUNTIME_DIR": str(self.runtime),
            "PYTHONPATH": os.pathsep.join([str(self.code), str(self.runtime)]), "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_LAMBDA_RUNTIME_API": api_address, "_HANDLER": self.handler,
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_FUNCTION_NAME": self.name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"2027/01/08/[$LATEST]{uuid.uuid4().hex}",
            "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region,
            **self.environment,
        }

    def start(self, api: RuntimeApiStub) -> FunctionProcess:
        """Start the process against `api` (returns at once; `started_at` is when it was spawned)."""
        self._log_file = open(self.log, "ab")  # noqa: SIM115 (closed in stop)
        env = self.env(api.address)
        self.started_at = time.monotonic()
        self.process = subprocess.Popen([str(self.python), "-m", "awslambdaric", self.handler], cwd=self.code,
                                        env=env, stdin=subprocess.DEVNULL, stdout=self._log_file,
                                        stderr=subprocess.STDOUT)
        api.watch(self.process)
        return self

    def peak_rss_kb(self) -> int | None:
        """The process's peak resident memory so far (`VmHWM`), like Lambda's "Max Memory Used"."""
        try:
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, AttributeError):
            pass
        return None

    def cpu_seconds(self) -> float | None:
        """CPU time the process has used so far (user and system, in clock ticks of 10 ms)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, AttributeError, IndexError, ValueError):
            return None

    def output(self) -> str:
        """Everything the process printed so far (its log lines)."""
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def stop(self) -> int | None:
        """End the process (as Lambda ends an idle environment); its exit code."""
        code = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            code = self.process.returncode
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return code

    def __enter__(self) -> FunctionProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
