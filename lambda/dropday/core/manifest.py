"""Transitional: the campaign model moved to `dropday.core.campaign`. Import from there."""

from .campaign import *  # noqa: F401,F403
from .campaign import KEY_LENGTH as TIP_KEY_LENGTH  # noqa: F401
from .campaign import content_key as tip_key  # noqa: F401
from .campaign.model import AUDIO_PATH_PATTERN, DATE_PATTERN, ID_PATTERN, LOCALE_PATTERN  # noqa: F401
from .campaign.sentences import COMMON_PLACEHOLDERS  # noqa: F401
