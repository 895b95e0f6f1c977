"""The quiz and the daily question as the content team writes them, and how answers are named.

A `Question` is a recorded question with two to four `Choice`s (or one free answer), the correct
answer, the band's reactions to a right and a wrong answer, and an optional fact said afterwards.
`Quiz` is a set of questions drawn in rounds; `Daily` is a challenge of one question a day.

Answers arrive as entity-resolved values of the QUIZ_ANSWER slot type, which the interaction-model
generator writes from the manifest with these ids (`answer_ids` and `spoken_id` are the one
definition both sides use; the skill compares ids, never spoken strings):

- `A`, `B`, `C`, `D`: a position, with the letter, its number and its ordinal as synonyms
  ("b", "option b", "two", "2", "number two", "second", "the second one", "2nd"...), see
  `position_phrases`;
- `W.<words>`: the words of a choice, a synonym or a free answer, one value per distinct phrase,
  e.g. `W.tuesday` or `W.small-hours-harbour` (see `word_id`). A phrase shared by choices of
  different questions is one value; which choice it means depends on the question being asked.

So "B", "two", "2", "the second one" and "Tuesday" (the second choice's words) all resolve to
ids the second choice accepts. When Alexa resolves nothing, the spoken words are turned into an
id the same way (`spoken_id`), so the comparison is still between ids.
"""

import re
from datetime import date, timedelta
from typing import Any, NamedTuple

from .model import ALWAYS, Recording, Sentence, Window, content_key

#: Letters of the choices, in order: a question has two to four.
LETTERS = ("A", "B", "C", "D")
MIN_CHOICES, MAX_CHOICES = 2, len(LETTERS)
NUMBERS = ("one", "two", "three", "four")
ORDINALS = ("first", "second", "third", "fourth")
ORDINAL_DIGITS = ("1st", "2nd", "3rd", "4th")
#: How listeners' recognisers write the letters when said alone.
LETTER_SOUNDS = {"A": ("ay",), "B": ("bee",), "C": ("see", "sea"), "D": ("dee",)}
#: The prefix of the ids of words (choices, synonyms, free answers) in the QUIZ_ANSWER slot type.
WORD_PREFIX = "W."
#: `pace:` of a daily challenge: the campaign's calendar decides the day's question, or the
#: listener's own progress does.
CALENDAR, OWN_PACE = "calendar", "own_pace"
PACES = (CALENDAR, OWN_PACE)

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalized(text: str) -> str:
    """`text` as the words a listener says: lowercase, apostrophes dropped, other punctuation a space."""
    text = text.lower().replace("\u2019", "").replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def word_id(words: str) -> str:
    """The QUIZ_ANSWER id of some words: `W.` and the words joined by hyphens ("W.small-hours-harbour")."""
    return WORD_PREFIX + normalized(words).replace(" ", "-")


def position_phrases(index: int) -> tuple[str, ...]:
    """Everything a listener may say for the choice at `index` (0 for A): its letter, number and ordinal."""
    letter, number, ordinal, digits = LETTERS[index].lower(), NUMBERS[index], ORDINALS[index], ORDINAL_DIGITS[index]
    figure = str(index + 1)
    return (letter, *LETTER_SOUNDS[LETTERS[index]], f"option {letter}", f"answer {letter}", f"letter {letter}",
            number, figure, f"number {number}", f"number {figure}", f"option {number}", f"answer {number}",
            ordinal, f"the {ordinal}", f"the {ordinal} one", f"{ordinal} one", f"the {ordinal} answer",
            f"the {ordinal} option", digits, f"the {digits} one")


_POSITIONS = {phrase: LETTERS[i] for i in range(len(LETTERS)) for phrase in position_phrases(i)}


def spoken_id(spoken: str) -> str:
    """The QUIZ_ANSWER id of words a listener said: a letter for a position phrase, else `word_id`."""
    words = normalized(spoken)
    return _POSITIONS.get(words) or word_id(words)


