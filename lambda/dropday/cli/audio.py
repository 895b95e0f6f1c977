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
        "publish", help="upload a campaign's clips and images to S3 under content-hashed names",
        description="Validate, then upload every clip and image of the campaign(s) under PATH to the bucket, "
                    "under <campaign>/<path>.<hash>.mp3 (or .jpg, .png: a changed file gets a new name, so no "
                    "cache serves an old one), with its Content-Type and a one-year immutable cache lifetime. "
                    "Files already in the bucket are skipped. Writes audio_manifest/<campaign>.published.json, "
                    "which the skill uses to find each clip and image, and prints the base URL the skill must "
                    "use. A manifest with any problem publishes nothing.")
    to_s3.add_argument("path", nargs="?", type=Path, metavar="PATH",
                       help="a folder of manifests or one manifest file (default: audio_manifest/)")
    to_s3.add_argument("--bucket", required=True, metavar="NAME",
                       help="the audio bucket (stack output AudioBucketName)")
    to_s3.add_argument("--campaign", metavar="NAME", help="publish only this campaign")
    to_s3.add_argument("--base-url", metavar="URL",
                       help="the https URL the bucket is served from (default: found from the CloudFront "
                            "distribution whose origin is the bucket)")
    to_s3.add_argument("--dry-run", action="store_true", help="show what would be uploaded; change nothing")
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
    failed = 0
    for number, source in enumerate(sources, start=1):
        prefix = f"[{number}/{len(sources)}]"
        try:
            done = convert(source, args.out, ffmpeg, args.loudness)
        except ConvertError as exc:
            failed += 1
            print(f"{prefix} refused: {exc}", flush=True)
            continue
        print(f"{prefix} {shown(done.output)} {done.seconds:.1f} s (from {source.name}, "
              f"{done.trimmed:.1f} s of silence trimmed)", flush=True)
    converted = len(sources) - failed
    print(f"{converted} of {len(sources)} clip{'s' if len(sources) != 1 else ''} converted into {shown(args.out)}"
          + (f"; {failed} refused (see above)" if failed else ""))
    return 1 if failed else 0


def run_publish(args: argparse.Namespace) -> int:
    """Validate, upload what is missing, write the index, print the base URL."""
    try:
        workspace = locate(args.path)
    except UsageError as exc:
        print(f"dropday audio publish: {exc}", file=sys.stderr)
        return 2
    report = validate(workspace, models_campaign=args.campaign, check_published=False)
    if not report.ok:
        for finding in report.findings:
            print(finding)
        print(f"{report.summary()}\nNothing was published.")
        return 1
    campaigns = [m for m in report.campaigns if args.campaign in (None, m.campaign)]
    if not campaigns:
        print(f"dropday audio publish: there is no campaign `{args.campaign}` in {shown(workspace.manifest_dir)}",
              file=sys.stderr)
        return 2
    import boto3  # only here: validate and convert never need AWS

    s3 = boto3.client("s3")
    total_sent = total_present = 0
    try:
        for manifest in campaigns:
            uploads = publishing.plan(manifest.campaign, workspace.audio_dir(manifest.campaign),
                                      [*manifest.audio_paths, *manifest.image_paths])

            def progress(number: int, upload: publishing.Upload, status: str, count: int = len(uploads)) -> None:
                print(f"[{number}/{count}] {status}: {upload.key}", flush=True)

            sent, present = publishing.upload_all(s3, args.bucket, uploads, args.dry_run, progress)
            total_sent, total_present = total_sent + sent, total_present + present
            index = workspace.published_index(manifest.campaign)
            if not args.dry_run:
                publishing.write_index(index, manifest.campaign, uploads)
                print(f"wrote {shown(index)} (clip path -> published name; commit it with the manifest)")
        base_url = args.base_url or publishing.distribution_url(boto3.client("cloudfront"), args.bucket)
    except publishing.PublishError as exc:
        print(f"dropday audio publish: {exc}", file=sys.stderr)
        return 1
    verb = "would upload" if args.dry_run else "uploaded"
    print(f"{verb} {total_sent} clip{'s' if total_sent != 1 else ''}, {total_present} already there, "
          f"in s3://{args.bucket}/")
    if base_url:
        print(f"Base URL: {base_url}  (the skill's AUDIO_BASE_URL)")
    else:
        print(f"Base URL: unknown: no CloudFront distribution serves bucket {args.bucket}. Set AUDIO_BASE_URL to the "
              "https address that serves it (stack output AudioBaseUrl), or pass --base-url")
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
