"""The skills on the simulated device: one per campaign, each with its own Lambda handler,
interaction models and clips, as each campaign is its own skill on Alexa.

`local_skill` builds one from the settings and the campaign, the way Lambda would: the skill's
handler from `dropday.app`, with its telemetry kept in the chat (`TurnLog`) instead of printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

from ..core.campaign import Manifest
from .envelopes import DEFAULT_SKILL_ID
from .nlu import InteractionModel

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
#: The listener-key secret of a chat whose environment sets none (`LISTENER_KEY_SECRET`): local state
#: is nobody's, and a fixed key keeps a listener's key the same from one chat to the next.
LOCAL_LISTENER_KEY_SECRET = "dropday-chat-local-listener-key"


@dataclass
class TurnLog:
    """The turn events a skill logged in this chat, one JSON object per request (`--json` shows them)."""

    events: list[dict[str, Any]] = field(default_factory=list)

    def write(self, line: str) -> None:
        """`metrics.Telemetry`'s output: keep the turn events, drop the metric blobs."""
        try:
            found = json.loads(line)
        except ValueError:
            return
        if isinstance(found, dict) and found.get("event") == "turn":
            self.events.append(found)

    def take(self) -> list[dict[str, Any]]:
        """The events logged since the last call."""
        taken, self.events = self.events, []
        return taken


@dataclass
class Skill:
    """One campaign's skill on the device.

    Attributes:
        campaign: the campaign's name (its manifest's file name).
        manifest: the campaign (for clip transcripts and the banner).
        handler: its Lambda handler, `handler(event, context) -> response`.
        models_dir: its interaction models, `<models_dir>/<locale>.json`.
        audio_base_url: where the skill says clips are (to find them in `audio_dir`).
        audio_dir: its local clips.
        skill_id: its skill id, as requests name it.
        turns: its turn events.
    """

    campaign: str
    manifest: Manifest
    handler: Handler
    models_dir: Path
    audio_base_url: str
    audio_dir: Path | None = None
    skill_id: str = DEFAULT_SKILL_ID
    turns: TurnLog = field(default_factory=TurnLog)
    _models: dict[str, InteractionModel] = field(default_factory=dict, repr=False)

    def model(self, locale: str) -> InteractionModel:
        """Its interaction model for `locale`.

        Raises:
            FileNotFoundError: it has none, naming the locales it has.
        """
        if locale not in self._models:
            self._models[locale] = InteractionModel.for_locale(self.models_dir, locale, self.skill_id)
        return self._models[locale]

    def speaks(self, locale: str) -> bool:
        """Whether it has a model for `locale` (a skill is offered only in its locales)."""
        try:
            self.model(locale)
        except FileNotFoundError:
            return False
        return True


def local_skill(settings, campaign: str, manifest: Manifest, dynamodb_client, *, models_dir: Path,
                skill_id: str = DEFAULT_SKILL_ID, rng: Random | None = None) -> Skill:
    """The skill of `campaign` as Lambda would run it with `settings`, talking to `dynamodb_client`."""
    from ..metrics import Telemetry

    settings = settings._replace(campaign=campaign)
    create_lambda_handler = lambda_handler_factory(settings)
    turns = TurnLog()
    telemetry = Telemetry(campaign, settings.listener_key_secret or LOCAL_LISTENER_KEY_SECRET,
                          namespace=settings.metrics_namespace, service=settings.service_name,
                          key_id=settings.listener_key_id, write=turns.write)
    handler = create_lambda_handler(settings, manifest, dynamodb_client, rng, telemetry)
    return Skill(campaign, manifest, handler, models_dir, settings.audio_base_url,
                 settings.manifest_dir / "audio" / manifest.campaign, skill_id, turns)


def lambda_handler_factory(settings):
    """`dropday.app.create_lambda_handler`. Importing `dropday.app` is the Lambda cold start: it loads
    the campaign that `MANIFEST_DIR` and `DROPDAY_CAMPAIGN` name, and stops when there is none to
    load (a folder of several campaigns and no `DROPDAY_CAMPAIGN`). The chat has read and checked
    its campaign already, so the first import is pointed at that one."""
    import sys

    if "dropday.app" not in sys.modules:
        from .backend import environment

        with environment(MANIFEST_DIR=str(settings.manifest_dir), DROPDAY_CAMPAIGN=settings.campaign):
            from .. import app  # noqa: F401
    from ..app import create_lambda_handler
    return create_lambda_handler
