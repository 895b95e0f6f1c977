"""Alexa's AudioPlayer interface: what a request says about the device's player, and the
directives a reply's stream becomes.

`player_of` reads `supportedInterfaces.AudioPlayer` and `context.AudioPlayer` into the core's
`Player` on every request; `add_playback` (called by `turns.respond` for every response) adds the
`AudioPlayer.Play` or `AudioPlayer.Stop` directive a reply asks for, only on a device that has
AudioPlayer (a directive sent to any other device fails the whole response).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.campaign.model import content_key
from ..core.episodes import NO_PLAYER, InSpeechOnly, PlaybackStop, PlaybackStream, Player

if TYPE_CHECKING:
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_model.interfaces.audioplayer import PlayDirective, StopDirective

    from ..core.turns import Reply


def player_of(handler_input: HandlerInput) -> Player:
    """The device's player as the request describes it (no player when the request says nothing)."""
    context = getattr(handler_input.request_envelope, "context", None)
    device = getattr(getattr(context, "system", None), "device", None)
    interfaces = getattr(device, "supported_interfaces", None)
    state = getattr(context, "audio_player", None)
    if device is None and state is None:
        return NO_PLAYER
    device_id = getattr(device, "device_id", None)
    activity = getattr(getattr(state, "player_activity", None), "value", None)
    token = getattr(state, "token", None)
    offset = getattr(state, "offset_in_milliseconds", None)
    return Player(
        supported=getattr(interfaces, "audio_player", None) is not None,
        token=token if isinstance(token, str) else None,
        offset_ms=offset if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0 else 0,
        activity=activity if isinstance(activity, str) else None,
        device=content_key(f"device:{device_id}") if isinstance(device_id, str) and device_id else "",
    )


def add_playback(handler_input: HandlerInput, reply: Reply) -> None:
    """Add the directive `reply.stream` asks for to the response being built (nothing otherwise).

    A reply that streams and says nothing ("resume", a button press) carries no speech at all.
    """
    directive = directive_for(reply.stream, player_of(handler_input))
    if directive is None:
        return
    builder = handler_input.response_builder
    builder.add_directive(directive)
    if not reply.said:
        builder.response.output_speech = None


def directive_for(stream: object, player: Player) -> PlayDirective | StopDirective | None:
    """The AudioPlayer directive for a reply's stream on this device, or None."""
    if not player.supported or not isinstance(stream, (PlaybackStop, PlaybackStream)):
        return None
    # The SDK's AudioPlayer models (24 modules) are imported by the first reply that streams, not by
    # every cold start.
    from ask_sdk_model.interfaces.audioplayer import (AudioItem, AudioItemMetadata, PlayBehavior, PlayDirective,
                                                      StopDirective, Stream)
    if isinstance(stream, PlaybackStop):
        return StopDirective()
    art = None
    if stream.art:
        from ask_sdk_model.interfaces.display import Image, ImageInstance
        art = Image(content_description=stream.title, sources=[ImageInstance(url=stream.art)])
    return PlayDirective(
        play_behavior=PlayBehavior(stream.behavior),
        audio_item=AudioItem(
            stream=Stream(token=stream.token, url=stream.url, offset_in_milliseconds=stream.offset_ms,
                          expected_previous_token=stream.expected_previous_token),
            metadata=AudioItemMetadata(title=stream.title, subtitle=stream.subtitle, art=art)))


def session_episode(reply: Reply) -> str | None:
    """The episode the session stays about after `reply` (introduced on a device that cannot stream)."""
    return reply.stream.episode if isinstance(reply.stream, InSpeechOnly) else None
