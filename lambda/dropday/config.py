"""Settings from the environment: the only module that reads environment variables."""

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

_CODE_ROOT = Path(__file__).resolve().parents[1]  # lambda/ in the repository, the package root in Lambda
LOCAL_AUDIO_BASE_URL = "https://audio.dropday.invalid"
#: A skill id as Alexa gives it: `amzn1.ask.skill.<UUID>`, or `amzn1.echo-sdk-ams.app.<UUID>` for
#: skills created before 2016 (lowercase hexadecimal, as the developer console shows it).
SKILL_ID_PATTERN = re.compile(r"^amzn1\.(ask\.skill|echo-sdk-ams\.app)\."
                              r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_EXAMPLE_SKILL_ID = "amzn1.ask.skill.01234567-89ab-cdef-0123-456789abcdef"


class ConfigError(ValueError):
    """An environment variable with a value the skill cannot use."""


def _default_manifest_dir() -> Path:
    """The manifest packed beside the code (Lambda), else the repository's `audio_manifest/`."""
    packed = _CODE_ROOT / "audio_manifest"
    return packed if packed.is_dir() else _CODE_ROOT.parent / "audio_manifest"


class Settings(NamedTuple):
    """How this deployment is set up.

    Attributes:
        state_table: DynamoDB table of listener state (`SKILL_STATE_TABLE`).
        skill_ids: skill IDs allowed to call (`SKILL_IDS`, comma-separated); empty (unset) allows any.
        audio_base_url: https base URL of the clips (`AUDIO_BASE_URL`).
        manifest_dir: folder of campaign manifests (`MANIFEST_DIR`).
        campaign: which campaign this deployment serves (`DROPDAY_CAMPAIGN`); None when the
            folder holds only one.
        state_ttl_days: days after a listener's last visit, or after the campaign ends if that
            comes first, that their state expires (`STATE_TTL_DAYS`).
        settings_api_timeout: seconds to wait for the Alexa Settings API (`SETTINGS_API_TIMEOUT`).
        log_level: `LOG_LEVEL`.
        metrics_namespace: CloudWatch namespace of the skill's metrics (`POWERTOOLS_METRICS_NAMESPACE`).
        service_name: the deployment's name in its metrics (`POWERTOOLS_SERVICE_NAME`).
        listener_key_secret: the campaign's secret for listeners' pseudonymous keys
            (`LISTENER_KEY_SECRET`, at least 16 characters); empty: a random one per container.
        listener_key_id: which secret that is (`LISTENER_KEY_ID`), so that a rotation shows in the
            events; change both together to rotate.
        draw_table: DynamoDB table of prize-draw entries (`DRAW_TABLE`).
        draw_grace_days: days after a draw closes that its entries are kept (`DRAW_GRACE_DAYS`).

    Its repr shows every setting but the secret, so that settings can be logged.
    """

    state_table: str = "dropday-state"
    skill_ids: frozenset[str] = frozenset()
    audio_base_url: str = LOCAL_AUDIO_BASE_URL
    manifest_dir: Path = _default_manifest_dir()
    campaign: str | None = None
    state_ttl_days: int = 90
    settings_api_timeout: float = 0.8
    log_level: str = "INFO"
    metrics_namespace: str = "dropday"
    service_name: str = "dropday"
    listener_key_secret: str = ""
    listener_key_id: str = ""
    draw_table: str = "dropday-draw"
    draw_grace_days: int = 30

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self)
                          if name != "listener_key_secret")
        return f"Settings({shown})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings, with local-development defaults for anything unset.

        Raises:
            ConfigError: naming the variable and the value expected.
        """
        env = os.environ if env is None else env
        default = cls._field_defaults   # (a NamedTuple's class attributes are its fields' getters)
        base_url = env.get("AUDIO_BASE_URL", LOCAL_AUDIO_BASE_URL).rstrip("/")
        if not base_url.startswith("https://"):
            raise ConfigError(f"AUDIO_BASE_URL must start with https:// (Alexa plays only HTTPS audio); "
                              f"got {base_url!r}")
        host = base_url.removeprefix("https://").split("/", 1)[0]
        if ":" in host and host.rsplit(":", 1)[1] != "443":
            raise ConfigError(f"AUDIO_BASE_URL must be served on port 443 (AudioPlayer streams only from "
                              f"https on 443); got {base_url!r}")
        return cls(
            state_table=env.get("SKILL_STATE_TABLE") or default["state_table"],
            skill_ids=_skill_ids(env.get("SKILL_IDS", "")),
            audio_base_url=base_url,
            manifest_dir=Path(env["MANIFEST_DIR"]) if env.get("MANIFEST_DIR") else _default_manifest_dir(),
            campaign=env.get("DROPDAY_CAMPAIGN") or None,
            state_ttl_days=_number(env, "STATE_TTL_DAYS", default["state_ttl_days"], int),
            settings_api_timeout=_number(env, "SETTINGS_API_TIMEOUT", default["settings_api_timeout"], float),
            log_level=_log_level(env.get("LOG_LEVEL", default["log_level"])),
            metrics_namespace=env.get("POWERTOOLS_METRICS_NAMESPACE") or default["metrics_namespace"],
            service_name=env.get("POWERTOOLS_SERVICE_NAME") or default["service_name"],
            listener_key_secret=_secret(env.get("LISTENER_KEY_SECRET", "")),
            listener_key_id=env.get("LISTENER_KEY_ID", "").strip(),
            draw_table=env.get("DRAW_TABLE") or default["draw_table"],
            draw_grace_days=_number(env, "DRAW_GRACE_DAYS", default["draw_grace_days"], int),
        )


def _skill_ids(raw: str) -> frozenset[str]:
    """The skill ids of `SKILL_IDS`: none when it is unset or empty, else at least one, each well-formed.

    A value that names no id ("," or spaces) would allow every skill, and one with another
    separator ("a b", "a;b") would reject every request; both stop the cold start instead.
    """
    if raw == "":
        return frozenset()
    named = [part.strip() for part in raw.split(",") if part.strip()]
    if not named:
        raise ConfigError(f"SKILL_IDS names no skill id ({raw!r}); set it to the skill's id, e.g. {_EXAMPLE_SKILL_ID} "
                          "(several separated by commas), or leave it unset to allow any skill (local development "
                          "only)")
    for skill_id in named:
        if not SKILL_ID_PATTERN.match(skill_id):
            raise ConfigError(f"SKILL_IDS holds {skill_id!r}, which is not a skill id: skill ids look like "
                              f"{_EXAMPLE_SKILL_ID} (the developer console shows yours); separate several ids "
                              "with commas")
    return frozenset(named)


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {raw!r}")
    return level


def _secret(raw: str) -> str:
    if raw and len(raw) < 16:
        raise ConfigError(f"LISTENER_KEY_SECRET must be at least 16 characters (it has {len(raw)}); "
                          "template.yaml generates one in Secrets Manager")
    return raw


def _number(env: Mapping[str, str], name: str, default, kind):
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a positive number; got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be a positive number; got {raw!r}")
    return value
