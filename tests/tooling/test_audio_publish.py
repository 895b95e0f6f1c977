"""`dropday audio publish`: validated clips to S3 under content-hashed keys, on moto's S3 (in process or a
moto server on loopback); a dry run from the local files alone. On the fixture campaign."""

from __future__ import annotations

import hashlib
import json
import shutil

import boto3
import pytest
from moto import mock_aws

from dropday.content import read_manifest
from support import FIXTURE_CAMPAIGN
from tooling_helpers import clip_file, manifest_file

BUCKET = "dropday-audio-test"
INDEX = f"audio_manifest/{FIXTURE_CAMPAIGN}.published.json"


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
    return f"{FIXTURE_CAMPAIGN}/{stem}.{digest[:12]}.mp3"


def test_every_clip_is_uploaded_under_a_content_hashed_key_with_long_immutable_caching(dropday, workspace, s3):
    clips = read_manifest(manifest_file(workspace)).audio_paths

    run = dropday("audio", "publish", "--bucket", BUCKET)

    assert run.status == 0
    assert keys(s3) == {expected_key(workspace, path) for path in clips}
    for key in keys(s3):
        head = s3.head_object(Bucket=BUCKET, Key=key)
        assert head["ContentType"] == "audio/mpeg"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body = s3.get_object(Bucket=BUCKET, Key=expected_key(workspace, "tips/otto-metronome.mp3"))["Body"].read()
    assert body == clip_file(workspace, "tips/otto-metronome.mp3").read_bytes()
    assert run.out[0] == f"[1/{len(clips)}] uploaded: {expected_key(workspace, clips[0])}"
    assert f"uploaded {len(clips)} clips, 0 already there, in s3://{BUCKET}/" in run.out


def test_the_index_maps_each_clip_path_to_its_key(dropday, workspace, s3):
    dropday("audio", "publish", "--bucket", BUCKET)
    index = json.loads((workspace / INDEX).read_text())
    assert index["campaign"] == FIXTURE_CAMPAIGN
    assert index["clips"]["tips/june-warm-up.mp3"] == expected_key(workspace, "tips/june-warm-up.mp3")
    assert set(index["clips"].values()) == keys(s3)


def test_publishing_again_skips_what_is_there_and_a_changed_clip_gets_a_new_key(dropday, workspace, studio, s3):
    clips = read_manifest(manifest_file(workspace)).audio_paths
    dropday("audio", "publish", "--bucket", BUCKET)
    old_key = expected_key(workspace, "tips/otto-tea.mp3")

    again = dropday("audio", "publish", "--bucket", BUCKET)
    assert f"uploaded 0 clips, {len(clips)} already there, in s3://{BUCKET}/" in again.out
    assert all("already there" in line for line in again.out[:len(clips)])

    shutil.copy(studio.good_clip, clip_file(workspace, "tips/otto-tea.mp3"))
    changed = dropday("audio", "publish", "--bucket", BUCKET)
    new_key = expected_key(workspace, "tips/otto-tea.mp3")
    assert f"uploaded 1 clip, {len(clips) - 1} already there, in s3://{BUCKET}/" in changed.out
    assert {old_key, new_key} <= keys(s3)  # the old clip stays for a skill version still pointing at it
    assert json.loads((workspace / INDEX).read_text())["clips"]["tips/otto-tea.mp3"] == new_key


def test_a_failing_manifest_publishes_nothing(dropday, workspace, studio, s3):
    shutil.copy(studio.wav_renamed, clip_file(workspace, "tips/june-notebook.mp3"))

    run = dropday("audio", "publish", "--bucket", BUCKET)

    assert run.status == 1
    assert "june-notebook.mp3 is a WAV file renamed to .mp3" in run.text
    assert run.out[-1] == "Nothing was published."
    assert keys(s3) == set()
    assert not (workspace / INDEX).exists()


def test_the_base_url_comes_from_the_distribution_serving_the_bucket(dropday, workspace, s3):
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


