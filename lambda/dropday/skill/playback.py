"""Handlers of long-form episodes: the episode intent, the AudioPlayer built-ins, AudioPlayer
events and PlaybackController buttons.

Registration (`builder.py`): `HANDLERS` go before the general handlers, and each built-in claims
its request only when the request is about playback (`core.playback.controls_player`,
`about_playback`), so "next", "stop" and "repeat" keep their usual meaning in a conversation.
The event handlers answer the requests that carry no session: they never read session attributes,
and their responses carry no speech or card, only AudioPlayer directives.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_request_type

from ..core import episodes, playback
from ..core.campaign.model import Manifest
from .audio_player import directive_for, player_of
from .listener_state import listener_ref, load_state
from .sections import section_slot
from .turns import DialogHandler, SkillContext, build_turn, committed, note_turn, \
    session_state

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model import Response

    from ..core.turns import Reply, Turn

logger = logging.getLogger(__name__)

LOOP_AND_SHUFFLE = ("AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent", "AMAZON.ShuffleOnIntent",
                    "AMAZON.ShuffleOffIntent")


def _new_session(handler_input: HandlerInput) -> bool:
    session = handler_input.request_envelope.session
    return session is None or bool(session.new)


class EpisodeIntentHandler(DialogHandler):
    """EpisodeIntent: "tell me about track three", "play the next episode (of the track-by-track)"."""

    intents = ("EpisodeIntent",)
    uses_state = True

    def answer(self, handler_input, turn):
        section_id, _ = section_slot(handler_input, turn.manifest)
        section = turn.manifest.section(section_id)
        track = track_slot(handler_input)
        if track is not None:
            return playback.play_track(turn, track, section)
        return playback.play_next_episode(turn, section)


class _PlayerControl(DialogHandler):
    """A built-in intent that controls the episode on the device's player, when it is about it."""

    uses_state = True

    def can_handle(self, handler_input):
        return super().can_handle(handler_input) and playback.controls_player(
            self.context.manifest, player_of(handler_input), _new_session(handler_input))


class _EpisodeNavigation(DialogHandler):
    """A built-in intent that moves through the episodes, when the request is about them."""

    uses_state = True

    def can_handle(self, handler_input):
        return super().can_handle(handler_input) and playback.about_playback(
            self.context.manifest, player_of(handler_input), session_state(handler_input),
            _new_session(handler_input))


class ResumeIntentHandler(DialogHandler):
    """AMAZON.ResumeIntent: the episode where the listener stopped, on this device or another."""

    intents = ("AMAZON.ResumeIntent",)
    uses_state = True

    def can_handle(self, handler_input):
        return super().can_handle(handler_input) and bool(episodes.long_form_sections(self.context.manifest))

    def answer(self, handler_input, turn):
        return playback.resume(turn)


class PauseIntentHandler(_PlayerControl):
    """Pause, and stop or cancel while an episode plays: stop the stream, keep the place."""

    intents = ("AMAZON.PauseIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent")

    def answer(self, handler_input, turn):
        return playback.pause(turn)


class NextIntentHandler(_EpisodeNavigation):
    """AMAZON.NextIntent about an episode: the next one."""

    intents = ("AMAZON.NextIntent",)

    def answer(self, handler_input, turn):
        return playback.skip(turn, 1)


class PreviousIntentHandler(_EpisodeNavigation):
    """AMAZON.PreviousIntent about an episode: the one before."""

    intents = ("AMAZON.PreviousIntent",)

    def answer(self, handler_input, turn):
        return playback.skip(turn, -1)


class StartOverIntentHandler(_PlayerControl):
    """StartOver, and repeat while an episode plays: the episode again from the beginning."""

    intents = ("AMAZON.StartOverIntent", "AMAZON.RepeatIntent")

    def answer(self, handler_input, turn):
        return playback.start_over(turn)


class LoopShuffleIntentHandler(_PlayerControl):
    """Loop and shuffle on or off: not for these episodes."""

    intents = LOOP_AND_SHUFFLE

    def answer(self, handler_input, turn):
        return playback.no_loop_or_shuffle(turn)


class _SilentHandler(AbstractRequestHandler):
    """A request without a session whose response may hold only AudioPlayer directives.

    Like `DialogHandler` it loads the state once, asks the core, and writes the state on
    condition (redoing the turn when another device wrote first); it never touches session
    attributes and never speaks.
    """

    request_types: tuple[str, ...] = ()

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input):
        return any(is_request_type(kind)(handler_input) for kind in self.request_types)

    def handle(self, handler_input: HandlerInput) -> Response:
        reply = None
        if self.concerns_us(handler_input):
            def make_turn() -> Turn:
                turn = build_turn(handler_input, self.context, load_state(handler_input, self.context.store))
                # Only a device with a player sends these, whatever its envelope declares.
                return replace(turn, player=(turn.player or episodes.NO_PLAYER)._replace(supported=True))

            turn, reply = committed(handler_input, self.context, make_turn, lambda turn: self.answer(handler_input, turn))
            note_turn(turn, reply)
        builder = handler_input.response_builder
        directive = directive_for(reply.stream, turn.player) if reply is not None else None
        if directive is not None and self.may_direct:
            builder.add_directive(directive)
        return builder.response

    #: Whether the response may carry a directive (Alexa accepts none in answer to PlaybackStopped).
    may_direct = True

    def concerns_us(self, handler_input: HandlerInput) -> bool:
        """Whether the request is about one of our episodes (else: an empty answer, no state read)."""
        return episodes.episode_of(self.context.manifest, request_token(handler_input)) is not None

    def answer(self, handler_input: HandlerInput, turn: Turn) -> Reply:
        raise NotImplementedError


