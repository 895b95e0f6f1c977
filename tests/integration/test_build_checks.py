"""`sam build` packs nothing `dropday validate` rejects, and the cold start refuses what the parser sees.

The build step (`scripts/compile_manifests.py`, run by lambda/Makefile) and the cold start run as
subprocesses, as they do in `sam build` and in Lambda, on a copy of the tests' own campaign with its
clips and interaction models (the `workspace` fixture: tests/fixtures/workspace, made whole by
tests/support.py's make_workspace).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURE_CAMPAIGN, REPO

#: Another campaign beside the fixture one, for a repository that holds a label's several campaigns.
SECOND_CAMPAIGN = "day-larks"


def edit(workspace: Path, old: str, new: str) -> Path:
    manifest = workspace / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml"
    text = manifest.read_text()
    assert text.count(old) == 1, old
    manifest.write_text(text.replace(old, new))
    return manifest


def build(workspace: Path) -> subprocess.CompletedProcess:
    """What lambda/Makefile runs: every manifest of the folder, into the artifact's folder."""
    out = workspace / "artifact"
    return subprocess.run([sys.executable, str(REPO / "scripts" / "compile_manifests.py"), str(out),
                           *map(str, sorted((workspace / "audio_manifest").glob("*.yaml")))],
                          capture_output=True, text=True, timeout=120, cwd=workspace)


def cold_start(manifest_dir: Path, campaign: str | None = None) -> subprocess.CompletedProcess:
    """A Lambda container starting on `manifest_dir` (the stack sets DROPDAY_CAMPAIGN to its campaign)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DROPDAY_CAMPAIGN", "AUDIO_BASE_URL")}
    env.update({"PYTHONPATH": str(REPO / "lambda"), "MANIFEST_DIR": str(manifest_dir)})
    if campaign:
        env["DROPDAY_CAMPAIGN"] = campaign
    return subprocess.run([sys.executable, "-c", "import lambda_function; from dropday.app import MANIFEST; "
                           "print(MANIFEST.campaign)"], capture_output=True, text=True,
                          env=env, cwd=REPO / "lambda", timeout=60)


def add_second_campaign(workspace: Path) -> None:
    """A label's second campaign beside the first, as a repository holds it: its manifest, clips and models."""
    manifests, models = workspace / "audio_manifest", workspace / "interaction_models"
    text = (manifests / f"{FIXTURE_CAMPAIGN}.yaml").read_text()
    assert text.count(f"campaign: {FIXTURE_CAMPAIGN}\n") == 1
    (manifests / f"{SECOND_CAMPAIGN}.yaml").write_text(
        text.replace(f"campaign: {FIXTURE_CAMPAIGN}\n", f"campaign: {SECOND_CAMPAIGN}\n"))
    shutil.copytree(manifests / "audio" / FIXTURE_CAMPAIGN, manifests / "audio" / SECOND_CAMPAIGN)
    shutil.copytree(models / FIXTURE_CAMPAIGN, models / SECOND_CAMPAIGN)


def test_the_campaign_is_validated_and_packed(workspace):
    result = build(workspace)
    assert result.returncode == 0, result.stderr
    assert "validated audio_manifest: 1 campaign, " in result.stdout
    assert sorted(p.name for p in (workspace / "artifact").iterdir()) == \
        [f"{FIXTURE_CAMPAIGN}.manifest.json", f"{FIXTURE_CAMPAIGN}.manifest.pickle"]
    # AND a container starts on what was packed
    started = cold_start(workspace / "artifact")
    assert started.stdout.split() == [FIXTURE_CAMPAIGN], started.stderr


def test_a_folder_of_several_campaigns_is_packed_whole_and_each_stack_serves_its_own(workspace):
    # GIVEN a repository with two campaigns
    add_second_campaign(workspace)
    # WHEN it is built
    result = build(workspace)
    # THEN both are validated and packed, each as JSON and parsed
    assert result.returncode == 0, result.stderr
    assert "validated audio_manifest: 2 campaigns, " in result.stdout
    assert sorted(p.name for p in (workspace / "artifact").iterdir()) == \
        sorted(f"{name}.manifest.{kind}" for name in (FIXTURE_CAMPAIGN, SECOND_CAMPAIGN) for kind in ("json", "pickle"))
    # AND a container serves the campaign its stack names, and refuses to guess without one
    assert cold_start(workspace / "artifact", SECOND_CAMPAIGN).stdout.split() == [SECOND_CAMPAIGN]
    unnamed = cold_start(workspace / "artifact")
    assert unnamed.returncode != 0
    assert "set DROPDAY_CAMPAIGN to the one to serve" in unnamed.stderr and "refusing to start" in unnamed.stderr


@pytest.mark.parametrize(("old", "new", "reported"), [
    ("  release_date: 2027-01-15\n", "  release_date: 2027-01-15\n  release_date: 2027-01-16\n",
     "album.release_date: `release_date` is given twice"),
    ("Play fewer notes.", "Play fewer notes <break time='1s'/>.",
     "tip bea-space, transcript: contains SSML markup `<break time='1s'/>`"),
    ("Play fewer notes.", "Play fewer\u200b notes.",
     "tip bea-space, transcript: contains the invisible character U+200B (ZERO WIDTH SPACE)"),
    ("offer_another_tip: Want another tip?", "offer_another_tip: Want another tip.",
     "speech.default.offer_another_tip: does not end with a question mark"),
    ("audio: tips/bea-space.mp3", "audio: tips/bea-spaces.mp3", "bea-spaces.mp3 does not exist"),
], ids=["duplicate-key", "ssml-markup", "invisible-character", "statement-for-a-question", "missing-clip"])
def test_the_build_stops_on_anything_dropday_validate_reports(workspace, old, new, reported):
    edit(workspace, old, new)
    result = build(workspace)
    assert result.returncode == 1
    assert reported in result.stderr
    last = result.stderr.rstrip().splitlines()[-1]
    assert "1 problem in 1 file; fix them and run dropday validate again" in last
    assert last.endswith("; nothing is packed")
    assert not (workspace / "artifact").exists()


def test_a_problem_in_one_campaign_packs_none_of_them(workspace):
    add_second_campaign(workspace)
    edit(workspace, "audio: tips/bea-space.mp3", "audio: tips/bea-spaces.mp3")
    result = build(workspace)
    assert result.returncode == 1
    assert f"{FIXTURE_CAMPAIGN}.yaml:" in result.stderr and "bea-spaces.mp3 does not exist" in result.stderr
    assert not (workspace / "artifact").exists()


@pytest.mark.parametrize(("old", "new", "reported"), [
    ("  release_date: 2027-01-15\n", "  release_date: 15/01/2027\n  release_date: 2027-01-15\n",
     "expected a date, found '15/01/2027' (in the first `release_date`, which YAML ignores)"),
    ("Play fewer notes.", "Play fewer notes <break time='1s'/>.", "contains SSML markup"),
], ids=["duplicate-key-hiding-a-bad-date", "ssml-markup"])
def test_the_cold_start_refuses_what_the_parser_sees(workspace, old, new, reported):
    edit(workspace, old, new)
    result = cold_start(workspace / "audio_manifest")
    assert result.returncode != 0
    assert reported in result.stderr and "refusing to start" in result.stderr
