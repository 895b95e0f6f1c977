"""`dropday audio publish`: validated clips to S3 under content-hashed keys, on moto's S3."""

from __future__ import annotations

import hashlib
import json
import shutil

import boto3
import pytest
from moto import mock_aws

from dropday.content import read_manifest
from tooling_helpers import DEMO_CAMPAIGN, clip_file, manifest_file

BUCKET = "dropday-audio-test"
INDEX = f"audio_manifest/{DEMO_CAMPAIGN}.published.json"


@pytest.fixture
def s3():
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield client


def keys(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def expected_key(root, path: str) -> str:
    digest = hashlib.sha256(clip_file(root, path).read_bytes()).hexdigest()
    stem = path.removesuffix(".mp3")
    return f"{DEMO_CAMPAIGN}/{stem}.{digest[:12]}.mp3"


def test_every_clip_is_uploaded_under_a_content_hashed_key_with_long_immutable_caching(dropday, demo, s3):
    clips = read_manifest(manifest_file(demo)).audio_paths

    run = dropday("audio", "publish", "--bucket", BUCKET)

    assert run.status == 0
    assert keys(s3) == {expected_key(demo, path) for path in clips}
    for key in keys(s3):
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ContentType"] == "audio/mpeg"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body = s3.get_object(Bucket=BUCKET, Key=expected_key(demo, "tips/rui-open-tuning.mp3"))["Body"].read()
    assert body == clip_file(demo, "tips/rui-open-tuning.mp3").read_bytes()
    assert run.out[0] == f"[1/{len(clips)}] uploaded: {expected_key(demo, clips[0])}"
    assert f"uploaded {len(clips)} clips, 0 already there, in s3://{BUCKET}/" in run.out


def test_the_index_maps_each_clip_path_to_its_key(dropday, demo, s3):
    dropday("audio", "publish", "--bucket", BUCKET)
    index = json.loads((demo / INDEX).read_text())
    assert index["campaign"] == DEMO_CAMPAIGN
    assert index["clips"]["tips/ada-humming-warmup.mp3"] == expected_key(demo, "tips/ada-humming-warmup.mp3")
    assert set(index["clips"].values()) == keys(s3)


def test_publishing_again_skips_what_is_there_and_a_changed_clip_gets_a_new_key(dropday, demo, studio, s3):
    clips = read_manifest(manifest_file(demo)).audio_paths
    dropday("audio", "publish", "--bucket", BUCKET)
    old_key = expected_key(demo, "tips/tomasz-tea.mp3")

    again = dropday("audio", "publish", "--bucket", BUCKET)
    assert f"uploaded 0 clips, {len(clips)} already there, in s3://{BUCKET}/" in again.out
    assert all("already there" in line for line in again.out[:len(clips)])

    shutil.copy(studio.good_clip, clip_file(demo, "tips/tomasz-tea.mp3"))
    changed = dropday("audio", "publish", "--bucket", BUCKET)
    new_key = expected_key(demo, "tips/tomasz-tea.mp3")
    assert f"uploaded 1 clip, {len(clips) - 1} already there, in s3://{BUCKET}/" in changed.out
    assert {old_key, new_key} <= keys(s3)  # the old clip stays for a skill version still pointing at it
    assert json.loads((demo / INDEX).read_text())["clips"]["tips/tomasz-tea.mp3"] == new_key


def test_a_failing_manifest_publishes_nothing(dropday, demo, studio, s3):
    shutil.copy(studio.wav_renamed, clip_file(demo, "tips/ada-title-track.mp3"))

    run = dropday("audio", "publish", "--bucket", BUCKET)

    assert run.status == 1
    assert "ada-title-track.mp3 is a WAV file renamed to .mp3" in run.text
    assert run.out[-1] == "Nothing was published."
    assert keys(s3) == set()
    assert not (demo / INDEX).exists()


def test_the_base_url_comes_from_the_distribution_serving_the_bucket(dropday, demo, s3):
    cloudfront = boto3.client("cloudfront")
    domain = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "audio", "DomainName": f"{BUCKET}.s3.eu-west-1.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "audio", "ViewerProtocolPolicy": "https-only",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    })["Distribution"]["DomainName"]

    run = dropday("audio", "publish", "--bucket", BUCKET)

    assert run.out[-1] == f"Base URL: https://{domain}  (the skill's AUDIO_BASE_URL)"


def test_without_a_distribution_it_says_the_base_url_is_unknown_and_what_to_do(dropday, demo, s3):
    run = dropday("audio", "publish", "--bucket", BUCKET)
    assert run.out[-1].startswith(f"Base URL: unknown: no CloudFront distribution serves bucket {BUCKET}.")
    assert dropday("audio", "publish", "--bucket", BUCKET, "--base-url", "https://audio.example.com").out[-1] == \
        "Base URL: https://audio.example.com  (the skill's AUDIO_BASE_URL)"


def test_a_dry_run_uploads_nothing_and_writes_no_index(dropday, demo, s3):
    run = dropday("audio", "publish", "--bucket", BUCKET, "--dry-run")
    assert run.status == 0
    assert run.out[0].startswith("[1/16] would upload: lantern-foxes/")
    assert keys(s3) == set()
    assert not (demo / INDEX).exists()


def test_a_bucket_that_does_not_exist_is_named(dropday, demo, s3):
    run = dropday("audio", "publish", "--bucket", "no-such-bucket")
    assert run.status == 1
    assert run.err == ("dropday audio publish: there is no bucket no-such-bucket; check the name "
                       "(stack output AudioBucketName)\n")
