"""Parsers for `quiz:` (questions drawn in rounds) and `daily:` (one question a day)."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import MAX_SLOT_VALUE_LENGTH, Localized, Recording, Sentence, Unlockable, Window
from ..quiz import CALENDAR, LETTERS, MAX_CHOICES, MIN_CHOICES, PACES, Choice, Daily, Question, Quiz, normalized
from .reader import Reader, join

QUESTION_KEYS = ("id", "question", "choices", "free_answer", "answer", "right", "wrong", "fact", "available")
#: The unlock conditions a daily challenge's finale may have.
FINALE_CONDITIONS = ("daily_finished", "daily_tally")


def entries(r: Reader, doc: Mapping[str, object], unlockables: tuple[Unlockable, ...]) -> tuple[Quiz | None,
                                                                                                Daily | None]:
    """The top-level `quiz:` and `daily:` entries (None when absent), and the unlockables that
    depend on them checked against them."""
    found_quiz = quiz(r, doc["quiz"], "quiz") if "quiz" in doc else None
    found_daily = daily(r, doc["daily"], "daily", unlockables) if "daily" in doc else None
    for i, unlockable in enumerate(unlockables):
        _check_condition(r, f"unlockables[{i}].when.{unlockable.when.kind}", unlockable, found_quiz, found_daily)
    return found_quiz, found_daily


def _check_condition(r: Reader, path: str, unlockable: Unlockable, found_quiz: Quiz | None,
                     found_daily: Daily | None) -> None:
    """A quiz or daily-question condition that can never be met."""
    kind, count = unlockable.when.kind, unlockable.when.count or 0
    if kind.startswith("quiz_") and found_quiz is None:
        r.problem(path, "depends on the quiz, but the campaign has no `quiz:`", "add a quiz, or choose another condition")
    elif kind == "quiz_best" and found_quiz is not None and count > found_quiz.round_length:
        r.problem(path, f"{count} is more than a round's {found_quiz.round_length} questions, so this can never "
                  "unlock", f"use at most {found_quiz.round_length}")
    elif kind.startswith("daily_") and found_daily is None:
        r.problem(path, "depends on the daily question, but the campaign has no `daily:`",
                  "add a daily challenge, or choose another condition")
    elif kind == "daily_tally" and found_daily is not None and count > found_daily.days:
        r.problem(path, f"{count} is more than the challenge's {found_daily.days} days, so this can never unlock",
                  f"use at most {found_daily.days}")


def quiz(r: Reader, value: object, path: str) -> Quiz:
    """`quiz: {round_length, questions}`."""
    item = r.mapping(value, path, required=("round_length", "questions"))
    length = r.optional(item, "round_length", path, r.count)
    questions = _questions(r, item.get("questions", []), join(path, "questions"), windows=True)
    return Quiz(length or 1, questions)


def daily(r: Reader, value: object, path: str, unlockables: tuple[Unlockable, ...] = ()) -> Daily:
    """`daily: {days, questions, pace, start, finale, draw_invitation}`.

    Args:
        unlockables: the campaign's unlockables, one of which `finale` may name.
    """
    item = r.mapping(value, path, required=("days", "questions"),
                     optional=("pace", "start", "finale", "draw_invitation"))
    days = r.optional(item, "days", path, r.count)
    pace = r.optional(item, "pace", path, r.text, default=CALENDAR)
    if pace not in PACES:
        r.problem(join(path, "pace"), f"`{pace}` is not a pace",
                  f"write `pace: {CALENDAR}` (everyone gets the day's question of the campaign's calendar) or "
                  f"`pace: own_pace` (each listener's next question, one a day)")
    start = r.optional(item, "start", path, r.day)
    if pace == CALENDAR and "start" not in item:
        r.problem(join(path, "start"), "is missing: a calendar challenge needs its first day",
                  "add `start: YYYY-MM-DD`, or write `pace: own_pace`")
    questions = _questions(r, item.get("questions", []), join(path, "questions"), windows=False)
    if days and questions and len(questions) < days:
        r.problem(join(path, "days"), f"the challenge has {days} days but only {len(questions)} questions",
                  f"add {days - len(questions)} more questions (question N is asked on day N), or set "
                  f"`days: {len(questions)}`")
    finale = r.optional(item, "finale", path, r.identifier)
    if finale:
        _check_finale(r, join(path, "finale"), finale, unlockables)
    invitation = r.optional(item, "draw_invitation", path, r.flag, default=False)
    return Daily(days or 1, questions, pace if pace in PACES else CALENDAR, start, finale or None, invitation)


def _check_finale(r: Reader, path: str, finale: str, unlockables: tuple[Unlockable, ...]) -> None:
    found = next((u for u in unlockables if u.id == finale), None)
    if found is None:
        r.problem(path, f"`{finale}` is not an unlockable id",
                  f"add an unlockable with `id: {finale}` and `when: {{daily_finished: true}}`, or use one of: "
                  f"{', '.join(u.id for u in unlockables) or '(no unlockables defined)'}")
    elif found.when.kind not in FINALE_CONDITIONS:
        r.problem(path, f"unlockable `{finale}` unlocks on `{found.when.kind}`, not on the challenge",
                  "give it `when: {daily_finished: true}` (or `{daily_tally: N}`)")


def _questions(r: Reader, value: object, path: str, windows: bool) -> tuple[Question, ...]:
    entries = r.sequence(value, path)
    if isinstance(value, list) and not entries:
        r.problem(path, "has no questions", "add at least one question")
    found: list[Question] = []
    keys: dict[str, str] = {}
    for i, entry in enumerate(entries):
        question = _question(r, entry, f"{path}[{i}]", windows)
        if question.id and any(q.id == question.id for q in found):
            r.problem(f"{path}[{i}].id", f"`{question.id}` is used by another question",
                      "give each question its own id (listeners' progress remembers ids)")
        elif question.id and keys.setdefault(question.key, question.id) != question.id:
            r.problem(f"{path}[{i}].id", f"`{question.id}` and `{keys[question.key]}` share a storage key "
                      "(a one-in-billions clash)", "rename one of the two questions, e.g. add a digit")
        found.append(question)
    return tuple(found)


def _question(r: Reader, entry: object, path: str, windows: bool) -> Question:
    keys = QUESTION_KEYS if windows else tuple(k for k in QUESTION_KEYS if k != "available")
    item = r.mapping(entry, path, required=("id", "question"), optional=keys)
    if not windows and isinstance(entry, Mapping) and "available" in entry:
        r.problem(join(path, "available"), "is not needed: the day decides which question is asked",
                  "remove `available:` (question N is asked on day N of the challenge)")
    question_id = r.optional(item, "id", path, r.identifier, default="")
    recording = r.optional(item, "question", path, lambda v, p: _recording(r, v, p), default=Recording(Localized("")))
    choices: tuple[Choice, ...] = ()
    answer = Choice("", "")
    if "choices" in item and "free_answer" in item:
        r.problem(path, "has both `choices` and a `free_answer`", "keep one of them")
    elif item and "choices" not in item and "free_answer" not in item:
        r.problem(path, "needs either `choices` (two to four) or a `free_answer`",
                  "list the choices under `choices:` with `answer:` naming the right one, or give the accepted "
                  "words under `free_answer:`")
    if "choices" in item:
        choices = _choices(r, item["choices"], join(path, "choices"))
        answer = _answer(r, item, path, choices)
    elif "free_answer" in item:
        answer = _choice(r, item["free_answer"], join(path, "free_answer"), "")
        if "answer" in item:
            r.problem(join(path, "answer"), "is not needed: the free answer is the answer",
                      "remove `answer:`, and list other accepted words as the free answer's `synonyms`")
    right = r.optional(item, "right", path, r.sentence)
    wrong = r.optional(item, "wrong", path, r.sentence)
    fact = r.optional(item, "fact", path, lambda v, p: _recording(r, v, p))
    window = r.optional(item, "available", path, r.window, default=Window()) if windows else Window()
    return Question.keyed(question_id, recording, choices, answer, right=_sentence(right), wrong=_sentence(wrong),
                          fact=fact, window=window)


def _recording(r: Reader, value: object, path: str) -> Recording:
    """A question or fact: its words (read aloud), or `audio` with its `transcript`."""
    if isinstance(value, Mapping):
        item = r.mapping(value, path, required=("transcript",), optional=r.RECORDING_KEYS)
        return r.recording(item, path)
    return Recording(Localized(r.template(value, path)))


def _choices(r: Reader, value: object, path: str) -> tuple[Choice, ...]:
    entries = r.sequence(value, path)
    if isinstance(value, list) and not MIN_CHOICES <= len(entries) <= MAX_CHOICES:
        r.problem(path, f"has {len(entries)} choices", f"give {MIN_CHOICES} to {MAX_CHOICES} choices "
                  "(listeners answer A to D), or a `free_answer` instead")
    choices = tuple(_choice(r, entry, f"{path}[{i}]", LETTERS[i] if i < len(LETTERS) else "")
                    for i, entry in enumerate(entries))
    owners: dict[str, Choice] = {}
    for i, choice in enumerate(choices):
        for j, words in enumerate((choice.words, *choice.synonyms)):
            spoken = normalized(words)
            owner = owners.setdefault(spoken, choice)
            if spoken and owner is not choice:
                where = f"{path}[{i}]" + ("" if isinstance(entries[i], str) else
                                          (".words" if j == 0 else f".synonyms[{j - 1}]"))
                r.problem(where, f"`{words}` also names choice {owner.letter} ({owner.words})",
                          "a word may belong to one choice of a question only: remove it from one of them")
    return choices


def _choice(r: Reader, value: object, path: str, letter: str) -> Choice:
    """A choice or a free answer: its words, or `words` and `synonyms`."""
    if not isinstance(value, Mapping):
        return Choice(letter, _words(r, value, path))
    item = r.mapping(value, path, required=("words",), optional=("synonyms",))
    words = _words(r, item["words"], join(path, "words")) if "words" in item else ""
    synonyms = tuple(_words(r, word, f"{path}.synonyms[{i}]")
                     for i, word in enumerate(r.sequence(item.get("synonyms", []), join(path, "synonyms"))))
    return Choice(letter, words, synonyms)


def _words(r: Reader, value: object, path: str) -> str:
    text = r.text(value, path, MAX_SLOT_VALUE_LENGTH)
    if text and not normalized(text):
        r.problem(path, f"`{text}` has no letters or digits a listener could say", "write the answer in words")
    return text


def _answer(r: Reader, item: Mapping[str, object], path: str, choices: tuple[Choice, ...]) -> Choice:
    """`answer:` names a choice by its letter or its words."""
    here = join(path, "answer")
    if "answer" not in item:
        r.problem(here, "is missing", "add `answer:` with the right choice's letter (A to D) or its words")
        return Choice("", "")
    given = r.text(item["answer"], here)
    wanted = normalized(given)
    found = next((c for c in choices if wanted in (c.letter.lower(), normalized(c.words))), None)
    if given and found is None:
        named = ", ".join(f"{c.letter} ({c.words})" for c in choices)
        r.problem(here, f"`{given}` is not one of the choices", f"write the letter or the words of one of: {named}")
    return found or Choice("", "")


def _sentence(value: object) -> Sentence | None:
    return value if isinstance(value, Sentence) else None
