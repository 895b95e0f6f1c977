"""`dropday validate`'s checks of the quiz and the daily question that need more than the manifest
itself (the parser already refuses a correct answer that is not a choice, two choices of one
question sharing a word, and a challenge longer than its questions):

- days on which fewer quiz questions are available than a round needs (rounds come out short);
- answers a listener could not give, because the words belong to another intent ("stop", "help",
  "next"...: the built-in intents' usual phrases, the quiz's own commands, and the sample
  utterances of the interaction models, when there are any) or name another choice's position
  ("two" as the words of choice C);
- the clips of questions, reactions and facts against Alexa's audio rules (`tooling.clips`), and
  the longest answer of the quiz (a reaction, a fact and the next question) against the 240 s of
  audio one answer may hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path

from ..core.campaign.model import Manifest
from ..core.campaign.problems import Problem
from ..core.campaign.quiz import LETTERS, Question, normalized, position_phrases
from ..core.speech import MAX_AUDIO_SECONDS
from .clips import ClipCheck, check_clip
from .findings import model_files, shown

#: Words that belong to the built-in intents (and the quiz's own) whatever the interaction models say.
RESERVED_PHRASES = frozenset({
    "stop", "cancel", "help", "help me", "next", "next one", "next question", "skip", "skip it", "skip this",
    "skip this question", "repeat", "repeat that", "repeat the question", "again", "say that again", "pause",
    "resume", "continue", "never mind", "nevermind", "forget it", "go back", "back", "previous", "start over",
    "restart", "home", "go home", "exit", "quit", "goodbye", "bye", "enough", "quiet", "shut up", "be quiet",
    "i don't know", "dont know", "no idea", "i have no idea", "pass", "tell me the answer", "start the quiz",
    "quiz me", "play the quiz", "what's today's question",
})
#: The quiz's own intents, whose samples are answers (not a collision with an answer).
QUIZ_INTENTS = frozenset({"AnswerIntent"})


def check(add: Callable[[str, str, str], None], manifest: Manifest, audio_dir: Path,
          models_dir: Path | None = None, checked: Mapping[Path, ClipCheck] | None = None) -> None:
    """Report each of `problems` through `add(path, message, fix)` (validate's hook)."""
    for problem in problems(manifest, audio_dir, models_dir, checked):
        add(problem.path, problem.message, problem.fix)


def problems(manifest: Manifest, audio_dir: Path, models_dir: Path | None = None,
             checked: Mapping[Path, ClipCheck] | None = None) -> list[Problem]:
    """The checks of the module docstring, for one campaign; `checked`: clip file -> its
    `check_clip` when the caller has checked it already."""
    found = list(short_rounds(manifest))
    taken = {normalized(p) for p in RESERVED_PHRASES} | set(model_samples(models_dir))
    for entry, questions in _question_sets(manifest):
        for i, question in enumerate(questions):
            found += colliding_answers(question, f"{entry}.questions[{i}]", taken)
    found += audio_problems(manifest, audio_dir, checked)
    return found


def short_rounds(manifest: Manifest) -> Iterator[Problem]:
    """One problem per run of days on which a round cannot be filled."""
    quiz = manifest.quiz
    if quiz is None:
        return
    first, last = _span(manifest)
    runs: list[list] = []          # [first day, last day, questions available], for days short of a round
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        count = len(quiz.available(day))
        if count >= quiz.round_length:
            continue
        if runs and runs[-1][2] == count and runs[-1][1] == day - timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day, count])
    for start, end, count in runs:
        yield _short_run(quiz.round_length, start, end, count)


def _short_run(length: int, start: date, end: date, count: int) -> Problem:
    days = f"on {start}" if start == end else f"from {start} to {end}"
    said = "no quiz questions are" if count == 0 else f"only {count} quiz question{'s' if count > 1 else ''} " \
                                                       f"{'are' if count > 1 else 'is'}"
    effect = "listeners who ask for the quiz hear that there is none" if count == 0 else \
        f"rounds there have {count} questions instead of {length}"
    return Problem("quiz.round_length", f"{days} {said} available, but a round has {length}: {effect}",
                   f"widen the questions' `available` windows or add questions for those days, or lower "
                   f"`round_length` to {max(count, 1)}")


