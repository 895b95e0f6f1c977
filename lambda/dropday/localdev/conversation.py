"""An in-process conversation with the skill: one listener, one device, sessions as on a device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from . import envelopes

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class Answer:
    """What the skill answered to one turn."""

    response: dict[str, Any]

    @property
    def speech(self) -> str:
        """The SSML Alexa speaks ('' when silent)."""
        return self.response.get("response", {}).get("outputSpeech", {}).get("ssml", "")

    @property
    def reprompt(self) -> str:
        """The reprompt SSML ('' when none)."""
        return self.response.get("response", {}).get("reprompt", {}).get("outputSpeech", {}).get("ssml", "")

    @property
    def ends_session(self) -> bool | None:
        """`shouldEndSession` as sent (None when left out)."""
        return self.response.get("response", {}).get("shouldEndSession")

    @property
    def hands_over(self) -> bool:
        """Whether the skill hands the turn to Alexa (a `Connections.SendRequest`, such as AskFor, with
        `shouldEndSession` left out): Alexa asks the listener, then answers the skill in the same session."""
        return self.ends_session is None and any(d.get("type") == "Connections.SendRequest" for d in self.directives)

    @property
    def directives(self) -> list[dict[str, Any]]:
        """The response's directives (APL, AudioPlayer...), as sent."""
        return list(self.response.get("response", {}).get("directives") or [])


@dataclass
class Conversation:
    """Talk to a skill handler as one listener on one device.

    A session opens with the first turn and ends when the skill says so; the next turn then
    opens a new one, as on a device. An answer that hands the turn to Alexa (AskFor) keeps the
    session open for the `Connections.Response`. Session attributes are carried between turns.
    `audio_player`, when set, is sent as `context.AudioPlayer` (the device's player: token, offset,
    activity); `api_access_token` and `permissions` are the listener's (see `envelopes.envelope`).
    """

    handler: Handler
    user_id: str = "amzn1.ask.account.LISTENER"
    device_id: str = "amzn1.ask.device.DEVICE"
    locale: str = "en-GB"
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    api_endpoint: str = "https://api.eu.amazonalexa.com"
    skill_id: str = envelopes.DEFAULT_SKILL_ID
    supported_interfaces: dict[str, Any] = field(default_factory=dict)
    viewport: dict[str, Any] | None = None
    api_access_token: str = "local-access-token"
    permissions: dict[str, Any] | None = None
    audio_player: dict[str, Any] | None = None
    session_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[dict[str, Any], Answer]] = field(default_factory=list)

    def launch(self) -> Answer:
        """"Alexa, open ..." (ends any open session first, as a device would)."""
        self.session_id = None
        return self.send(envelopes.launch())

    def ask(self, intent_name: str, **slots: dict[str, Any]) -> Answer:
        """An intent, in the open session or as a one-shot that opens one."""
        return self.send(envelopes.intent(intent_name, slots))

    def touch(self, token: str, arguments: list[Any]) -> Answer:
        """A touch on the screen showing the document `token`, which sends `arguments`."""
        return self.send(envelopes.user_event(token, arguments))

    def end_session(self, reason: str = "USER_INITIATED") -> Answer:
        """The device closes the session (the listener walked away)."""
        answer = self.send(envelopes.session_ended(reason))
        self._close()
        return answer

    def wait(self, **delta: float) -> None:
        """Let time pass (`days=`, `hours=`, ...); the session ends, as it would on a device."""
        self.now += timedelta(**delta)
        self._close()

    def send(self, request: dict[str, Any]) -> Answer:
        """Send one request body in a full envelope and track the session."""
        new_session = self.session_id is None
        if new_session:
            self.session_id, self.attributes = envelopes.new_session_id(), {}
        event = self._envelope(request, new_session)
        answer = Answer(self.handler(event, None))
        self.history.append((event, answer))
        self.attributes = dict(answer.response.get("sessionAttributes") or {})
        if answer.ends_session is not False and not answer.hands_over and request["type"] != "SessionEndedRequest":
            self._close()
        return answer

    def send_outside_session(self, request: dict[str, Any]) -> Answer:
        """Send a request that carries no session (an AudioPlayer event, a PlaybackController button);
        the open session, if any, is left as it is."""
        event = self._envelope(request, True)
        del event["session"]
        answer = Answer(self.handler(event, None))
        self.history.append((event, answer))
        return answer

    def _envelope(self, request: dict[str, Any], new_session: bool) -> dict[str, Any]:
        event = envelopes.envelope(request, user_id=self.user_id, device_id=self.device_id, locale=self.locale,
                                   now=self.now, session_id=self.session_id or envelopes.new_session_id(),
                                   new_session=new_session, attributes=self.attributes,
                                   api_endpoint=self.api_endpoint, skill_id=self.skill_id,
                                   supported_interfaces=self.supported_interfaces, viewport=self.viewport,
                                   api_access_token=self.api_access_token, permissions=self.permissions)
        if self.audio_player is not None:
            event["context"]["AudioPlayer"] = dict(self.audio_player)
        return event

    @property
    def in_session(self) -> bool:
        """Whether a session is open (the next turn continues it)."""
        return self.session_id is not None

    def close(self) -> None:
        """Forget the open session without telling the skill (the next turn opens a new one)."""
        self._close()

    def _close(self) -> None:
        self.session_id, self.attributes = None, {}
