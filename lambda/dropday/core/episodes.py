"""Episodes of long-form sections: the values both the skill and the stored state use.

What the request says about the device's player (`Player`), what is stored about the listener's
place (`PlaybackPosition`, held by `ListenerState.playback`), what a reply streams or stops
(`PlaybackStream`, `STOP`, `InSpeechOnly`), the stream token naming an episode, and the order
episodes play in. The turns built on them are in `core.playback`; this module needs neither turns
nor the listener's state at import, so `core.listener` can hold a `PlaybackPosition`.

A token names the episode: `<campaign>:<piece id>` (both ids are at most 40 characters, far below
AudioPlayer's 1024); a token of any other form or campaign is not ours and is left alone.
"""

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from .campaign.model import KEY_LENGTH, Manifest, Piece, Section

if TYPE_CHECKING:
    from .listener import ListenerState

#: AudioPlayer's limit on a stream token.
MAX_TOKEN_LENGTH = 1024
TOKEN_SEPARATOR = ":"
#: The longest offset kept (a day): anything beyond is a damaged value.
MAX_OFFSET_MS = 24 * 3600 * 1000
#: Player activities (`context.AudioPlayer.playerActivity`) that say where the device's player is.
PLAYING, PAUSED, BUFFER_UNDERRUN, STOPPED, FINISHED = "PLAYING", "PAUSED", "BUFFER_UNDERRUN", "STOPPED", "FINISHED"
#: The device is on the episode right now (a listener talking over it pauses it).
ACTIVE = frozenset({PLAYING, PAUSED, BUFFER_UNDERRUN})
#: The device was on the episode when it last played anything.
REPORTED = ACTIVE | {STOPPED, FINISHED}
REPLACE_ALL, ENQUEUE = "REPLACE_ALL", "ENQUEUE"


# -- what the request says, what is stored, what is streamed -------------------------------------------


class Player(NamedTuple):
    """The device's audio player, as the request describes it.

    Attributes:
        supported: the device has AudioPlayer (`supportedInterfaces`); without it, episodes are
            introduced in speech with where they can be heard.
        token: the stream token of `context.AudioPlayer` (any skill's own; see `episode_of`).
        offset_ms: the offset the device reports for it.
        activity: `context.AudioPlayer.playerActivity` (PLAYING, PAUSED, STOPPED, FINISHED...).
        device: a short key of the device (never its id), to tell whose report is newer.
    """

    supported: bool = False
    token: str | None = None
    offset_ms: int = 0
    activity: str | None = None
    device: str = ""


NO_PLAYER = Player()


class PlaybackPosition(NamedTuple):
    """Stored: where the listener last stopped an episode.

    Attributes:
        episode: the episode's state key (`Piece.key`).
        offset_ms: how far in, in milliseconds.
        at: when it was saved (seconds since the epoch, the request's timestamp).
        device: the key of the device that reported it.
    """

    episode: str
    offset_ms: int = 0
    at: int = 0
    device: str = ""

    def to_dict(self) -> dict[str, object]:
        """A compact dict for storage."""
        data: dict[str, object] = {"episode": self.episode}
        for name, value in (("offset", self.offset_ms), ("at", self.at), ("device", self.device)):
            if value:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: object) -> "PlaybackPosition | None":
        """Read a stored dict; anything damaged reads as no position."""
        if not isinstance(data, Mapping):
            return None
        episode, device = data.get("episode"), data.get("device")
        if not isinstance(episode, str) or len(episode) != KEY_LENGTH:
            return None
        return cls(episode, _whole(data.get("offset"), MAX_OFFSET_MS), _whole(data.get("at"), 2 ** 40),
                   device if isinstance(device, str) and len(device) == KEY_LENGTH else "")

    def fitted(self, manifest: Manifest) -> "PlaybackPosition | None":
        """The position while its episode is still an episode of the campaign, else None."""
        return self if any(p.key == self.episode for p in episodes_of(manifest)) else None

    @staticmethod
    def merged(base: "PlaybackPosition | None", mine: "PlaybackPosition | None",
               theirs: "PlaybackPosition | None") -> "PlaybackPosition | None":
        """Two devices' positions, both changed from `base`: the newer one (a cleared one loses)."""
        if mine == base:
            return theirs
        if theirs == base or theirs is None:
            return mine
        if mine is None:
            return theirs
        return mine if mine.at >= theirs.at else theirs


