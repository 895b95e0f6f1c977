"""Amazon's APL linter (apl-suggester, pinned in tools/apl-lint/) over every document the skill sends."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support import REPO

LINT = REPO / "tools" / "apl-lint"
DOCUMENTS = sorted((REPO / "lambda" / "dropday" / "skill" / "apl").glob("*.json"))

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (LINT / "node_modules" / "apl-suggester").is_dir(),
    reason="the APL linter is not installed: run `make apl-lint` (needs Node 18+ and npm)")


def lint(*files) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(LINT / "lint.js"), *map(str, files)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def test_every_document_passes_the_linter_without_a_single_warning():
    result = lint(*DOCUMENTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{len(DOCUMENTS)} APL documents checked: no findings"


def test_a_document_with_a_mistake_is_reported_with_its_place_and_fails(tmp_path):
    # GIVEN the question screen with a Text whose text is a number and a TouchWrapper property misspelt
    document = json.loads((REPO / "lambda/dropday/skill/apl/question.json").read_text())
    document["mainTemplate"]["items"][0]["items"][2]["items"][0]["text"] = 42
    document["layouts"]["AnswerButton"]["item"]["onPres"] = document["layouts"]["AnswerButton"]["item"].pop("onPress")
    broken = tmp_path / "question.json"
    broken.write_text(json.dumps(document))
    # WHEN the linter checks it
    result = lint(broken)
    # THEN each mistake is a line naming the file and the place, and the run fails
    assert result.returncode == 1
    assert f"{broken}: /mainTemplate/items/0/items/2/items/0/text: should be string (WARNING)" in result.stdout
    assert f"{broken}: /layouts/AnswerButton/item: should NOT have additional properties : onPres (WARNING)" \
        in result.stdout
