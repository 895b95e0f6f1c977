"""The daily question as a listener plays it: one question per local day, a tally and a streak.

"What's today's question?" asks it (offered in the welcome while it waits); the answer is judged
once a day; asking again that day says how they did and "come back tomorrow". Finishing the
challenge (or reaching a tally) unlocks the campaign's finale through its unlock condition
(`core.unlocks`), and says the prize-draw invitation when the campaign asks for it. The rules
and the stored part are in `core.daily_progress`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from . import quiz, reminders
from .campaign.quiz import Question
from .daily_progress import DailyProgress, Status, answer as answered, current_streak, day_number, status
from .listener import ListenerState
from .menu import what_next
from .session import AskedQuestion
from .speech import Speech
from .turns import Reply, Turn

DAILY = "daily"
#: The streak is said from this many days in a row.
STREAK_SAID_FROM = 2


def ask(turn: Turn) -> Reply:
    """"What's today's question?": today's question, or why there is none (not started, answered
    today, over)."""
    state = turn.started_state()
    challenge = turn.manifest.daily
    if challenge is None:
        return what_next(turn, turn.say("nothing_available"), state, {"kind": "daily_question"})
    progress = state.daily
    where = status(challenge, progress, turn.today)
    event = {"kind": "daily_question", "daily": _figures(turn, state)}
    if where is Status.NOT_STARTED:
        told = turn.say("daily_not_started", day=turn.spoken_day(challenge.start))  # type: ignore[arg-type]
    elif where is Status.OVER:
        told = turn.say("daily_over", tally=progress.tally, days=challenge.days)
    elif where is Status.ANSWERED:
        told = turn.say("daily_already_right" if progress.right else "daily_already_wrong")
        told += Speech() if progress.finished(challenge) else turn.say("daily_come_back")
    else:
        return _ask(turn, state, Speech(), event)
    return what_next(turn, told, state, event)


def answer(turn: Turn, tokens: Sequence[str]) -> Reply:
    """The answer to today's question (`tokens`: the answer slot's resolved ids, then the words said)."""
    state, question = _asked(turn)
    if question is None:
        return ask(turn)
    choice = quiz.chosen(question, tokens)
    if choice is None and (not question.free or not tokens):
        return not_a_choice(turn, heard=bool(tokens))
    return _judge(turn, state, question, choice == question.answer)


def dont_know(turn: Turn) -> Reply:
    """"I don't know": today's go is used up, wrong, with the answer."""
    state, question = _asked(turn)
    if question is None:
        return ask(turn)
    return _judge(turn, state, question, False, turn.say("quiz_dont_know"))


def skip(turn: Turn) -> Reply:
    """"Skip": today's question waits until tomorrow; nothing counted."""
    return what_next(turn, turn.say("daily_skipped"), turn.started_state(), {"kind": "daily_question"})


def repeat(turn: Turn) -> Reply:
    """"Repeat the question": today's question again."""
    state, question = _asked(turn)
    if question is None:
        return ask(turn)
    return _ask(turn, state, Speech(), {"kind": "repeat", "daily": _figures(turn, state)})


def help_(turn: Turn) -> Reply:
    """Help while today's question waits: how to answer, then the question again."""
    state, question = _asked(turn)
    if question is None:
        return ask(turn)
    return _ask(turn, state, turn.say("quiz_help_free" if question.free else "quiz_help"),
                {"kind": "help", "daily": _figures(turn, state)})


def not_a_choice(turn: Turn, heard: bool = True) -> Reply:
    """An answer that is none of the choices: the choices again, not counted."""
    state, question = _asked(turn)
    if question is None:
        return ask(turn)
    preface = turn.say("quiz_not_a_choice" if heard and not question.free else "quiz_not_heard")
    return quiz.again(turn, state, question, DAILY, preface, {"kind": "fallback", "daily": _figures(turn, state)},
                      _screen(turn, state, question))


def yes_or_no(turn: Turn, word: str) -> Reply:
    """"Yes" or "no" while today's question waits: the choice of that name, if it has one."""
    state, question = _asked(turn)
    if question is not None and quiz.answer_yes_or_no(question, word) is not None:
        return answer(turn, [word])
    return not_a_choice(turn)


def stop(turn: Turn) -> Reply:
    """Stop or cancel while today's question waits: goodbye (it waits until tomorrow)."""
    return Reply(quiz.goodbye_line(turn), None, turn.state, event={"kind": "goodbye"})


def choices(turn: Turn, state: ListenerState) -> list[str]:
    """"today's question", for the launch question, while it waits."""
    return [turn.text("choice_daily")] if _waiting(turn, state) else []


