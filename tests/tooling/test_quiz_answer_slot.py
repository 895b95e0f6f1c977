"""The QUIZ_ANSWER slot type `dropday models sync` writes: every id it resolves names the choice the
listener meant, however they said it."""

from __future__ import annotations

from dropday.content import read_manifest
from dropday.core.campaign.quiz import spoken_id
from dropday.tooling.model_sync import quiz_answer_values
from quiz_support import QUIZ_CAMPAIGN


def resolve(values, said):
    """The id Alexa's entity resolution gives for `said` (value or synonym, ignoring case)."""
    said = said.lower()
    return next(v["id"] for v in values if said in (v["name"]["value"].lower(), *v["name"].get("synonyms", [])))


def test_positions_come_first_and_every_phrase_of_every_question_is_one_value():
    campaign = read_manifest(QUIZ_CAMPAIGN)
    values = quiz_answer_values(campaign)
    assert [v["id"] for v in values[:4]] == ["A", "B", "C", "D"]
    assert {"two", "2", "the second one", "bee"} <= set(values[1]["name"]["synonyms"])
    ids = [v["id"] for v in values]
    assert len(ids) == len(set(ids))
    assert "W.red" in ids and "W.open-book" in ids and "W.an-open-book" in ids


def test_every_way_of_saying_the_right_answer_resolves_to_an_id_the_question_accepts():
    campaign = read_manifest(QUIZ_CAMPAIGN)
    values = quiz_answer_values(campaign)
    rehearsal = campaign.quiz.questions[0]
    for said in ("B", "two", "2", "the second one", "Tuesday", "tues"):
        assert rehearsal.choice_for(resolve(values, said)) == rehearsal.answer, said
        assert rehearsal.choice_for(spoken_id(said)) == rehearsal.answer, said   # the fallback on the words


def test_a_campaign_without_quiz_or_daily_question_has_no_answer_slot(test_campaign):
    assert quiz_answer_values(test_campaign) == []