class Choice(NamedTuple):
    """One possible answer.

    Attributes:
        letter: its position, "A" to "D" ("" for a free answer, which has no position).
        words: what it says ("Tuesday"); said when the choices are read.
        synonyms: other words listeners may use for it.
    """

    letter: str
    words: str
    synonyms: tuple[str, ...] = ()

    @property
    def ids(self) -> frozenset[str]:
        """The QUIZ_ANSWER ids that mean this choice: its letter, its words and its synonyms."""
        return frozenset({*([self.letter] if self.letter else []), *(word_id(w) for w in (self.words, *self.synonyms))})


class Question(NamedTuple):
    """A question of the quiz or the daily challenge.

    Attributes:
        id: its id (events, and the key listeners' state remembers).
        recording: the question itself, recorded or read.
        choices: two to four choices; empty for a free-answer question.
        answer: the correct choice (for a free answer, its accepted words, with no letter).
        right: the band's reaction to a right answer (None: the `quiz_right` sentence).
        wrong: the reaction to a wrong answer (None: the `quiz_wrong` sentence).
        fact: said after the answer, right or wrong.
        window: the days the question may be asked (quiz questions only).
        key: its key in listeners' stored state, `content_key("quiz:<id>")` (build with `keyed`).
    """

    id: str
    recording: Recording
    choices: tuple[Choice, ...]
    answer: Choice
    right: Sentence | None = None
    wrong: Sentence | None = None
    fact: Recording | None = None
    window: Window = ALWAYS
    key: str = ""

    @classmethod
    def keyed(cls, id: str, recording: Recording, choices: tuple[Choice, ...], answer: Choice,
              **fields: Any) -> "Question":
        """A question with its `key` computed from its id."""
        return cls(id, recording, choices, answer, **fields, key=content_key(f"quiz:{id}"))

    @property
    def free(self) -> bool:
        """Whether the listener answers in their own words rather than by choosing."""
        return not self.choices

    def choice_for(self, token: str) -> Choice | None:
        """The choice (or the free answer) that a QUIZ_ANSWER id or the spoken words `token` mean, or None."""
        wanted = {token, spoken_id(token), word_id(token)}   # "two" is position B, or a free answer's word
        for choice in self.choices or (self.answer,):
            if choice.ids & wanted:
                return choice
        return None

    @property
    def recordings(self) -> tuple[Recording, ...]:
        """Every recording of the question: itself, its reactions and its fact."""
        found = [self.recording, *([self.fact] if self.fact else [])]
        for sentence in (self.right, self.wrong):
            found += [v.recording for v in sentence.variants] if sentence else []
        return tuple(found)


class Quiz(NamedTuple):
    """The fan quiz: questions drawn in rounds of `round_length` per listener."""

    round_length: int
    questions: tuple[Question, ...]

    def available(self, day: date) -> tuple[Question, ...]:
        """The questions that may be asked on `day`, in manifest order."""
        return tuple(q for q in self.questions if q.window.contains(day))

    def question(self, key: str | None) -> Question | None:
        """The question with state key `key`, or None."""
        return next((q for q in self.questions if q.key == key), None)


class Daily(NamedTuple):
    """A daily-question challenge: one question per local day for `days` days.

    Attributes:
        days: how many days (and questions) the challenge has.
        questions: question N is asked on day N.
        pace: `CALENDAR` (day N is `start` + N - 1 for everyone, so a late starter joins on the
            campaign's day) or `OWN_PACE` (each listener's next question, one a day).
        start: the first day (required for the calendar; for own pace, the first day it can be played).
        finale: the id of the unlockable the challenge leads to, if any.
        draw_invitation: whether finishing invites the listener to the prize draw.
    """

    days: int
    questions: tuple[Question, ...]
    pace: str = CALENDAR
    start: date | None = None
    finale: str | None = None
    draw_invitation: bool = False

    def question(self, number: int) -> Question | None:
        """The question of challenge day `number` (1 is the first), or None."""
        return self.questions[number - 1] if 1 <= number <= min(self.days, len(self.questions)) else None

    def question_with_key(self, key: str | None) -> Question | None:
        """The question with state key `key`, or None."""
        return next((q for q in self.questions if q.key == key), None)

    @property
    def last_day(self) -> date | None:
        """The calendar's last day (None at the listener's own pace)."""
        return self.start + timedelta(days=self.days - 1) if self.pace == CALENDAR and self.start else None
