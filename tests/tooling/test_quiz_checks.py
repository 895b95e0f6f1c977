"""`dropday validate`'s quiz checks: short rounds, answers a listener could never give, and clips
that break Alexa's audio rules, on a copy of the quiz test campaign with real clips."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import yaml

from dropday.core.campaign import parse_manifest
from dropday.tooling.convert import ffmpeg_exe
from dropday.tooling.quiz_checks import problems
from quiz_support import QUIZ_CAMPAIGN


@pytest.fixture
def campaign(tmp_path, studio):
    """The quiz campaign's data, and its audio folder with a good clip at every path it names."""
    data = yaml.safe_load(QUIZ_CAMPAIGN.read_text())
    audio = tmp_path / "audio" / "quiz-band"
    for path in parse_manifest(data).audio_paths:
        (audio / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(studio.good_clip, audio / path)
    return data, audio


def found(data, audio, models=None) -> list[str]:
    return [f"{p.path}: {p.message}. Fix: {p.fix}" for p in problems(parse_manifest(data), audio, models)]


def test_a_quiz_with_good_clips_and_full_rounds_has_no_problems(campaign):
    assert found(*campaign) == []


def test_days_with_fewer_questions_than_a_round_are_reported_as_one_run(campaign):
    data, audio = campaign
    data["quiz"]["round_length"] = 8          # eight questions only from March; seven in February
    assert found(data, audio) == [
        "quiz.round_length: from 2027-02-01 to 2027-02-28 only 7 quiz questions are available, but a round has 8: "
        "rounds there have 7 questions instead of 8. Fix: widen the questions' `available` windows or add questions "
        "for those days, or lower `round_length` to 7"]


@pytest.mark.parametrize(("choice", "expected"), [
    ("stop", "quiz.questions[1].choices[1]: `stop` is also something listeners say to the skill itself"),
    ("Next", "quiz.questions[1].choices[1]: `Next` is also something listeners say to the skill itself"),
    ("I don't know", "quiz.questions[1].choices[1]: `I don't know` is also something listeners say"),
    ("three", "quiz.questions[1].choices[1]: `three` is how listeners name choice C, so saying it would answer C"),
])
def test_answers_that_mean_something_else_to_the_skill_are_reported(campaign, choice, expected):
    data, audio = campaign
    data["quiz"]["questions"][1]["choices"][1] = choice
    assert any(p.startswith(expected) for p in found(data, audio))


def test_answers_that_are_another_intents_sample_in_the_models_are_reported(campaign, tmp_path):
    data, audio = campaign
    models = tmp_path / "interaction_models"
    models.mkdir()
    (models / "en-GB.json").write_text(json.dumps({"interactionModel": {"languageModel": {"intents": [
        {"name": "TipIntent", "samples": ["a tip", "a tip from {member}"]},
        {"name": "AnswerIntent", "samples": ["Leeds"]}]}}}))
    data["quiz"]["questions"][1]["choices"][2] = "a tip"
    assert [p.split(":")[0] for p in found(data, audio, models)] == ["quiz.questions[1].choices[2]"]


def test_a_reaction_clip_alexa_cannot_play_is_reported_where_it_is_named(campaign, studio):
    data, audio = campaign
    shutil.copy(studio.take_mp3, audio / "quiz" / "wrong-max.mp3")
    (audio / "quiz" / "right-max.mp3").unlink()
    reported = found(data, audio)
    assert any(p.startswith("quiz.questions[0].wrong.audio: ") and "is MPEG-1 layer III at 128 kbps" in p
               for p in reported), reported
    assert any(p.startswith("quiz.questions[0].right[1].audio: ") and "does not exist" in p for p in reported)


def test_a_reaction_a_fact_and_a_question_longer_than_one_answer_may_play_are_reported(campaign):
    data, audio = campaign
    for name in ("wrong-max", "fact-barn", "q-rehearsal"):
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                        "sine=frequency=440:sample_rate=24000:duration=90", "-ac", "1", "-ar", "24000", "-c:a",
                        "libmp3lame", "-b:a", "48k", "-write_xing", "0", str(audio / "quiz" / f"{name}.mp3")],
                       check=True)
    assert [p.split(": ")[0] for p in found(data, audio)] == ["quiz.questions[0]"]
    assert "270 s of audio" in found(data, audio)[0]
