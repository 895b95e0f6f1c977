"""Traffic-simulator tests: `dropday simulate` run in-process on the tests' own campaign
(tests/traffic/fixtures: The Harbour Lights, "Low Water", out Friday 15 January 2027), against a moto
DynamoDB server and the Alexa API stubs on loopback, one set per test module."""

from __future__ import annotations

import io
import json
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from dropday.cli.__main__ import build_parser, main
from dropday.cli.simulate import run
from dropday.localdev.traffic_setup import traffic_backend
from support import REPO, alexa_clips
from traffic_support import CAMPAIGN, HERE, SECRET


@pytest.fixture(scope="session")
def harbour_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The campaign laid out as a label's repository holds it: the manifest, its episodes' clips,
    the sample utterances and the interaction models `dropday models sync` writes from them."""
    root = tmp_path_factory.mktemp("harbour-workspace")
    (root / "audio_manifest").mkdir()
    shutil.copy(HERE / "fixtures" / f"{CAMPAIGN}.yaml", root / "audio_manifest")
    shutil.copytree(HERE / "fixtures" / "interaction_models", root / "interaction_models")
    shutil.copytree(REPO / "interaction_models" / "samples", root / "interaction_models" / "samples")
    episodes = root / "audio_manifest" / "audio" / CAMPAIGN / "tbt"
    alexa_clips({episodes / "low-water.mp3": (300, 1.0), episodes / "tide-clock.mp3": (340, 1.0),
                 episodes / "lamp.mp3": (380, 1.0)})
    assert main(["models", "sync", str(root / "audio_manifest")]) == 0, "the campaign's models could not be made"
    return root


@pytest.fixture(scope="module")
def backend():
    """A moto DynamoDB server and the Settings, Reminders and profile API stubs, for one test module."""
    with traffic_backend() as services:
        yield services


@dataclass
class Simulated:
    """One `dropday simulate`: its exit status, what it printed, and the files it wrote."""

    status: int
    out: str
    err: str
    events: Path
    log: Path
    table: str

    def event_lines(self) -> list[str]:
        return self.events.read_text(encoding="utf-8").splitlines()

    def events_read(self) -> list[dict]:
        return [json.loads(line) for line in self.event_lines()]


@pytest.fixture(scope="module")
def simulate(backend, harbour_workspace, tmp_path_factory):
    """`simulate(*options) -> Simulated`: `dropday simulate` on the campaign with its own state table,
    its events and its log (at DEBUG) in a folder of their own."""

    def simulated(*options: str) -> Simulated:
        folder = tmp_path_factory.mktemp("simulated")
        table = f"traffic-{uuid.uuid4().hex[:12]}"
        events, log = folder / "events.jsonl", folder / "skill.log"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SKILL_STATE_TABLE", table)
            patch.setenv("DRAW_TABLE", f"{table}-draw")
            patch.setenv("LISTENER_KEY_SECRET", SECRET)
            args = build_parser(["simulate"]).parse_args([
                "simulate", "--manifest", str(harbour_workspace / "audio_manifest"), "--events", str(events),
                "--log", str(log), "--log-level", "DEBUG", *options])
            out, err = io.StringIO(), io.StringIO()
            status = run(args, stdout=out, stderr=err, backend=backend)
        return Simulated(status, out.getvalue(), err.getvalue(), events, log, table)

    return simulated
