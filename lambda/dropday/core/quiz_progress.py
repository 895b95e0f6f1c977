"""A listener's progress through the quiz, and the rules of drawing rounds (no turns here, so
that `core.listener` can hold it without importing the dialog).

Stored (the `quiz` part of the listener's item; every list holds only keys of questions the
campaign still has, so it is bounded by the manifest):

    {"had": "<6-char keys>", "rotation": 1, "again": {"<key>": 17},
     "round": "<keys>", "at": 3, "score": 2, "rounds": 5, "asked": 23, "best": 4, "perfect": 1}

Per field, where it lives:

- stored, because it must survive a stop and a new session: the round in progress (`round`, its
  question keys in the order asked; `at`, the question being asked; `score`, right answers so
  far), the rotation (`had`, `rotation`), the questions to ask again (`again`), the counters
  (`rounds`, `asked`) and the records (`best`, `perfect`);
- in the session (`core.session.AskedQuestion`): which question the last answer asked, so that an
  answer is matched to it and help, repeat and stop need not write anything; and the offer
  ("shall we carry on?").

A round draws questions the listener has not had in the current rotation, in a random order, and
never one question twice. A question answered wrong (or skipped, or not known) comes back
`RETRY_AFTER` questions later at the earliest, in a later round: rounds are drawn whole when they
start, and a due question takes the place in the round where it falls due.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from random import Random
from types import MappingProxyType
from typing import NamedTuple

from .campaign.model import KEY_LENGTH
from .campaign.quiz import Question, Quiz

#: Questions asked after a wrong answer before that question may come back.
RETRY_AFTER = 3


class QuizProgress(NamedTuple):
    """One listener's quiz (see the module docstring for each field's scope).

    Attributes:
        had: keys of the questions asked in the current rotation, oldest first.
        rotation: how many times the listener has started the questions over.
        again: questions to ask again, by key: the value of `asked` from which they are due.
        round: keys of the round in progress, in the order asked (empty: no round in progress).
        at: the index in `round` of the question being asked.
        score: right answers so far in the round in progress.
        rounds: rounds started, ever (the number of the round in progress).
        asked: questions answered, skipped or not known, ever.
        best: the best score of a finished round.
        perfect: finished rounds with every answer right.
    """

    had: tuple[str, ...] = ()
    rotation: int = 0
    again: Mapping[str, int] = MappingProxyType({})
    round: tuple[str, ...] = ()
    at: int = 0
    score: int = 0
    rounds: int = 0
    asked: int = 0
    best: int = 0
    perfect: int = 0

    @property
    def in_round(self) -> bool:
        """Whether a round is in progress (a question waits for its answer)."""
        return self.at < len(self.round)

    @property
    def current(self) -> str | None:
        """The key of the question being asked, or None between rounds."""
        return self.round[self.at] if self.in_round else None

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage; empty fields are left out."""
        data: dict[str, object] = {}
        for name, value in (("had", "".join(self.had)), ("rotation", self.rotation), ("again", dict(self.again)),
                            ("round", "".join(self.round)), ("at", self.at), ("score", self.score),
                            ("rounds", self.rounds), ("asked", self.asked), ("best", self.best),
                            ("perfect", self.perfect)):
            if value:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: object) -> "QuizProgress":
        """Read a stored dict (anything damaged reads as nothing played)."""
        from .listener import count, keys   # the readers of every stored part (listener imports this module)

        if not isinstance(data, Mapping):
            return cls()
        again, had, drawn = data.get("again"), data.get("had"), data.get("round")
        return cls(
            had=keys(had) if isinstance(had, str) else (), rotation=count(data.get("rotation")),
            again={k: count(v) for k, v in again.items() if isinstance(k, str) and len(k) == KEY_LENGTH}
            if isinstance(again, Mapping) else {},
            round=keys(drawn) if isinstance(drawn, str) else (), at=count(data.get("at")),
            score=count(data.get("score")), rounds=count(data.get("rounds")), asked=count(data.get("asked")),
            best=count(data.get("best")), perfect=count(data.get("perfect")))

    def fitted(self, quiz: Quiz | None) -> "QuizProgress":
        """Only what `quiz` still has: a round losing a question keeps its place in the rest."""
        if quiz is None:
            return QuizProgress() if self != QuizProgress() else self
        known = {q.key for q in quiz.questions}
        kept_round = tuple(k for k in self.round if k in known)
        at = sum(1 for k in self.round[:self.at] if k in known)
        fitted = self._replace(had=tuple(dict.fromkeys(k for k in self.had if k in known)),
                         again={k: due for k, due in self.again.items() if k in known},
                         round=kept_round if at < len(kept_round) else (), at=at if at < len(kept_round) else 0,
                         score=self.score if at < len(kept_round) else 0)
        return self if fitted == self else fitted

    def merged(self, base: "QuizProgress", theirs: "QuizProgress") -> "QuizProgress":
        """This request's progress (`self`) combined with another device's (`theirs`), both made on
        top of `base`: the side further along wins (one answer counted once), records are kept."""
        if self == base:
            return theirs
        if theirs == base:
            return self
        ahead, other = (self, theirs) if (self.rounds, self.at, self.asked) > (theirs.rounds, theirs.at,
                                                                               theirs.asked) else (theirs, self)
        had = ahead.had + tuple(k for k in other.had if k not in ahead.had) \
            if ahead.rotation == other.rotation else ahead.had
        return ahead._replace(had=had, best=max(self.best, theirs.best), perfect=max(self.perfect, theirs.perfect))


