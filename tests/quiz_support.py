"""What the quiz tests know about their own campaign (tests/fixtures/quiz-campaign.yaml): how each
question sounds, and its right answer said three ways (importable as `quiz_support`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dropday.localdev.envelopes import slot
from support import FIXTURES

QUIZ_CAMPAIGN = FIXTURES / "quiz-campaign.yaml"
AUDIO = "https://cdn.test/quiz-band"
ROUND_OVER = re.compile(r"You got (\d) out of (\d)\.")


@dataclass(frozen=True)
class Known:
    """A question of the fixture: what identifies it in the speech, and its right and a wrong answer."""

    id: str
    heard: str
    letter: str
    position: str
    words: str
    wrong: str


#: Every quiz question of the fixture (the free-answer one has no letter or position).
QUESTIONS = (
    Known("q-rehearsal", f"{AUDIO}/quiz/q-rehearsal.mp3", "B", "the second one", "Tuesday", "Monday"),
    Known("q-first-gig", "Where was our first gig?", "A", "first", "Leeds", "Bath"),
    Known("q-drums", "Who plays the drums?", "B", "two", "Max", "Ivy"),
    Known("q-title", "What is the album called?", "", "", "Open Book", "Closed Book"),
    Known("q-dog", "What is the band dog called?", "C", "3", "Rolo", "Pepper"),
    Known("q-van", "What colour is the tour van?", "B", "number two", "blue", "red"),
    Known("q-boat", "Have we ever played on a boat?", "A", "the first one", "yes", "no"),
    Known("q-march", "Which month is the album out?", "B", "second", "March", "February"),
)


def asked(speech: str) -> Known:
    """The question the last words of `speech` ask (the last one mentioned, after any reaction)."""
    found = [(speech.rfind(q.heard), q) for q in QUESTIONS if q.heard in speech]
    assert found, f"no question of the fixture in {speech!r}"
    return max(found, key=lambda pair: pair[0])[1]


def answer_slot(words: str, resolved_id: str | None = None) -> dict:
    """The `answer` slot as Alexa fills it, resolved to a QUIZ_ANSWER id when one is given."""
    return {"answer": slot("answer", words, resolved_id, words, slot_type="QUIZ_ANSWER")}


def right_answer(question: Known, how: str) -> dict:
    """The right answer as a listener says it: "letter" (resolved to A-D), "position" (resolved to
    A-D from a number or ordinal), "words" (resolved to the word id), or "spoken" (no resolution)."""
    from dropday.core.campaign.quiz import word_id

    if question.letter == "" or how == "words":
        return answer_slot(question.words, word_id(question.words))
    if how == "letter":
        return answer_slot(question.letter.lower(), question.letter)
    if how == "position":
        return answer_slot(question.position, question.letter)
    return answer_slot(question.words)
