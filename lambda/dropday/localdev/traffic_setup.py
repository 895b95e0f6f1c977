"""What `dropday simulate` sets up before the first listener speaks: the campaign, its interaction
models and the deployment's settings, and each listener's own Alexa account behind the API stubs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import envelopes
from .backend import ChatError, local_backend
from .skills import lambda_handler_factory
from .nlu import InteractionModel, available_locales
from .profile_api import ProfileApiStub
from .reminders_api import RemindersApiStub

if TYPE_CHECKING:
    from .traffic import TrafficOptions
    from .traffic_model import Listener

#: The repository's interaction models (when there are none beside the manifest folder).
MODELS_DIR = Path(__file__).resolve().parents[3] / "interaction_models"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
EMAIL_SCOPE = "alexa::profile:email:read"


def traffic_backend(endpoint: str | None = None):
    """The chat's services (`backend.local_backend`): the Alexa API stubs and, without `endpoint`,
    a moto DynamoDB server on loopback; `endpoint` is a DynamoDB URL, or `aws` (the table must exist)."""
    return local_backend(endpoint, command="dropday simulate")


def load_campaign_and_models(options: TrafficOptions):
    """(settings, manifest, {locale: model}, skill id) for the run.

    The settings are the environment's (`SKILL_STATE_TABLE`, `LISTENER_KEY_SECRET`...) with the
    chosen campaign: `--manifest` (a file or a folder) and `--campaign`, else `MANIFEST_DIR` and
    `DROPDAY_CAMPAIGN`. The models are `interaction_models/<campaign>/<locale>.json` under
    `--models`, else beside the manifest folder, else the repository's.

    Raises:
        ChatError: naming what is missing or invalid.
    """
    from ..config import ConfigError, Settings
    from ..content import campaign_files, campaign_name, load_campaign
    from ..core.campaign import ManifestError

    try:
        settings = Settings.from_env()
        folder, name = settings.manifest_dir, options.campaign or settings.campaign
        if options.manifest is not None:
            path = Path(options.manifest)
            if path.is_file():
                folder, name = path.parent, campaign_name(path)
            elif path.is_dir():
                # the folder named is the developer's choice over the environment's: DROPDAY_CAMPAIGN
                # counts only when it names one of its campaigns
                folder = path
                if options.campaign is None and name not in [campaign_name(p) for p in campaign_files(path)]:
                    name = None
            else:
                raise ChatError(f"--manifest {path}: no such file or folder")
        names = [campaign_name(p) for p in campaign_files(folder)]
        if name is None and len(names) > 1:
            raise ChatError(f"{folder} holds several campaigns ({', '.join(names)}); pick one with --campaign")
        manifest = load_campaign(Path(folder), name)
        name = name or names[0]
    except (ConfigError, ManifestError) as exc:
        raise ChatError(str(exc)) from None
    settings = settings._replace(manifest_dir=Path(folder), campaign=name)
    lambda_handler_factory(settings)   # the first import of dropday.app loads this campaign
    root = options.models
    if root is None:
        beside = Path(folder).resolve().parent / "interaction_models"
        root = beside if (beside / name).is_dir() else MODELS_DIR
    locales = available_locales(Path(root) / name)
    if not locales:
        raise ChatError(f"there are no interaction models for campaign `{name}` in {root} (expected "
                        f"{Path(root) / name}/<locale>.json: run `dropday models sync`)")
    skill_id = min(settings.skill_ids, default=envelopes.DEFAULT_SKILL_ID)
    models = {locale: InteractionModel.for_locale(Path(root) / name, locale, skill_id) for locale in locales}
    return settings, manifest, models, skill_id


def ensure_draw_table(resource, name: str) -> None:
    """Create the prize draw's table as template.yaml declares it (key `campaign`, sort key
    `entrant`), unless it exists."""
    client = resource.meta.client
    try:
        client.describe_table(TableName=name)
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "campaign", "KeyType": "HASH"},
                                   {"AttributeName": "entrant", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "campaign", "AttributeType": "S"},
                                              {"AttributeName": "entrant", "AttributeType": "S"}])
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1, "MaxAttempts": 50})


class PerListener:
    """Every listener's own Reminders API and customer profile behind the API stub, told apart by
    the access token of their requests; each allows the skill what the listener allowed."""

    def __init__(self, api, listeners: dict[str, Listener]) -> None:
        self.listeners = listeners
        self.reminders: dict[str, RemindersApiStub] = {token: RemindersApiStub() for token in listeners}
        self.profiles: dict[str, ProfileApiStub] = {
            token: ProfileApiStub(email=f"listener-{listener.number}@example.invalid")
            for token, listener in listeners.items()}
        api.reminders, api.profile = _Route(self, "reminders"), _Route(self, "profiles")


class _Route:
    """Hands a request to the stub of the listener whose access token it carries."""

    def __init__(self, accounts: PerListener, kind: str) -> None:
        self.accounts, self.kind = accounts, kind

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any] | None:
        token = headers.get("Authorization", "").removeprefix("Bearer ").strip()
        listener = self.accounts.listeners.get(token)
        stubs = getattr(self.accounts, self.kind)
        stub = stubs.get(token)
        if listener is None or stub is None:
            probe = RemindersApiStub() if self.kind == "reminders" else ProfileApiStub()
            return probe.answer(method, path, {}, body)   # its path, unauthorised; or None for another API's
        stub.granted = (REMINDERS_SCOPE if self.kind == "reminders" else EMAIL_SCOPE) in listener.allowed
        return stub.answer(method, path, headers, body)


