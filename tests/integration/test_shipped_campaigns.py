"""The shipped campaigns, checked only for what must hold of any campaign: each validates, every clip
is one Alexa plays, every interaction model is in sync, and the scripted demo runs without a fallback.
Their particular content (members, tips, dates) belongs to the content team: no test pins it."""

from __future__ import annotations

import pytest

from campaign_checks import campaign_problems
from dropday.content import campaign_files, campaign_name
from support import REPO

SHIPPED = [campaign_name(p) for p in campaign_files(REPO / "audio_manifest")]


def test_the_repository_ships_at_least_one_campaign():
    assert SHIPPED


@pytest.mark.parametrize("campaign", SHIPPED)
def test_a_shipped_campaign_holds_what_every_campaign_must(campaign):
    assert campaign_problems(REPO, campaign) == []


@pytest.mark.parametrize("campaign", SHIPPED)
def test_a_shipped_campaign_has_its_own_interaction_models(campaign):
    folder = REPO / "interaction_models" / campaign
    assert (folder / "skill.json").is_file()
    assert sorted(p.name for p in folder.glob("*.json")) != ["skill.json"]
