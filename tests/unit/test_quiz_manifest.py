"""The `quiz:` and `daily:` entries: what the content team writes, what is refused and why, and
how a listener's words name a choice."""

from __future__ import annotations

import copy

import pytest
import yaml

from dropday.core.campaign import ManifestError, parse_manifest
from dropday.core.campaign.quiz import Choice, position_phrases, spoken_id, word_id
from quiz_support import QUIZ_CAMPAIGN


@pytest.fixture(scope="module")
def loaded():
    return yaml.safe_load(QUIZ_CAMPAIGN.read_text())


@pytest.fixture
def data(loaded):
    return copy.deepcopy(loaded)


def problems(data) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    return [f"{p.path}: {p.message}. Fix: {p.fix}" for p in caught.value.problems]


def test_the_fixture_reads_as_a_quiz_and_a_daily_challenge(data):
    manifest = parse_manifest(data)
    assert {"quiz", "daily"} <= manifest.features
    assert manifest.quiz.round_length == 5 and len(manifest.quiz.questions) == 8
    rehearsal = manifest.quiz.questions[0]
    assert [c.letter for c in rehearsal.choices] == ["A", "B", "C"]
    assert rehearsal.answer == Choice("B", "Tuesday", ("tues",))
    assert len(rehearsal.right.variants) == 2 and rehearsal.fact.audio == "quiz/fact-barn.mp3"
    assert manifest.quiz.questions[3].free and manifest.quiz.questions[3].answer.words == "Open Book"
    assert (manifest.daily.days, manifest.daily.pace, manifest.daily.finale) == (14, "calendar", "daily-finale")
    # every clip of the quiz and the challenge is one the campaign publishes
    assert {"quiz/q-rehearsal.mp3", "quiz/right-max.mp3", "quiz/fact-barn.mp3", "daily/d-14.mp3"} <= \
        set(manifest.audio_paths)


@pytest.mark.parametrize("said", ["B", "b", "bee", "two", "2", "number two", "second", "the second one", "2nd",
                                  "option b", "Tuesday", "tuesday", "TUES", "Tuesday."])
def test_a_letter_a_number_an_ordinal_and_the_words_all_name_the_same_choice(data, said):
    rehearsal = parse_manifest(data).quiz.questions[0]
    assert rehearsal.choice_for(said) == rehearsal.answer                    # the words, unresolved
    assert rehearsal.choice_for(spoken_id(said)) == rehearsal.answer         # the id Alexa would resolve


def test_ids_are_letters_for_positions_and_words_for_words():
    assert [spoken_id(p) for p in position_phrases(2)] == ["C"] * len(position_phrases(2))
    assert word_id("Small Hours Harbour") == "W.small-hours-harbour" == spoken_id("small hours, harbour!")
    assert word_id("Rock 'n' Roll") == "W.rock-n-roll"


def test_a_choice_of_another_question_or_an_unknown_word_names_no_choice(data):
    questions = parse_manifest(data).quiz.questions
    assert questions[0].choice_for("Leeds") is None and questions[0].choice_for("W.leeds") is None
    assert questions[0].choice_for("D") is None                               # there is no fourth choice
    assert questions[3].choice_for("an open book") == questions[3].answer     # a free answer's synonym


def test_a_correct_answer_that_is_not_a_choice_is_refused_with_the_choices(data):
    data["quiz"]["questions"][0]["answer"] = "Sunday"
    assert problems(data) == ["quiz.questions[0].answer: `Sunday` is not one of the choices. Fix: write the letter "
                              "or the words of one of: A (Monday), B (Tuesday), C (Friday)"]


def test_two_choices_of_one_question_sharing_a_synonym_are_refused(data):
    data["quiz"]["questions"][0]["choices"][2] = {"words": "Friday", "synonyms": ["Tues"]}
    assert problems(data) == ["quiz.questions[0].choices[2].synonyms[0]: `Tues` also names choice B (Tuesday). Fix: "
                              "a word may belong to one choice of a question only: remove it from one of them"]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["quiz"]["questions"][1].update(choices=["Leeds"]), "quiz.questions[1].choices: has 1 choices"),
    (lambda d: d["quiz"]["questions"][1].update(choices=list("abcde")), "quiz.questions[1].choices: has 5 choices"),
    (lambda d: d["quiz"]["questions"][1].pop("answer"), "quiz.questions[1].answer: is missing"),
    (lambda d: d["quiz"]["questions"][1].pop("choices"), "quiz.questions[1]: needs either `choices`"),
    (lambda d: d["quiz"]["questions"][3].update(answer="Open Book"), "quiz.questions[3].answer: is not needed"),
    (lambda d: d["quiz"]["questions"][2].update(id="q-rehearsal"), "quiz.questions[2].id: `q-rehearsal` is used"),
    (lambda d: d["quiz"].update(round_length=0), "quiz.round_length: expected a whole number of at least 1"),
    (lambda d: d["quiz"].update(questions=[]), "quiz.questions: has no questions"),
    (lambda d: d["daily"].update(days=20), "daily.days: the challenge has 20 days but only 14 questions"),
    (lambda d: d["daily"].pop("start"), "daily.start: is missing: a calendar challenge needs its first day"),
    (lambda d: d["daily"].update(pace="whenever"), "daily.pace: `whenever` is not a pace"),
    (lambda d: d["daily"].update(finale="nothing-here"), "daily.finale: `nothing-here` is not an unlockable id"),
    (lambda d: d["daily"].update(finale="perfect-round"),
     "daily.finale: unlockable `perfect-round` unlocks on `quiz_perfect`, not on the challenge"),
    (lambda d: d["daily"]["questions"][0].update(available={"from": "2027-02-01"}),
     "daily.questions[0].available: is not needed: the day decides"),
    (lambda d: d["unlockables"][1].update(when={"daily_tally": 15}),
     "unlockables[1].when.daily_tally: 15 is more than the challenge's 14 days"),
    (lambda d: d["unlockables"][0].update(when={"quiz_best": 6}),
     "unlockables[0].when.quiz_best: 6 is more than a round's 5 questions"),
    (lambda d: d["unlockables"][0].update(when={"quiz_perfect": False}), "unlockables[0].when.quiz_perfect: is false"),
    (lambda d: d.pop("quiz"), "unlockables[0].when.quiz_perfect: depends on the quiz, but the campaign has no `quiz:`"),
])
def test_a_broken_quiz_or_challenge_is_refused_with_the_place_and_the_fix(data, change, expected):
    change(data)
    found = problems(data)
    assert any(p.startswith(expected) for p in found), found
    assert all(". Fix: " in p for p in found)


def test_yes_and_no_unquoted_are_caught_as_yaml_booleans(data):
    data["quiz"]["questions"][6]["choices"] = [True, False]
    assert any("quiz.questions[6].choices[0]: expected some text, found true/false" in p and "in quotes" in p
               for p in problems(data))


def test_the_readmes_quiz_example_is_a_valid_quiz(data):
    from support import REPO
    readme = (REPO / "README.md").read_text()
    section = readme.split("### Add a quiz question or a daily question")[1]
    example = yaml.safe_load(section.split("```yaml")[1].split("```")[0])
    data["quiz"] = example["quiz"]
    quiz = parse_manifest(data).quiz
    assert [q.id for q in quiz.questions] == ["q-van", "q-album"]
    assert quiz.questions[0].choice_for("dundee city").letter == "C"
