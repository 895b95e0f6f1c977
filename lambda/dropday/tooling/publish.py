"""Publishing clips to S3 under content-hashed keys, and the index that maps clip paths to keys.

A clip's key is `<campaign>/<path without .mp3>.<first 12 hex digits of its SHA-256>.mp3`, e.g.
`lantern-foxes/tips/ada-humming-warmup.3f2a9c41b0de.mp3`. A changed recording gets a new key, so a
CDN or device cache can never serve the old sound under the new name, and each object can be cached
for a year as immutable. Old keys stay, so a skill version still running (or rolled back to) keeps
playing the clips it was built with.

The index (`audio_manifest/<campaign>.published.json`) depends only on the clips' contents, not on
the bucket: `{"campaign": ..., "clips": {"tips/ada-humming-warmup.mp3": "<key>", ...}}`. The skill
builds `AUDIO_BASE_URL/<key>` from it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

CONTENT_TYPE = "audio/mpeg"
CACHE_CONTROL = "public, max-age=31536000, immutable"
HASH_DIGITS = 12
DEFAULT_REGION = "eu-west-1"
INDEX_NOTE = ("Written by `dropday audio publish`: clip path in the manifest -> S3 key. "
              "The skill plays AUDIO_BASE_URL/<key>.")


class PublishError(Exception):
    """S3 refused or could not be reached; the message says what to check."""


@dataclass(frozen=True)
class Upload:
    """One clip to publish."""

    path: str       # as in the manifest, e.g. tips/ada-humming-warmup.mp3
    file: Path      # the MP3 on disk
    key: str        # the content-hashed S3 key


def sha256_of(file: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def clip_key(campaign: str, path: str, sha256: str) -> str:
    """The S3 key of a clip: `<campaign>/<path stem>.<sha256[:12]>.mp3`."""
    pure = PurePosixPath(path)
    return str(PurePosixPath(campaign) / pure.with_name(f"{pure.stem}.{sha256[:HASH_DIGITS]}{pure.suffix}"))


def plan(campaign: str, audio_dir: Path, paths: Iterable[str]) -> list[Upload]:
    """The uploads for a campaign's clips (each path once, in manifest order)."""
    return [Upload(p, audio_dir / p, clip_key(campaign, p, sha256_of(audio_dir / p))) for p in dict.fromkeys(paths)]


def index_of(campaign: str, uploads: Iterable[Upload]) -> dict[str, object]:
    """The index document for a campaign."""
    return {"_note": INDEX_NOTE, "campaign": campaign, "clips": {u.path: u.key for u in sorted(uploads,
                                                                                             key=lambda u: u.path)}}


def index_text(campaign: str, uploads: Iterable[Upload]) -> str:
    """The index file's text (sorted, one clip a line, so a change reads well in a diff)."""
    return json.dumps(index_of(campaign, uploads), indent=2, ensure_ascii=False) + "\n"


def write_index(file: Path, campaign: str, uploads: Iterable[Upload]) -> None:
    """Write the index."""
    file.write_text(index_text(campaign, uploads), encoding="utf-8")


def read_index(file: Path) -> Mapping[str, str]:
    """The clip path -> key mapping of an index file; empty when the file is missing or unreadable."""
    try:
        clips = json.loads(file.read_text(encoding="utf-8")).get("clips")
    except (OSError, ValueError, AttributeError):
        return {}
    return {str(k): str(v) for k, v in clips.items()} if isinstance(clips, dict) else {}


def clients(endpoint: str | None = None):
    """(S3 client, CloudFront client): AWS with the usual configuration, or the server at `endpoint`.

    A loopback endpoint (a moto server) gets throwaway credentials, so trying a publish locally
    needs no AWS account; addressing is path-style, as local servers expect.
    """
    import boto3
    from botocore.config import Config

    if endpoint is None:
        return boto3.client("s3"), boto3.client("cloudfront")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    options: dict[str, object] = {"endpoint_url": endpoint, "region_name": region}
    if _is_loopback(endpoint):
        options.update(aws_access_key_id="local", aws_secret_access_key="local", aws_session_token=None)
    return (boto3.client("s3", config=Config(s3={"addressing_style": "path"}), **options),
            boto3.client("cloudfront", **options))


