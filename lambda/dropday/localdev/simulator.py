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
- commands that change the world (`/time`, `/tz`, `/locale`, `/user`, `/new`) end an open session
  first with a `SessionEndedRequest`: `EXCEEDED_MAX_REPROMPTS` for `/time` (the listener went
  quiet), `USER_INITIATED` for the others.

The clock runs from the chosen moment (`--at`, default now) and `/time` moves it; local times typed
without an offset are in the device's time zone (`clock`). `chat` runs a whole conversation: the
campaign, its models (`interaction_models/<campaign>/`), the local services (`backend`) and the
lines, typed, piped, scripted or read from an ASK CLI replay file (`replay`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from ..core.manifest import Manifest
from . import demo, envelopes
from .backend import Backend, ChatError, local_backend
from .clock import Clock, parse_moment, zone_or_error
from .conversation import Answer, Conversation, Handler
from .nlu import InteractionModel, Match, available_locales, words
from .playback import Player, missing_player_message
from .render import clip_files, describe
from .replay import read_replay

#: What an Echo reports in `context.System.device.supportedInterfaces`.
ECHO_INTERFACES: dict[str, Any] = {"AudioPlayer": {}}

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
    """One device in a room: a listener, a locale, a time zone, a clock, and the skill.

    Args:
        handler: the skill's Lambda handler, `handler(event, context) -> response`.
        manifest: the campaign the handler serves (for clip transcripts).
        models_dir: the campaign's interaction models, `interaction_models/<campaign>/<locale>.json`.
        zones: device id -> time zone, as the Settings API stub answers it (its `zones`).
        api_endpoint: the `apiEndpoint` to put in requests (the Settings API stub's).
        audio_base_url: where the skill says clips are (to find them in `audio_dir`).
        audio_dir: the campaign's local clips.
        out: where to print.
        locale, zone, clock, user, skill_id: the device's settings.
        echo: print "You: ..." for each utterance (off when a person typed it at a prompt).
        show_json: print every request and response.
        player: plays clips (`play=True` with None says that nothing can play).
    """

    def __init__(self, handler: Handler, manifest: Manifest, *, models_dir: Path, zones: dict[str, str],
                 api_endpoint: str, audio_base_url: str, audio_dir: Path | None, out: TextIO,
                 locale: str = "en-GB", zone: str = "Europe/London", clock: Clock | None = None,
                 user: str = "listener", skill_id: str = envelopes.DEFAULT_SKILL_ID, echo: bool = True,
                 show_json: bool = False, play: bool = False, player: Player | None = None,
                 state_reader: Callable[[str], dict[str, Any] | None] | None = None) -> None:
        self.manifest, self.models_dir, self.zones, self.out = manifest, Path(models_dir), zones, out
        self.audio_base_url, self.audio_dir = audio_base_url, audio_dir
        self.clock = clock or Clock(datetime.now(timezone.utc))
        self.skill_id, self.echo, self.show_json = skill_id, echo, show_json
        self.play, self.player, self._told_cannot_play = play, player, False
        self.state_reader = state_reader
        self._noted = False
        self._models: dict[str, InteractionModel] = {}
        self.model = self._model(locale)
        user_id, device_id = listener_ids(user)
        self.user = user
        self.conversation = Conversation(handler, user_id=user_id, device_id=device_id, locale=locale,
                                         now=self.clock.now(), api_endpoint=api_endpoint, skill_id=skill_id,
                                         supported_interfaces=dict(ECHO_INTERFACES))
        self.zones[device_id] = zone_or_error(zone).key

    # -- the device's settings ---------------------------------------------------------------------

    @property
    def locale(self) -> str:
        return self.conversation.locale

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zones[self.conversation.device_id])

    @property
    def invocation_name(self) -> str:
        return self.model.invocation_name

    def _model(self, locale: str) -> InteractionModel:
        if locale not in self._models:
            self._models[locale] = InteractionModel.for_locale(self.models_dir, locale, self.skill_id)
        return self._models[locale]

    # -- the loop -----------------------------------------------------------------------------------

    def banner(self) -> None:
        """Say what is being simulated, and how to start."""
        album = self.manifest.album
        self._print(f'dropday chat: {self.manifest.artist}, "{album.title}" (out {album.release_date})')
        self._print(f"{self.status()}")
        self._print(f'Say "open {self.invocation_name}" to start; /help for commands.\n')

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
            carry_on = self.command(line)
            if not self.echo and carry_on:
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
        match = exchange.match = self.model.match(utterance)
        if not match.launch and not conversation.in_session:
            self._print(f'(the skill is closed, nothing was sent: open it first, e.g. "open {self.invocation_name}" '
                        f'or "ask {self.invocation_name} for a tip")\n')
            return exchange
        if match.launch:
            conversation.close()  # a launch phrase always opens a new session, as on a device
        conversation.now = self.clock.now()
        answer = conversation.launch() if match.intent is None else conversation.ask(match.intent, **match.slots)
        event = conversation.history[-1][0]
        exchange.request, exchange.response = event, answer.response
        exchange.ended = not conversation.in_session
        new = " (new session)" if event["session"]["new"] else ""
        self._print(f"Heard: {match.summary()}{new}")
        self._show_json(event, answer)
        exchange.text = self._speech(answer)
        self._print(f"Alexa: {exchange.text}")
        self._play(answer)
        if exchange.ended:
            self._print("(session ended)")
        self._print("")
        return exchange

    def command(self, line: str) -> bool:
        """A `/command`; False for `/quit`."""
        name, _, argument = line[1:].strip().partition(" ")
        name, argument = name.lower(), argument.strip()
        try:
            if name in ("quit", "exit", "q"):
                return False
            if name == "help":
                locales = ", ".join(available_locales(self.models_dir))
                self._note(HELP.format(name=self.invocation_name, locales=locales))
            elif name == "status":
                self._note(self.status())
            elif name == "time":
                if argument:
                    self.set_time(argument)
                else:
                    self._note(f"(clock: {self._when()})")
            elif name == "tz":
                self.set_zone(argument)
            elif name == "locale":
                self.set_locale(argument)
            elif name == "user":
                self.set_user(argument)
            elif name == "new":
                if not self._end_session("USER_INITIATED"):
                    self._note("(no session is open)")
            else:
                self._note(f"(unknown command /{name}: /help lists them)")
        except ValueError as exc:
            self._note(f"({exc})")
        return True

    # -- commands -----------------------------------------------------------------------------------

    def set_time(self, text: str) -> None:
        """`/time`: move the clock (ends an open session: the listener went quiet)."""
        moment = parse_moment(text, self.zone, self.clock.now())
        self._end_session("EXCEEDED_MAX_REPROMPTS")
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
        """`/locale`: the device's language (and the interaction model used to understand it)."""
        if not locale:
            raise ValueError(f"the device speaks {self.locale}; /locale LOCALE changes it")
        try:
            model = self._model(locale)
        except FileNotFoundError as exc:
            raise ValueError(str(exc)) from None
        self._end_session("USER_INITIATED")
        self.model, self.conversation.locale = model, locale
        self._note(f"(locale {locale})")

    def set_user(self, name: str) -> None:
        """`/user`: another listener on their own device (a new one starts in the current zone)."""
        if not name:
            raise ValueError(f'the listener is "{self.user}"; /user NAME changes it')
        zone = self.zone.key
        self._end_session("USER_INITIATED")
        self.user = name
        self.conversation.user_id, self.conversation.device_id = listener_ids(name)
        self.zones.setdefault(self.conversation.device_id, zone)
        self._note(f'(listener "{name}", device in {self.zone.key})')

    def status(self) -> str:
        """The device's settings in one line."""
        session = "session open" if self.conversation.in_session else "skill closed"
        return f'{self.locale}, listener "{self.user}", device in {self.zone.key}, {self._when()}; {session}'

    # -- helpers ------------------------------------------------------------------------------------

    def _end_session(self, reason: str, exchange: Exchange | None = None) -> bool:
        """End an open session with a SessionEndedRequest; False when none was open."""
        if not self.conversation.in_session:
            return False
        self.conversation.now = self.clock.now()
        answer = self.conversation.end_session(reason)
        event = self.conversation.history[-1][0]
        if exchange is not None:
            exchange.request, exchange.response = event, answer.response
        self._note(f"(session ended: SessionEndedRequest, reason {reason})")
        self._show_json(event, answer)
        return True

    def _speech(self, answer: Answer) -> str:
        if not answer.speech:
            return "(says nothing)"
        return describe(answer.speech, self.manifest, self.audio_base_url, self.audio_dir, self.locale)

    def _play(self, answer: Answer) -> None:
        if not self.play or self.audio_dir is None:
            return
        files = clip_files(answer.speech, self.manifest, self.audio_base_url, self.audio_dir)
        if files and self.player is None:
            if not self._told_cannot_play:
                self._print(missing_player_message())
                self._told_cannot_play = True
            return
        for path in files:
            problem = self.player.play(path)
            if problem:
                self._print(f"(could not play {path.name}: {problem})")

    def _show_json(self, event: dict[str, Any], answer: Answer) -> None:
        if self.show_json:
            self._print("request: " + json.dumps(event, indent=2, ensure_ascii=False))
            self._print("response: " + json.dumps(answer.response, indent=2, ensure_ascii=False))

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


