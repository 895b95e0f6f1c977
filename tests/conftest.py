"""Shared test set-up: a fake AWS environment, paths, and the campaigns tests use."""

from __future__ import annotations

import os
import pytest

# Before anything imports boto3 or the skill: nothing in the tests may reach real AWS.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "eu-west-1",
})
for name in ("SKILL_IDS", "AUDIO_BASE_URL", "AWS_PROFILE"):
    os.environ.pop(name, None)

from support import FIXTURES, make_workspace  # noqa: E402

# Importing dropday.app loads a campaign (the Lambda cold start): the tests' own, never a shipped one.
os.environ.update({"MANIFEST_DIR": str(FIXTURES), "DROPDAY_CAMPAIGN": "campaign"})


@pytest.fixture(scope="session")
def test_campaign():
    """The small test campaign in tests/fixtures/campaign.yaml."""
    from dropday.content import read_manifest
    return read_manifest(FIXTURES / "campaign.yaml")


@pytest.fixture(scope="session")
def fixture_workspace(tmp_path_factory: pytest.TempPathFactory):
    """The fixture campaign (tests/fixtures/workspace) with its clips and models, made once per session:
    read it, never change it (`workspace` gives a test a copy of its own)."""
    return make_workspace(tmp_path_factory.mktemp("fixture-workspace"))


@pytest.fixture
def workspace(fixture_workspace, tmp_path, monkeypatch):
    """A copy of the fixture campaign for one test to change; the working directory is its root."""
    import shutil

    root = tmp_path / "workspace"
    shutil.copytree(fixture_workspace, root)
    monkeypatch.chdir(root)
    return root