def test_without_a_distribution_it_says_the_base_url_is_unknown_and_what_to_do(dropday, workspace, s3):
    run = dropday("audio", "publish", "--bucket", BUCKET)
    assert run.out[-1].startswith(f"Base URL: unknown: no CloudFront distribution serves bucket {BUCKET}.")
    assert dropday("audio", "publish", "--bucket", BUCKET, "--base-url", "https://audio.example.com").out[-1] == \
        "Base URL: https://audio.example.com  (the skill's AUDIO_BASE_URL)"


def test_a_dry_run_works_offline_listing_each_key_and_the_index_it_would_write(dropday, workspace, monkeypatch):
    # GIVEN no AWS credentials at all, and no bucket anywhere
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    clips = read_manifest(manifest_file(workspace)).audio_paths
    # WHEN publishing as a dry run
    run = dropday("audio", "publish", "--bucket", BUCKET, "--dry-run")
    # THEN every clip is listed with the key it would get, and the index is shown as it would be written
    assert run.status == 0, run.err
    assert run.out[:len(clips)] == [f"[{n}/{len(clips)}] would upload: {expected_key(workspace, path)}  ({path}, new)"
                                    for n, path in enumerate(clips, start=1)]
    assert run.out[len(clips)] == f"would write {INDEX}:"
    index = json.loads("\n".join(run.out[len(clips) + 1:-1]))
    assert index["clips"] == {path: expected_key(workspace, path) for path in clips}
    assert run.out[-1] == (f"dry run: {len(clips)} clips for s3://{BUCKET}/; nothing was uploaded or written, and no "
                           "AWS account was asked (a real publish skips the clips already in the bucket)")
    assert not (workspace / INDEX).exists()


def test_a_dry_run_after_a_publish_tells_unchanged_clips_from_replaced_ones(dropday, workspace, studio, s3):
    assert dropday("audio", "publish", "--bucket", BUCKET).status == 0
    shutil.copy(studio.good_clip, clip_file(workspace, "tips/otto-tea.mp3"))
    run = dropday("audio", "publish", "--bucket", BUCKET, "--dry-run")
    lines = {line.split("(")[-1].split(",")[0]: line for line in run.out if line.startswith("[")}
    assert lines["tips/otto-tea.mp3"].endswith("(tips/otto-tea.mp3, replaced since the last publish)")
    assert " would upload: " in lines["tips/otto-tea.mp3"]
    assert lines["tips/bea-space.mp3"].endswith("(tips/bea-space.mp3, unchanged since the last publish)")
    assert " published already: " in lines["tips/bea-space.mp3"]


def test_endpoint_publishes_to_a_moto_server_on_loopback_creating_the_bucket(dropday, workspace):
    # GIVEN a moto server on loopback, as `.venv/bin/moto_server -p PORT` runs one, with no bucket yet
    from dropday.localdev.dynamodb_server import LocalDynamoDB  # a ThreadedMotoServer: it serves S3 too

    clips = read_manifest(manifest_file(workspace)).audio_paths
    with LocalDynamoDB() as server:
        endpoint = server.endpoint
        # WHEN publishing with --endpoint
        run = dropday("audio", "publish", "--bucket", BUCKET, "--endpoint", endpoint)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1",
                              aws_access_key_id="local", aws_secret_access_key="local")
        stored = {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
        again = dropday("audio", "publish", "--bucket", BUCKET, "--endpoint", endpoint)
    # THEN the bucket was made, every clip uploaded there under its key, and the index written
    assert run.status == 0, run.err
    assert run.out[0] == f"created bucket {BUCKET} at {endpoint}"
    assert stored == {expected_key(workspace, path) for path in clips}
    assert f"uploaded {len(clips)} clips, 0 already there, in s3://{BUCKET}/ at {endpoint}" in run.out
    assert json.loads((workspace / INDEX).read_text())["clips"] == {p: expected_key(workspace, p) for p in clips}
    assert f"uploaded 0 clips, {len(clips)} already there, in s3://{BUCKET}/ at {endpoint}" in again.out


def test_a_bucket_that_does_not_exist_is_named(dropday, workspace, s3):
    run = dropday("audio", "publish", "--bucket", "no-such-bucket")
    assert run.status == 1
    assert run.err == ("dropday audio publish: there is no bucket no-such-bucket; check the name "
                       "(stack output AudioBucketName)\n")