# -- running a whole chat: the skill, its services and the lines ----------------------------------

#: The repository's interaction models, one folder per campaign (the default for `--models`
#: when there is no interaction_models/ beside the manifest folder).
MODELS_DIR = Path(__file__).resolve().parents[3] / "interaction_models"
DEFAULT_LOCALE = "en-GB"
DEFAULT_USER = "listener"


@dataclass
class ChatOptions:
    """What `dropday chat` was asked for (see `dropday chat --help`)."""

    locale: str | None = None
    tz: str | None = None
    at: str | None = None
    user: str = DEFAULT_USER
    manifest: Path | None = None
    campaign: str | None = None
    models: Path | None = None  # the folder of every campaign's models; None: beside the manifests
    endpoint: str | None = None
    play: bool = False
    show_json: bool = False
    replay: Path | None = None
    seed: int | None = None
    lines: list[str] | None = None  # a script to play instead of reading input
    demo: bool = False  # play the scripted demo (`demo.script`) for the campaign


def chat(options: ChatOptions, stdin: TextIO, stdout: TextIO, backend: Backend | None = None) -> int:
    """Run a chat: the replay file, the script in `options.lines`, or `stdin` (a prompt when it is
    a terminal, one utterance per line otherwise). Starts the local services unless given.

    Raises:
        ChatError: the chat cannot start.
    """
    try:
        replay = read_replay(options.replay) if options.replay else None
        settings, manifest, name = _settings_and_manifest(options.manifest, options.campaign)
        models = campaign_models_dir(options.models, settings.manifest_dir, name)
        locale = options.locale or (replay.locale if replay else None) or DEFAULT_LOCALE
        skill_id = (replay.skill_id if replay else None) or min(settings.skill_ids,
                                                                default=envelopes.DEFAULT_SKILL_ID)
        zone = zone_or_error(options.tz or manifest.album.default_time_zone)
        start = parse_moment(options.at, zone, datetime.now(timezone.utc)) if options.at \
            else datetime.now(timezone.utc)
        model = InteractionModel.for_locale(models, locale, skill_id)  # fail early on a missing model
    except (ValueError, FileNotFoundError) as exc:
        raise ChatError(str(exc)) from None
    script = demo.script(model.invocation_name, manifest) if options.demo else options.lines
    interactive = replay is None and script is None and stdin.isatty()
    lines: Iterable[str] = (replay.lines if replay else script if script is not None
                            else _prompt(stdin) if interactive else stdin)
    with ExitStack() as stack:
        if backend is None:
            backend = stack.enter_context(local_backend(options.endpoint))
        simulator = _simulator(options, settings, manifest, backend, stdout, models=models, locale=locale,
                               zone=zone.key, start=start, skill_id=skill_id, echo=not interactive)
        simulator.banner()
        try:
            simulator.run(lines)
        except KeyboardInterrupt:
            simulator._print("")
    return 0


