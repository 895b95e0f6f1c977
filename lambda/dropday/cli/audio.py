"""`dropday audio convert` and `dropday audio publish`: studio recordings to clips Alexa plays."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..tooling import publish as publishing
from ..tooling.convert import ConvertError, convert, expand, ffmpeg_exe, output_name
from ..tooling.findings import UsageError, locate, shown
from ..tooling.validation import validate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `audio` command and its `convert` and `publish` subcommands."""
    parser = subparsers.add_parser("audio", help="convert recordings into Alexa clips; publish clips to S3",
                                   description="Convert studio recordings into clips Alexa plays, and publish "
                                               "a campaign's clips to S3.")
    commands = parser.add_subparsers(dest="audio_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _usage(parser))

    to_mp3 = commands.add_parser(
        "convert", help="turn recordings (wav, flac, m4a, mp3, any rate) into Alexa-compliant MP3 clips",
        description="Convert recordings into clips Alexa plays: silence trimmed from both ends, loudness "
                    "normalised to -16 LUFS (EBU R128), MPEG-2 layer III 48 kbps 24000 Hz mono. Each clip is "
                    "named after its recording, in lowercase with hyphens (\"Ada Warm-up.wav\" -> "
                    "ada-warm-up.mp3). Clips over 240 s after trimming are refused.")
    to_mp3.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="recordings, or folders of them")
    to_mp3.add_argument("--out", type=Path, default=Path("."), metavar="DIR",
                        help="folder for the clips, e.g. audio_manifest/audio/<campaign>/tips (default: here)")
    to_mp3.add_argument("--loudness", type=float, default=-16.0, metavar="LUFS",
                        help="integrated loudness target (default: -16)")
    to_mp3.set_defaults(func=run_convert)

    to_s3 = commands.add_parser(
        "publish", help="upload a campaign's clips to S3 under content-hashed names",
        description="Validate, then upload every clip of the campaign(s) under PATH to the bucket, under "
                    "<campaign>/<path>.<hash>.mp3 (a changed clip gets a new name, so no cache serves an old "
                    "one), with Content-Type audio/mpeg and a one-year immutable cache lifetime. Clips already "
                    "in the bucket are skipped. Writes audio_manifest/<campaign>.published.json, which the skill "
                    "uses to find each clip, and prints the base URL the skill must use. A manifest with any "
                    "problem publishes nothing.")
    to_s3.add_argument("path", nargs="?", type=Path, metavar="PATH",
                       help="a folder of manifests or one manifest file (default: audio_manifest/)")
    to_s3.add_argument("--bucket", required=True, metavar="NAME",
                       help="the audio bucket (stack output AudioBucketName)")
    to_s3.add_argument("--campaign", metavar="NAME", help="publish only this campaign")
    to_s3.add_argument("--base-url", metavar="URL",
                       help="the https URL the bucket is served from (default: found from the CloudFront "
                            "distribution whose origin is the bucket)")
    to_s3.add_argument("--dry-run", action="store_true",
                       help="show the keys that would be uploaded and the index that would be written, from the "
                            "local files alone: no AWS account, credentials or bucket needed; changes nothing")
    to_s3.add_argument("--endpoint", metavar="URL",
                       help="talk to the S3 (and CloudFront) at URL instead of AWS, e.g. a moto server on loopback "
                            "(`.venv/bin/moto_server -p 5000`), to try the whole publish locally; on loopback a "
                            "missing bucket is created")
    to_s3.set_defaults(func=run_publish)