class PlaybackStream(NamedTuple):
    """An episode to stream: what `skill/audio_player.py` turns into an `AudioPlayer.Play` directive.

    Attributes:
        token: names the episode (`token_of`).
        url: the https stream, `AUDIO_BASE_URL/<published key>`.
        offset_ms: where to start.
        title: the episode's title, for screens and the Alexa app.
        subtitle: the artist.
        label: `<section>/<episode>`, for logs and `dropday chat`.
        behavior: REPLACE_ALL (play now) or ENQUEUE (after the current one).
        expected_previous_token: for ENQUEUE, the token of the episode it follows.
        art: the cover image URL, when the campaign has one (screens, issue 13).
    """

    token: str
    url: str
    offset_ms: int
    title: str
    subtitle: str
    label: str
    behavior: str = REPLACE_ALL
    expected_previous_token: str | None = None
    art: str | None = None


class PlaybackStop:
    """Stop the stream (`AudioPlayer.Stop`): pause, stop and cancel while an episode plays (use `STOP`).

    A plain class: it has no fields, and a dataclass would cost cold-start time for nothing."""

    def __repr__(self) -> str:
        return "STOP"


STOP = PlaybackStop()


class InSpeechOnly(NamedTuple):
    """An episode introduced in speech on a device that cannot stream: no directive, and the
    session stays about it (`SessionState.episode`), so "next" and "previous" still work there."""

    episode: str


class Position(NamedTuple):
    """Where the listener is: an episode, how far in, and whether the device finished it."""

    episode: Piece
    offset_ms: int = 0
    finished: bool = False
    #: Read from the stored state (another device, or an earlier session), not from this device.
    from_storage: bool = False


# -- episodes and tokens --------------------------------------------------------------------------


def episodes_of(manifest: Manifest) -> tuple[Piece, ...]:
    """Every episode of every long-form section, in manifest order."""
    return tuple(p for s in manifest.sections if s.long_form for p in s.pieces)


def token_of(manifest: Manifest, episode: Piece) -> str:
    """The stream token naming `episode`: `<campaign>:<piece id>`."""
    return f"{manifest.campaign}{TOKEN_SEPARATOR}{episode.id}"


def episode_of(manifest: Manifest, token: object) -> Piece | None:
    """The episode a token names, or None for a token of another form, campaign or skill."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        return None
    campaign, separator, piece_id = token.partition(TOKEN_SEPARATOR)
    if not separator or campaign != manifest.campaign:
        return None
    return next((p for p in episodes_of(manifest) if p.id == piece_id), None)


def episode_with_key(manifest: Manifest, key: str | None) -> Piece | None:
    """The episode whose state key is `key`, or None."""
    return next((p for p in episodes_of(manifest) if p.key == key), None) if key else None


def first_unheard(section: Section, day: date, state: "ListenerState") -> Piece | None:
    """The listener's first episode of `section` available on `day` and unheard in this rotation."""
    heard = set(state.progress(section.id).heard)
    return next((p for p in section.available(day) if p.key not in heard), None)


def neighbour(section: Section, day: date, episode: Piece, step: int) -> Piece | None:
    """The available episode `step` places after (or, negative, before) `episode`, or None."""
    available = section.available(day)
    ids = [p.id for p in available]
    if episode.id not in ids:
        later = [p for p in available if section.pieces.index(p) > section.pieces.index(episode)] \
            if episode in section.pieces else []
        return (later[0] if later else None) if step > 0 else None
    index = ids.index(episode.id) + step
    return available[index] if 0 <= index < len(available) else None


def next_drop(section: Section, day: date) -> date | None:
    """The next day after `day` on which an episode of `section` arrives, or None."""
    return min((p.window.start for p in section.pieces if p.window.start and p.window.start > day), default=None)


def heard(state: "ListenerState", episode: Piece) -> "ListenerState":
    """The state after the listener finished `episode`: heard in its section's current rotation."""
    progress = state.progress(episode.section)
    if episode.key in progress.heard:
        return state
    return state.with_progress(episode.section, progress._replace(heard=(*progress.heard, episode.key)))


def long_form_sections(manifest: Manifest) -> tuple[Section, ...]:
    """The campaign's long-form sections, in manifest order."""
    return tuple(s for s in manifest.sections if s.long_form)


def _whole(value: object, limit: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, ArithmeticError):
        return 0
    return number if 0 <= number <= limit else 0
