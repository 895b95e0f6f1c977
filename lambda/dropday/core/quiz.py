"""The fan quiz as a listener plays it: rounds of questions, answered by letter, number or words.

Every turn of a round ends on a question with a reprompt: the next question, or "another
round?" at the end. Mid-quiz, "repeat the question", help (how to answer, then the question
again), an answer that is none of the choices (the choices again, not counted), "skip", "I don't
know" (wrong, with the answer) and stop (the score so far; the round waits in the stored state)
keep the round as it is; a tip or the countdown asked for meanwhile is answered, then the quiz is
offered again (`offer_back`). The asking helpers here serve the daily question too (`core.daily`).

The round lives in the listener's stored state (`core.quiz_progress`); the session only says which
question was asked (`AskedQuestion`), so an answer from a device that fell behind another is
never counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .campaign.quiz import Choice, Question
from .listener import ListenerState
from .menu import what_next
from .quiz_progress import QuizProgress, answered, draw_round
from .session import AskedQuestion, Offer
from .speech import Speech
from .turns import Reply, Turn

QUIZ = "quiz"


# -- asking and judging, for the quiz and the daily question -------------------------------------------


def asking(turn: Turn, question: Question, preface: Speech) -> tuple[Speech, Speech, Speech]:
    """How a question is asked: (`preface` and the recorded question, the closing question naming
    the choices, the reprompt)."""
    said = preface + turn.play(question.recording)
    if question.free:
        return said, turn.say("ask_quiz_free"), turn.say("reprompt_quiz_free")
    choices = choices_text(turn, question)
    return said, turn.say("ask_quiz_choices", choices=choices), turn.say("reprompt_quiz_choices", choices=choices)


def choices_text(turn: Turn, question: Question) -> str:
    """"A: Leeds, B: Bristol, or C: Hull"."""
    return turn.listing([choice_text(turn, c) for c in question.choices])


def choice_text(turn: Turn, choice: Choice) -> str:
    """"B: Bristol", or a free answer's words."""
    return turn.text("quiz_choice", letter=choice.letter, words=choice.words) if choice.letter else choice.words


def chosen(question: Question, tokens: Sequence[str]) -> Choice | None:
    """The choice the answer slot names: `tokens` are its resolved ids, then the words said."""
    return next((c for token in tokens if (c := question.choice_for(token)) is not None), None)


def judged(turn: Turn, question: Question, right: bool, opening: Speech | None = None) -> Speech:
    """The band's reaction (or `opening`), the answer when it was wrong, then the fact."""
    speech = opening if opening is not None else reaction(turn, question, right)
    if not right:
        speech += turn.say("quiz_answer_was", answer=choice_text(turn, question.answer))
    return speech + (turn.play(question.fact) if question.fact else Speech())


def reaction(turn: Turn, question: Question, right: bool) -> Speech:
    """The question's own recorded reaction, else the campaign's `quiz_right` / `quiz_wrong`."""
    own = question.right if right else question.wrong
    variant = own.pick(turn.today, turn.rng) if own else None
    if variant is not None:
        return turn.play(variant.recording)
    return turn.say("quiz_right" if right else "quiz_wrong")


def question_screen(turn: Turn, view: str, question: Question, **figures: object) -> dict[str, object]:
    """The question, its choices and the figures (position, score...) as data for screens."""
    return {"view": view, "question": turn.manifest.fill(question.recording.transcript.get(turn.locale)),
            "choices": [{"letter": c.letter, "words": c.words} for c in question.choices], **figures}


def again(turn: Turn, state: ListenerState, question: Question, mode: str, preface: Speech,
          event: Mapping[str, object], screen: Mapping[str, object]) -> Reply:
    """The choices said again after `preface` (nothing re-asked from the start, nothing counted)."""
    if question.free:
        ask, reprompt = turn.say("ask_quiz_free"), turn.say("reprompt_quiz_free")
    else:
        choices = choices_text(turn, question)
        ask, reprompt = turn.say("ask_quiz_choices", choices=choices), turn.say("reprompt_quiz_choices",
                                                                              choices=choices)
    return Reply(preface, reprompt, state, None, ask, event, screen, asking=AskedQuestion(mode, question.key))


def answer_yes_or_no(question: Question, word: str) -> Choice | None:
    """The choice "yes" or "no" means, when the question has one called that."""
    return question.choice_for(word) if not question.free else None


def goodbye_line(turn: Turn) -> Speech:
    """The campaign's goodbye (after the release, its own)."""
    return turn.say("goodbye_after_release" if turn.today >= turn.manifest.album.release_date else "goodbye")


# -- the quiz's turns ----------------------------------------------------------------------------------


