"""`sam build` packs nothing `dropday validate` rejects, and the cold start refuses what the parser sees.

The build step (`scripts/compile_manifests.py`, run by lambda/Makefile) and the cold start run as
subprocesses, as they do in `sam build` and in Lambda, on a copy of the demo campaign.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import REPO

DEMO = "lantern-foxes"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the demo campaign, its clips and the interaction models."""
    shutil.copytree(REPO / "audio_manifest", tmp_path / "audio_manifest",
                    ignore=shutil.ignore_patterns("*.published.json"))
    shutil.copytree(REPO / "interaction_models", tmp_path / "interaction_models")
    return tmp_path


def edit(workspace: Path, old: str, new: str) -> Path:
    manifest = workspace / "audio_manifest" / f"{DEMO}.yaml"
    text = manifest.read_text()
    assert text.count(old) == 1, old
    manifest.write_text(text.replace(old, new))
    return manifest


def build(workspace: Path) -> subprocess.CompletedProcess:
    out = workspace / "artifact"
    return subprocess.run([sys.executable, str(REPO / "scripts" / "compile_manifests.py"), str(out),
                           *map(str, sorted((workspace / "audio_manifest").glob("*.yaml")))],
                          capture_output=True, text=True, timeout=120, cwd=workspace)


def cold_start(manifest_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DROPDAY_CAMPAIGN", "AUDIO_BASE_URL")}
    return subprocess.run([sys.executable, "-c", "import lambda_function"], capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(REPO / "lambda"), "MANIFEST_DIR": str(manifest_dir)},
                          cwd=REPO / "lambda", timeout=60)


def test_the_demo_is_validated_and_packed(workspace):
    result = build(workspace)
    assert result.returncode == 0, result.stderr
    assert "validated audio_manifest: 1 campaign" in result.stdout
    assert [p.name for p in (workspace / "artifact").iterdir()] == [f"{DEMO}.manifest.json"]


@pytest.mark.parametrize(("old", "new", "reported"), [
    ("  release_date: 2027-01-15\n", "  release_date: 2027-01-15\n  release_date: 2027-01-16\n",
     "album.release_date: `release_date` is given twice"),
    ("Play fewer notes than you think.", "Play fewer notes <break time='1s'/> than you think.",
     "contains SSML markup `<break time='1s'/>`"),
    ("Play fewer notes than you think.", "Play fewer\u200b notes than you think.",
     "contains the invisible character U+200B (ZERO WIDTH SPACE)"),
    ("offer_another_tip: Want another tip?", "offer_another_tip: Want another tip.",
     "speech.default.offer_another_tip: does not end with a question mark"),
    ("audio: tips/tomasz-brushes.mp3", "audio: tips/tomasz-brush.mp3", "tomasz-brush.mp3 does not exist"),
], ids=["duplicate-key", "ssml-markup", "invisible-character", "statement-for-a-question", "missing-clip"])
def test_the_build_stops_on_anything_dropday_validate_reports(workspace, old, new, reported):
    edit(workspace, old, new)
    result = build(workspace)
    assert result.returncode == 1
    assert reported in result.stderr
    assert "fix them and run dropday validate again; nothing is packed" in result.stderr
    assert not (workspace / "artifact").exists()


@pytest.mark.parametrize(("old", "new", "reported"), [
    ("  release_date: 2027-01-15\n", "  release_date: 15/01/2027\n  release_date: 2027-01-15\n",
     "expected a date, found '15/01/2027' (in the first `release_date`, which YAML ignores)"),
    ("Play fewer notes than you think.", "Play fewer notes <break time='1s'/> than you think.",
     "contains SSML markup"),
], ids=["duplicate-key-hiding-a-bad-date", "ssml-markup"])
def test_the_cold_start_refuses_what_the_parser_sees(workspace, old, new, reported):
    edit(workspace, old, new)
    result = cold_start(workspace / "audio_manifest")
    assert result.returncode != 0
    assert reported in result.stderr and "refusing to start" in result.stderr
