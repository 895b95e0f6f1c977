"""Check campaign manifests as `dropday validate` does, then write each as `<campaign>.manifest.json`
for the Lambda package.

Run by lambda/Makefile during `sam build`: the function then reads JSON at cold start instead of
importing PyYAML. Any problem `dropday validate` reports (in the manifest, its clips, the
interaction models, Alexa's response limits, the publish index) stops the build, with the same
messages, so nothing that validate rejects can be deployed. It needs the repository's
virtualenv (`make setup`), which has the validator's packages.

Usage: python scripts/compile_manifests.py OUT_DIR MANIFEST.yaml...
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lambda"))

from dropday.content import compile_manifest  # noqa: E402
from dropday.core.manifest import ManifestError  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    target, sources = Path(argv[0]), [Path(source) for source in argv[1:]]
    if not validated(sources):
        return 1
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        try:
            print(f"compiled {source} -> {compile_manifest(source, target)}")
        except ManifestError as exc:  # validate reported it already; kept as a last guard
            print(exc, file=sys.stderr)
            return 1
    return 0


def validated(sources: list[Path]) -> bool:
    """Whether `dropday validate` finds nothing wrong in the folders of `sources` (each folder as a
    whole, as `dropday validate` checks it); its findings are printed otherwise."""
    try:
        from dropday.tooling.findings import UsageError, locate
        from dropday.tooling.validation import validate
    except ImportError as exc:
        print(f"cannot check the manifests as `dropday validate` does ({exc}); run `make setup` in the repository "
              "first, so that the build runs with its .venv", file=sys.stderr)
        return False
    ok = True
    for folder in dict.fromkeys(source.resolve().parent for source in sources):
        try:
            report = validate(locate(folder))
        except UsageError as exc:
            print(exc, file=sys.stderr)
            return False
        for finding in report.findings:
            print(finding, file=sys.stderr)
        if report.ok:
            print(f"validated {report.summary()}")
        else:
            print(f"{report.summary()}; nothing is packed", file=sys.stderr)
            ok = False
    return ok


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
