"""How far below the baseline can a cold start go on the stack the issues require?

    .venv/bin/python benchmarks/floor.py [--rounds N]

Starts three skills as Lambda starts them (`run.py`'s "as Lambda starts it" rows: Python 3.12,
awslambdaric, each artifact read-only, a Runtime API stub, a moto server), alternating round by
round: the baseline, dropday, and `floor_skill.py`, the least a skill can do on the stack dropday's
issues require (the ASK SDK, botocore's DynamoDB client made as dropday makes it, Powertools, one
read and one write). It prints, and writes to `results/floor.md`, each one's median cold start and
its ratio to the baseline: a cold-start target below the floor's ratio cannot be met by any skill on
that stack, whatever dropday does.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (the benchmark's own set-up)

MEASURES = (("total_ms", "cold start: process start to the first response"),
            ("init_ms", "of which init (Lambda's Init Duration)"),
            ("first_invocation_ms", "of which the first invocation"),
            ("cpu_total_ms", "the same as the function process's CPU time"))


def floor_artifact(folder: Path, baseline: Path, dropday: Path, python312: Path) -> Path:
    """The baseline's artifact (the same third-party files and bytecode) with `floor_skill.py` and
    dropday's packed botocore data instead of `baseline_skill.py`, read-only."""
    target = folder / "lambda-floor"
    shutil.copytree(baseline, target, ignore=shutil.ignore_patterns("baseline_skill*"))
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.copy2(run.BENCH / "floor_skill.py", target)
    shutil.copy2(dropday / "dropday" / "aws_endpoints.json", target)
    shutil.copytree(dropday / "dropday" / "aws_models", target / "aws_models")
    subprocess.run([str(python312), "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash",
                    str(target / "floor_skill.py")], check=True)
    return run.read_only(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=run.BENCH / "results" / "floor.md")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    run.LAMBDA_HANDLERS["floor"] = "floor_skill.lambda_handler"
    run.TABLES["floor"] = "floor-state"
    runtime = run.lambda_runtime()
    if not isinstance(runtime, tuple):
        print(f"not measured: {runtime}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="dropday-floor-") as scratch_name:
        scratch = Path(scratch_name)
        bench = run.Bench(scratch)
        try:
            codes = run.lambda_artifacts(scratch, runtime[0])
            if not isinstance(codes, dict):
                print(f"not measured: {codes}", file=sys.stderr)
                return 1
            codes["floor"] = floor_artifact(scratch, codes["baseline"], codes["dropday"], runtime[0])
            runs = run.alternating("lambda", args.rounds, {
                skill: (lambda skill=skill: run.lambda_cold(bench, skill, codes[skill], runtime))
                for skill in ("baseline", "dropday", "floor")})
        finally:
            bench.close()
    medians = {skill: {key: statistics.median(r[key] for r in results) for key, _ in MEASURES}
               for skill, results in runs.items()}
    base = medians["baseline"]
    lines = [f"Command: `.venv/bin/python benchmarks/floor.py --rounds {args.rounds}`", "",
             f"Machine: {run.machine()['platform']}; medians of {args.rounds} alternating rounds, as Lambda "
             "starts each skill (Python 3.12, awslambdaric, the artifact read-only).", "",
             "| Measure (median) | baseline | floor | dropday | floor/baseline | dropday/baseline | dropday/floor |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for key, label in MEASURES:
        f, d = medians["floor"][key], medians["dropday"][key]
        lines.append(f"| {label} | {base[key]:.1f} ms | {f:.1f} ms | {d:.1f} ms | {run.ratio(f, base[key]):.2f}x | "
                     f"{run.ratio(d, base[key]):.2f}x | {run.ratio(d, f):.2f}x |")
    report = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
