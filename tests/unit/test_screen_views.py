"""core/screens: what each view shows, from a reply's screen data and the campaign."""

from __future__ import annotations

from datetime import datetime, timezone
from random import Random
from zoneinfo import ZoneInfo

import pytest

from dropday.core.listener import ListenerState
from dropday.core.screens import FIELDS, ITEM_FIELDS, VIEWS, screen_for
from dropday.core.session import SessionState
from dropday.core.speech import Speech
from dropday.core.turns import Reply, Turn
from screens_support import screens_manifest

FEB_12 = datetime(2027, 2, 12, 12, 0, tzinfo=timezone.utc)
# The screen data of a question as the quiz and the daily question give it (core.quiz.question_screen)
QUIZ = {"view": "quiz_question", "question": "Who plays the drums?", "position": 3, "count": 5, "score": 2,
        "choices": [{"letter": "A", "words": "Ivy"}, {"letter": "B", "words": "Max"}, {"letter": "C", "words": "Nobody"}]}
DAILY = {"view": "daily_question", "question": "Which ferry?", "day": 4, "streak": 3,
         "choices": [{"letter": "A", "words": "Night"}, {"letter": "B", "words": "Day"}]}


@pytest.fixture(scope="module")
def campaign():
    return screens_manifest()


def shown(campaign, screen: dict, touch: bool = True, now: datetime = FEB_12, state: ListenerState | None = None,
          base_url: str = "https://cdn.test"):
    turn = Turn(campaign, "en-GB", now, ZoneInfo("Europe/London"), ListenerState(), SessionState(), True, base_url,
                Random(1))
    return screen_for(turn, Reply(Speech(), None, state or ListenerState(), screen=screen), touch=touch)


def url(name: str) -> str:
    return f"https://cdn.test/test-band/images/{name}"


@pytest.mark.parametrize("data", [{}, *({"view": v} for v in sorted(VIEWS)), {"view": "piece", "pieces": ["gone"]},
                                  QUIZ, DAILY, {"view": "something-new"}, {"unlocked": ["secret-title"]}])
def test_every_view_has_every_field_so_a_document_never_binds_a_missing_one(campaign, data):
    # WHEN any screen data (even unknown or stale) is shown
    screen = shown(campaign, data)
    # THEN the datasource has exactly the common fields, and each item its fields
    assert tuple(screen.fields) == FIELDS
    assert all(tuple(item) == ITEM_FIELDS for item in screen.fields["items"])
    assert screen.view in VIEWS


def test_a_pieces_picture_is_its_own_art_then_the_members_photo_then_the_sections_art_then_the_cover(campaign):
    # GIVEN the ferry story (its own art, by Ivy who has a photo), the van story (by Max, no photo,
    # in backstage with art), and Max's tip (no photo, tips section without art)
    images = {piece: shown(campaign, {"view": "piece", "pieces": [piece]}).fields["image"]["url"]
              for piece in ("story-ferry", "ivy-one", "story-van", "max-one")}
    # THEN each shows the first picture there is
    assert images == {"story-ferry": url("ferry.jpg"), "ivy-one": url("ivy.png"), "story-van": url("backstage.jpg"),
                      "max-one": url("cover.jpg")}


def test_whats_new_shows_every_transcript_it_played_as_the_caption(campaign):
    screen = shown(campaign, {"view": "piece", "whats_new": True, "pieces": ["story-van", "story-ferry"]}).fields
    assert screen["secondaryText"] == "New since your last visit"
    assert screen["bodyText"] == "The van broke down in Leeds.\n\nWe wrote a song on the night ferry."
    assert screen["primaryText"] == "Max"


def test_the_countdown_counts_days_then_celebrates_release_day(campaign):
    before = shown(campaign, {"view": "countdown", "stage": "days", "days": 36, "hours": 0}).fields
    on_the_day = shown(campaign, {}, now=datetime(2027, 3, 20, 10, 0, tzinfo=timezone.utc)).fields
    assert (before["primaryText"], before["celebrate"]) == ("36 days to go", False)
    assert (on_the_day["primaryText"], on_the_day["celebrate"]) == ("Out today!", True)
    assert on_the_day["background"] == {"url": url("cover.jpg"), "description": "A neon sign saying Night Shift."}


def test_a_quiz_question_shows_its_choices_numbered_and_touchable(campaign):
    # GIVEN the quiz's screen data for question 3 of 5
    screen = shown(campaign, QUIZ)
    # THEN the question, where it stands and the score are on screen, each choice a button sending its number
    assert screen.view == "quiz_question"
    assert (screen.fields["primaryText"], screen.fields["secondaryText"], screen.fields["subtitle"]) == \
        ("Who plays the drums?", "Question 3 of 5", "Score: 2")
    assert [(i["secondaryText"], i["primaryText"], i["action"], i["value"]) for i in screen.fields["items"]] == \
        [("1", "Ivy", "answer", 1), ("2", "Max", "answer", 2), ("3", "Nobody", "answer", 3)]
    # AND the hint says to touch on a hub, and to say the answer on a TV
    assert screen.fields["hint"] == "Touch an answer, or say it"
    assert shown(campaign, QUIZ, touch=False).fields["hint"] == "Say your answer"


def test_a_daily_question_shows_the_day_of_the_challenge_and_the_streak(campaign):
    screen = shown(campaign, DAILY).fields
    assert (screen["secondaryText"], screen["subtitle"]) == ("Day 4", "Streak: 3")
    assert [i["primaryText"] for i in screen["items"]] == ["Night", "Day"]


def test_the_quiz_score_celebrates_a_perfect_round(campaign):
    perfect = shown(campaign, {"view": "quiz_result", "score": 5, "count": 5}).fields
    good = shown(campaign, {"view": "quiz_result", "score": 4, "count": 5}).fields
    assert (perfect["primaryText"], perfect["celebrate"]) == ("5 out of 5", True)
    assert (good["primaryText"], good["celebrate"]) == ("4 out of 5", False)


def test_something_unlocked_shows_its_reveal_card_but_a_question_stays_on_screen(campaign):
    # WHEN a piece's turn unlocked the secret title, and so did a quiz answer that asks the next question
    after_piece = shown(campaign, {"view": "piece", "pieces": ["story-gig"], "unlocked": ["secret-title"]})
    after_answer = shown(campaign, {**QUIZ, "unlocked": ["secret-title"]})
    # THEN the piece gives way to the reveal card; the question stays, touchable
    assert (after_piece.view, after_piece.fields["secondaryText"]) == ("unlock", "a secret track title")
    assert after_piece.fields["bodyText"] == "Track nine is called Lantern Light."
    assert after_answer.view == "quiz_question" and len(after_answer.fields["items"]) == 3


def test_the_unlocks_screen_names_what_was_found_and_hints_at_the_next(campaign):
    secret = campaign.unlockable("secret-title")
    screen = shown(campaign, {"view": "unlocks"}, state=ListenerState(unlocked=(secret.key,))).fields
    assert [i["primaryText"] for i in screen["items"]] == ["a secret track title"]
    assert screen["secondaryText"] == "Still to find: 2"
    assert screen["bodyText"] == "Come back on three different days."


def test_a_campaign_without_pictures_shows_none_and_never_an_http_address(campaign):
    # GIVEN clips served from a plain-http address (as no deployed skill is: config refuses it)
    screen = shown(campaign, {"view": "band"}, base_url="http://localhost:8000").fields
    # THEN no picture address is given at all rather than one a device refuses
    assert {i["imageSource"] for i in screen["items"]} == {""}
    assert screen["background"]["url"] == ""