class PlaybackStartedHandler(_SilentHandler):
    """AudioPlayer.PlaybackStarted: remember the episode now playing."""

    request_types = ("AudioPlayer.PlaybackStarted",)

    def answer(self, handler_input, turn):
        return playback.playback_started(turn, request_token(handler_input), request_offset(handler_input))


class PlaybackStoppedHandler(_SilentHandler):
    """AudioPlayer.PlaybackStopped: save the episode and offset, for "resume"."""

    request_types = ("AudioPlayer.PlaybackStopped",)
    may_direct = False

    def answer(self, handler_input, turn):
        return playback.playback_stopped(turn, request_token(handler_input), request_offset(handler_input))


class PlaybackNearlyFinishedHandler(_SilentHandler):
    """AudioPlayer.PlaybackNearlyFinished: enqueue the next episode when the section autoplays."""

    request_types = ("AudioPlayer.PlaybackNearlyFinished",)

    def answer(self, handler_input, turn):
        return playback.playback_nearly_finished(turn, request_token(handler_input))


class PlaybackFinishedHandler(_SilentHandler):
    """AudioPlayer.PlaybackFinished: the episode is heard."""

    request_types = ("AudioPlayer.PlaybackFinished",)

    def answer(self, handler_input, turn):
        return playback.playback_finished(turn, request_token(handler_input))


class PlaybackFailedHandler(AbstractRequestHandler):
    """AudioPlayer.PlaybackFailed: one log line naming the episode and the error; nothing else."""

    def __init__(self, context: SkillContext) -> None:
        self.context = context

    def can_handle(self, handler_input):
        return is_request_type("AudioPlayer.PlaybackFailed")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        episode = episodes.episode_of(self.context.manifest, request_token(handler_input))
        error = getattr(request, "error", None)
        kind = getattr(getattr(error, "object_type", None), "value", None) or getattr(error, "object_type", None)
        message = getattr(error, "message", None)
        if episode is not None:
            logger.warning("episode %s/%s failed to play for %s: %s: %s", episode.section, episode.id,
                           listener_ref(handler_input), kind, message)
        else:
            logger.info("a stream that is not one of this campaign's episodes failed: %s: %s", kind, message)
        return handler_input.response_builder.response


class PlaybackControllerHandler(_SilentHandler):
    """PlaybackController buttons (play, pause, next, previous on a device or in the app)."""

    request_types = ("PlaybackController.PlayCommandIssued", "PlaybackController.PauseCommandIssued",
                     "PlaybackController.NextCommandIssued", "PlaybackController.PreviousCommandIssued")

    def concerns_us(self, handler_input):
        manifest: Manifest = self.context.manifest
        player = player_of(handler_input)
        if episodes.episode_of(manifest, player.token) is not None:
            return True
        # "Play" on a player that holds nothing of ours picks up where the listener stopped.
        return is_request_type("PlaybackController.PlayCommandIssued")(handler_input) and \
            bool(episodes.long_form_sections(manifest))

    def answer(self, handler_input, turn):
        kind = handler_input.request_envelope.request.object_type
        if kind == "PlaybackController.PauseCommandIssued":
            return playback.pause(turn)
        if kind == "PlaybackController.NextCommandIssued":
            return playback.skip(turn, 1, quiet=True)
        if kind == "PlaybackController.PreviousCommandIssued":
            return playback.skip(turn, -1, quiet=True)
        return playback.resume(turn, quiet=True)


def request_token(handler_input: HandlerInput) -> str | None:
    """The stream token an AudioPlayer request is about (else the one on the device's player)."""
    token = getattr(handler_input.request_envelope.request, "token", None)
    return token if isinstance(token, str) else player_of(handler_input).token


def request_offset(handler_input: HandlerInput) -> int:
    """The offset an AudioPlayer request reports, in milliseconds (else the player's)."""
    offset = getattr(handler_input.request_envelope.request, "offset_in_milliseconds", None)
    if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0:
        return offset
    return player_of(handler_input).offset_ms


def track_slot(handler_input: HandlerInput) -> int | None:
    """The album track number said in the `track` slot (AMAZON.NUMBER), or None."""
    request = handler_input.request_envelope.request
    slot = get_slot(handler_input, "track") if getattr(request, "intent", None) is not None else None
    value = getattr(slot, "value", None)
    try:
        number = int(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 1000 else None


#: Registered before the general handlers: the intents claim only requests about playback, the
#: others answer requests without a session (AudioPlayer events, PlaybackController buttons).
HANDLERS = (EpisodeIntentHandler, ResumeIntentHandler, PauseIntentHandler, NextIntentHandler,
            PreviousIntentHandler, StartOverIntentHandler, LoopShuffleIntentHandler,
            PlaybackStartedHandler, PlaybackStoppedHandler, PlaybackNearlyFinishedHandler,
            PlaybackFinishedHandler, PlaybackFailedHandler, PlaybackControllerHandler)
