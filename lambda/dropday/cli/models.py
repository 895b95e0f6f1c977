"""`dropday models sync`: write each campaign's interaction models from its manifest and the samples."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..tooling import model_sync
from ..tooling.findings import UsageError, locate, shown
from ..tooling.validation import validate


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `models` command and its `sync` subcommand."""
    parser = subparsers.add_parser("models", help="generate the interaction models from the manifests",
                                   description="The interaction models of each campaign (the words Alexa listens "
                                               "for), in interaction_models/<campaign>/.")
    commands = parser.add_subparsers(dest="models_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _usage(parser))
    sync = commands.add_parser(
        "sync", help="rewrite interaction_models/<campaign>/<locale>.json from the manifests",
        description="Validate the campaign(s) under PATH, then write interaction_models/<campaign>/<locale>.json for "
                    "every locale its skill.json publishes: the invocation name and the slot values (band members) "
                    "from the manifest, the sample utterances from interaction_models/samples/<language>.yaml. "
                    "Writes nothing when anything is wrong.")
    sync.add_argument("path", nargs="?", type=Path, metavar="PATH",
                      help="a folder of manifests or one manifest file (default: audio_manifest/)")
    sync.add_argument("--campaign", metavar="NAME", help="only this campaign (its manifest's file name without .yaml)")
    sync.add_argument("--models", type=Path, metavar="DIR",
                      help="the interaction models, one folder per campaign (default: interaction_models/ beside PATH)")
    sync.add_argument("--check", action="store_true",
                      help="write nothing; exit 1 when a model is not what the sync would write")
    sync.set_defaults(func=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    """Validate, generate, then write (or with --check compare); 1 when anything is wrong or stale."""
    try:
        workspace = locate(args.path, args.models)
        report = validate(workspace, campaign=args.campaign, check_models=False, check_published=False)
    except UsageError as exc:
        print(f"dropday models sync: {exc}", file=sys.stderr)
        return 2
    if not report.ok:
        print(*map(str, report.findings), report.summary(), "No model was written.", sep="\n")
        return 1
    samples: dict = {}
    campaigns = [model_sync.campaign_models(workspace, file, manifest, data, samples)
                 for file, (manifest, data) in report.parsed.items()]
    problems = [f for c in campaigns for f in c.findings]
    if problems:
        print(*map(str, problems), f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; "
              "no model was written.", sep="\n")
        return 1
    models = [m for c in campaigns for m in c.models]
    stale = [m for m in models if m.stale]
    if args.check:
        if stale:
            print(f"{len(stale)} of {len(models)} interaction models are not what `dropday models sync` would write:",
                  *(f"  {shown(m.path)}" for m in stale),
                  f"Run `{model_sync.sync_command(workspace)}`, then upload the changed models to the skill.", sep="\n")
            return 1
        print(f"{len(models)} interaction model{'s' if len(models) != 1 else ''} of "
              f"{len(campaigns)} campaign{'s' if len(campaigns) != 1 else ''}: in sync")
        return 0
    for model in stale:
        model.path.parent.mkdir(parents=True, exist_ok=True)
        model.path.write_text(model.text, encoding="utf-8")
        print(f"wrote {shown(model.path)}")
    print(f"{len(stale)} of {len(models)} interaction models rewritten" +
          ("; upload them to the skill (docs/deploy.md) and commit them with the manifest" if stale else
           ": all were in sync"))
    return 0


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