def draw_round(quiz: Quiz, day: date, progress: QuizProgress, rng: Random) -> QuizProgress:
    """Start a new round on `day`: `round_length` questions (fewer when fewer are available).

    Questions due again come first, each at the place where it falls due (never before
    `RETRY_AFTER` questions have passed since it was answered); the other places go to questions
    not had in this rotation, in a random order; when those run out, a new rotation starts.

    Returns:
        The progress with the new round (unchanged when no question is available).
    """
    available = quiz.available(day)
    length = min(quiz.round_length, len(available))
    if length == 0:
        return progress
    by_key = {q.key: q for q in available}
    places: list[str | None] = [None] * length
    for key, due in sorted(progress.again.items(), key=lambda item: (item[1], item[0])):
        if key not in by_key:
            continue
        place = max(0, due - progress.asked)
        while place < length and places[place] is not None:
            place += 1
        if place < length:
            places[place] = key
    chosen = {k for k in places if k}
    waiting = {k for k in progress.again if k in by_key and k not in chosen}   # due in a later round
    had, rotation = set(progress.had), progress.rotation
    fresh = [q.key for q in available if q.key not in had | chosen | waiting]
    rng.shuffle(fresh)
    needed = places.count(None)
    if len(fresh) < needed:   # the rotation runs out: the rest comes from a new one
        rotation += 1
        rest = [q.key for q in available if q.key not in chosen | waiting and q.key not in fresh]
        rng.shuffle(rest)
        late = sorted(waiting, key=lambda k: (progress.again[k], k))   # only when nothing else is left
        fresh += rest + late
        had = set()
    picks = iter(fresh)
    drawn = tuple(key if key else next(picks) for key in places)
    return progress._replace(round=drawn, at=0, score=0, rounds=progress.rounds + 1, rotation=rotation,
                   had=tuple(k for k in progress.had if k in had))


def answered(progress: QuizProgress, right: bool) -> QuizProgress:
    """The progress after the question being asked was answered (`right` or not: wrong, skipped,
    not known); at the round's end, the score is kept as a record and the round closes."""
    key = progress.current
    if key is None:
        return progress
    asked = progress.asked + 1
    again = {k: due for k, due in progress.again.items() if k != key}
    if not right:
        again[key] = asked + RETRY_AFTER
    score = progress.score + right
    updated = progress._replace(had=(*(k for k in progress.had if k != key), key), again=again, at=progress.at + 1,
                      score=score, asked=asked)
    if updated.in_round:
        return updated
    perfect = progress.perfect + (score == len(progress.round))
    return updated._replace(round=(), at=0, score=0, best=max(progress.best, score), perfect=perfect)


def round_questions(quiz: Quiz, progress: QuizProgress) -> Sequence[Question]:
    """The questions of the round in progress, in order."""
    return [q for k in progress.round if (q := quiz.question(k)) is not None]


