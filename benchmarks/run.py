"""Benchmark dropday against a minimal ASK skill (`benchmarks/baseline_skill.py`).

    .venv/bin/python benchmarks/run.py [--rounds N] [--quick] [--out PATH]

Everything runs on this machine: DynamoDB is a moto server on loopback (each skill process reaches
it through `AWS_ENDPOINT_URL_DYNAMODB`, with fake credentials), the Alexa Settings API is the TLS
stub from `dropday.localdev`, and nothing calls AWS or the internet. Each skill is loaded in fresh
processes through its Lambda entry (`benchmarks/driver.py` does the measuring in the child). The
script prints a Markdown report (medians, the ratio dropday/baseline, the issue's targets, the
machine), writes it to `benchmarks/results/latest.md` and every figure to `latest.json`.

How the cold start is measured: the parent reads CLOCK_MONOTONIC (`time.monotonic()`, one clock
for all processes on Linux) just before it spawns the child; the child reads the same clock at
its first line (after interpreter start-up), after importing the entry, and when the first tip
response is back. "Process start to first response" is therefore the wall time a Lambda cold start
would add on this machine, interpreter start-up included (identical for both skills, and reported
on its own as the empty-interpreter floor). A warm-up round per skill is discarded first so that
both run from the OS file cache with their `.pyc` files written. The "as packed" rows rerun the
cold start from a copy of each skill's deployment artifact (code plus its non-runtime dependencies,
without `.pyc`, read-only), which is how `lambda/Makefile` packs dropday for Lambda. The "as Lambda
starts it" rows start each skill the way the Lambda service does: the artifact `sam build` makes
(`make artifact`: lambda/Makefile, arm64 wheels, Python 3.12 bytecode; the baseline gets the same
third-party files and bytecode), unpacked read-only, run by `python3.12 -m awslambdaric <handler>`
with only awslambdaric and the runtime's boto3 beside it (`make lambda-runtime`), polling the
Runtime API stub of `dropday.localdev.runtime_api`; the cold start is from spawning the process
to the first response posted to the stub.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
LAMBDA = REPO / "lambda"
DRIVER = BENCH / "driver.py"
DEMO_MANIFEST = REPO / "audio_manifest" / "lantern-foxes.yaml"
REGION = "eu-west-1"
#: Request time for every envelope: one week before the demo album's release (fixed, so runs compare).
NOW = "2027-01-08T12:00:00+00:00"
SKILLS = ("baseline", "dropday")
TABLES = {"baseline": "baseline-state", "dropday": "dropday-state"}
CODE = {"baseline": BENCH, "dropday": LAMBDA}
#: What the Lambda Python runtime already provides (lambda/Makefile deletes these from the artifact).
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer", "jmespath"}

TARGETS = {
    "cold_ratio": 1.0, "warm_cpu_ratio": 1.0, "reads": 1, "writes": 1, "rss_mb": 80.0,
    "manifest_ms": 50.0, "state_bytes": 4096,
}
NO_WRITE_REQUESTS = ("help", "stop", "cancel", "session end", "countdown (unchanged)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, help="cold-start rounds per skill (default 9; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and requests (about a minute)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "latest.json", help="JSON results file; the Markdown report is written beside it (.md)")
    parser.add_argument("--dropday-code", metavar="DIR", type=Path,
                        help="benchmark the dropday code in DIR (laid out like the repository's lambda/, with "
                             "audio_manifest/ beside it) instead of the working tree, e.g. a prototype")
    parser.add_argument("--dropday-rev", metavar="REV",
                        help="benchmark dropday as committed at git revision REV (extracted with `git archive` "
                             "into a scratch folder) instead of the working tree")
    args = parser.parse_args(argv)
    q = args.quick
    args.sizes = {
        "rounds": args.rounds or (3 if q else 9),
        "packed_rounds": 2 if q else 5,
        "scale_rounds": 2 if q else 5,
        "warm_listeners": 50 if q else 100, "warm_tips": 2 if q else 3, "warmup": 10 if q else 20,
        "scale_warm_listeners": 40 if q else 75,
        "long_tips": 510 if q else 2000, "campaigns": 50, "campaign_tips": 500,
        "manifest_repeats": 5 if q else 15,
        "load_threads": 4 if q else 8, "load_listeners": 60 if q else 240, "load_sessions": 1 if q else 2,
        "contended_listeners": 6 if q else 20, "contended_tips": 5,
    }
    return args


# -- the environment ------------------------------------------------------------------------------

class Bench:
    """The moto server, the Settings API stub, a scratch folder, and child processes run against them."""

    def __init__(self, scratch: Path) -> None:
        from moto.server import ThreadedMotoServer

        from dropday.localdev.settings_api import SettingsApiStub

        self.scratch = scratch
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.moto.start()
        host, port = self.moto.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.settings_api = SettingsApiStub().__enter__()
        self.counter = 0
        self._create_tables()

    def close(self) -> None:
        self.settings_api.__exit__(None, None, None)
        self.moto.stop()

    def _create_tables(self) -> None:
        import boto3
        dynamodb = boto3.resource("dynamodb", endpoint_url=self.endpoint, region_name=REGION,
                                  aws_access_key_id="benchmark", aws_secret_access_key="benchmark")
        for table in TABLES.values():  # as template.yaml declares the table: key `id`, on demand
            dynamodb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                  BillingMode="PAY_PER_REQUEST")

    def env(self, skill: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The child's environment: fake credentials, a region, every AWS endpoint on the moto server."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "PYTHON")) and k not in (
                   "MANIFEST_DIR", "DROPDAY_CAMPAIGN", "SKILL_IDS", "AUDIO_BASE_URL", "LOG_LEVEL",
                   "BASELINE_TIPS_JSON", "REQUESTS_CA_BUNDLE", "STATE_TTL_DAYS", "SETTINGS_API_TIMEOUT")}
        env.update({
            "AWS_ACCESS_KEY_ID": "benchmark", "AWS_SECRET_ACCESS_KEY": "benchmark",
            "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint, "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_CONFIG_FILE": str(self.scratch / "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.scratch / "no-aws-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "REQUESTS_CA_BUNDLE": str(self.settings_api.ca_bundle),
            "SKILL_STATE_TABLE": TABLES[skill],
        })
        if skill == "dropday":   # the repository holds several campaigns: the demo band's unless told
            env["DROPDAY_CAMPAIGN"] = DEMO_MANIFEST.stem
        env.update(extra or {})
        return env

    def prefix(self, skill: str, what: str) -> str:
        self.counter += 1
        return f"{skill}-{what}-{self.counter:04d}"

    def run(self, spec: dict, env_extra: dict | None = None, python_flags: tuple[str, ...] = (),
            timeout: float = 600) -> tuple[dict, float, str]:
        """Run the driver with `spec`; its JSON result, the parent's launch time and its stderr."""
        spec = {"code": str(CODE[spec["skill"]]), "now": NOW, "api_endpoint": self.settings_api.endpoint, **spec}
        command = [sys.executable, *python_flags, str(DRIVER), json.dumps(spec)]
        env = self.env(spec["skill"], env_extra)
        launched = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)
        if done.returncode != 0:
            raise RuntimeError(f"driver {spec['mode']} for {spec['skill']} failed ({done.returncode}):\n"
                               f"{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1]), launched, done.stderr

    def cold_events(self, skill: str) -> str:
        """Two tip requests of two new listeners, written to a file for a cold-start child."""
        from datetime import datetime

        from dropday.localdev import envelopes
        events = []
        for n in (1, 2):
            user = f"amzn1.ask.account.{self.prefix(skill, 'cold')}-{n}"
            events.append(envelopes.envelope(
                envelopes.intent("TipIntent"), user_id=user, device_id=user.replace("account", "device"),
                locale="en-GB", now=datetime.fromisoformat(NOW), session_id=envelopes.new_session_id(),
                new_session=True, attributes={}, api_endpoint=self.settings_api.endpoint))
        path = self.scratch / f"events-{self.counter}.json"
        path.write_text(json.dumps(events))
        return str(path)

    def cold(self, skill: str, env_extra: dict | None = None, code: Path | None = None,
             python_flags: tuple[str, ...] = ()) -> dict:
        spec = {"mode": "cold", "skill": skill, "events": self.cold_events(skill)}
        if code:
            spec["code"] = str(code)
        result, launched, stderr = self.run(spec, env_extra, python_flags)
        if not result["ok"]:
            raise RuntimeError(f"{skill} cold start gave no speech: {result}")
        return {
            "total_ms": (result["t_first"] - launched) * 1000,
            "interpreter_ms": (result["t_start"] - launched) * 1000,
            "import_ms": (result["t_imported"] - result["t_ready"]) * 1000,
            "first_request_ms": (result["t_first"] - result["t_imported"]) * 1000,
            "second_request_ms": (result["t_second"] - result["t_first"]) * 1000,
            "cpu_total_ms": result["cpu_first"] * 1000,
            "cpu_import_ms": (result["cpu_imported"] - result["cpu_ready"]) * 1000,
            "max_rss_mb": result["max_rss_kb"] / 1024,
            "stderr": stderr,
        }


# -- phases ---------------------------------------------------------------------------------------

def cold_rounds(bench: Bench, rounds: int, label: str, envs: dict | None = None, codes: dict | None = None,
                python_flags: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    """Fresh processes, alternating the skills (and which goes first) round by round, after one
    discarded warm-up round."""
    envs, codes = envs or {}, codes or {}
    runs: dict[str, list[dict]] = {skill: [] for skill in SKILLS}
    for r in range(rounds + 1):
        order = SKILLS if r % 2 == 0 else SKILLS[::-1]
        for skill in order:
            result = bench.cold(skill, envs.get(skill), codes.get(skill), python_flags)
            if r > 0:
                runs[skill].append(result)
        log(f"  {label} round {r}/{rounds}: " + ", ".join(
            f"{s} {runs[s][-1]['total_ms']:.0f} ms" for s in SKILLS if r > 0 and runs[s]) + (" (warm-up)" if r == 0 else ""))
    return runs


def empty_interpreter(bench: Bench, rounds: int) -> list[float]:
    floor = []
    for _ in range(rounds):
        result, launched, _ = bench.run({"mode": "noop", "skill": "baseline"})
        floor.append((result["t_done"] - launched) * 1000)
    return floor


def warm(bench: Bench, skill: str, listeners: int, tips: int, warmup: int, env_extra: dict | None = None) -> dict:
    result, _, _ = bench.run({"mode": "warm", "skill": skill, "prefix": bench.prefix(skill, "warm"),
                              "listeners": listeners, "tips_per_listener": tips, "warmup": warmup}, env_extra)
    return result


def calls(bench: Bench, skill: str) -> list[dict]:
    result, _, _ = bench.run({"mode": "calls", "skill": skill, "prefix": bench.prefix(skill, "calls")})
    return result["rows"]


def write_campaigns(folder: Path, campaigns: int, tips: int) -> list[Path]:
    """`campaigns` manifests of `tips` tips each, built on the demo campaign (members, speech)."""
    import yaml

    base = yaml.safe_load(DEMO_MANIFEST.read_text(encoding="utf-8"))
    members = [m["id"] for m in base["members"]]
    names = {m["id"]: m["name"] for m in base["members"]}
    words = ["warmup", "notebook", "tuning", "strings", "first-take", "groove", "kick", "metronome", "brushes",
             "tea", "harbour", "foghorn", "lyric", "chorus", "bridge", "demo", "setlist", "soundcheck"]
    rng = random.Random(20270115)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in range(campaigns):
        doc = dict(base)
        doc["campaign"] = f"campaign-{c:02d}"
        doc["album"] = {**base["album"], "release_date": date(2027, 6, 30)}
        entries = []
        for i in range(tips):
            member = members[i % len(members)]
            tip_id = f"{member}-{rng.choice(words)}-{i:03d}"
            entry = {"id": tip_id, "member": member, "audio": f"tips/{tip_id}.mp3",
                     "transcript": f"Tip {i} from {names[member]}: keep the {rng.choice(words)} simple, and let "
                                   f"the song breathe before you add another part to it."}
            if i % 10 == 3:
                entry["transcript"] = {"default": entry["transcript"], "en-US": entry["transcript"] + " Y'all."}
            if i % 10 == 7:
                entry["available"] = {"from": date(2026, 10, 1)}
            entries.append(entry)
        doc["tips"] = entries
        path = folder / f"campaign-{c:02d}.yaml"
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000),
                        encoding="utf-8")
        paths.append(path)
    return paths


