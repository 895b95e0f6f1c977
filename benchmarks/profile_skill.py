"""Where the time goes: profiles behind the figures of `benchmarks/run.py`.

    .venv/bin/python benchmarks/profile_skill.py [--skill dropday|baseline] [--scale] [--top N]
        [cold|warm|imports|pieces|validate ...]

- `cold`: cProfile of the import of the Lambda entry plus the first tip request, in a fresh
  process (sorted by cumulative time);
- `warm`: cProfile of a few hundred warm tip requests (sorted by own time, then cumulative);
- `imports`: `python -X importtime` over the same cold start, the slowest modules by cumulative
  and by self time;
- `pieces`: what single steps of a cold start cost, each timed in fresh interpreters after a set-up
  (for example "the first `boto3.resource('dynamodb')` once boto3 is imported"), median of
  `--rounds` processes: the evidence for what to change;
- `validate`: cProfile of `dropday validate` on the scale campaign (its import, then `validate()`).

With `--scale` the skill serves the scale campaign of `scale_campaign.py` (400 pieces over 12 weeks,
a quiz of 100 questions, 3 locales) at `run.SCALE_NOW` instead of the demo campaign (the baseline:
the same tips). dropday reads its manifests as `sam build` packs them (JSON), as in `run.py`.

Same set-up as `run.py`: a moto server on loopback, the Settings API stub, fresh processes. Profiles
inflate absolute times (cProfile by about 2x); use them for shares, `run.py` for figures.
"""

from __future__ import annotations

import argparse
import io
import logging
import pstats
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the benchmark's own set-up)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="*", default=["imports", "cold", "warm"],
                        choices=["imports", "cold", "warm", "pieces", "validate"])
    parser.add_argument("--rounds", type=int, default=7, help="processes per piece (pieces)")
    parser.add_argument("--skill", choices=run.SKILLS, default="dropday")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dropday-code", metavar="DIR", type=Path,
                        help="profile the dropday code in DIR (laid out like lambda/) instead of the working tree")
    parser.add_argument("--scale", action="store_true",
                        help="serve the scale campaign (scale_campaign.py) instead of the demo campaign")
    args = parser.parse_args(argv)
    if args.dropday_code:
        run.CODE["dropday"] = args.dropday_code.resolve()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="dropday-profile-") as scratch_name:
        scratch = Path(scratch_name)
        bench = run.Bench(scratch)
        now, scale_dir = run.NOW, None
        env = {"MANIFEST_DIR": str(run.compile_manifests(run.CODE["dropday"].parent / "audio_manifest",
                                                         scratch / "packed-demo"))} if args.skill == "dropday" else {}
        if args.scale or "validate" in args.what:
            scale_dir = scratch / "scale"
            scale_yaml = run.write_scale_campaign(scale_dir)
        if args.scale:
            now = run.SCALE_NOW
            env = {"MANIFEST_DIR": str(run.compile_manifests(scale_yaml.parent, scratch / "packed-scale")),
                   "DROPDAY_CAMPAIGN": scale_yaml.stem} if args.skill == "dropday" else \
                {"BASELINE_TIPS_JSON": run.baseline_tips_file(scale_yaml, scratch / "tips.json")}
        try:
            for what in args.what:
                print(f"\n## {what}: {args.skill}\n")
                if what == "imports":
                    print(importtime(bench, args.skill, env, args.top, now))
                    continue
                if what == "pieces":
                    print(pieces(bench, args.rounds, env))
                    continue
                stats_file = scratch / f"{what}.pstats"
                if what == "validate":
                    print(validate_profile(scale_dir / "audio_manifest", stats_file, args.top))
                elif what == "cold":
                    bench.run({"mode": "cold", "skill": args.skill, "events": bench.cold_events(args.skill, now),
                               "profile": str(stats_file)}, env)
                    print(top(stats_file, "cumulative", args.top))
                else:
                    bench.run({"mode": "warm", "skill": args.skill, "prefix": bench.prefix(args.skill, "profile"),
                               "listeners": 100, "tips_per_listener": 3, "warmup": 20, "now": now,
                               "profile": str(stats_file)}, env)
                    print(top(stats_file, "tottime", args.top))
                    print(top(stats_file, "cumulative", args.top))
        finally:
            bench.close()
    return 0


