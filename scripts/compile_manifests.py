"""Check campaign manifests and write each as `<campaign>.manifest.json` for the Lambda package.

Run by lambda/Makefile during `sam build`: the function then reads JSON at cold start instead of
importing PyYAML. An invalid manifest stops the build with the same messages as the skill.

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
    target = Path(argv[0])
    target.mkdir(parents=True, exist_ok=True)
    for source in argv[1:]:
        try:
            print(f"compiled {source} -> {compile_manifest(Path(source), target)}")
        except ManifestError as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
