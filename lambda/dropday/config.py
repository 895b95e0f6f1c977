"""Settings from the environment: the only module that reads environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

_CODE_ROOT = Path(__file__).resolve().parents[1]  # lambda/ in the repository, the package root in Lambda
LOCAL_AUDIO_BASE_URL = "https://audio.dropday.invalid"


class ConfigError(ValueError):
    """An environment variable with a value the skill cannot use."""


@dataclass(frozen=True)
class Settings:
    """How this deployment is set up.

    Attributes:
        state_table: DynamoDB table of listener state (`SKILL_STATE_TABLE`).
        skill_ids: skill IDs allowed to call (`SKILL_IDS`, comma-separated); empty allows any.
        audio_base_url: https base URL of the clips (`AUDIO_BASE_URL`).
        manifest_dir: folder of campaign manifests (`MANIFEST_DIR`).
        campaign: which campaign this deployment serves (`DROPDAY_CAMPAIGN`); None when the
            folder holds only one.
        state_ttl_days: days after a listener's last visit, or after the campaign ends if that
            comes first, that their state expires (`STATE_TTL_DAYS`).
        settings_api_timeout: seconds to wait for the Alexa Settings API (`SETTINGS_API_TIMEOUT`).
        log_level: `LOG_LEVEL`.
    """

    state_table: str = "dropday-state"
    skill_ids: frozenset[str] = frozenset()
    audio_base_url: str = LOCAL_AUDIO_BASE_URL
    manifest_dir: Path = field(default_factory=lambda: _default_manifest_dir())
    campaign: str | None = None
    state_ttl_days: int = 90
    settings_api_timeout: float = 0.8
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings, with local-development defaults for anything unset.

        Raises:
            ConfigError: naming the variable and the value expected.
        """
        env = os.environ if env is None else env
        base_url = env.get("AUDIO_BASE_URL", LOCAL_AUDIO_BASE_URL).rstrip("/")
        if not base_url.startswith("https://"):
            raise ConfigError(f"AUDIO_BASE_URL must start with https:// (Alexa plays only HTTPS audio); "
                              f"got {base_url!r}")
        host = base_url.removeprefix("https://").split("/", 1)[0]
        if ":" in host and host.rsplit(":", 1)[1] != "443":
            raise ConfigError(f"AUDIO_BASE_URL must be served on port 443 (AudioPlayer streams only from "
                              f"https on 443); got {base_url!r}")
        return cls(
            state_table=env.get("SKILL_STATE_TABLE") or cls.state_table,
            skill_ids=frozenset(s.strip() for s in env.get("SKILL_IDS", "").split(",") if s.strip()),
            audio_base_url=base_url,
            manifest_dir=Path(env["MANIFEST_DIR"]) if env.get("MANIFEST_DIR") else _default_manifest_dir(),
            campaign=env.get("DROPDAY_CAMPAIGN") or None,
            state_ttl_days=_number(env, "STATE_TTL_DAYS", cls.state_ttl_days, int),
            settings_api_timeout=_number(env, "SETTINGS_API_TIMEOUT", cls.settings_api_timeout, float),
            log_level=_log_level(env.get("LOG_LEVEL", cls.log_level)),
        )


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {raw!r}")
    return level


def _default_manifest_dir() -> Path:
    """The manifest packed beside the code (Lambda), else the repository's `audio_manifest/`."""
    packed = _CODE_ROOT / "audio_manifest"
    return packed if packed.is_dir() else _CODE_ROOT.parent / "audio_manifest"


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