def run_convert(args: argparse.Namespace) -> int:
    """Convert each recording, printing one progress line per clip; 1 if any was refused."""
    sources = expand(args.inputs)
    names: dict[str, Path] = {}
    for source in sources:
        clash = names.setdefault(output_name(source), source)
        if clash != source:
            print(f"dropday audio convert: {shown(clash)} and {shown(source)} would both become "
                  f"{output_name(source)}; rename one of them", file=sys.stderr)
            return 2
    if not sources:
        print("dropday audio convert: no recordings found", file=sys.stderr)
        return 2
    try:
        ffmpeg = ffmpeg_exe()
    except ConvertError as exc:
        print(f"dropday audio convert: {exc}", file=sys.stderr)
        return 2
    failed = replaced = 0
    for number, source in enumerate(sources, start=1):
        prefix = f"[{number}/{len(sources)}]"
        existed = (args.out / output_name(source)).exists()
        try:
            done = convert(source, args.out, ffmpeg, args.loudness)
        except ConvertError as exc:
            failed += 1
            print(f"{prefix} refused: {exc}", flush=True)
            continue
        replaced += existed
        print(f"{prefix} {'replaced ' if existed else ''}{shown(done.output)} {done.seconds:.1f} s (from "
              f"{source.name}, {done.trimmed:.1f} s of silence trimmed)", flush=True)
    converted = len(sources) - failed
    print(f"{converted} of {len(sources)} clip{'s' if len(sources) != 1 else ''} converted into {shown(args.out)}"
          + (f" ({replaced} replaced: publish again if the campaign was published)" if replaced else "")
          + (f"; {failed} refused (see above)" if failed else ""))
    return 1 if failed else 0


def run_publish(args: argparse.Namespace) -> int:
    """Validate, upload what is missing, write the index, print the base URL (a dry run: say what it would do)."""
    try:
        workspace = locate(args.path)
        report = validate(workspace, campaign=args.campaign, check_published=False)
    except UsageError as exc:
        print(f"dropday audio publish: {exc}", file=sys.stderr)
        return 2
    if not report.ok:
        print(*map(str, report.findings), report.summary(), "Nothing was published.", sep="\n")
        return 1
    plans = [(m, publishing.plan(m.campaign, workspace.audio_dir(m.campaign), m.audio_paths)) for m in report.campaigns]
    if args.dry_run:
        return _dry_run(workspace, plans, args.bucket)
    s3, cloudfront = publishing.clients(args.endpoint)
    total_sent = total_present = 0
    try:
        if args.endpoint and publishing.ensure_local_bucket(s3, args.bucket, args.endpoint):
            print(f"created bucket {args.bucket} at {args.endpoint}")
        for manifest, uploads in plans:
            def progress(number: int, upload: publishing.Upload, status: str, count: int = len(uploads)) -> None:
                print(f"[{number}/{count}] {status}: {upload.key}", flush=True)

            sent, present = publishing.upload_all(s3, args.bucket, uploads, False, progress)
            total_sent, total_present = total_sent + sent, total_present + present
            index = workspace.published_index(manifest.campaign)
            publishing.write_index(index, manifest.campaign, uploads)
            print(f"wrote {shown(index)} (clip path -> published name; commit it with the manifest)")
        base_url = args.base_url or publishing.distribution_url(cloudfront, args.bucket)
    except publishing.PublishError as exc:
        print(f"dropday audio publish: {exc}", file=sys.stderr)
        return 1
    where = f"s3://{args.bucket}/" + (f" at {args.endpoint}" if args.endpoint else "")
    print(f"uploaded {total_sent} clip{'s' if total_sent != 1 else ''}, {total_present} already there, in {where}")
    if base_url:
        print(f"Base URL: {base_url}  (the skill's AUDIO_BASE_URL)")
    else:
        print(f"Base URL: unknown: no CloudFront distribution serves bucket {args.bucket}. Set AUDIO_BASE_URL to the "
              "https address that serves it (stack output AudioBaseUrl), or pass --base-url")
    return 0


def _dry_run(workspace, plans: list, bucket: str) -> int:
    """What a publish would do, from the local files alone: each key, and the index it would write."""
    total = 0
    for manifest, uploads in plans:
        index = workspace.published_index(manifest.campaign)
        before = publishing.read_index(index)
        for number, upload in enumerate(uploads, start=1):
            if before.get(upload.path) == upload.key:
                verb, state = "published already", "unchanged since the last publish"
            else:
                verb, state = "would upload", "replaced since the last publish" if upload.path in before else "new"
            print(f"[{number}/{len(uploads)}] {verb}: {upload.key}  ({upload.path}, {state})")
        print(f"would write {shown(index)}:")
        print(publishing.index_text(manifest.campaign, uploads), end="")
        total += len(uploads)
    print(f"dry run: {total} clip{'s' if total != 1 else ''} for s3://{bucket}/; nothing was uploaded or written, and "
          "no AWS account was asked (a real publish skips the clips already in the bucket)")
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