#: (what, set-up statements, timed statement): each timed alone in a fresh interpreter.
GET_ITEM = "TableName='dropday-state', Key={'id': {'S': 'amzn1.ask.account.pieces'}}"
PIECES = [
    ("import boto3", "", "import boto3"),
    ("import botocore.session, .config, .exceptions (what a client needs without boto3)", "",
     "import botocore.session, botocore.config, botocore.exceptions"),
    ("first boto3.resource('dynamodb') after import boto3", "import boto3", "boto3.resource('dynamodb')"),
    ("second boto3.resource('dynamodb') in the same process", "import boto3; boto3.resource('dynamodb')",
     "boto3.resource('dynamodb')"),
    ("first boto3.client('dynamodb') after import boto3", "import boto3", "boto3.client('dynamodb')"),
    ("boto3: import, resource, Table.get_item", "",
     "import boto3; boto3.resource('dynamodb').Table('dropday-state').get_item(Key={'id': 'x'})"),
    ("boto3: import, client, get_item", "", f"import boto3; boto3.client('dynamodb').get_item({GET_ITEM})"),
    ("botocore: import, client, get_item", "",
     f"import botocore.session; botocore.session.get_session().create_client('dynamodb').get_item({GET_ITEM})"),
    ("import ask_sdk_core.skill_builder (ask_sdk_model, runtime)", "", "import ask_sdk_core.skill_builder"),
    ("import ask_sdk_dynamodb.adapter after boto3 + ask_sdk_core (its default-argument resource)",
     "import boto3, ask_sdk_core.skill_builder", "import ask_sdk_dynamodb.adapter"),
    ("import ask_sdk_core.api_client (requests) after boto3 + ask_sdk_core",
     "import boto3, botocore.httpsession, ask_sdk_core.skill_builder", "import ask_sdk_core.api_client"),
    ("import yaml (with libyaml)", "", "import yaml"),
    ("import dropday.content", "", "import dropday.content"),
    ("read_manifest(the served campaign, as packed) after import dropday.content", "import dropday.content",
     "dropday.content.read_manifest(PACKED)"),
    ("parse_manifest(the served campaign's data) after json.loads", "import json, dropday.content\n"
     "from dropday.core.campaign import parse_manifest\ndata = json.loads(open(PACKED).read())",
     "parse_manifest(data)"),
    ("create 59 frozen dataclasses of 4 fields (dropday's import path defines 59 at ea3eee0)",
     "from dataclasses import dataclass",
     "for i in range(59):\n    dataclass(frozen=True)(type(f'C{i}', (), {'__annotations__': "
     "{'a': int, 'b': str, 'c': int, 'd': str}}))"),
    ("the same as 59 NamedTuples", "from typing import NamedTuple",
     "for i in range(59):\n    NamedTuple(f'C{i}', [('a', int), ('b', str), ('c', int), ('d', str)])"),
    ("import lambda_function (dropday's whole entry)", "", "import lambda_function"),
    ("import baseline_skill (the baseline's whole entry)", "", "import baseline_skill"),
]


def pieces(bench: run.Bench, rounds: int, env: dict) -> str:
    import statistics
    import subprocess

    from dropday.content import campaign_files, campaign_name

    folder = Path(env["MANIFEST_DIR"])
    campaign = env.get("DROPDAY_CAMPAIGN") or run.DEMO_MANIFEST.stem
    packed = next(p for p in campaign_files(folder) if campaign_name(p) == campaign)
    lines = [f"median of {rounds} fresh processes each (ms); set-up not timed; the served campaign: {packed.name}", ""]
    for name, setup, stmt in PIECES:
        code = (f"import sys, time; sys.path[:0] = [{str(run.CODE['dropday'])!r}, {str(run.BENCH)!r}]\n"
                f"DEMO = {str(run.DEMO_MANIFEST)!r}\nPACKED = {str(packed)!r}\n{setup}\nt = time.perf_counter()\n"
                f"{stmt}\nprint((time.perf_counter() - t) * 1000)")
        times = []
        for _ in range(rounds + 1):  # the first one writes any missing .pyc
            done = subprocess.run([sys.executable, "-c", code], env=bench.env("dropday", env), capture_output=True,
                                  text=True, cwd=run.REPO)
            if done.returncode != 0:
                raise RuntimeError(f"{name}: {done.stderr[-2000:]}")
            times.append(float(done.stdout.strip().splitlines()[-1]))
        times = times[1:]
        lines.append(f"  {statistics.median(times):7.1f} ms  (min {min(times):6.1f})  {name}")
    return "\n".join(lines)


def top(stats_file: Path, key: str, n: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(stats_file), stream=out)
    stats.strip_dirs().sort_stats(key).print_stats(n)
    text = out.getvalue()
    return text[text.index("   ncalls"):] if "   ncalls" in text else text


def validate_profile(folder: Path, stats_file: Path, n: int) -> str:
    """cProfile of `dropday validate` on `folder` in a fresh process: the command's import and one
    `validate()` call."""
    import subprocess

    code = (f"import sys, cProfile; sys.path.insert(0, {str(run.CODE['dropday'])!r})\n"
            "profiler = cProfile.Profile(); profiler.enable()\n"
            "from dropday.tooling.findings import locate\nfrom dropday.tooling.validation import validate\n"
            f"from pathlib import Path\nreport = validate(locate(Path({str(folder)!r})))\n"
            f"profiler.disable(); profiler.dump_stats({str(stats_file)!r}); print(report.summary())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=folder.parent)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return done.stdout.strip() + "\n\n" + top(stats_file, "cumulative", n) + "\n" + top(stats_file, "tottime", n)


def importtime(bench: run.Bench, skill: str, env: dict, n: int, now: str = run.NOW) -> str:
    _, _, stderr = bench.run({"mode": "cold", "skill": skill, "events": bench.cold_events(skill, now)}, env,
                             python_flags=("-X", "importtime"))
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if match:
            rows.append((int(match.group(1)) / 1000, int(match.group(2)) / 1000, len(match.group(3)) // 2,
                         match.group(4)))
    total = sum(r[0] for r in rows)
    lines = [f"{len(rows)} modules, {total:.1f} ms of self time in all", "", "slowest by cumulative time "
             "(depth = nesting level; a module's cumulative time includes what it imported first):", ""]
    lines += [f"  {cum:8.1f} ms cum {own:7.1f} ms self  depth {depth}  {name}"
              for own, cum, depth, name in sorted(rows, key=lambda r: -r[1])[:n]]
    lines += ["", "slowest by self time:", ""]
    lines += [f"  {own:8.1f} ms self  {name}" for own, _, _, name in sorted(rows, key=lambda r: -r[0])[:n]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
