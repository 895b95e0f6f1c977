"""`dropday chat` as a whole: the campaigns and their models, the local services (`backend`), the
devices (`simulator.Simulator`) and the lines they hear, typed at a prompt, piped, scripted (`demo`,
one device per campaign) or read from an ASK CLI replay file (`replay`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from ..core.campaign import Manifest
from . import demo, envelopes
from .accounts import Accounts
from .backend import Backend, ChatError, local_backend
from .clock import Clock, parse_moment, zone_or_error
from .nlu import InteractionModel, available_locales
from .replay import read_replay
from .screen_view import screen_device
from .simulator import Simulator
from .skills import Skill

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
    screen: str | None = None  # a viewport profile (`screens.SCREEN_DEVICES`): the device has that screen


def chat(options: ChatOptions, stdin: TextIO, stdout: TextIO, backend: Backend | None = None) -> int:
    """Run a chat: the replay file, the script in `options.lines`, or `stdin` (a prompt when it is
    a terminal, one utterance per line otherwise). Starts the local services unless given.

    Raises:
        ChatError: the chat cannot start.
    """
    try:
        replay = read_replay(options.replay) if options.replay else None
        settings, campaigns = _settings_and_campaigns(options.manifest, options.campaign)
        if len(campaigns) > 1 and options.endpoint == "aws":
            raise ChatError(f"--endpoint aws keeps state in one campaign's table ({settings.state_table}); pick the "
                            f"campaign with --campaign (one of: {', '.join(campaigns)})")
        models = {name: campaign_models_dir(options.models, settings.manifest_dir, name) for name in campaigns}
        locale = options.locale or (replay.locale if replay else None) or DEFAULT_LOCALE
        skill_id = (replay.skill_id if replay else None) or min(settings.skill_ids,
                                                                default=envelopes.DEFAULT_SKILL_ID)
        first = next(iter(campaigns.values()))
        zone = zone_or_error(options.tz or first.album.default_time_zone)
        start = parse_moment(options.at, zone, datetime.now(timezone.utc)) if options.at \
            else datetime.now(timezone.utc)
        if not any((folder / f"{locale}.json").is_file() for folder in models.values()):
            InteractionModel.for_locale(next(iter(models.values())), locale, skill_id)  # says which there are
        screen = screen_device(options.screen) if options.screen else None
    except (ValueError, FileNotFoundError) as exc:
        raise ChatError(str(exc)) from None
    interactive = replay is None and not options.demo and options.lines is None and stdin.isatty()
    with ExitStack() as stack:
        if backend is None:
            backend = stack.enter_context(local_backend(options.endpoint))
        skills = _skills(options, settings, campaigns, backend, models=models, skill_id=skill_id)
        accounts = stack.enter_context(Accounts(backend.settings_api).serving())
        table = backend.dynamodb.Table(settings.state_table)
        player = None
        if options.play:
            from .playback import find_player
            player = find_player()

        def device(on_it: list[Skill], zone: str) -> Simulator:
            return Simulator(on_it, zones=backend.settings_api.zones, api_endpoint=backend.settings_api.endpoint,
                             out=stdout, locale=locale, zone=zone, clock=Clock(start), user=options.user,
                             echo=not interactive, show_json=options.show_json, play=options.play, player=player,
                             state_reader=lambda user_id: table.get_item(Key={"id": user_id}).get("Item"),
                             ids_per_skill=len(skills) > 1, accounts=accounts, screen=screen)

        if options.demo:  # one device per campaign, each from the same moment
            for number, skill in enumerate(s for s in skills if s.speaks(locale)):
                simulator = device([skill], options.tz or skill.manifest.album.default_time_zone)
                if number:
                    simulator._print("")
                simulator.banner()
                simulator.run(demo.script(skill.model(locale).invocation_name, skill.manifest,
                                          available_locales(skill.models_dir), start.astimezone(simulator.zone).date()))
            return 0
        simulator = device(skills, zone.key)
        simulator.banner()
        try:
            simulator.run(replay.lines if replay else options.lines if options.lines is not None
                          else _prompt(stdin) if interactive else stdin)
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


def _skills(options: ChatOptions, settings, campaigns: dict[str, Manifest], backend: Backend, *,
            models: dict[str, Path], skill_id: str) -> list[Skill]:
    """The skill of each campaign, keeping listener state in the backend's DynamoDB."""
    from random import Random

    from .dynamodb_server import ensure_state_table
    from .skills import local_skill

    if backend.create_table:
        ensure_state_table(backend.dynamodb, settings.state_table)
    return [local_skill(settings, name, manifest, backend.dynamodb_client, models_dir=models[name],
                        skill_id=skill_id, rng=Random(options.seed) if options.seed is not None else None)
            for name, manifest in campaigns.items()]


def _settings_and_campaigns(path: Path | None, campaign: str | None) -> tuple[Any, dict[str, Manifest]]:
    """The settings from the environment, and the campaigns to serve by name (their manifests' file
    names), read and checked: `path` (a manifest file, or a folder of them) and `campaign` when
    given, else what the environment chooses (`MANIFEST_DIR`, `DROPDAY_CAMPAIGN`).

    `DROPDAY_CAMPAIGN` names a campaign of `MANIFEST_DIR` (a deployment's pair): without `--manifest`
    it is the one served, as in Lambda. A folder named with `--manifest` is the developer's choice
    over the environment's: its only campaign is served, whatever `DROPDAY_CAMPAIGN` says. A folder
    of several campaigns serves the one `--campaign` names, else the one `DROPDAY_CAMPAIGN` names
    when it is there, else every one of them, each its own skill on the device."""
    from ..config import ConfigError, Settings
    from ..content import campaign_files, campaign_name, load_campaign
    from ..core.campaign import ManifestError

    try:
        settings = Settings.from_env()
        if path is not None:
            path = Path(path)
            if path.is_file():
                settings = settings._replace(manifest_dir=path.parent, campaign=campaign_name(path))
            elif path.is_dir():
                names = [campaign_name(p) for p in campaign_files(path)]
                chosen = settings.campaign if len(names) > 1 and settings.campaign in names else None
                settings = settings._replace(manifest_dir=path, campaign=chosen)
            else:
                raise ChatError(f"--manifest {path}: no such file or folder")
        if campaign is not None:
            names = [campaign_name(p) for p in campaign_files(settings.manifest_dir)]
            if campaign not in names:
                raise ChatError(f"--campaign {campaign}: there is no campaign `{campaign}` in {settings.manifest_dir} "
                                f"(there are: {', '.join(names) or 'none'})")
            settings = settings._replace(campaign=campaign)
        if settings.campaign is not None:
            return settings, {settings.campaign: load_campaign(settings.manifest_dir, settings.campaign)}
        files = campaign_files(settings.manifest_dir)
        if not files:
            load_campaign(settings.manifest_dir)  # says what is missing
        return settings, {campaign_name(file): load_campaign(settings.manifest_dir, campaign_name(file))
                          for file in files}
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
