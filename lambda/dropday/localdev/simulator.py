"""A listener talking to the skill: typed utterances in, what Alexa would say out.

`Simulator` plays the device. It matches each utterance with the locale's interaction model
(`nlu`), wraps it in a full request envelope (`conversation.Conversation`), calls the skill's
handler exactly as Lambda would, and prints the answer with each clip as
`[clip: <file> 3.2 s "transcript"]` (`render`). It keeps the session as a device does:

- a launch phrase ("open lantern foxes", "ask lantern foxes for a tip") opens a new session, with
  or without an intent in the same breath, even when one is open (that one is dropped without a
  `SessionEndedRequest`);
- an answer with `shouldEndSession` true (or left out) ends the session; the skill is then closed,
  and an utterance that does not open it again is not sent anywhere: a device would hand it to
  Alexa itself, not to this skill. The simulator says so and sends nothing;
- "exit" ends the open session with a `SessionEndedRequest` (reason `USER_INITIATED`), as Alexa does;
- commands that change the world (`/time`, `/tz`, `/locale`, `/user`, `/screen`, `/new`) end an
  open session first with a `SessionEndedRequest`: `EXCEEDED_MAX_REPROMPTS` for `/time` (the
  listener went quiet), `USER_INITIATED` for the others. A permission question still waiting is
  left unanswered first: the skill gets its `Connections.Response` with NOT_ANSWERED.

Each campaign is its own skill (`skills`): with several, the device has them all, and a launch phrase
opens the one it names. The device's audio player (`device_player`) plays what a skill streams: it
sends the AudioPlayer events as the clock moves, "pause", "resume", "next"... said without the
invocation name reach the skill whose stream is on it, and `/pause` and `/resume` press its buttons.

When a skill asks for a permission (AskFor), Alexa asks the listener, and the chat shows the
question and takes the answer ("yes", "no", `/consent yes|no|ignore`) before anything else
(`consent`); each listener's account keeps what they allowed each skill and the reminders it set
(`accounts`, `/reminders`). A device with a screen (`--screen PROFILE`, `/screen`) gets each
answer's APL document, summed up in a line, and `/touch N` presses its N-th button (`screen_view`).

The clock runs from the chosen moment (`--at`, default now) and `/time` moves it; local times typed
without an offset are in the device's time zone (`clock`). `chat.chat` runs a whole conversation:
the campaigns, their models, the local services and the lines.

This module is the device and its loop: each feature keeps its own module, and the loop only
dispatches to it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from ..core.campaign import Manifest
from . import consent
from .accounts import Account, Accounts
from .clock import Clock, parse_moment, zone_or_error
from .conversation import Answer, Conversation
from .device_player import DevicePlayer
from .nlu import InteractionModel, Match, available_locales, words
from .playback import Player, missing_player_message
from .render import clip_files, clip_seconds, clock_time, describe, describe_card, describe_directive, stream_path
from .screen_view import ECHO_INTERFACES, ScreenView, screen_device
from .screens import SCREEN_DEVICES, ScreenDevice
from .skills import Skill

__all__ = ["ECHO_INTERFACES", "HELP", "Clock", "Exchange", "Simulator", "listener_ids"]

HELP = """\
Say what a listener would say; open the skill first: "open {name}", or "ask {name} for a tip".
"exit" leaves the skill as on a device. Commands:
  /time +3d | -2h | +1d6h30m     move the clock by that much
  /time 2027-01-14T23:30         move it to a moment (in the device's time zone unless it has an offset)
  /time now                      back to the real time (/time alone shows the clock)
  /tz ZONE                       the device's time zone, e.g. /tz Pacific/Auckland
  /locale LOCALE                 the device's language: {locales}
  /user NAME                     talk as another listener (their own state and device)
  /new                           end the session, as if the listener walked away
  /pause, /resume                the pause and play buttons, for a stream on the device's player
  /consent yes|no|ignore         answer Alexa's permission question (or say "yes" or "no")
  /reminders                     the reminders the skills set for this listener
  /screen PROFILE | none         a device with that screen ({screens}), or none
  /touch N                       touch the N-th button of the screen
  /status                        the clock, zone, locale, listener and session
  /help                          this help
  /quit                          leave (or end of input, Ctrl-D)"""


def listener_ids(name: str) -> tuple[str, str]:
    """(user id, device id) for a listener called `name`."""
    tag = re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or "LISTENER"
    return f"amzn1.ask.account.{tag}", f"amzn1.ask.device.{tag}"


@dataclass
class Exchange:
    """One utterance and what came of it (`request`/`response` are None when nothing was sent)."""

    said: str
    match: Match | None = None
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    text: str = ""
    ended: bool = False


class Simulator:
    """One device in a room: a listener, a locale, a time zone, a clock, and the skills it has.

    Each campaign is its own skill, so a device can have several: a launch phrase opens the skill
    whose invocation name it says, and the utterances of its session go to that one. A listener is
    known to each skill by a user id of its own, as on Alexa.

    Args:
        skills: the skills on the device (`skills.Skill`), the first one in front.
        zones: device id -> time zone, as the Settings API stub answers it (its `zones`).
        api_endpoint: the `apiEndpoint` to put in requests (the Settings API stub's).
        out: where to print.
        locale, zone, clock, user: the device's settings.
        echo: print "You: ..." for each utterance (off when a person typed it at a prompt).
        show_json: print every request and response, and the turn event the skill logged.
        player: plays clips (`play=True` with None says that nothing can play).
        state_reader: user id -> the listener's stored item, for hints.
        ids_per_skill: give the listener a user id per skill (by default when the device has several
            skills; a chat of several campaigns that runs one device per campaign says so too).
        accounts: the listeners' Alexa accounts (what they allowed each skill, their reminders);
            by default accounts of this device alone, not served by any API stub.
        screen: the device's screen (`screens.ScreenDevice`), None for an Echo without one.
    """

    def __init__(self, skills: Sequence[Skill], *, zones: dict[str, str], api_endpoint: str, out: TextIO,
                 locale: str = "en-GB", zone: str = "Europe/London", clock: Clock | None = None,
                 user: str = "listener", echo: bool = True, show_json: bool = False, play: bool = False,
                 player: Player | None = None,
                 state_reader: Callable[[str], dict[str, Any] | None] | None = None,
                 ids_per_skill: bool | None = None, accounts: Accounts | None = None,
                 screen: ScreenDevice | None = None) -> None:
        if not skills:
            raise ValueError("a device needs a skill")
        self.skills, self.zones, self.out = list(skills), zones, out
        self.clock = clock or Clock(datetime.now(timezone.utc))
        self.echo, self.show_json = echo, show_json
        self.play, self.player, self._told_cannot_play = play, player, False
        self.state_reader = state_reader
        self.ids_per_skill = len(self.skills) > 1 if ids_per_skill is None else ids_per_skill
        self.accounts = accounts or Accounts()
        self.consent = consent.ConsentDesk()
        self.screen = ScreenView(screen)
        self._noted = self._answered = False
        speaking = [skill for skill in self.skills if skill.speaks(locale)]
        self.skill = speaking[0] if speaking else self.skills[0]
        self.skill.model(locale)  # no skill has the locale: say which ones it has
        self.user = user
        _, device_id = listener_ids(user)
        self.conversation = Conversation(self.skill.handler, user_id=self._user_id(), device_id=device_id,
                                         locale=locale, now=self.clock.now(), api_endpoint=api_endpoint,
                                         skill_id=self.skill.skill_id,
                                         supported_interfaces=self.screen.supported_interfaces,
                                         viewport=self.screen.viewport)
        self.zones[device_id] = zone_or_error(zone).key
        self._players: dict[str, DevicePlayer] = {}

    # -- the device's settings ---------------------------------------------------------------------

    @property
    def locale(self) -> str:
        return self.conversation.locale

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zones[self.conversation.device_id])

    @property
    def manifest(self) -> Manifest:
        """The campaign of the skill in front (the one open, else the last one opened)."""
        return self.skill.manifest

    @property
    def model(self) -> InteractionModel:
        return self.skill.model(self.locale)

    @property
    def invocation_name(self) -> str:
        return self.model.invocation_name

    def invocation_names(self) -> list[str]:
        """The invocation names of the skills the device has in its locale."""
        return [skill.model(self.locale).invocation_name for skill in self.skills if skill.speaks(self.locale)]

    @property
    def audio(self) -> DevicePlayer:
        """The audio player of the device in front (each listener's device has its own)."""
        device_id = self.conversation.device_id
        if device_id not in self._players:
            self._players[device_id] = DevicePlayer(self._send_event, self._stream_length_ms, self._stream_name,
                                                    self._note)
        return self._players[device_id]

    def _user_id(self, skill: Skill | None = None) -> str:
        """The listener's user id for `skill` (the one in front): one per skill, as Alexa gives them."""
        user_id, _ = listener_ids(self.user)
        if not self.ids_per_skill:
            return user_id
        campaign = (skill or self.skill).campaign
        return f"{user_id}_{re.sub(r'[^A-Za-z0-9]+', '_', campaign).strip('_').upper()}"

    def _switch(self, skill: Skill) -> None:
        """Bring `skill` in front (its launch phrase was said; any other session is dropped)."""
        if skill is self.skill:
            return
        self._close_session()
        self.skill = skill
        self.conversation.handler, self.conversation.skill_id = skill.handler, skill.skill_id
        self.conversation.user_id = self._user_id()

    # -- the loop -----------------------------------------------------------------------------------

    def banner(self) -> None:
        """Say what is being simulated, and how to start."""
        albums = [f'{s.manifest.artist}, "{s.manifest.album.title}" (out {s.manifest.album.release_date})'
                  for s in self.skills]
        if len(albums) == 1:
            self._print(f"dropday chat: {albums[0]}")
        else:
            self._print(f"dropday chat: {len(albums)} skills on this device, one per campaign:")
            for album in albums:
                self._print(f"  {album}")
        self._print(f"{self.status()}")
        opens = " or ".join(f'"open {name}"' for name in self.invocation_names())
        self._print(f"Say {opens} to start; /help for commands.\n")

    def run(self, lines: Iterable[str]) -> None:
        """Handle lines until they run out or one is `/quit`."""
        for line in lines:
            if not self.handle(line):
                break

    def handle(self, line: str) -> bool:
        """One line: an utterance, a `/command`, a `# comment` or blank. False means quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("#"):
            if self.echo:
                self._separate()
                self._print(line)
            return True
        if line.startswith("/"):
            if self.echo:
                self._separate()
                self._note(line)
            self._answered = False
            carry_on = self.command(line)
            if not self.echo and carry_on and not self._answered:
                self._print("")  # at a prompt: a blank line before the next one
            return carry_on
        self.say(line)
        return True

    def say(self, utterance: str) -> Exchange:
        """The listener says `utterance`; print and return what happened."""
        exchange = Exchange(utterance)
        self._separate()
        if self.echo:
            self._print(f"You:   {utterance}")
        said = words(utterance)
        said = said[1:] if said[:1] == ["alexa"] else said
        conversation = self.conversation
        if said == ["exit"] and conversation.in_session:
            exchange.ended = True
            self._end_session("USER_INITIATED", exchange)
            return exchange
        if self.consent.waiting is not None and conversation.in_session:
            return self._answer_alexa(utterance, exchange)
        match, skill = self._understand(utterance)
        if not match.launch and not conversation.in_session:
            to_stream = self._to_stream(utterance)
            if to_stream is None:
                exchange.match = match
                self._print(f"(the skill is closed, nothing was sent: open it first, e.g. {self._how_to_open()})\n")
                return exchange
            match, skill = to_stream
            self._switch(skill)
        exchange.match = match
        if match.launch:
            self._switch(skill)
            self._close_session()  # a launch phrase always opens a new session, as on a device
        send = conversation.launch if match.intent is None else lambda: conversation.ask(match.intent, **match.slots)
        return self._exchange(exchange, send, match.summary())

    def command(self, line: str) -> bool:
        """A `/command`; False for `/quit`."""
        name, _, argument = line[1:].strip().partition(" ")
        name, argument = name.lower(), argument.strip()
        if name in ("quit", "exit", "q"):
            return False
        commands: dict[str, Callable[[str], object]] = {
            "help": self.show_help, "status": lambda _: self._note(self.status()), "time": self.set_time,
            "tz": self.set_zone, "locale": self.set_locale, "user": self.set_user, "new": self.new_session,
            "pause": lambda _: self.press("Pause"), "resume": lambda _: self.press("Play"),
            "consent": self.answer_consent, "reminders": self.show_reminders, "screen": self.set_screen,
            "touch": self.touch,
        }
        try:
            if name not in commands:
                raise ValueError(f"unknown command /{name}: /help lists them")
            commands[name](argument)
        except ValueError as exc:
            self._note(f"({exc})")
        return True

    # -- commands -----------------------------------------------------------------------------------

    def set_time(self, text: str) -> None:
        """`/time`: move the clock (ends an open session: the listener went quiet); a stream on the
        player plays on meanwhile, with the events the device sends on the way. Without `text`, show the clock."""
        if not text:
            self._note(f"(clock: {self._when()})")
            return
        moment = parse_moment(text, self.zone, self.clock.now())
        self._end_session("EXCEEDED_MAX_REPROMPTS")
        passed = moment - self.clock.now()
        if passed.total_seconds() > 0:
            self.audio.listen(int(passed.total_seconds() * 1000))
        self.clock.set(moment)
        self._note(f"(clock: {self._when()})")

    def set_zone(self, name: str) -> None:
        """`/tz`: the device's time zone, as the Settings API will answer it."""
        if not name:
            raise ValueError(f"the device is in {self.zone.key}; /tz ZONE changes it")
        zone = zone_or_error(name)
        self._end_session("USER_INITIATED")
        self.zones[self.conversation.device_id] = zone.key
        self._note(f"(device in {zone.key}: {self._when()})")
        cached = self._stored_zone()
        if cached and cached != zone.key:
            self._note(f"(the skill has {cached} cached for this listener and checks the device again the next "
                        f"day: /time +1d, or /user NAME for a new listener)")

    def set_locale(self, locale: str) -> None:
        """`/locale`: the device's language (and the interaction models used to understand it)."""
        if not locale:
            raise ValueError(f"the device speaks {self.locale}; /locale LOCALE changes it")
        speaking = [skill for skill in self.skills if skill.speaks(locale)]
        if not speaking:
            try:
                self.skill.model(locale)
            except FileNotFoundError as exc:
                raise ValueError(str(exc)) from None
        self._end_session("USER_INITIATED")
        self.conversation.locale = locale
        if self.skill not in speaking:
            self._switch(speaking[0])
        missing = [skill.campaign for skill in self.skills if skill not in speaking]
        self._note(f"(locale {locale}" + (f"; not available in it: {', '.join(missing)})" if missing else ")"))

    def set_user(self, name: str) -> None:
        """`/user`: another listener on their own device (a new one starts in the current zone)."""
        if not name:
            raise ValueError(f'the listener is "{self.user}"; /user NAME changes it')
        zone = self.zone.key
        self._end_session("USER_INITIATED")
        self.user = name
        self.conversation.device_id = listener_ids(name)[1]
        self.conversation.user_id = self._user_id()
        self.zones.setdefault(self.conversation.device_id, zone)
        self._note(f'(listener "{name}", device in {self.zone.key})')

    def press(self, button: str) -> None:
        """`/pause`, `/resume`: a button on the device (PlaybackController), for the stream on its player."""
        audio = self.audio
        if audio.press(button) is None:
            self._note("(nothing is on the player)")
        else:
            self._note(f"(pressed {'pause' if button == 'Pause' else 'play'}: {self._player_state()})")

    def new_session(self, _: str = "") -> None:
        """`/new`: end the session, as if the listener walked away."""
        if not self._end_session("USER_INITIATED"):
            self._note("(no session is open)")

    def show_help(self, _: str = "") -> None:
        """`/help`: the commands, the locales and the screens."""
        locales = ", ".join(sorted({locale for skill in self.skills for locale in available_locales(skill.models_dir)}))
        self._note(HELP.format(name=self.invocation_name, locales=locales, screens=", ".join(SCREEN_DEVICES)))

    def answer_consent(self, argument: str) -> None:
        """`/consent yes|no|ignore`: the listener's answer to Alexa's permission question."""
        status = consent.command_status(argument)
        if self.consent.waiting is None or not self.conversation.in_session:
            raise ValueError("no permission question is waiting: Alexa asks one when a skill sends AskFor")
        self._consent_answer(status, Exchange(f"/consent {argument}"))

    def show_reminders(self, _: str = "") -> None:
        """`/reminders`: the reminders each skill on the device set for this listener, in the Reminders API stub."""
        if not self.accounts.serves_apis:
            raise ValueError("this chat has no Reminders API stub: the skills' reminders are nowhere to see")
        skills = [(self._skill_name(skill), self._account(skill).reminders.reminders) for skill in self.skills]
        self._note(consent.reminders_report(self.user, skills, self.locale, self.clock.now()))

    def set_screen(self, name: str) -> None:
        """`/screen PROFILE|none`: the device's screen (a device of another kind: the session ends)."""
        if not name:
            raise ValueError(f"the device has {self.screen.describe()}; /screen PROFILE or /screen none changes it "
                             f"({', '.join(SCREEN_DEVICES)})")
        device = screen_device(name)
        self._end_session("USER_INITIATED")
        self.screen = ScreenView(device)
        self.conversation.supported_interfaces = self.screen.supported_interfaces
        self.conversation.viewport = self.screen.viewport
        self._note(f"(device with {self.screen.describe()})")

    def touch(self, argument: str) -> None:
        """`/touch N`: touch the N-th button of the screen; the skill gets the UserEvent it sends."""
        if not self.conversation.in_session:
            self.screen.clear()
        request, button = self.screen.touch(argument, self.skill.campaign)
        heard = f"Alexa.Presentation.APL.UserEvent {request['token']} {json.dumps(request['arguments'])}"
        self._print(f'(touched "{button.label}")')
        self._exchange(Exchange(f"/touch {argument}"), lambda: self.conversation.send(request), heard)

    def status(self) -> str:
        """The device's settings in one line."""
        session = "session open" if self.conversation.in_session else "skill closed"
        if len(self.skills) > 1 and self.conversation.in_session:
            session += f" ({self.invocation_name})"
        playing = f"; {self._player_state()}" if self.audio.token else ""
        screen = f" with {self.screen.describe()}" if self.screen.device else ""
        return (f'{self.locale}, listener "{self.user}", device in {self.zone.key}{screen}, {self._when()}; '
                f"{session}{playing}")

    # -- helpers ------------------------------------------------------------------------------------

    def _exchange(self, exchange: Exchange, send: Callable[[], Answer], heard: str) -> Exchange:
        """Send a request to the skill in front (`send`), and print what it answered: what was heard,
        what Alexa says (or asks, for a permission), the player, the screen, and the session's end."""
        conversation = self.conversation
        self._before_request()
        answer = send()
        event = conversation.history[-1][0]
        exchange.request, exchange.response = event, answer.response
        exchange.ended = not conversation.in_session
        new = " (new session)" if event["session"]["new"] else ""
        self._print(f"Heard: {heard}{new}")
        self._show_json(event, answer)
        question = self.consent.asked(self.skill.campaign, answer.directives)
        exchange.text = self._speech(answer)
        if question is None or answer.speech:
            self._print(f"Alexa: {exchange.text}")
        if question is not None:
            exchange.text = consent.question_text(question.scope, self._skill_name(self.skill))
            self._print(f"Alexa (consent): {exchange.text}")
            self._print(f"(Alexa waits for the listener's answer: {consent.HOW_TO_ANSWER})")
        for directive in answer.directives:
            shown = describe_directive(directive, self.manifest, self.skill.audio_base_url, self.skill.audio_dir)
            if shown:
                self._print(shown)
        for line in self.screen.show(self.skill.campaign, answer.directives):
            self._print(line)
        card = describe_card(answer.response.get("response", {}).get("card"))
        if card:
            self._print(card)
        self._play(answer)
        if exchange.ended:
            self._print("(session ended)")
            self._close_session()
        self.audio.follow(self.skill, answer)
        self._noted, self._answered = False, True
        self._print("")
        return exchange

    def _answer_alexa(self, utterance: str, exchange: Exchange) -> Exchange:
        """An utterance while Alexa waits for the answer to its permission question: "yes" or "no"
        answers it; anything else is not an answer, and nothing is sent."""
        match = self.model.match(utterance)
        exchange.match = match
        status = None if match.launch else consent.SPOKEN.get(match.intent or "")
        if status is None:
            self._print(f"(Alexa is waiting for the answer to its question, nothing was sent: "
                        f"{consent.HOW_TO_ANSWER})\n")
            return exchange
        return self._consent_answer(status, exchange)

    def _consent_answer(self, status: str, exchange: Exchange) -> Exchange:
        """Alexa sends the skill the listener's answer to its permission question."""
        request = self.consent.request(status, self._account(self.skill))
        return self._exchange(exchange, lambda: self.conversation.send(request), consent.heard(request))

    def _end_session(self, reason: str, exchange: Exchange | None = None) -> bool:
        """End an open session with a SessionEndedRequest; False when none was open. A permission
        question still waiting is left unanswered first (the skill hears NOT_ANSWERED)."""
        if not self.conversation.in_session:
            return False
        if self.consent.waiting is not None:
            self._print("(Alexa's question was left unanswered)")
            self._consent_answer("NOT_ANSWERED", Exchange("(no answer)"))
            if not self.conversation.in_session:
                return True
        self._before_request()
        answer = self.conversation.end_session(reason)
        event = self.conversation.history[-1][0]
        if exchange is not None:
            exchange.request, exchange.response = event, answer.response
        self._note(f"(session ended: SessionEndedRequest, reason {reason})")
        self._show_json(event, answer)
        self._close_session()
        return True

    def _close_session(self) -> None:
        """Forget the open session (without telling the skill), its permission question and its screen."""
        self.conversation.close()
        self.consent.drop()
        self.screen.clear()

    def _before_request(self) -> None:
        """What every request to the skill in front says of the device: the time, its player, and the
        listener's account (their access token and what they allowed the skill)."""
        self.conversation.now = self.clock.now()
        self.conversation.audio_player = self.audio.context(self.skill)
        self._identify()

    def _identify(self) -> None:
        account = self.accounts.account(self.conversation.user_id)
        self.conversation.api_access_token, self.conversation.permissions = account.token, account.permissions()

    def _account(self, skill: Skill) -> Account:
        """The listener's account with `skill`."""
        return self.accounts.account(self._user_id(skill))

    def _skill_name(self, skill: Skill) -> str:
        return consent.skill_name(skill.models_dir, self.locale, skill.manifest.artist)

    def _to_stream(self, utterance: str) -> tuple[Match, Skill] | None:
        """`utterance` as Alexa sends it to the skill whose stream is on the player, said without the
        invocation name ("pause", "resume", "next"...); None when it is not one of those."""
        owner = self.audio.owner
        if owner is None or not owner.speaks(self.locale):
            return None
        match = owner.model(self.locale).match(utterance)
        return (match, owner) if self.audio.takes(match.intent) else None

    def _send_event(self, owner: Skill, body: dict[str, Any], elapsed_ms: int) -> Answer:
        """An out-of-session request from the device to `owner`, `elapsed_ms` into the time passing."""
        conversation = self.conversation
        saved = (conversation.handler, conversation.skill_id, conversation.user_id, conversation.now,
                 conversation.api_access_token, conversation.permissions)
        conversation.handler, conversation.skill_id = owner.handler, owner.skill_id
        conversation.user_id = self._user_id(owner)
        conversation.now = self.clock.now() + timedelta(milliseconds=elapsed_ms)
        conversation.audio_player = self.audio.context(owner)
        self._identify()
        try:
            answer = conversation.send_outside_session(body)
        finally:
            (conversation.handler, conversation.skill_id, conversation.user_id, conversation.now,
             conversation.api_access_token, conversation.permissions) = saved
        self._show_json(conversation.history[-1][0], answer, owner)
        return answer

    def _stream_length_ms(self, owner: Skill, url: str) -> int | None:
        seconds = clip_seconds(owner.audio_dir / self._stream_name(owner, url)) if owner.audio_dir else None
        return int(seconds * 1000) if seconds is not None else None

    def _stream_name(self, owner: Skill, url: str) -> str:
        return stream_path(url, owner.manifest, owner.audio_base_url)

    def _player_state(self) -> str:
        audio = self.audio
        doing = {"PLAYING": "playing", "STOPPED": "stopped", "PAUSED": "paused", "FINISHED": "finished"}
        return (f"{doing.get(audio.activity, audio.activity.lower())} "
                f"{self._stream_name(audio.owner, audio.url or '')} at {clock_time(audio.offset_ms)}")

    def _understand(self, utterance: str) -> tuple[Match, Skill]:
        """What the device makes of `utterance`, and the skill it goes to: a launch phrase opens the
        skill it names (the one in front first); anything else goes to the skill in front."""
        in_front = self.model.match(utterance)
        if in_front.launch:
            return in_front, self.skill
        for skill in self.skills:
            if skill is not self.skill and skill.speaks(self.locale):
                match = skill.model(self.locale).match(utterance)
                if match.launch:
                    return match, skill
        return in_front, self.skill

    def _how_to_open(self) -> str:
        names = self.invocation_names()
        if len(names) > 1:
            return " or ".join(f'"open {name}"' for name in names)
        return f'"open {names[0]}" or "ask {names[0]} for a tip"' if "tips" in self.manifest.features \
            else f'"open {names[0]}" or "ask {names[0]} how long until the album comes out"'

    def _speech(self, answer: Answer) -> str:
        if not answer.speech:
            return "(says nothing)"
        return describe(answer.speech, self.manifest, self.skill.audio_base_url, self.skill.audio_dir, self.locale)

    def _play(self, answer: Answer) -> None:
        if not self.play or self.skill.audio_dir is None:
            return
        files = clip_files(answer.speech, self.manifest, self.skill.audio_base_url, self.skill.audio_dir)
        if files and self.player is None:
            if not self._told_cannot_play:
                self._print(missing_player_message())
                self._told_cannot_play = True
            return
        for path in files:
            problem = self.player.play(path)
            if problem:
                self._print(f"(could not play {path.name}: {problem})")

    def _show_json(self, event: dict[str, Any], answer: Answer, skill: Skill | None = None) -> None:
        logged = (skill or self.skill).turns.take()
        if self.show_json:
            self._print("request: " + json.dumps(event, indent=2, ensure_ascii=False))
            self._print("response: " + json.dumps(answer.response, indent=2, ensure_ascii=False))
            for turn in logged:
                self._print("turn event: " + json.dumps(turn, ensure_ascii=False))

    def _stored_zone(self) -> str | None:
        if self.state_reader is None:
            return None
        try:
            item = self.state_reader(self.conversation.user_id) or {}
        except Exception:  # a peek for a hint only
            return None
        attributes = item.get("attributes")
        return attributes.get("tz") if isinstance(attributes, dict) else None

    def _when(self) -> str:
        now = self.clock.now()
        local = now.astimezone(self.zone)
        return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()} ({now:%H:%M} UTC)"

    def _note(self, text: str) -> None:
        """A line about the simulation itself (not a turn); a blank line follows before the next turn."""
        self._print(text)
        self._noted = True

    def _separate(self) -> None:
        """A blank line between notes and the next turn of a transcript (at a prompt, the prompt separates)."""
        if self._noted and self.echo:
            self._print("")
            self._noted = False

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