def campaign_models_dir(root: Path | None, manifest_dir: Path, campaign: str) -> Path:
    """Where a campaign's interaction models are: `<root>/<campaign>/`, the root being `--models`,
    else `interaction_models/` beside the manifest folder, else the repository's.

    Raises:
        ChatError: the campaign has no models there, with the command that makes them.
    """
    if root is None:
        beside = Path(manifest_dir).resolve().parent / "interaction_models"
        root = beside if beside.is_dir() else MODELS_DIR
    folder = Path(root) / campaign
    if not folder.is_dir():
        raise ChatError(f"there are no interaction models for campaign `{campaign}` in {root} (expected "
                        f"{folder}/<locale>.json: create {folder}/skill.json and run `dropday models sync`)")
    return folder


def _simulator(options: ChatOptions, settings, manifest: Manifest, backend: Backend, stdout: TextIO, *,
               models: Path, locale: str, zone: str, start: datetime, skill_id: str, echo: bool) -> Simulator:
    from random import Random

    from ..app import create_lambda_handler
    from .dynamodb_server import ensure_state_table
    from .playback import find_player

    if backend.create_table:
        ensure_state_table(backend.dynamodb, settings.state_table)
    handler = create_lambda_handler(settings, manifest, backend.dynamodb_client,
                                    Random(options.seed) if options.seed is not None else None)
    table = backend.dynamodb.Table(settings.state_table)
    return Simulator(handler, manifest, models_dir=models, zones=backend.settings_api.zones,
                     api_endpoint=backend.settings_api.endpoint, audio_base_url=settings.audio_base_url,
                     audio_dir=settings.manifest_dir / "audio" / manifest.campaign, out=stdout, locale=locale,
                     zone=zone, clock=Clock(start), user=options.user, skill_id=skill_id, echo=echo,
                     show_json=options.show_json, play=options.play,
                     player=find_player() if options.play else None,
                     state_reader=lambda user_id: table.get_item(Key={"id": user_id}).get("Item"))


