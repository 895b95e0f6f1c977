"""An Echo with an audio player, in process: it talks to the skill and plays what it is told.

`Speaker` sends requests as a device does (`context.AudioPlayer` with the token, offset and
activity of its player on every request) and follows the AudioPlayer directives it gets back:
`Play` (REPLACE_ALL starts the stream and sends `PlaybackStarted`; ENQUEUE queues it when its
`expectedPreviousToken` is the one playing), `Stop` (sends `PlaybackStopped`, unless told the
event is lost, which happens on real devices). `listen` lets time pass while a stream plays,
sending `PlaybackNearlyFinished` and `PlaybackFinished` as a device would and starting the queued
stream. AudioPlayer events and PlaybackController buttons carry no session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from . import envelopes
from .conversation import Answer

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
#: How long before the end of a stream a device asks for the next one.
NEARLY_FINISHED_BEFORE_MS = 10_000


@dataclass
class Speaker:
    """One listener's device with AudioPlayer (or, with `audio_player=False`, a device without it).

    Attributes:
        durations: stream token -> length in milliseconds, for `listen` (unknown: ten minutes).
        token, offset_ms, activity: the player's state, sent as `context.AudioPlayer`.
        queued: the stream enqueued after the one playing (the Play directive's `audioItem.stream`).
        events: the AudioPlayer requests the device sent, with the skill's answers.
    """

    handler: Handler
    user_id: str = "amzn1.ask.account.LISTENER"
    device_id: str = "amzn1.ask.device.SPEAKER"
    locale: str = "en-GB"
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    audio_player: bool = True
    durations: Mapping[str, int] = field(default_factory=dict)
    token: str | None = None
    offset_ms: int = 0
    activity: str = "IDLE"
    queued: dict[str, Any] | None = None
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    events: list[tuple[dict[str, Any], Answer]] = field(default_factory=list)

    # -- the listener speaks ------------------------------------------------------------------------

    def launch(self) -> Answer:
        """"Alexa, open ..."."""
        self.session_id = None
        return self._in_session(envelopes.launch())

    def ask(self, intent_name: str, **slots: dict[str, Any]) -> Answer:
        """An intent in the open session, or one that opens a session ("Alexa, next" while playing)."""
        return self._in_session(envelopes.intent(intent_name, slots))

    # -- the device acts ------------------------------------------------------------------------------

    def press(self, command: str) -> Answer:
        """A PlaybackController button: "Play", "Pause", "Next" or "Previous"."""
        return self._without_session({"type": f"PlaybackController.{command}CommandIssued"})

    def listen(self, seconds: float) -> None:
        """Let `seconds` pass while the stream plays: the events a device sends on the way."""
        self.now += timedelta(seconds=seconds)
        left = int(seconds * 1000)
        while left > 0 and self.activity == "PLAYING" and self.token:
            length = self.durations.get(self.token, 600_000)
            nearly = max(0, length - NEARLY_FINISHED_BEFORE_MS)
            if self.offset_ms < nearly:
                step = min(left, nearly - self.offset_ms)
                self.offset_ms, left = self.offset_ms + step, left - step
                if self.offset_ms == nearly:
                    self.event("AudioPlayer.PlaybackNearlyFinished")
                continue
            step = min(left, length - self.offset_ms)
            self.offset_ms, left = self.offset_ms + step, left - step
            if self.offset_ms >= length:
                self.event("AudioPlayer.PlaybackFinished")
                self.activity = "FINISHED"
                if self.queued is not None:
                    queued, self.queued = self.queued, None
                    self._start(queued)

    def event(self, kind: str, **extra: Any) -> Answer:
        """An AudioPlayer request about the stream on the player (`extra` overrides its fields)."""
        body: dict[str, Any] = {"type": kind, "token": self.token, "offsetInMilliseconds": self.offset_ms, **extra}
        answer = self._without_session(body)
        self.events.append(({"request": body}, answer))
        return answer

    def stop(self, report: bool = True) -> None:
        """The player stops (a Stop directive, another skill, the listener walking off); `report`
        False loses the PlaybackStopped event, as real devices sometimes do."""
        if self.activity in ("PLAYING", "PAUSED", "BUFFER_UNDERRUN"):
            self.activity = "STOPPED"
            if report:
                self.event("AudioPlayer.PlaybackStopped")

    # -- requests --------------------------------------------------------------------------------------

    def _in_session(self, request: dict[str, Any]) -> Answer:
        new = self.session_id is None
        if new:
            self.session_id, self.attributes = envelopes.new_session_id(), {}
        answer = Answer(self.handler(self._envelope(request, new), None))
        self.attributes = dict(answer.response.get("sessionAttributes") or {})
        if answer.ends_session is not False:
            self.session_id, self.attributes = None, {}
        self._follow(answer)
        return answer

    def _without_session(self, request: dict[str, Any]) -> Answer:
        event = self._envelope(request, new=True)
        del event["session"]
        answer = Answer(self.handler(event, None))
        self._follow(answer)
        return answer

    def _envelope(self, request: dict[str, Any], new: bool) -> dict[str, Any]:
        event = envelopes.envelope(
            request, user_id=self.user_id, device_id=self.device_id, locale=self.locale, now=self.now,
            session_id=self.session_id or envelopes.new_session_id(), new_session=new, attributes=self.attributes,
            supported_interfaces={"AudioPlayer": {}} if self.audio_player else {})
        if self.audio_player and self.token:
            event["context"]["AudioPlayer"] = {"token": self.token, "offsetInMilliseconds": self.offset_ms,
                                               "playerActivity": self.activity}
        return event

    def _follow(self, answer: Answer) -> None:
        """Do what the response's AudioPlayer directives say."""
        for directive in answer.response.get("response", {}).get("directives", []) or []:
            kind = directive.get("type")
            if kind == "AudioPlayer.Stop":
                self.stop()
            elif kind == "AudioPlayer.Play":
                stream = directive["audioItem"]["stream"]
                if directive.get("playBehavior") == "ENQUEUE":
                    if stream.get("expectedPreviousToken") == self.token:
                        self.queued = stream
                else:
                    self.queued = None
                    self._start(stream)

    def _start(self, stream: Mapping[str, Any]) -> None:
        self.token, self.offset_ms, self.activity = stream["token"], int(stream.get("offsetInMilliseconds", 0)), \
            "PLAYING"
        self.event("AudioPlayer.PlaybackStarted")
