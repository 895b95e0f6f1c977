"""The suite's checks of any campaign (tests/campaign_checks.py) catch what they are there for."""

from __future__ import annotations

import shutil

from campaign_checks import campaign_problems
from support import FIXTURE_CAMPAIGN
from tooling_helpers import clip_file, edit, manifest_file, models_dir


def test_the_fixture_campaign_passes_them(workspace):
    assert campaign_problems(workspace, FIXTURE_CAMPAIGN) == []


def test_a_stale_model_a_bad_clip_and_a_missing_built_in_are_each_caught(workspace, studio):
    # GIVEN a member nobody synced, a clip at the wrong rate, and a model without AMAZON.StopIntent
    edit(manifest_file(workspace), "synonyms: [otto berg, the drummer, drums]", "synonyms: [otto berg, drums]")
    shutil.copy(studio.take_mp3, clip_file(workspace, "tips/bea-space.mp3"))
    model = models_dir(workspace) / "en-GB.json"
    model.write_text(model.read_text().replace('"AMAZON.StopIntent"', '"AMAZON.StopIntentX"'))
    # WHEN the campaign checks run
    problems = campaign_problems(workspace, FIXTURE_CAMPAIGN)
    # THEN each is among the problems
    assert any(p.startswith("dropday validate:") for p in problems)
    assert any(p.startswith("dropday models sync --check:") for p in problems)
    assert any(p.startswith("tips/bea-space.mp3 is not a clip Alexa plays") for p in problems)
    assert "en-GB.json lacks AMAZON.StopIntent, which Alexa requires" in problems


def test_a_demo_that_reaches_the_fallback_is_caught(workspace):
    # GIVEN a model that no longer understands "how long until the album comes out?"
    for model in models_dir(workspace).glob("en-*.json"):
        model.write_text(model.read_text().replace('"how long until the album comes out"', '"how long is a song"'))
    problems = campaign_problems(workspace, FIXTURE_CAMPAIGN)
    assert any(p.startswith("the scripted demo went wrong: You:   How long until the album comes out?")
               for p in problems)