def _settings_and_manifest(path: Path | None, campaign: str | None):
    """The settings from the environment, the campaign and its name (its manifest's file name):
    `path` (a manifest file, or a folder of them) and `campaign` when given, else what the
    environment chooses (`MANIFEST_DIR`, `DROPDAY_CAMPAIGN`)."""
    from dataclasses import replace

    from ..config import ConfigError, Settings
    from ..content import campaign_files, campaign_name, load_campaign
    from ..core.manifest import ManifestError

    try:
        settings = Settings.from_env()
        if path is not None:
            path = Path(path)
            if path.is_file():
                settings = replace(settings, manifest_dir=path.parent, campaign=campaign_name(path))
            elif path.is_dir():
                settings = replace(settings, manifest_dir=path)
            else:
                raise ChatError(f"--manifest {path}: no such file or folder")
        if campaign is not None:
            settings = replace(settings, campaign=campaign)
        manifest = load_campaign(settings.manifest_dir, settings.campaign)
        name = settings.campaign or campaign_name(campaign_files(settings.manifest_dir)[0])
        return settings, manifest, name
    except (ConfigError, ManifestError) as exc:
        raise ChatError(str(exc)) from None


def _prompt(stdin: TextIO) -> Iterator[str]:
    """Lines typed at a `You:` prompt, with line editing where the platform has it."""
    try:
        import readline  # noqa: F401 (arrow keys and history for input())
    except ImportError:
        pass
    while True:
        try:
            yield input("You:   ")
        except EOFError:
            print()
            return