def colliding_answers(question: Question, path: str, taken: set[str]) -> Iterator[Problem]:
    """Words of a choice (or a free answer) that mean something else to the skill."""
    for i, choice in enumerate(question.choices or (question.answer,)):
        where = f"{path}.choices[{i}]" if question.choices else f"{path}.free_answer"
        for words in (choice.words, *choice.synonyms):
            spoken = normalized(words)
            if spoken in taken:
                yield Problem(where, f"`{words}` is also something listeners say to the skill itself (another "
                              "intent), so this answer could never be given",
                              "use other words for this answer (listeners can always answer with its letter)")
            position = next((LETTERS[k] for k in range(len(LETTERS)) if spoken in position_phrases(k)), None)
            if question.choices and position and position != choice.letter:
                yield Problem(where, f"`{words}` is how listeners name choice {position}, so saying it would "
                              f"answer {position}, not this choice",
                              f"put this choice at position {position} or use other words")


def model_samples(models_dir: Path | None) -> Iterator[str]:
    """The sample utterances without slots of every intent but the answers', in the campaign's models."""
    for path in model_files(models_dir):
        try:
            model = json.loads(path.read_text(encoding="utf-8"))
            intents = model["interactionModel"]["languageModel"]["intents"]
        except (OSError, ValueError, KeyError, TypeError):
            continue   # `validate`'s model checks say what is wrong with the file
        for intent in intents if isinstance(intents, list) else []:
            if not isinstance(intent, dict) or intent.get("name") in QUIZ_INTENTS:
                continue
            yield from (normalized(s) for s in intent.get("samples") or [] if isinstance(s, str) and "{" not in s)


def audio_problems(manifest: Manifest, audio_dir: Path,
                   checked: Mapping[Path, ClipCheck] | None = None) -> Iterator[Problem]:
    """Each clip of the quiz and the challenge checked once (unless in `checked`), then the longest
    answer of each."""
    checked = checked or {}
    seconds: dict[str, float] = {}
    for entry, questions in _question_sets(manifest):
        for i, question in enumerate(questions):
            here = f"{entry}.questions[{i}]"
            for where, recording in _recordings(question, here):
                if not recording.audio or recording.audio in seconds:
                    continue
                file = audio_dir / recording.audio
                check = checked.get(file) or check_clip(
                    file, shown(file), f"dropday audio convert {shown(file)} --out {shown(file.parent)}")
                seconds[recording.audio] = check.seconds or 0.0
                yield from (Problem(f"{where}.audio", p.message, p.fix) for p in check.problems)
        yield from _longest_answer(entry, questions, seconds)


def _longest_answer(entry: str, questions: tuple[Question, ...], seconds: dict[str, float]) -> Iterator[Problem]:
    """An answer plays a reaction, a fact and the next question: together at most 240 s of audio."""
    def length(recording) -> float:
        return seconds.get(recording.audio, 0.0) if recording and recording.audio else 0.0

    def reaction(sentence) -> float:
        return max((length(v.recording) for v in sentence.variants), default=0.0) if sentence else 0.0

    longest_question = max((length(q.recording) for q in questions), default=0.0)
    for i, question in enumerate(questions):
        total = max(reaction(question.right), reaction(question.wrong)) + length(question.fact) + longest_question
        if total > MAX_AUDIO_SECONDS:
            yield Problem(f"{entry}.questions[{i}]", f"its reaction, its fact and the next question together are "
                          f"{total:.0f} s of audio; one answer may play at most {MAX_AUDIO_SECONDS:.0f} s, so Alexa "
                          "would read some of them instead", "shorten the reaction or the fact clip")


def _recordings(question: Question, path: str):
    yield f"{path}.question", question.recording
    if question.fact:
        yield f"{path}.fact", question.fact
    for name, sentence in (("right", question.right), ("wrong", question.wrong)):
        variants = sentence.variants if sentence else ()
        for j, variant in enumerate(variants):
            yield (f"{path}.{name}[{j}]" if len(variants) > 1 else f"{path}.{name}"), variant.recording


def _question_sets(manifest: Manifest):
    if manifest.quiz is not None:
        yield "quiz", manifest.quiz.questions
    if manifest.daily is not None:
        yield "daily", manifest.daily.questions


def _span(manifest: Manifest) -> tuple[date, date]:
    """The days the quiz runs: from the campaign's first dated day (a question's, a piece's, the
    challenge's; else four weeks before the release) to the release or its last window's end."""
    windows = [q.window for q in manifest.quiz.questions]  # type: ignore[union-attr]
    starts = [w.start for w in windows if w.start] + [p.window.start for p in manifest.pieces if p.window.start] \
        + ([manifest.daily.start] if manifest.daily and manifest.daily.start else []) \
        or [manifest.album.release_date - timedelta(days=28)]
    return min(starts), max([manifest.album.release_date, *(w.end for w in windows if w.end)])