def start(turn: Turn) -> Reply:
    """"Start the quiz": the round in progress where it stopped, else a new round."""
    quiz = turn.manifest.quiz
    state = turn.started_state()
    if quiz is None:
        return what_next(turn, turn.say("quiz_unavailable"), state, {"kind": "quiz_start"})
    if state.quiz.in_round:
        return _ask(turn, state, turn.say("quiz_resumed"), "quiz_start")
    drawn = draw_round(quiz, turn.today, state.quiz, turn.rng)
    if not drawn.in_round:
        return what_next(turn, turn.say("quiz_unavailable"), state, {"kind": "quiz_start"})
    return _ask(turn, state._replace(quiz=drawn), turn.say("quiz_start", count=len(drawn.round)), "quiz_start")


def answer(turn: Turn, tokens: Sequence[str]) -> Reply:
    """An answer to the question asked: `tokens` are the answer slot's resolved ids, then the words said.

    An answer that is none of a question's choices (or nothing at all) is not counted: the choices
    are said again. A free answer that is not accepted counts as wrong.
    """
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    choice = chosen(question, tokens)
    if choice is None and (not question.free or not tokens):
        return not_a_choice(turn, heard=bool(tokens))
    return _judge(turn, state, question, choice == question.answer, "quiz_answer")


def skip(turn: Turn) -> Reply:
    """"Skip": the next question; the skipped one comes back in a later round."""
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    return _judge(turn, state, question, False, "quiz_skip", turn.say("quiz_skipped"), reveal=False)


def dont_know(turn: Turn) -> Reply:
    """"I don't know": counted as wrong, with the answer and the fact."""
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    return _judge(turn, state, question, False, "quiz_answer", turn.say("quiz_dont_know"))


def repeat(turn: Turn) -> Reply:
    """"Repeat the question": the question again, as it was asked."""
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    return _ask(turn, state, Speech(), "quiz_repeat")


def help_(turn: Turn) -> Reply:
    """Help mid-quiz: how to answer, then the question again (the round is untouched)."""
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    return _ask(turn, state, turn.say("quiz_help_free" if question.free else "quiz_help"), "help")


def not_a_choice(turn: Turn, heard: bool = True) -> Reply:
    """An answer that is none of the choices (or nothing heard): the choices again, not counted."""
    state, question = _asked(turn)
    if question is None:
        return _not_asked(turn, state)
    preface = turn.say("quiz_not_a_choice" if heard and not question.free else "quiz_not_heard")
    return again(turn, state, question, QUIZ, preface, {"kind": "fallback", "quiz": _figures(state.quiz, question)},
                 _screen(turn, state.quiz, question))


def yes_or_no(turn: Turn, word: str) -> Reply:
    """"Yes" or "no" while a question waits: the choice of that name, if it has one."""
    state, question = _asked(turn)
    if question is not None and answer_yes_or_no(question, word) is not None:
        return answer(turn, [word])
    return not_a_choice(turn)


def stop(turn: Turn) -> Reply:
    """Stop or cancel mid-quiz: the score so far and goodbye; the round waits for the next session."""
    state = turn.started_state()
    progress = state.quiz
    if progress.at:
        told = turn.say("quiz_stopped", score=progress.score, answered=progress.at, count=len(progress.round))
    else:
        told = turn.say("quiz_paused")
    question = turn.manifest.quiz.question(progress.current) if turn.manifest.quiz else None
    event = {"kind": "quiz_stop", **({"quiz": _figures(progress, question)} if question else {})}
    return Reply(told + goodbye_line(turn), None, state, event=event)


def decline(turn: Turn) -> Reply:
    """"No" to going on with the quiz: it waits, and the listener is asked what else they would like."""
    return what_next(turn, turn.say("quiz_declined"), turn.state, {"kind": "quiz_stop"})


def choices(turn: Turn) -> list[str]:
    """"the quiz", for the launch question, when there are questions to ask today."""
    quiz = turn.manifest.quiz
    return [turn.text("choice_quiz")] if quiz is not None and quiz.available(turn.today) else []


def at_launch(turn: Turn, reply: Reply) -> Reply:
    """The launch's question becomes "You were on question 4 of 5, shall we carry on?" when a round waits."""
    progress = reply.state.quiz
    if not progress.in_round:
        return reply
    figures = {"position": progress.at + 1, "count": len(progress.round)}
    return reply._replace(question=turn.say("offer_resume_quiz", **figures),
                          reprompt=turn.say("reprompt_resume_quiz", **figures), offer=Offer(QUIZ))


