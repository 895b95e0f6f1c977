"""Simulator tests: `dropday chat` run in-process against one moto server and one Alexa API stub
(Settings, Reminders, customer profile) for the whole test session (each test gets its own state
table), talking to the fixture campaign (tests/fixtures/workspace: The Night Owls, "Moth Light", out
2027-01-15) unless a test names another."""

from __future__ import annotations

import io
import os
import shutil
import uuid

import pytest

from support import FIXTURE_CAMPAIGN, FIXTURES, REPO

from dropday.cli.__main__ import build_parser
from dropday.cli.chat import run
from dropday.localdev.dynamodb_server import LocalDynamoDB, dynamodb_client
from dropday.localdev.alexa_api import AlexaApiStub
from dropday.localdev.backend import Backend


@pytest.fixture(scope="session")
def dynamodb_server():
    """One moto DynamoDB server on loopback for the whole test session."""
    with LocalDynamoDB() as server:
        yield server


@pytest.fixture(scope="session")
def backend(dynamodb_server):
    """The shared DynamoDB server and the Alexa API stub, trusted through REQUESTS_CA_BUNDLE."""
    old_bundle = os.environ.get("REQUESTS_CA_BUNDLE")
    with AlexaApiStub() as settings_api:
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


#: Campaigns the tests own that use, between them, every format the scripted demo shows.
FORMAT_CAMPAIGNS = ("campaign.yaml", "quiz-campaign.yaml", "playback-campaign.yaml")


@pytest.fixture(scope="session")
def formats_workspace(tmp_path_factory):
    """A folder of three campaigns the tests own (tests/fixtures: test-band with sections, the band and
    unlockables; quiz-band with the quiz and the daily question; echo-hall with long-form episodes), each
    with its en-GB and en-US models built from the repository's sample utterances. No clips: the chat
    shows a clip it cannot find without its length."""
    return campaigns_workspace(tmp_path_factory.mktemp("formats"), FORMAT_CAMPAIGNS)


@pytest.fixture(scope="session")
def optins_workspace(tmp_path_factory):
    """tests/fixtures/optins-campaign.yaml (optin-band: The Opt-In Owls, "Yes Means Yes" out Friday
    15 January 2027, a release-day reminder at 9 AM, a daily reminder, a prize draw) with its models."""
    return campaigns_workspace(tmp_path_factory.mktemp("optins"), ("optins-campaign.yaml",))


def campaigns_workspace(root, fixtures):
    """`root` laid out as a repository of the campaigns in `fixtures` (files of tests/fixtures), each with
    its en-GB and en-US models as `dropday models sync` builds them."""
    from dropday.content import read_manifest
    from dropday.tooling import model_sync

    (root / "audio_manifest").mkdir()
    samples, problems = model_sync.read_samples(REPO / "interaction_models" / "samples" / "en.yaml")
    assert samples is not None, problems
    for fixture in fixtures:
        manifest = read_manifest(FIXTURES / fixture)
        shutil.copy(FIXTURES / fixture, root / "audio_manifest" / f"{manifest.campaign}.yaml")
        folder = root / "interaction_models" / manifest.campaign
        folder.mkdir(parents=True)
        name = manifest.invocation_name or model_sync.derived_invocation_name(manifest.artist)
        for locale in ("en-GB", "en-US"):
            model = model_sync.build_model(manifest, name, locale, samples)
            (folder / f"{locale}.json").write_text(model_sync.render(model))
    return root


@pytest.fixture
def two_campaigns(fixture_workspace, tmp_path):
    """A repository with the fixture campaign and a second one made from it (day-larks: The Day Larks, whose
    singer is Ivy), each with its own interaction models as `dropday models sync` writes them."""
    from dropday.cli.__main__ import main

    root = tmp_path / "label"
    shutil.copytree(fixture_workspace, root)
    text = (root / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml").read_text()
    for old, new in (("campaign: night-owls", "campaign: day-larks"), ("The Night Owls", "The Day Larks"),
                     ("Moth Light", "Noon Light"), ("id: june\n    name: June", "id: ivy\n    name: Ivy"),
                     ("member: june", "member: ivy")):
        text = text.replace(old, new)
    (root / "audio_manifest" / "day-larks.yaml").write_text(text)
    audio = root / "audio_manifest" / "audio"
    shutil.copytree(audio / FIXTURE_CAMPAIGN, audio / "day-larks")
    (root / "interaction_models" / "day-larks").mkdir()
    shutil.copy(root / "interaction_models" / FIXTURE_CAMPAIGN / "skill.json",
                root / "interaction_models" / "day-larks" / "skill.json")
    assert main(["models", "sync", str(root / "audio_manifest"), "--campaign", "day-larks"]) == 0
    return root
