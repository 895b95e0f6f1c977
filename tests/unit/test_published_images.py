"""The publish index at cold start: images come from it like clips, and an older index still reads."""

from __future__ import annotations

import json

import pytest

from dropday.content import with_published_keys
from dropday.core.campaign import ManifestError
from screens_support import screens_manifest


def index(tmp_path, campaign, images: dict | None) -> None:
    document = {"campaign": campaign.campaign, "clips": {p: f"k/{p}" for p in campaign.audio_paths}}
    if images is not None:
        document["images"] = images
    (tmp_path / f"{campaign.campaign}.published.json").write_text(json.dumps(document))


def test_images_are_served_from_the_keys_the_index_records(tmp_path):
    campaign = screens_manifest()
    index(tmp_path, campaign, {p: f"test-band/{p}.abc" for p in campaign.image_paths})
    published = with_published_keys(campaign, tmp_path)
    assert published.clip_key("images/cover.jpg") == "test-band/images/cover.jpg.abc"
    assert published.clip_key("tips/ivy-one.mp3") == "k/tips/ivy-one.mp3"


def test_an_index_written_before_images_existed_still_serves_a_campaign_without_images(tmp_path, test_campaign):
    index(tmp_path, test_campaign, None)
    assert with_published_keys(test_campaign, tmp_path).clip_key("tips/ivy-one.mp3") == "k/tips/ivy-one.mp3"


def test_an_image_added_after_the_last_publish_stops_the_cold_start_naming_it_and_the_fix(tmp_path):
    campaign = screens_manifest()
    index(tmp_path, campaign, {p: "x" for p in campaign.image_paths if p != "images/ferry.jpg"})
    with pytest.raises(ManifestError) as stopped:
        with_published_keys(campaign, tmp_path)
    assert "images.images/ferry.jpg: is missing: the image was added after the last publish. Fix: run " \
           "`dropday audio publish --bucket <audio bucket>`, then deploy again" in str(stopped.value)