def offer_back(turn: Turn, reply: Reply) -> Reply:
    """Something else asked for mid-quiz (a tip, the countdown) ends by offering to go back to the quiz."""
    asked = turn.session.asking is not None and turn.session.asking.mode == QUIZ
    offered = turn.session.offer is not None and turn.session.offer.kind == QUIZ
    progress = reply.state.quiz
    if not (asked or offered) or reply.asking is not None or reply.ends_session or not progress.in_round:
        return reply
    figures = {"position": progress.at + 1, "count": len(progress.round)}
    return reply._replace(question=turn.say("offer_back_to_quiz", **figures),
                          reprompt=turn.say("reprompt_back_to_quiz", **figures), offer=Offer(QUIZ))


# -- inside ----------------------------------------------------------------------------------------------


def _asked(turn: Turn) -> tuple[ListenerState, Question | None]:
    """The state, and the question this session asked when it is still the one waiting."""
    state = turn.started_state()
    asking = turn.session.asking
    quiz = turn.manifest.quiz
    if quiz is None or asking is None or asking.mode != QUIZ or asking.key != state.quiz.current:
        return state, None
    return state, quiz.question(asking.key)


def _not_asked(turn: Turn, state: ListenerState) -> Reply:
    """An answer (or a request about the question) when no question of this session waits: the
    round's question when one is in progress (another device may have moved it on), else the
    offer of another round to a listener who has played, else what the skill did not understand
    (the answer slot takes any words, so to a newcomer this is the fallback)."""
    asked = turn.session.asking is not None and turn.session.asking.mode == QUIZ
    if state.quiz.in_round and turn.manifest.quiz is not None:
        return _ask(turn, state, turn.say("quiz_caught_up" if asked else "quiz_resumed"), "quiz_start")
    if state.quiz.rounds == 0:
        from .dialog import fallback
        return fallback(turn)
    reply = what_next(turn, turn.say("quiz_no_question"), state, {"kind": "fallback"})
    if not choices(turn):
        return reply
    return reply._replace(question=turn.say("offer_another_round"), reprompt=turn.say("reprompt_another_round"),
                          offer=Offer(QUIZ))


def _ask(turn: Turn, state: ListenerState, preface: Speech, kind: str,
         event: Mapping[str, object] | None = None) -> Reply:
    """`preface`, then the round's current question (its number, the recording, the choices)."""
    progress = state.quiz
    question = turn.manifest.quiz.question(progress.current)  # type: ignore[union-attr]
    if question is None:   # cannot happen with a fitted state; answered as if the round were over
        return what_next(turn, preface, state._replace(quiz=progress._replace(round=(), at=0, score=0)),
                         {"kind": kind})
    number = turn.say("quiz_question_number", position=progress.at + 1, count=len(progress.round))
    said, ask, reprompt = asking(turn, question, preface + number)
    return Reply(said, reprompt, state, None, ask, event or {"kind": kind, "quiz": _figures(progress, question)},
                 _screen(turn, progress, question), asking=AskedQuestion(QUIZ, question.key))


def _judge(turn: Turn, state: ListenerState, question: Question, right: bool, kind: str,
           opening: Speech | None = None, reveal: bool = True) -> Reply:
    """The answer judged (reaction, the answer if wrong, the fact), then the next question or the score."""
    progress = state.quiz
    speech = judged(turn, question, right, opening) if reveal else (opening or Speech())
    after = answered(progress, right)
    state = state._replace(quiz=after)
    event = {"kind": kind, "quiz": {**_figures(progress, question), "correct": right,
                                    "score": progress.score + right, "finished": not after.in_round}}
    if after.in_round:
        return _ask(turn, state, speech, kind, event)
    score, count = progress.score + right, len(progress.round)
    speech += turn.say("quiz_round_over", score=score, count=count)
    if score == count:
        speech += turn.say("quiz_perfect_round")
    elif score > progress.best and progress.rounds > 1:
        speech += turn.say("quiz_new_best")
    screen = {"view": "quiz_result", "score": score, "count": count, "best": after.best, "round": progress.rounds}
    return Reply(speech, turn.say("reprompt_another_round"), state, Offer(QUIZ), turn.say("offer_another_round"),
                 event, screen)


def _figures(progress: QuizProgress, question: Question | None) -> dict[str, object]:
    """The turn event's `quiz` part for the question being asked."""
    return {"question": question.id if question else None, "position": progress.at + 1, "round": progress.rounds,
            "score": progress.score, "finished": False}


def _screen(turn: Turn, progress: QuizProgress, question: Question) -> dict[str, object]:
    return question_screen(turn, "quiz_question", question, position=progress.at + 1, count=len(progress.round),
                           round=progress.rounds, score=progress.score)
