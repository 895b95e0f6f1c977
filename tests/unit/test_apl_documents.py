"""The APL documents in lambda/dropday/skill/apl/: what they bind is what the skill sends."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest

from dropday.core.listener import ListenerState
from dropday.core.screens import VIEWS, screen_for
from dropday.core.session import SessionState
from dropday.core.speech import Speech
from dropday.core.turns import Reply, Turn
from dropday.skill.screens import FALLBACK_DOCUMENT, VIEW_DOCUMENTS, apl_version, documents
from dropday.tooling.apl import layout_leaks, missing_bindings, unknown_components
from screens_support import screens_manifest
from support import REPO

#: Screen data for every view, as the core turns (and the quiz format) put it on Reply.screen.
VIEW_DATA = {
    "home": {}, "countdown": {"view": "countdown", "stage": "days", "days": 36, "hours": 0},
    "piece": {"view": "piece", "section": "backstage", "pieces": ["story-ferry"]}, "band": {"view": "band"},
    "member": {"view": "member", "member": "ivy"}, "unlock": {"view": "unlock", "unlocked": ["secret-title"]},
    "unlocks": {"view": "unlocks"},
    "quiz_question": {"view": "quiz_question", "question": "Who?", "choices": ["Ivy", "Max"], "position": 1, "round": 5,
                      "score": 0},
    "daily_question": {"view": "daily_question", "question": "Which?", "choices": ["A", "B"], "day": 2, "streak": 1},
    "quiz_result": {"view": "quiz_result", "score": 3, "round": 5},
    "daily_result": {"view": "daily_result", "day": 2, "streak": 2},
}
#: The newest APL version the pinned linter (apl-suggester 2024.2.0) knows.
NEWEST_LINTED_VERSION = (2024, 2)


def datasource(view: str) -> dict:
    campaign = screens_manifest()
    turn = Turn(campaign, "en-GB", datetime(2027, 2, 12, 12, tzinfo=timezone.utc), ZoneInfo("Europe/London"),
                ListenerState(), SessionState(), True, "https://cdn.test", Random(1))
    state = ListenerState(unlocked=(campaign.unlockable("secret-title").key,))
    return dict(screen_for(turn, Reply(Speech(), None, state, screen=VIEW_DATA[view])).data)


def test_every_view_has_screen_data_here_and_a_document():
    assert set(VIEW_DATA) == set(VIEWS) == set(VIEW_DOCUMENTS)
    assert set(VIEW_DOCUMENTS.values()) | {FALLBACK_DOCUMENT} == set(documents())


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_each_views_datasource_has_everything_its_document_and_the_fallback_bind(view):
    data = datasource(view)
    for name in (VIEW_DOCUMENTS[view], FALLBACK_DOCUMENT):
        assert missing_bindings(documents()[name], data) == [], name


@pytest.mark.parametrize("name", sorted(documents()))
def test_each_document_uses_only_known_components_and_keeps_its_layouts_to_their_parameters(name):
    document = documents()[name]
    assert unknown_components(document) == []
    assert layout_leaks(document) == []
    assert document["mainTemplate"]["parameters"] == ["payload"]


@pytest.mark.parametrize("name", sorted(documents()))
def test_each_document_declares_a_version_the_linter_knows_and_imports_the_responsive_packages(name):
    document = documents()[name]
    assert apl_version(document["version"]) <= NEWEST_LINTED_VERSION
    imports = {i["name"]: i["version"] for i in document.get("import", [])}
    if name == FALLBACK_DOCUMENT:
        assert imports == {} and document["version"] == "1.1"
    else:
        assert imports == {"alexa-layouts": "1.7.0", "alexa-viewport-profiles": "1.6.0"}
        assert document["version"] == "2023.3"


def test_the_binding_check_reports_a_value_the_datasource_lacks():
    # GIVEN a document that binds a key no view sends, and items with a key they lack
    document = copy.deepcopy(documents()["gallery"])
    document["mainTemplate"]["items"][0]["items"][1]["headerTitle"] = "${payload.screen.nickname}"
    data = datasource("band")
    del data["screen"]["items"][1]["value"]
    # THEN both are reported, with where they are bound
    assert missing_bindings(document, data) == [
        "/mainTemplate/items/0/items/2/items/0/value: data.value is missing from item 1 of ${payload.screen.items}",
        "/mainTemplate/items/0/items/1/headerTitle: payload.screen.nickname is not in the datasource",
    ]


def test_the_documents_are_read_once_per_container_and_not_at_cold_start():
    # GIVEN a container that starts on the shipped campaign, then answers two requests from an Echo Show
    script = f"""
import json, sys
sys.path.insert(0, {str(REPO / 'tests')!r})
import lambda_function
from dropday.skill import screens
print(json.dumps(screens.documents.cache_info()._asdict()))
"""
    env = {**os.environ, "PYTHONPATH": str(REPO / "lambda"), "MANIFEST_DIR": str(REPO / "audio_manifest"),
           "DROPDAY_CAMPAIGN": "lantern-foxes"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60,
                            cwd=REPO / "lambda")
    assert result.returncode == 0, result.stderr
    # THEN the cold start has not read a single document
    assert json.loads(result.stdout.strip().splitlines()[-1])["currsize"] == 0


def test_a_second_screen_reads_no_document_again():
    documents.cache_clear()
    first, second = documents(), documents()
    assert first is second
    assert documents.cache_info().misses == 1
