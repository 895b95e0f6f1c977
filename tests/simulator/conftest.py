"""Simulator tests: `dropday chat` run in-process against one moto server and one Settings API stub
for the whole test session (each test gets its own state table), talking to the fixture campaign
(tests/fixtures/workspace: The Night Owls, "Moth Light", out 2027-01-15)."""

from __future__ import annotations

import io
import os
import uuid

import pytest

from dropday.cli.__main__ import build_parser
from dropday.cli.chat import run
from dropday.localdev.dynamodb_server import LocalDynamoDB, dynamodb_client
from dropday.localdev.settings_api import SettingsApiStub
from dropday.localdev.backend import Backend


@pytest.fixture(scope="session")
def dynamodb_server():
    """One moto DynamoDB server on loopback for the whole test session."""
    with LocalDynamoDB() as server:
        yield server


@pytest.fixture(scope="session")
def backend(dynamodb_server):
    """The shared DynamoDB server and a Settings API stub, trusted through REQUESTS_CA_BUNDLE."""
    old_bundle = os.environ.get("REQUESTS_CA_BUNDLE")
    with SettingsApiStub() as settings_api:
        os.environ["REQUESTS_CA_BUNDLE"] = str(settings_api.ca_bundle)
        try:
            yield Backend(dynamodb_server.resource(), dynamodb_client(dynamodb_server.endpoint), settings_api)
        finally:
            if old_bundle is None:
                os.environ.pop("REQUESTS_CA_BUNDLE", None)
            else:
                os.environ["REQUESTS_CA_BUNDLE"] = old_bundle


@pytest.fixture
def state_table(backend, monkeypatch):
    """A fresh state table name for this test (the simulator creates it on the server)."""
    name = f"chat-{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("SKILL_STATE_TABLE", name)
    backend.settings_api.zones.clear()
    backend.settings_api.status, backend.settings_api.delay = 200, 0.0
    return name


@pytest.fixture
def chat(backend, state_table, fixture_workspace):
    """`chat(lines, *options) -> (exit status, output)`: `dropday chat` with `lines` on standard input, talking
    to the fixture campaign (night-owls) unless the options name another manifest."""

    def talk(lines: str | list[str], *options: str, stdin: io.StringIO | None = None) -> tuple[int, str]:
        text = lines if isinstance(lines, str) else "\n".join(lines) + "\n"
        out = io.StringIO()
        manifest = [] if "--manifest" in options else ["--manifest", str(fixture_workspace / "audio_manifest")]
        args = build_parser(["chat"]).parse_args(["chat", *manifest, *options])
        status = run(args, stdin=stdin or io.StringIO(text), stdout=out, backend=backend)
        return status, out.getvalue()

    return talk


@pytest.fixture
def say(chat):
    """`say(lines, *options) -> output`, asserting the chat ran."""

    def talk(lines, *options: str) -> str:
        status, output = chat(lines, *options)
        assert status == 0, output
        return output

    return talk
