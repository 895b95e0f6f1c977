"""Handlers of the quiz and the daily question: starting, answering, skipping, "I don't know",
today's question, and the built-in intents while a question waits for its answer.

While the session's last answer asked a question (`SessionState.asking`), Repeat, Help, Stop,
Cancel, Home, Yes, No, Next and the fallback go to the quiz (or the daily question)
instead of the general handlers: `QuestionWaitingHandler` is registered before them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.utils import is_intent_name

from ..core import daily, quiz
from . import touch
from .handlers import DeviceZoneHandler
from .turns import DialogHandler, session_state, slot_ids

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput

ANSWER_SLOT = "answer"


def answer_tokens(handler_input: HandlerInput) -> list[str]:
    """What the `answer` slot holds: the QUIZ_ANSWER ids entity resolution matched, then the words said."""
    ids, spoken = slot_ids(handler_input, ANSWER_SLOT)
    return ids + ([spoken] if spoken else [])


def answering(handler_input: HandlerInput):
    """The module whose question this session asked: the daily question's or the quiz's."""
    asking = session_state(handler_input).asking
    return daily if asking is not None and asking.mode == daily.DAILY else quiz


class QuizIntentHandler(DialogHandler):
    """QuizIntent: "start the quiz", "quiz me": the round in progress, or a new one."""

    intents = ("QuizIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return quiz.start(turn)


class AnswerIntentHandler(DialogHandler):
    """AnswerIntent: "B", "the second one", "is it Tuesday", "my answer is two"."""

    intents = ("AnswerIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return answering(handler_input).answer(turn, answer_tokens(handler_input))


class SkipIntentHandler(DialogHandler):
    """SkipIntent: "skip this question", "next question"."""

    intents = ("SkipIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return answering(handler_input).skip(turn)


class DontKnowIntentHandler(DialogHandler):
    """DontKnowIntent: "I don't know", "no idea", "tell me the answer"."""

    intents = ("DontKnowIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        return answering(handler_input).dont_know(turn)


class DailyQuestionIntentHandler(DeviceZoneHandler):
    """DailyQuestionIntent: "what's today's question?", the question of the listener's local day."""

    intents = ("DailyQuestionIntent",)

    def answer(self, handler_input, turn):
        return daily.ask(turn)


class QuestionWaitingHandler(DialogHandler):
    """The built-in intents (and the fallback) while a quiz or daily question waits.

    Repeat asks the question again, Help explains how to answer and asks it again, Stop, Cancel
    and Home say the score so far and goodbye, Next skips, Yes and No answer a question whose
    choices are called that, and anything else says the choices again. None of them changes the
    stored round, so none of them writes.
    """

    intents = ("AMAZON.RepeatIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
               "AMAZON.NavigateHomeIntent", "AMAZON.NextIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
               "AMAZON.FallbackIntent")
    uses_state = True
    STOP = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")
    YES_NO = {"AMAZON.YesIntent": "yes", "AMAZON.NoIntent": "no"}

    def can_handle(self, handler_input):
        return super().can_handle(handler_input) and session_state(handler_input).asking is not None

    def answer(self, handler_input, turn):
        module = answering(handler_input)
        if is_intent_name("AMAZON.RepeatIntent")(handler_input):
            return module.repeat(turn)
        if is_intent_name("AMAZON.HelpIntent")(handler_input):
            return module.help_(turn)
        if any(is_intent_name(name)(handler_input) for name in self.STOP):
            return module.stop(turn)
        if is_intent_name("AMAZON.NextIntent")(handler_input):
            return module.skip(turn)
        for name, word in self.YES_NO.items():
            if is_intent_name(name)(handler_input):
                return module.yes_or_no(turn, word)
        return module.not_a_choice(turn)


class DeclineQuizHandler(DialogHandler):
    """No, after "shall we carry on with the quiz?": the round waits, and what else would they like?"""

    intents = ("AMAZON.NoIntent",)

    def can_handle(self, handler_input):
        offer = session_state(handler_input).offer
        return super().can_handle(handler_input) and offer is not None and offer.kind == quiz.QUIZ

    def answer(self, handler_input, turn):
        return quiz.decline(turn)


#: The quiz's intents, then the built-ins while a question waits (before the general built-in handlers).
HANDLERS = (QuizIntentHandler, AnswerIntentHandler, SkipIntentHandler, DontKnowIntentHandler,
            DailyQuestionIntentHandler, QuestionWaitingHandler, DeclineQuizHandler)


def _touched_choice(feature: str, answer, not_a_choice):
    """A touch on choice `number` of a question screen, answered as saying its letter would be (a
    campaign without the format answers it as words it did not understand)."""
    def touched(turn, number: int):
        from ..core import dialog
        from ..core.campaign.quiz import LETTERS
        if feature not in turn.manifest.features:
            return dialog.fallback(turn)
        return answer(turn, [LETTERS[number - 1]]) if 1 <= number <= len(LETTERS) else not_a_choice(turn)
    return touched


touch.ANSWERS["quiz_question"] = _touched_choice("quiz", quiz.answer, quiz.not_a_choice)
touch.ANSWERS["daily_question"] = _touched_choice("daily", daily.answer, daily.not_a_choice)
