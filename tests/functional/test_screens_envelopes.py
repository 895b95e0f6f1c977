"""Real envelopes from screen devices (../shared/fixtures/alexa-more/) answered by the skill."""

from __future__ import annotations

import json

import pytest

from dropday.skill.screens import FALLBACK_DOCUMENT, documents
from dropday.tooling.apl import missing_bindings
from screens_support import screens_manifest
from support import REPO

MORE = REPO.parent / "shared" / "fixtures" / "alexa-more"

pytestmark = pytest.mark.skipif(not MORE.is_dir(), reason=f"the shared Alexa envelopes are not at {MORE}")


def envelope(name: str) -> dict:
    return json.loads((MORE / name).read_text(encoding="utf-8"))


@pytest.fixture
def skill(make_skill):
    return make_skill(screens_manifest())


def render_documents(response: dict) -> list[dict]:
    return [d for d in response["response"].get("directives", []) if d["type"].startswith("Alexa.Presentation.APL")]


def test_an_echo_show_launch_whose_runtime_is_older_than_the_documents_gets_the_primitives_only_screen(skill):
    # GIVEN a real Echo Show launch whose APL runtime says maxVersion 1.21 (older than 2023.3)
    response = skill(envelope("launchrequest-echo-show-apl-viewport.json"), None)
    # THEN the welcome is spoken and the screen is drawn with the document its runtime can draw
    assert "First welcome" in response["response"]["outputSpeech"]["ssml"]
    [directive] = render_documents(response)
    assert directive["type"] == "Alexa.Presentation.APL.RenderDocument" and directive["token"] == "home"
    assert directive["document"] == documents()[FALLBACK_DOCUMENT]
    assert missing_bindings(directive["document"], directive["datasources"]) == []


def test_a_touch_on_another_skills_trivia_screen_is_answered_as_not_understood_and_redraws_ours(skill):
    # GIVEN a real UserEvent (TouchWrapper press, arguments ["answer", 2]) from a screen we never drew
    response = skill(envelope("apl-userevent-touchwrapper-press-echo-show.json"), None)
    # THEN the listener hears the fallback, the session stays open, and our home screen replaces theirs
    assert "Fallback line." in response["response"]["outputSpeech"]["ssml"]
    assert response["response"]["shouldEndSession"] is False
    [directive] = render_documents(response)
    assert directive["token"] == "home" and directive["document"] == documents()["headline"]
    # AND none of the other skill's session attributes are sent back
    assert set(response["sessionAttributes"]) <= {"offer", "said", "tz", "last", "state"}


def test_a_touch_from_a_device_that_lists_no_apl_gets_words_and_no_directive(skill):
    # GIVEN a real UserEvent whose device lists no supported interfaces
    response = skill(envelope("apl-userevent-touchwrapper-press-components.json"), None)
    # THEN it is answered in words only
    assert "Fallback line." in response["response"]["outputSpeech"]["ssml"]
    assert "directives" not in response["response"] or response["response"]["directives"] == []
