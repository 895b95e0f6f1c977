"""The shipped demo campaign: valid, with real Alexa-compliant clips, matching the interaction models."""

from __future__ import annotations

import json

import pytest
from mutagen.mp3 import MP3

from dropday.content import campaign_files, load_campaign
from support import REPO

MANIFESTS = REPO / "audio_manifest"
LOCALES = ("en-GB", "en-US", "en-AU", "en-CA", "en-IN")


def test_the_demo_folder_holds_one_valid_campaign():
    assert [p.name for p in campaign_files(MANIFESTS)] == ["lantern-foxes.yaml"]
    campaign = load_campaign(MANIFESTS)
    assert len(campaign.members) == 4
    assert all(sum(t.member == m.id for t in campaign.tips) >= 3 for m in campaign.members)


def episodes(campaign) -> set[str]:
    """The audio of the long-form episodes: streams, not SSML clips."""
    return {p.recording.audio for s in campaign.sections if s.long_form for p in s.pieces}


def test_every_clip_is_a_real_alexa_compliant_mp3(demo_campaign):
    for path in set(demo_campaign.audio_paths) - episodes(demo_campaign):
        info = MP3(MANIFESTS / "audio" / demo_campaign.campaign / path).info
        assert (info.version, info.layer, info.bitrate, info.sample_rate) == (2, 3, 48000, 24000), path
        assert 0.5 < info.length <= 240, path


def test_the_track_by_track_has_three_episodes_too_long_for_ssml_that_audioplayer_streams(demo_campaign):
    from dropday.tooling.streams import check_stream
    found = sorted(episodes(demo_campaign))
    assert len(found) >= 3
    for path in found:
        check = check_stream(MANIFESTS / "audio" / demo_campaign.campaign / path, path, "-")
        assert check.ok, check.problems
        assert check.seconds > 240, path


@pytest.mark.parametrize("locale", LOCALES)
def test_the_member_slot_lists_exactly_the_manifests_members(demo_campaign, locale):
    model = json.loads((REPO / "interaction_models" / f"{locale}.json").read_text())["interactionModel"]["languageModel"]
    [members] = [t for t in model["types"] if t["name"] == "BAND_MEMBER"]
    in_model = {v["id"]: {v["name"]["value"], *v["name"].get("synonyms", [])} for v in members["values"]}
    in_manifest = {m.id: {m.name.lower(), *m.synonyms} for m in demo_campaign.members}
    assert in_model == in_manifest


@pytest.mark.parametrize("locale", LOCALES)
def test_the_model_has_every_intent_the_skill_handles(locale):
    model = json.loads((REPO / "interaction_models" / f"{locale}.json").read_text())["interactionModel"]["languageModel"]
    assert model["invocationName"] == "lantern foxes"
    assert {i["name"] for i in model["intents"]} >= {
        "TipIntent", "CountdownIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent",
        "AMAZON.RepeatIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
        "AMAZON.FallbackIntent", "AMAZON.NavigateHomeIntent"}