def ensure_local_bucket(s3, bucket: str, endpoint: str) -> bool:
    """Create `bucket` at a loopback `endpoint` when it is missing (a local server starts empty).

    Returns True when it was created; never creates anything anywhere but on loopback.
    """
    if not _is_loopback(endpoint):
        return False
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except Exception as exc:
        if _code(exc) not in ("404", "NoSuchBucket", "NotFound"):
            return False  # upload_all reports it
    region = s3.meta.region_name
    config = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **config)
    return True


def upload_all(s3, bucket: str, uploads: list[Upload], dry_run: bool = False,
               report: Callable[[int, Upload, str], None] = lambda i, u, status: None) -> tuple[int, int]:
    """Upload each clip whose key is not in the bucket yet.

    Args:
        s3: a boto3 S3 client.
        bucket: the bucket name.
        uploads: the clips.
        dry_run: only say what would be uploaded.
        report: called after each clip with its 1-based number, the upload and "uploaded",
            "would upload" or "already there".

    Returns:
        (clips uploaded or that would be, clips already there).

    Raises:
        PublishError: the bucket is missing or refuses access.
    """
    _check_bucket(s3, bucket)
    sent = present = 0
    for number, upload in enumerate(uploads, start=1):
        if _exists(s3, bucket, upload.key):
            present += 1
            report(number, upload, "already there")
            continue
        if not dry_run:
            try:
                s3.put_object(Bucket=bucket, Key=upload.key, Body=upload.file.read_bytes(), ContentType=CONTENT_TYPE,
                              CacheControl=CACHE_CONTROL)
            except Exception as exc:  # botocore ClientError or a connection error
                raise PublishError(f"uploading {upload.key} to {bucket} failed: {_reason(exc)}") from None
        sent += 1
        report(number, upload, "would upload" if dry_run else "uploaded")
    return sent, present


def distribution_url(cloudfront, bucket: str) -> str | None:
    """The https URL of a CloudFront distribution whose origin is `bucket`, or None.

    Raises:
        PublishError: CloudFront could not be asked (no permission, no network).
    """
    try:
        pages = cloudfront.get_paginator("list_distributions").paginate()
        for page in pages:
            for item in page.get("DistributionList", {}).get("Items", []) or []:
                origins = item.get("Origins", {}).get("Items", []) or []
                if any(o.get("DomainName", "").startswith(f"{bucket}.s3.") for o in origins):
                    return f"https://{item['DomainName']}"
    except Exception as exc:
        raise PublishError(f"could not list CloudFront distributions: {_reason(exc)}") from None
    return None


def _check_bucket(s3, bucket: str) -> None:
    try:
        s3.head_bucket(Bucket=bucket)
    except Exception as exc:
        code = _code(exc)
        if code in ("404", "NoSuchBucket", "NotFound"):
            raise PublishError(f"there is no bucket {bucket}; check the name (stack output AudioBucketName)") from None
        if code in ("403", "AccessDenied"):
            raise PublishError(f"access to bucket {bucket} was refused; check your AWS credentials and that they "
                               "may s3:ListBucket, s3:GetObject and s3:PutObject on it") from None
        raise PublishError(f"bucket {bucket} could not be reached: {_reason(exc)}") from None


def _exists(s3, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except Exception as exc:
        if _code(exc) in ("404", "NoSuchKey", "NotFound"):
            return False
        raise PublishError(f"checking {key} in {bucket} failed: {_reason(exc)}") from None
    return True


def _code(exc: Exception) -> str:
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


def _reason(exc: Exception) -> str:
    error = getattr(exc, "response", {}).get("Error", {})
    return f"{error.get('Code')}: {error.get('Message')}" if error else str(exc)


def _is_loopback(endpoint: str) -> bool:
    from urllib.parse import urlsplit

    return (urlsplit(endpoint).hostname or "") in ("127.0.0.1", "localhost", "::1")
