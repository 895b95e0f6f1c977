"""The screens tests' own campaign: tests/fixtures/campaign.yaml with pictures, and what screens send."""

from __future__ import annotations

import copy
from functools import lru_cache

import yaml

from support import FIXTURES


@lru_cache(maxsize=1)
def _base_data() -> dict:
    return yaml.safe_load((FIXTURES / "campaign.yaml").read_text(encoding="utf-8"))


def campaign_data_with_images() -> dict:
    """The test campaign's data with a cover, a photo for Ivy (none for Max), art for backstage and
    for one of its stories."""
    data = copy.deepcopy(_base_data())
    data["album"]["cover"] = {"image": "images/cover.jpg", "description": "A neon sign saying Night Shift."}
    data["members"][0]["photo"] = {"image": "images/ivy.png", "description": "Ivy at the microphone."}
    backstage = next(s for s in data["sections"] if s["id"] == "backstage")
    backstage["art"] = {"image": "images/backstage.jpg", "description": "A tour van at night."}
    next(p for p in backstage["pieces"] if p["id"] == "story-ferry")["art"] = {
        "image": "images/ferry.jpg", "description": "A ferry's deck under the stars."}
    return data


def screens_manifest():
    """The test campaign with pictures, parsed."""
    from dropday.core.campaign import parse_manifest
    return parse_manifest(campaign_data_with_images(), source="screens-campaign")


def render_documents(answer) -> list[dict]:
    """The RenderDocument directives of an answer (a `localdev.conversation.Answer`)."""
    return [d for d in answer.directives if d.get("type") == "Alexa.Presentation.APL.RenderDocument"]


def only_render_document(answer) -> dict:
    """The one RenderDocument directive of an answer (fails when there is none or more than one)."""
    found = render_documents(answer)
    assert len(found) == 1, f"expected one RenderDocument, found {len(found)}: {answer.directives}"
    return found[0]