def baseline_tips_file(campaign: Path, target: Path) -> str:
    """The campaign's tips as `[id, text]` pairs for the baseline (`BASELINE_TIPS_JSON`)."""
    import yaml

    tips = yaml.safe_load(campaign.read_text(encoding="utf-8"))["tips"]
    target.write_text(json.dumps([[tip["id"], tip["transcript"]["default"] if isinstance(tip["transcript"], dict)
                                   else tip["transcript"]] for tip in tips]), encoding="utf-8")
    return str(target)


def compile_manifests(source_dir: Path, target_dir: Path, names: tuple[str, ...] = ()) -> Path:
    """The manifests as `sam build` packs them: checked and written as JSON by
    scripts/compile_manifests.py (all `*.yaml` in `source_dir`, or only `names`)."""
    sources = [source_dir / f"{n}.yaml" for n in names] or sorted(source_dir.glob("*.yaml"))
    subprocess.run([sys.executable, str(CODE["dropday"].parent / "scripts" / "compile_manifests.py"),
                    str(target_dir), *map(str, sources)], check=True, capture_output=True)
    return target_dir


def build_artifact(folder: Path, skill: str) -> Path:
    """A copy of what would be deployed for `skill`: its code and the distributions its requirements
    pull in, minus what the Lambda runtime provides, without any `.pyc` (as lambda/Makefile packs:
    `pip install --no-compile`, `__pycache__` removed), made read-only as /var/task is."""
    from packaging.requirements import Requirement

    target = folder / f"artifact-{skill}"
    roots = ["ask-sdk-core", "ask-sdk-dynamodb-persistence-adapter"]
    seen: dict[str, importlib.metadata.Distribution] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        dist = importlib.metadata.distribution(name)
        seen[key] = dist
        for requirement in dist.requires or []:
            req = Requirement(requirement)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    for key, dist in seen.items():
        if key in RUNTIME_PROVIDED:
            continue
        for file in dist.files or []:
            if "__pycache__" in file.parts or file.suffix == ".pyc" or ".dist-info" in str(file) or \
                    str(file).startswith(".."):
                continue
            source = Path(file.locate())
            if source.is_file():
                (target / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / file)
    if skill == "dropday":  # as lambda/Makefile copies it
        code = CODE["dropday"]
        shutil.copy2(code / "lambda_function.py", target)
        shutil.copytree(code / "dropday", target / "dropday",
                        ignore=shutil.ignore_patterns("__pycache__", "localdev", "cli", "tooling", "*.egg-info"))
        compile_manifests(code.parent / "audio_manifest", target / "audio_manifest")
    else:
        shutil.copy2(BENCH / "baseline_skill.py", target)
    for path in sorted(target.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    target.chmod(0o555)
    return target


#: The handler strings Lambda starts each skill with (dropday's is template.yaml's `Handler`).
LAMBDA_HANDLERS = {"dropday": "lambda_function.lambda_handler", "baseline": "baseline_skill.lambda_handler"}
#: dropday's own files in its artifact; everything else there is third-party (the requirements' wheels).
DROPDAY_FILES = ("lambda_function.py", "dropday", "audio_manifest", "__pycache__/lambda_function.")


def lambda_runtime() -> tuple[Path, Path] | str:
    """(Python 3.12 with nothing beside it, the folder with awslambdaric and the runtime's boto3),
    as `make lambda-runtime` sets them up; or why they cannot be had here."""
    done = subprocess.run(["make", "--no-print-directory", "lambda-runtime"], cwd=REPO, capture_output=True,
                          text=True)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["make lambda-runtime failed"])[-1]
    return REPO / ".lambda-runtime" / "python" / "bin" / "python", REPO / ".lambda-runtime" / "runtime"


