"""The skill builder: the one place that shows which handler answers what, in which order."""

from __future__ import annotations

from ask_sdk_core.skill_builder import CustomSkillBuilder

from . import handlers, playback, quiz, reminders, sections, touch
from .time_zone import TimeBoundApiClient


def build_skill_builder(context: handlers.SkillContext, settings_api_timeout: float) -> CustomSkillBuilder:
    """A `CustomSkillBuilder` with every handler registered.

    The first handler whose `can_handle` is true wins (the SDK's `GenericRequestMapper`), so
    specific handlers come first and the catch-alls (fallback for any intent, then any request)
    last.
    """
    builder = CustomSkillBuilder(persistence_adapter=context.store,
                                 api_client=TimeBoundApiClient(settings_api_timeout))
    for handler_class in (
        handlers.LaunchRequestHandler,
        handlers.TipIntentHandler,
        handlers.CountdownIntentHandler,
        *sections.HANDLERS,
        *playback.HANDLERS,               # before Next, Stop, Repeat...: each claims only playback requests
        *quiz.HANDLERS,                   # with the built-ins while a quiz question waits
        *reminders.HANDLERS,              # before Yes/No: they answer the opt-in offers
        *touch.HANDLERS,
        handlers.AcceptOfferHandler,
        handlers.GoodbyeHandler,
        handlers.HelpIntentHandler,
        handlers.RepeatIntentHandler,
        handlers.FallbackIntentHandler,   # AMAZON.FallbackIntent and any intent of another skill
    ):
        builder.add_request_handler(handler_class(context))
    builder.add_request_handler(handlers.SessionEndedRequestHandler())
    builder.add_request_handler(handlers.SkillDisabledHandler(context))
    builder.add_request_handler(handlers.UnhandledRequestHandler())
    builder.add_exception_handler(handlers.ErrorHandler(context))
    return builder