def help_line(turn: Turn) -> Speech:
    """How to ask for the daily question, in help, while the challenge runs."""
    challenge = turn.manifest.daily
    running = challenge is not None and status(challenge, turn.state.daily, turn.today) is not Status.OVER
    return turn.say("help_daily") if running else Speech()


def welcome_line(turn: Turn, state: ListenerState) -> Speech:
    """"Today's question is waiting for you.", said in the welcome while it waits."""
    return turn.say("daily_waiting") if _waiting(turn, state) else Speech()


# -- inside ----------------------------------------------------------------------------------------------


def _waiting(turn: Turn, state: ListenerState) -> bool:
    challenge = turn.manifest.daily
    return challenge is not None and status(challenge, state.daily, turn.today) is Status.WAITING


def _todays(turn: Turn, state: ListenerState) -> Question | None:
    """Today's question while it waits for the listener's answer."""
    challenge = turn.manifest.daily
    if challenge is None or status(challenge, state.daily, turn.today) is not Status.WAITING:
        return None
    return challenge.question(day_number(challenge, state.daily, turn.today))


def _asked(turn: Turn) -> tuple[ListenerState, Question | None]:
    """The state, and today's question when this session asked it and it still waits (another
    device may have answered it meanwhile: then it is not counted again)."""
    state = turn.started_state()
    question = _todays(turn, state)
    asking = turn.session.asking
    if question is None or asking is None or asking.mode != DAILY or asking.key != question.key:
        return state, None
    return state, question


def _ask(turn: Turn, state: ListenerState, preface: Speech, event: dict[str, object]) -> Reply:
    challenge = turn.manifest.daily
    number = day_number(challenge, state.daily, turn.today)  # type: ignore[arg-type]
    question = challenge.question(number)  # type: ignore[union-attr]
    said, closing, reprompt = quiz.asking(turn, question, preface + turn.say(
        "daily_question_number", day=number, days=challenge.days))  # type: ignore[union-attr]
    return Reply(said, reprompt, state, None, closing, {**event, "daily": _figures(turn, state, question)},
                 _screen(turn, state, question), asking=AskedQuestion(DAILY, question.key))


def _judge(turn: Turn, state: ListenerState, question: Question, right: bool, opening: Speech | None = None) -> Reply:
    challenge = turn.manifest.daily
    after = answered(challenge, state.daily, turn.today, right)  # type: ignore[arg-type]
    state = state._replace(daily=after)
    speech = quiz.judged(turn, question, right, opening)
    if after.streak >= STREAK_SAID_FROM:
        speech += turn.say("daily_streak", streak=after.streak)
    if after.finished(challenge):  # type: ignore[arg-type]
        speech += turn.say("daily_finished", tally=after.tally, days=challenge.days)  # type: ignore[union-attr]
        if challenge.draw_invitation and turn.manifest.draw is None:  # type: ignore[union-attr]
            speech += turn.say("daily_invitation")   # a campaign with a `draw:` invites through it
    else:
        speech += turn.say("daily_tally", tally=after.tally, day=after.day) + turn.say("daily_come_back")
    figures = {**_figures(turn, state, question), "correct": right}
    screen = {"view": "daily_result", "correct": right, "day": after.day, "days": challenge.days,  # type: ignore[union-attr]
              "tally": after.tally, "streak": after.streak}
    reply = what_next(turn, speech, state, {"kind": "daily_answer", "daily": figures})._replace(screen=screen)
    if after.finished(challenge):  # type: ignore[arg-type]
        return reply
    return reminders.offer_daily(turn, reply, _last_question_day(turn, after))


def _last_question_day(turn: Turn, progress: DailyProgress) -> date:
    """The last day this listener will be asked a question: the calendar's, or at their own pace
    one a day from tomorrow until the questions run out."""
    challenge = turn.manifest.daily
    if challenge.last_day is not None:  # type: ignore[union-attr]
        return challenge.last_day  # type: ignore[union-attr]
    return turn.today + timedelta(days=challenge.days - progress.answered)  # type: ignore[union-attr]


def _figures(turn: Turn, state: ListenerState, question: Question | None = None) -> dict[str, object]:
    """The turn event's `daily` part."""
    challenge = turn.manifest.daily
    progress = state.daily
    figures: dict[str, object] = {"day": day_number(challenge, progress, turn.today) if challenge else 0,
                                  "streak": current_streak(progress, turn.today), "tally": progress.tally}
    return {"question": question.id, **figures} if question else figures


def _screen(turn: Turn, state: ListenerState, question: Question) -> dict[str, object]:
    challenge = turn.manifest.daily
    return quiz.question_screen(turn, "daily_question", question, day=day_number(challenge, state.daily, turn.today),
                                days=challenge.days, tally=state.daily.tally,  # type: ignore[union-attr]
                                streak=current_streak(state.daily, turn.today))