def lambda_artifacts(folder: Path, python312: Path) -> dict[str, Path] | str:
    """Each skill's code as Lambda gets it, read-only: dropday's artifact as `sam build` makes it
    (`make artifact`, from the dropday code measured), and the baseline's with the same third-party
    files (the same requirements' arm64 wheels and their 3.12 bytecode) plus `baseline_skill.py`
    compiled the same way. Or why dropday's could not be built (e.g. a revision before lambda/Makefile)."""
    dropday = folder / "lambda-dropday"
    done = subprocess.run(["make", "--no-print-directory", "artifact", f"ARTIFACT={dropday}",
                           f"LAMBDA_DIR={CODE['dropday']}", f"PYTHON={sys.executable}"],
                          cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        return f"`make artifact` failed for {CODE['dropday']}: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    baseline = folder / "lambda-baseline"
    shutil.copytree(dropday, baseline, ignore=lambda directory, names: [
        n for n in names if (Path(directory) / n).relative_to(dropday).as_posix().startswith(DROPDAY_FILES)])
    shutil.copy2(BENCH / "baseline_skill.py", baseline)
    subprocess.run([str(python312), "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash",
                    str(baseline / "baseline_skill.py")], check=True)
    for code in (dropday, baseline):
        for path in sorted(code.rglob("*"), reverse=True):
            path.chmod(0o555 if path.is_dir() else 0o444)
    return {"dropday": dropday, "baseline": baseline}


def lambda_cold(bench: Bench, skill: str, code: Path, runtime: tuple[Path, Path]) -> dict:
    """One cold start as Lambda does it: the parent queues a tip request of a new listener on the
    Runtime API stub, spawns `python -m awslambdaric <handler>` in the read-only code folder, and
    takes the time until the response is posted; then a second request in the same process."""
    from dropday.localdev.runtime_api import FunctionProcess, RuntimeApiStub

    first_event, second_event = json.loads(Path(bench.cold_events(skill)).read_text())
    environment = {k: v for k, v in bench.env(skill).items()
                   if k.startswith("AWS_") or k in ("REQUESTS_CA_BUNDLE", "SKILL_STATE_TABLE", "DROPDAY_CAMPAIGN")}
    python, runtime_folder = runtime
    with RuntimeApiStub(timeout_s=30) as api:
        first = api.submit(first_event)
        process = FunctionProcess(python, code, runtime_folder, LAMBDA_HANDLERS[skill], environment,
                                  bench.scratch / f"lambda-{skill}-{bench.counter}.log", region=REGION)
        try:
            process.start(api)
            api.wait(first, 60)
            cpu_s = process.cpu_seconds() or 0.0  # the runtime is waiting on /next again: idle
            second = api.invoke(second_event, 30)
            rss_kb = process.peak_rss_kb() or 0
        except Exception as exc:
            raise RuntimeError(f"{skill} under awslambdaric: {exc}\n{process.output()[-3000:]}") from None
        finally:
            process.stop()
    speech = [((i.response or {}).get("response") or {}).get("outputSpeech", {}).get("ssml") for i in (first, second)]
    if not all(speech):
        raise RuntimeError(f"{skill} under awslambdaric gave no speech: {first.response}")
    return {"total_ms": (first.answered_at - process.started_at) * 1000,
            "init_ms": (api.polls[0] - process.started_at) * 1000,
            "first_invocation_ms": (first.answered_at - first.delivered_at) * 1000,
            "second_invocation_ms": (second.answered_at - second.delivered_at) * 1000,
            "cpu_total_ms": cpu_s * 1000, "max_rss_mb": rss_kb / 1024}


def lambda_rounds(bench: Bench, rounds: int, codes: dict[str, Path], runtime: tuple[Path, Path]) -> dict:
    """`lambda_cold` for both skills, alternating round by round, after one discarded warm-up round."""
    runs: dict[str, list[dict]] = {skill: [] for skill in SKILLS}
    for r in range(rounds + 1):
        for skill in (SKILLS if r % 2 == 0 else SKILLS[::-1]):
            result = lambda_cold(bench, skill, codes[skill], runtime)
            if r > 0:
                runs[skill].append(result)
        log(f"  lambda round {r}/{rounds}: " + ", ".join(
            f"{s} {runs[s][-1]['total_ms']:.0f} ms" for s in SKILLS if r > 0 and runs[s]) + (" (warm-up)" if r == 0 else ""))
    return runs


def manifest_loading(bench: Bench, campaigns: list[Path], repeats: int) -> dict:
    result, _, _ = bench.run({"mode": "manifest", "skill": "dropday", "one": str(campaigns[7]),
                              "all": [str(p) for p in campaigns], "demo": str(DEMO_MANIFEST), "repeats": repeats})
    return result


def long_listener(bench: Bench, skill: str, prefix: str, tips: int, rotation: int, env_extra: dict) -> dict:
    result, _, _ = bench.run({"mode": "long", "skill": skill, "prefix": prefix, "tips": tips,
                              "rotation": rotation, "session_tips": 10}, env_extra)
    result["max_rss_mb"] = result.pop("max_rss_kb") / 1024
    return result


def load(bench: Bench, skill: str, sizes: dict) -> dict:
    result, _, _ = bench.run({"mode": "load", "skill": skill, "prefix": bench.prefix(skill, "load"),
                              "threads": sizes["load_threads"], "listeners": sizes["load_listeners"],
                              "sessions": sizes["load_sessions"],
                              "contended_listeners": sizes["contended_listeners"],
                              "contended_tips": sizes["contended_tips"]})
    result["max_rss_mb"] = result.pop("max_rss_kb") / 1024
    return result


def extract_revision(rev: str, folder: Path) -> Path:
    """dropday's `lambda/` and `audio_manifest/` as committed at `rev` (read-only for the repository)."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, "lambda", "audio_manifest"], cwd=REPO, capture_output=True,
                             check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "lambda"


def code_state(rev: str | None, folder: Path | None = None) -> dict:
    """Which dropday code was measured: a revision, or the working tree and what is uncommitted in it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    state = {"head": git("rev-parse", "--short", "HEAD")}
    if folder:
        return {**state, "dropday_from": f"the folder {folder}"}
    if rev:
        return {**state, "dropday_from": f"git revision {rev} ({git('rev-parse', '--short', rev)})"}
    changes = git("status", "--porcelain", "--", "lambda", "audio_manifest").splitlines()
    return {**state, "dropday_from": "working tree", "uncommitted": changes}


def import_breakdown(bench: Bench, skill: str) -> dict:
    """Self import time by top-level package (`python -X importtime`), over the import of the
    entry and the first two requests (dropday imports some modules on its first request)."""
    spec = {"mode": "cold", "skill": skill, "events": bench.cold_events(skill)}
    _, _, stderr = bench.run(spec, python_flags=("-X", "importtime"))
    by_package: dict[str, float] = {}
    modules = 0
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if not match:
            continue
        modules += 1
        top = match.group(4).split(".")[0]
        by_package[top] = by_package.get(top, 0.0) + int(match.group(1)) / 1000
    ranked = dict(sorted(by_package.items(), key=lambda kv: -kv[1]))
    return {"modules": modules, "total_self_ms": sum(ranked.values()),
            "top_packages_ms": {k: round(v, 1) for k, v in list(ranked.items())[:15]}}


# -- statistics and the report --------------------------------------------------------------------

def stats(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {"n": 0}
    def pct(p: float) -> float:
        return values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]
    return {"n": len(values), "median": statistics.median(values), "mean": statistics.fmean(values),
            "p10": pct(10), "p90": pct(90), "p99": pct(99), "min": values[0], "max": values[-1]}


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def ratio(dropday: float, baseline: float) -> float:
    return dropday / baseline if baseline else float("inf")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Phases:
    """Seconds spent in each phase of the run (kept in the results, to keep the run short)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._name, self._start = None, 0.0

    def __call__(self, name: str) -> None:
        self.stop()
        log(name)
        self._name, self._start = name, time.monotonic()

    def stop(self) -> None:
        if self._name:
            self.seconds[self._name] = round(time.monotonic() - self._start, 1)
        self._name = None


def machine() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    versions = {name: importlib.metadata.version(name) for name in
                ("ask-sdk-core", "ask-sdk-model", "ask-sdk-dynamodb-persistence-adapter", "boto3", "moto", "PyYAML")}
    return {"platform": platform.platform(), "machine": platform.machine(), "cpu": cpu, "nproc": os.cpu_count(),
            "python": platform.python_version(), "implementation": platform.python_implementation(),
            "packages": versions}


def summarise(raw: dict, sizes: dict) -> dict:
    """The headline figures, the ratios and the verdict on each target."""
    s: dict = {}
    cold = raw["cold"]
    for key in ("total_ms", "interpreter_ms", "import_ms", "first_request_ms", "second_request_ms", "max_rss_mb",
                "cpu_total_ms", "cpu_import_ms"):
        s[f"cold_{key}"] = {skill: median_of(cold[skill], key) for skill in SKILLS}
    s["empty_interpreter_ms"] = statistics.median(raw["empty_interpreter_ms"])
    s["packed_cold_total_ms"] = {skill: median_of(raw["packed_cold"][skill], "total_ms") for skill in SKILLS}
    s["packed_cold_cpu_total_ms"] = {skill: median_of(raw["packed_cold"][skill], "cpu_total_ms") for skill in SKILLS}
    s["scale_cold_cpu_total_ms"] = {skill: median_of(raw["scale"]["cold"][skill], "cpu_total_ms") for skill in SKILLS}
    s["cold_total_ms_min"] = {skill: min(r["total_ms"] for r in cold[skill]) for skill in SKILLS}
    s["packed_cold_import_ms"] = {skill: median_of(raw["packed_cold"][skill], "import_ms") for skill in SKILLS}
    s["packed_cold_first_request_ms"] = {skill: median_of(raw["packed_cold"][skill], "first_request_ms")
                                         for skill in SKILLS}
    if raw.get("lambda_cold"):
        for key in ("total_ms", "init_ms", "first_invocation_ms", "cpu_total_ms", "max_rss_mb"):
            s[f"lambda_cold_{key}"] = {skill: median_of(raw["lambda_cold"][skill], key) for skill in SKILLS}
    for key in ("wall_ms", "cpu_ms"):
        s[f"warm_{key}"] = {skill: raw["warm"][skill][key]["median"] for skill in SKILLS}
        s[f"scale_warm_{key}"] = {skill: raw["scale"]["warm"][skill][key]["median"] for skill in SKILLS}
    s["scale_cold_total_ms"] = {skill: median_of(raw["scale"]["cold"][skill], "total_ms") for skill in SKILLS}
    s["peak_rss_mb"] = {skill: max([r["max_rss_mb"] for r in cold[skill]] + [raw["warm"][skill]["max_rss_mb"]])
                        for skill in SKILLS}
    s["scale_peak_rss_mb"] = {skill: max([r["max_rss_mb"] for r in raw["scale"]["cold"][skill]]
                                         + [raw["scale"]["warm"][skill]["max_rss_mb"],
                                            raw["scale"]["long"][skill]["max_rss_mb"]]) for skill in SKILLS}
    m = raw["scale"]["manifest"]
    s["manifest"] = {"one_500_tip_file_first_ms": m["first_one_ms"], "one_500_tip_file_median_ms":
                     statistics.median(m["one_ms"]), "all_50_files_ms": min(m["all_ms"]),
                     "demo_file_median_ms": statistics.median(m["demo_ms"]),
                     "yaml_load_median_ms": statistics.median(m["yaml_load_ms"]),
                     "parse_manifest_median_ms": statistics.median(m["parse_manifest_ms"]),
                     "json_loads_same_data_median_ms": statistics.median(m["json_loads_same_data_ms"]),
                     "pickle_loads_manifest_median_ms": statistics.median(m["pickle_loads_manifest_ms"]),
                     "import_content_ms": m["import_content_ms"], "yaml_bytes": m["yaml_bytes"],
                     "csafeloader": m["csafeloader"]}
    s["state_max"] = {skill: max(x["attributes_json_bytes"] for x in raw["scale"]["long"][skill]["sizes"])
                      for skill in SKILLS}
    s["item_max"] = {skill: max(x["item_json_bytes"] for x in raw["scale"]["long"][skill]["sizes"])
                     for skill in SKILLS}
    s["calls"] = {skill: {row["request"]: row for row in raw["calls"][skill]} for skill in SKILLS}
    s["load"] = {skill: {"turns": r["turns"], "throughput_per_s": r["turns"] / r["elapsed_s"],
                         "p50_ms": r["latency"]["median"], "p99_ms": r["latency"]["p99"],
                         "tip_p50_ms": r["tip_latency"]["median"], "tip_p99_ms": r["tip_latency"]["p99"],
                         "lost_listeners": r["lost_listeners"], "errors": r["error_count"],
                         "reads_per_turn": r["reads_per_turn"], "writes_per_turn": r["writes_per_turn"],
                         "contended": r["contended"], "visits_mismatch": r["visits_mismatch"]}
                 for skill, r in raw["load"].items()}

    d = raw["calls"]["dropday"]
    too_many = [row["request"] for row in d if row["reads"] > TARGETS["reads"] or row["writes"] > TARGETS["writes"]]
    needless = [row["request"] for row in d if row["request"].startswith(NO_WRITE_REQUESTS) and row["writes"]]
    cold_ratio = ratio(s["cold_total_ms"]["dropday"], s["cold_total_ms"]["baseline"])
    cpu_ratio = ratio(s["warm_cpu_ms"]["dropday"], s["warm_cpu_ms"]["baseline"])
    peak = max(s["peak_rss_mb"]["dropday"], s["scale_peak_rss_mb"]["dropday"])
    s["targets"] = {
        "cold start <= 1.0x baseline": {"value": f"{cold_ratio:.2f}x", "met": cold_ratio <= TARGETS["cold_ratio"]},
        "warm CPU per request <= 1.0x baseline": {"value": f"{cpu_ratio:.2f}x",
                                                  "met": cpu_ratio <= TARGETS["warm_cpu_ratio"]},
        "<= 1 read and <= 1 write per request": {"value": ", ".join(too_many) or "all requests",
                                                 "met": not too_many},
        "no write for help/stop/cancel/session end/unchanged countdown": {
            "value": ", ".join(needless) or "none written", "met": not needless},
        "peak RSS < 80 MB": {"value": f"{peak:.1f} MB", "met": peak < TARGETS["rss_mb"]},
        "500-tip manifest loads < 50 ms": {"value": f"{s['manifest']['one_500_tip_file_first_ms']:.1f} ms",
                                           "met": s["manifest"]["one_500_tip_file_first_ms"] < TARGETS["manifest_ms"]},
        "state < 4 KB whatever was heard": {"value": f"{s['state_max']['dropday']} B (item {s['item_max']['dropday']} B)",
                                            "met": s["item_max"]["dropday"] < TARGETS["state_bytes"]},
        "no state lost under load": {"value": f"{s['load']['dropday']['lost_listeners']} listeners",
                                     "met": s["load"]["dropday"]["lost_listeners"] == 0
                                     and s["load"]["dropday"]["errors"] == 0},
    }
    return s


def markdown(s: dict, raw: dict, sizes: dict, command: str) -> str:
    b, d = "baseline", "dropday"

    def row(name: str, values: dict, unit: str = "ms", fmt: str = "{:.1f}", target: str = "") -> str:
        return (f"| {name} | {fmt.format(values[b])} {unit} | {fmt.format(values[d])} {unit} | "
                f"{ratio(values[d], values[b]):.2f}x | {target} |")

    t = s["targets"]
    verdict = {name: ("met" if v["met"] else "**missed**") for name, v in t.items()}
    mach = raw["machine"]
    lines = [
        f"Command: `{command}` ({raw['finished']}, {raw['duration_s']:.0f} s)",
        "",
        f"Machine: {mach['platform']}, {mach['cpu'] or mach['machine']}, nproc {mach['nproc']}, "
        f"{mach['implementation']} {mach['python']}; " + ", ".join(f"{k} {v}" for k, v in mach["packages"].items())
        + f". Load average at start / end: {raw['loadavg']['start']} / {raw['loadavg']['end']} "
        "(other work on the machine adds noise; the skills alternate round by round so both see it).",
        "",
        f"dropday code measured: {code_line(raw['code'])}",
        "",
        "| Measure (median) | baseline | dropday | dropday/baseline | target |",
        "| --- | --- | --- | --- | --- |",
        row(f"Cold start: process start to first tip response ({sizes['rounds']} rounds)", s["cold_total_ms"],
            target=f"<= 1.0x: {verdict['cold start <= 1.0x baseline']}"),
        row("  of which: import of the Lambda entry", s["cold_import_ms"]),
        row("  of which: first request (incl. lazy imports, boto3 resource)", s["cold_first_request_ms"]),
        f"|   of which: interpreter start (empty interpreter: {s['empty_interpreter_ms']:.1f} ms) | "
        f"{s['cold_interpreter_ms'][b]:.1f} ms | {s['cold_interpreter_ms'][d]:.1f} ms | | |",
        row("  the same as process CPU time (less sensitive to other load on the machine)", s["cold_cpu_total_ms"]),
        row("Second request in the cold process", s["cold_second_request_ms"]),
        row(f"Cold start as packed for Lambda (no .pyc, read-only; {sizes['packed_rounds']} rounds)",
            s["packed_cold_total_ms"]),
        row("  of which: import of the Lambda entry", s["packed_cold_import_ms"]),
        row("  the same as process CPU time", s["packed_cold_cpu_total_ms"]),
        *lambda_rows(s, raw, sizes, row),
        row(f"Warm tip request, wall ({raw['warm'][d]['wall_ms']['n']} requests, "
            f"{sizes['warm_listeners']} listeners)", s["warm_wall_ms"]),
        row("Warm tip request, process CPU", s["warm_cpu_ms"], fmt="{:.2f}",
            target=f"<= 1.0x: {verdict['warm CPU per request <= 1.0x baseline']}"),
        row("Peak RSS (cold and warm processes)", s["peak_rss_mb"], unit="MB",
            target=f"< 80 MB: {verdict['peak RSS < 80 MB']}"),
        "",
        f"Scale: {sizes['campaigns']} campaigns x {sizes['campaign_tips']} tips in one folder; dropday serves "
        f"`campaign-07` (`DROPDAY_CAMPAIGN`), the baseline serves the same {sizes['campaign_tips']} tips "
        "(ids and texts, read from JSON: `BASELINE_TIPS_JSON`).",
        "",
        "| Measure (median) | baseline | dropday | dropday/baseline | target |",
        "| --- | --- | --- | --- | --- |",
        row(f"Cold start, 500-tip campaign ({sizes['scale_rounds']} rounds)", s["scale_cold_total_ms"]),
        row("  the same as process CPU time", s["scale_cold_cpu_total_ms"]),
        row("Warm tip request, wall", s["scale_warm_wall_ms"]),
        row("Warm tip request, process CPU", s["scale_warm_cpu_ms"], fmt="{:.2f}"),
        row("Peak RSS (cold, warm and long-listener processes)", s["scale_peak_rss_mb"], unit="MB",
            target=f"< 80 MB: {verdict['peak RSS < 80 MB']}"),
        f"| Stored state after {sizes['long_tips']} tips heard (largest `attributes` JSON / whole item JSON) | "
        f"{s['state_max'][b]} / {s['item_max'][b]} B | {s['state_max'][d]} / {s['item_max'][d]} B | "
        f"{ratio(s['item_max'][d], s['item_max'][b]):.2f}x | < 4 KB: {verdict['state < 4 KB whatever was heard']} |",
        "",
        "| dropday manifest loading (`dropday.content.read_manifest`) | time |",
        "| --- | --- |",
        f"| one 500-tip campaign, first load in a fresh process ({s['manifest']['yaml_bytes'] // 1024} KB YAML) | "
        f"{s['manifest']['one_500_tip_file_first_ms']:.1f} ms (target < 50 ms: "
        f"{verdict['500-tip manifest loads < 50 ms']}) |",
        f"| one 500-tip campaign, median of {sizes['manifest_repeats']} | {s['manifest']['one_500_tip_file_median_ms']:.1f} ms |",
        f"|   of which `yaml.load` ({'CSafeLoader' if s['manifest']['csafeloader'] else 'SafeLoader'}) / "
        f"`parse_manifest` | {s['manifest']['yaml_load_median_ms']:.1f} ms / "
        f"{s['manifest']['parse_manifest_median_ms']:.1f} ms |",
        f"|   for comparison: `json.loads` of the same data / `pickle.loads` of the parsed Manifest | "
        f"{s['manifest']['json_loads_same_data_median_ms']:.2f} ms / "
        f"{s['manifest']['pickle_loads_manifest_median_ms']:.2f} ms |",
        f"| all {sizes['campaigns']} files, one after another | {s['manifest']['all_50_files_ms']:.0f} ms |",
        f"| the demo campaign (12 tips) | {s['manifest']['demo_file_median_ms']:.1f} ms |",
        "",
        "DynamoDB operations per request, counted at the botocore client (reads/writes; target <= 1/<= 1, "
        "and no write for help, stop, cancel, session end or an unchanged countdown):",
        "",
        "| Request | baseline | dropday |",
        "| --- | --- | --- |",
    ]
    for name in s["calls"][d]:
        bl, dd = s["calls"][b].get(name), s["calls"][d][name]
        cell = lambda r: f"{r['reads']} / {r['writes']}" if r else "n/a"  # noqa: E731
        lines.append(f"| {name} | {cell(bl)} | {cell(dd)} |")
    lb, ld = s["load"][b], s["load"][d]
    lines += [
        "",
        f"Load: {sizes['load_threads']} threads in one process, {sizes['load_listeners']} listeners, "
        f"{sizes['load_sessions']} session(s) of {7} turns each (launch, tip, tip, countdown, tip, help, stop), "
        "against the moto server on loopback:",
        "",
        "| Load run | baseline | dropday | dropday/baseline |",
        "| --- | --- | --- | --- |",
        f"| turns | {lb['turns']} | {ld['turns']} | |",
        f"| throughput | {lb['throughput_per_s']:.0f} turns/s | {ld['throughput_per_s']:.0f} turns/s | "
        f"{ratio(ld['throughput_per_s'], lb['throughput_per_s']):.2f}x |",
        f"| latency p50, all turns (the baseline's launch, countdown, help and stop touch no state) | "
        f"{lb['p50_ms']:.1f} ms | {ld['p50_ms']:.1f} ms | |",
        f"| latency p99, all turns | {lb['p99_ms']:.1f} ms | {ld['p99_ms']:.1f} ms | |",
        f"| tip turns only: latency p50 | {lb['tip_p50_ms']:.1f} ms | {ld['tip_p50_ms']:.1f} ms | "
        f"{ratio(ld['tip_p50_ms'], lb['tip_p50_ms']):.2f}x |",
        f"| tip turns only: latency p99 | {lb['tip_p99_ms']:.1f} ms | {ld['tip_p99_ms']:.1f} ms | "
        f"{ratio(ld['tip_p99_ms'], lb['tip_p99_ms']):.2f}x |",
        f"| listeners whose stored tips differ from those served | {lb['lost_listeners']} | {ld['lost_listeners']} | |",
        f"| errors | {lb['errors']} | {ld['errors']} | |",
        f"| DynamoDB reads / writes per turn | {lb['reads_per_turn']:.2f} / {lb['writes_per_turn']:.2f} | "
        f"{ld['reads_per_turn']:.2f} / {ld['writes_per_turn']:.2f} | |",
        f"| one listener on two devices at once: served tips missing from state | "
        f"{lb['contended']['tips_missing_from_state']} of {lb['contended']['tips_served']} | "
        f"{ld['contended']['tips_missing_from_state']} of {ld['contended']['tips_served']} | |",
        f"| the same, DynamoDB reads / writes per request | {lb['contended']['reads_per_request']:.2f} / "
        f"{lb['contended']['writes_per_request']:.2f} | {ld['contended']['reads_per_request']:.2f} / "
        f"{ld['contended']['writes_per_request']:.2f} | |",
        "",
        "| Target (issue 6) | dropday | verdict |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {v['value']} | {verdict[name]} |" for name, v in t.items()]
    return "\n".join(lines)


def lambda_rows(s: dict, raw: dict, sizes: dict, row) -> list[str]:
    """The rows of the cold start as Lambda starts it (or why it was not measured)."""
    title = "Cold start as Lambda starts it: Python 3.12, awslambdaric, sam build's artifact read-only"
    if "lambda_cold_total_ms" not in s:
        return [f"| {title} | not measured: {raw.get('lambda_cold_skipped', 'no python3.12')} | | | |"]
    return [row(f"{title} ({sizes['packed_rounds']} rounds)", s["lambda_cold_total_ms"]),
            row("  of which: init (runtime start and handler import, Lambda's Init Duration)", s["lambda_cold_init_ms"]),
            row("  of which: first invocation", s["lambda_cold_first_invocation_ms"]),
            row("  the same as the function process's CPU time (10 ms ticks)", s["lambda_cold_cpu_total_ms"]),
            row("  peak RSS of the function's process (Lambda's Max Memory Used)", s["lambda_cold_max_rss_mb"],
                unit="MB")]


def code_line(code: dict) -> str:
    if code["dropday_from"] != "working tree":
        return code["dropday_from"]
    changes = code.get("uncommitted") or []
    return f"working tree at {code['head']}" + (f" with {len(changes)} uncommitted change(s) under lambda/"
                                                 if changes else " (clean)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = args.sizes
    started = time.monotonic()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the moto server's request log
    raw: dict = {"machine": machine(), "code": code_state(args.dropday_rev, args.dropday_code), "sizes": sizes,
                 "now": NOW,
                 "loadavg": {"start": [round(x, 2) for x in os.getloadavg()]}}
    with tempfile.TemporaryDirectory(prefix="dropday-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if args.dropday_rev:
            CODE["dropday"] = extract_revision(args.dropday_rev, scratch / "revision")
        elif args.dropday_code:
            CODE["dropday"] = args.dropday_code.resolve()
        bench = Bench(scratch)
        try:
            log(f"moto server on {bench.endpoint}; Settings API stub on {bench.settings_api.endpoint}")
            phase = Phases()
            phase("empty interpreter")
            raw["empty_interpreter_ms"] = empty_interpreter(bench, sizes["rounds"])
            phase("cold start (demo campaign)")
            packed_demo = {"dropday": {"MANIFEST_DIR": str(compile_manifests(
                CODE["dropday"].parent / "audio_manifest", scratch / "packed-demo"))}}
            raw["cold"] = cold_rounds(bench, sizes["rounds"], "cold", envs=packed_demo)
            phase("cold start as packed for Lambda (no .pyc, read-only)")
            artifacts = {skill: build_artifact(scratch, skill) for skill in SKILLS}
            raw["packed_cold"] = cold_rounds(bench, sizes["packed_rounds"], "packed", codes=artifacts,
                                             envs={skill: {"PYTHONDONTWRITEBYTECODE": "1"} for skill in SKILLS})
            phase("cold start as Lambda starts it (Python 3.12, awslambdaric, Runtime API stub)")
            runtime = lambda_runtime()
            codes = lambda_artifacts(scratch, runtime[0]) if isinstance(runtime, tuple) else runtime
            if isinstance(codes, dict):
                raw["lambda_cold"] = lambda_rounds(bench, sizes["packed_rounds"], codes, runtime)
            else:
                raw["lambda_cold_skipped"] = codes
                log(f"  not measured: {codes}")
            phase("warm requests")
            raw["warm"] = {}
            for skill in SKILLS:
                result = warm(bench, skill, sizes["warm_listeners"], sizes["warm_tips"], sizes["warmup"])
                raw["warm"][skill] = summarise_warm(result)
            phase("DynamoDB calls per request type")
            raw["calls"] = {skill: calls(bench, skill) for skill in SKILLS}
            phase("import time by package (-X importtime)")
            raw["imports"] = {skill: import_breakdown(bench, skill) for skill in SKILLS}

            phase(f"scale: writing {sizes['campaigns']} campaigns x {sizes['campaign_tips']} tips")
            campaigns = write_campaigns(scratch / "manifests", sizes["campaigns"], sizes["campaign_tips"])
            scale_env = {"dropday": {"MANIFEST_DIR": str(scratch / "manifests"), "DROPDAY_CAMPAIGN": "campaign-07"},
                         "baseline": {"BASELINE_TIPS_JSON": baseline_tips_file(campaigns[7],
                                                                               scratch / "baseline-tips.json")}}
            phase("scale: manifest loading")
            scale: dict = {"manifest": manifest_loading(bench, campaigns, sizes["manifest_repeats"])}
            phase("scale: cold start and warm requests")
            packed_scale = {**scale_env, "dropday": {**scale_env["dropday"], "MANIFEST_DIR": str(compile_manifests(
                scratch / "manifests", scratch / "packed-scale", ("campaign-07",)))}}
            scale["cold"] = cold_rounds(bench, sizes["scale_rounds"], "scale cold", envs=packed_scale)
            scale["warm"] = {skill: summarise_warm(warm(bench, skill, sizes["scale_warm_listeners"], 2,
                                                        sizes["warmup"], scale_env[skill])) for skill in SKILLS}
            phase(f"scale: a listener hearing {sizes['long_tips']} tips")
            scale["long"] = {}
            # The two long listeners run side by side (their item sizes are the point; their request
            # times are kept in the results but not compared).
            with ThreadPoolExecutor(len(SKILLS)) as pool:
                futures = {skill: pool.submit(long_listener, bench, skill, bench.prefix(skill, "long"),
                                              sizes["long_tips"], sizes["campaign_tips"], scale_env[skill])
                           for skill in SKILLS}
                for skill, future in futures.items():
                    result = future.result()
                    result["wall_ms"], result["cpu_ms"] = stats(result["wall_ms"]), stats(result["cpu_ms"])
                    scale["long"][skill] = result
            raw["scale"] = scale

            phase("load run")
            raw["load"] = {}
            for skill in SKILLS:
                result = load(bench, skill, sizes)
                result["latency"] = stats(result.pop("latency_ms"))
                result["tip_latency"] = stats(result.pop("tip_latency_ms"))
                raw["load"][skill] = result
                log(f"  {skill}: {result['turns']} turns in {result['elapsed_s']:.1f} s")
            phase.stop()
            raw["phase_s"] = phase.seconds
        finally:
            bench.close()
            for path in sorted(scratch.rglob("*"), reverse=True):  # the artifacts are read-only
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
    for runs in (raw["cold"], raw["packed_cold"], raw["scale"]["cold"]):
        for skill_runs in runs.values():
            for run in skill_runs:
                run.pop("stderr", None)
    raw["duration_s"] = time.monotonic() - started
    raw["loadavg"]["end"] = [round(x, 2) for x in os.getloadavg()]
    raw["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    summary = summarise(raw, sizes)
    command = ".venv/bin/python benchmarks/run.py" + (" --quick" if args.quick else "") + \
        (f" --rounds {args.rounds}" if args.rounds else "") + \
        (f" --dropday-rev {args.dropday_rev}" if args.dropday_rev else "") + \
        (f" --dropday-code {args.dropday_code}" if args.dropday_code else "")
    report = markdown(summary, raw, sizes, command)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"command": command, "summary": summary, "raw": raw, "markdown": report},
                                   indent=1, default=str) + "\n")
    args.out.with_suffix(".md").write_text(report + "\n")
    for path in (args.out, args.out.with_suffix(".md")):
        log(f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


def summarise_warm(result: dict) -> dict:
    return {"wall_ms": stats(result["wall_ms"]), "cpu_ms": stats(result["cpu_ms"]),
            "reads_per_request": stats(result["reads"]), "writes_per_request": stats(result["writes"]),
            "failures": result["failures"], "max_rss_mb": result["max_rss_kb"] / 1024}


if __name__ == "__main__":
    sys.exit(main())
