"""The audio player of the device `dropday chat` plays: it streams what a skill's AudioPlayer
directives say, as an Echo does, and sends the skill the requests an Echo sends.

`DevicePlayer.follow` does what a response's directives say: `Play` with `REPLACE_ALL` starts the
stream and sends `PlaybackStarted`; `ENQUEUE` queues a stream after the one playing when its
`expectedPreviousToken` is that one; `Stop` stops it and sends `PlaybackStopped` with the place.
`listen` lets time pass while it plays, sending `PlaybackNearlyFinished` ten seconds before the end
and `PlaybackFinished` at the end, then starting the queued stream. `press` is a button on the
device (`PlaybackController.PauseCommandIssued`...). These requests carry no session. `context` is
what every request to the skill that played tells it (`context.AudioPlayer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conversation import Answer

#: How long before the end of a stream a device asks for the next one.
NEARLY_FINISHED_BEFORE_MS = 10_000
#: The length assumed for a stream whose file cannot be found here.
UNKNOWN_LENGTH_MS = 600_000
#: What a listener says to a stream without naming the skill (Alexa sends these to the skill whose
#: stream is on the player): while it plays, and once it has stopped.
WHILE_PLAYING = frozenset({"AMAZON.PauseIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NextIntent",
                           "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.RepeatIntent",
                           "AMAZON.ResumeIntent", "AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
                           "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent"})
WHILE_STOPPED = frozenset({"AMAZON.ResumeIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent",
                           "AMAZON.StartOverIntent"})


@dataclass
class DevicePlayer:
    """One device's player.

    Args:
        send: `send(owner, body, elapsed_ms) -> Answer`: send an out-of-session request `body` to the
            skill `owner`, `elapsed_ms` into the time that is passing (0 when none is).
        length_ms: `length_ms(owner, url)`: how long the stream at `url` is, None when unknown.
        name: `name(owner, url)`: the stream as the transcript shows it.
        note: says what the player did, for the transcript.

    Attributes:
        owner: the skill whose stream is on the player (None before any).
        token, url, offset_ms, activity: the stream on the player, as `context.AudioPlayer` reports it.
        queued: (owner, stream) enqueued after the one playing.
    """

    send: Callable[[Any, dict[str, Any], int], Answer]
    length_ms: Callable[[Any, str], int | None]
    name: Callable[[Any, str], str]
    note: Callable[[str], None]
    owner: Any = None
    token: str | None = None
    url: str | None = None
    offset_ms: int = 0
    activity: str = "IDLE"
    queued: tuple[Any, dict[str, Any]] | None = None
    _elapsed_ms: int = field(default=0, repr=False)
    _nearly_sent: bool = field(default=False, repr=False)

    def context(self, skill: Any) -> dict[str, Any] | None:
        """`context.AudioPlayer` for a request to `skill` (None: it has played nothing on this device)."""
        if self.token is None or skill is not self.owner:
            return None
        return {"token": self.token, "offsetInMilliseconds": self.offset_ms, "playerActivity": self.activity}

    def takes(self, intent: str | None) -> bool:
        """Whether Alexa sends `intent`, said without the invocation name, to the stream's skill."""
        if self.token is None or intent is None:
            return False
        return intent in (WHILE_PLAYING if self.activity == "PLAYING" else WHILE_STOPPED)

    def follow(self, skill: Any, answer: Answer) -> None:
        """Do what `answer`'s AudioPlayer directives (from `skill`) say."""
        for directive in answer.directives:
            kind = directive.get("type")
            if kind == "AudioPlayer.Stop":
                self.stop()
            elif kind == "AudioPlayer.ClearQueue":
                self.queued = None
                if directive.get("clearBehavior") == "CLEAR_ALL":
                    self.stop()
            elif kind == "AudioPlayer.Play":
                stream = dict((directive.get("audioItem") or {}).get("stream") or {})
                behavior = directive.get("playBehavior")
                if behavior == "ENQUEUE":
                    if stream.get("expectedPreviousToken") == self.token:
                        self.queued = (skill, stream)
                elif behavior == "REPLACE_ENQUEUED":
                    self.queued = (skill, stream)
                else:
                    self.queued = None
                    self._start(skill, stream)

    def stop(self) -> None:
        """The stream stops where it is (a Stop directive, the pause button)."""
        if self.activity == "PLAYING":
            self.activity = "STOPPED"
            self._event("AudioPlayer.PlaybackStopped")

    def press(self, button: str) -> Answer | None:
        """A PlaybackController button ("Pause", "Play", "Next", "Previous"); None with nothing on the player."""
        if self.token is None:
            return None
        answer = self.send(self.owner, {"type": f"PlaybackController.{button}CommandIssued"}, self._elapsed_ms)
        self.follow(self.owner, answer)
        return answer

    def listen(self, milliseconds: int) -> None:
        """Let `milliseconds` pass while the stream plays, sending the events a device sends on the way."""
        self._elapsed_ms = 0
        try:
            while self._elapsed_ms < milliseconds and self.activity == "PLAYING" and self.token:
                length = self.length_ms(self.owner, self.url or "") or UNKNOWN_LENGTH_MS
                nearly = max(0, length - NEARLY_FINISHED_BEFORE_MS)
                if not self._nearly_sent and self.offset_ms >= nearly:
                    self._nearly_sent = True
                    self._event("AudioPlayer.PlaybackNearlyFinished")
                    continue
                mark = length if self._nearly_sent else nearly
                step = min(milliseconds - self._elapsed_ms, mark - self.offset_ms)
                self.offset_ms += step
                self._elapsed_ms += step
                if self._nearly_sent and self.offset_ms >= length:
                    self._finish()
        finally:
            self._elapsed_ms = 0

    def _finish(self) -> None:
        self.activity = "FINISHED"
        self._event("AudioPlayer.PlaybackFinished")
        finished = self.url
        if self.queued is None:
            self.note(f"({self.name(self.owner, finished or '')} played to its end)")
            return
        (skill, stream), self.queued = self.queued, None
        self.note(f"({self.name(self.owner, finished or '')} played to its end; the queued "
                  f"{self.name(skill, stream.get('url') or '')} starts)")
        self._start(skill, stream)

    def _start(self, skill: Any, stream: dict[str, Any]) -> None:
        self.owner, self.token, self.url = skill, stream.get("token"), stream.get("url")
        self.offset_ms, self.activity = int(stream.get("offsetInMilliseconds") or 0), "PLAYING"
        self._nearly_sent = False
        self._event("AudioPlayer.PlaybackStarted")

    def _event(self, kind: str) -> None:
        body = {"type": kind, "token": self.token, "offsetInMilliseconds": self.offset_ms}
        answer = self.send(self.owner, body, self._elapsed_ms)
        self.follow(self.owner, answer)
