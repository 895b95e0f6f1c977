"""Long-form audio: episodes of a long-form section, streamed with Alexa's AudioPlayer.

A section declared `long_form: true` holds episodes (track-by-track commentary, backstage
interviews) of any length. They cannot be SSML clips (240 s at most), so a turn that plays one
says the episode's introduction and hands Alexa a `PlaybackStream` (`Reply.stream`, turned into an
`AudioPlayer.Play` directive by `skill/audio_player.py`), which ends the session. Episodes play in
manifest order: "play the track-by-track" is the listener's first unheard episode; "tell me about
track three" the episode with `track: 3`; next and previous move from the episode playing.

Where each part of the state lives:

- stored (`ListenerState.playback`, a `PlaybackPosition`): the episode and offset of the last stop,
  when and on which device, so "resume" continues there in a later session and on another device;
  finishing an episode marks it heard in its section's rotation (`ListenerState.sections`), so
  "what's new", the welcome's news and unlocks know it;
- the request (`Player`, read from `context.AudioPlayer` on every request): the episode the device
  is playing or paused on and its offset, which wins over the stored one when it is newer (see
  `position`);
- the session (`SessionState.episode`): the episode the open session is about, on a device that
  cannot stream, so that "next" and "previous" there still move through the episodes.

The values (tokens, the stored place, streams) are in `core.episodes`.
"""

from __future__ import annotations

from collections.abc import Mapping

from .campaign.model import Manifest, Piece, Section
from .episodes import (ACTIVE, ENQUEUE, FINISHED, MAX_OFFSET_MS, NO_PLAYER, REPLACE_ALL, REPORTED, STOP, STOPPED,
                       InSpeechOnly, PlaybackPosition, PlaybackStream, Player, Position, episode_of, episode_with_key,
                       episodes_of, token_of, first_unheard, heard, long_form_sections, neighbour, next_drop)
from .listener import ListenerState, SectionProgress
from .menu import what_next
from .session import SessionState
from .speech import Speech
from .turns import Reply, Turn


def position(turn: Turn) -> Position | None:
    """Where the listener is, from the device's player and the stored position.

    The device's report wins when it is about one of our episodes and is newer: the device is on
    it right now (playing, or paused while the listener talks), or the stored position came from
    this same device (events reach the skill in order, so the device's own state is its latest), or
    nothing is stored. A stored position from another device wins over this device's older stop.
    """
    player = turn.player or NO_PLAYER
    stored = turn.state.playback
    stored_episode = episode_with_key(turn.manifest, stored.episode) if stored is not None else None
    live = episode_of(turn.manifest, player.token) if player.activity in REPORTED else None
    if live is not None and (player.activity in ACTIVE or stored is None or stored_episode is None
                             or not stored.device or stored.device == player.device):
        return Position(live, player.offset_ms, finished=player.activity == FINISHED)
    if stored is not None and stored_episode is not None:
        return Position(stored_episode, stored.offset_ms, from_storage=True)
    return None


def controls_player(manifest: Manifest, player: Player | None, new_session: bool) -> bool:
    """Whether "pause", "stop", "repeat"... are about the episode on the device's player.

    They are when the player is on one of our episodes and the request does not come inside a
    conversation with the skill: Alexa sends them to the skill that played last without its name,
    in a new session (or none). Inside a conversation they keep their usual meaning.
    """
    player = player or NO_PLAYER
    return new_session and player.activity in REPORTED and episode_of(manifest, player.token) is not None


def about_playback(manifest: Manifest, player: Player | None, session: SessionState, new_session: bool) -> bool:
    """Whether "next" and "previous" move through the episodes: the player is on one of ours
    (`controls_player`), or the open session is about one (a device that cannot stream)."""
    if session.episode and any(p.id == session.episode for p in episodes_of(manifest)):
        return True
    return controls_player(manifest, player, new_session)


# -- turns that start an episode ------------------------------------------------------------------------


def play_section(turn: Turn, section: Section, preface: Speech = Speech(),
                 state: ListenerState | None = None, quiet: bool = False) -> Reply:
    """"Play the track-by-track": the episode the listener stopped in, where they stopped, else
    their first unheard episode; once every episode is heard, a new rotation from the first.

    Args:
        quiet: say nothing (a PlaybackController button).
    """
    state = state or turn.started_state()
    where = position(turn)
    if where is not None and where.episode.section == section.id and not where.finished \
            and where.episode.available_on(turn.today) \
            and where.episode.key not in set(state.progress(section.id).heard):
        return start(turn, where.episode, state, where.offset_ms, preface, resumed=True, quiet=quiet)
    episode = first_unheard(section, turn.today, state)
    if episode is None and section.available(turn.today):
        state = state.with_progress(section.id, SectionProgress((), state.progress(section.id).rotation + 1))
        episode = section.available(turn.today)[0]
    if episode is None:
        return _silent(state) if quiet else \
            nothing_here(turn, section, preface + turn.say("section_empty", section), state)
    return start(turn, episode, state, 0, preface, quiet=quiet)


def play_track(turn: Turn, track: int, section: Section | None = None) -> Reply:
    """"Tell me about track three": the episode about that album track, from the start."""
    state = turn.started_state()
    candidates = [section] if section is not None and section.long_form else list(long_form_sections(turn.manifest))
    episode = next((p for s in candidates for p in s.pieces if p.track == track), None)
    where = candidates[0] if candidates else None
    if episode is None:
        told = turn.say("episode_track_unknown", where, track=track)
        return what_next(turn, told, state, {"kind": "playback"})
    owner = turn.manifest.section(episode.section)
    if not episode.available_on(turn.today):
        if episode.window.start and episode.window.start > turn.today:
            told = turn.say("episode_track_later", owner, track=track, day=turn.spoken_day(episode.window.start))
        else:
            told = turn.say("episode_track_unknown", owner, track=track)
        return what_next(turn, told, state, {"kind": "playback"})
    return start(turn, episode, state, 0)


def play_next_episode(turn: Turn, section: Section | None = None) -> Reply:
    """"Play the next episode": the first unheard one of `section`, of the section the listener is
    in, or of the first long-form section."""
    where = position(turn)
    section = section if section is not None and section.long_form else \
        (turn.manifest.section(where.episode.section) if where else None) or \
        next(iter(long_form_sections(turn.manifest)), None)
    if section is None:
        return what_next(turn, turn.say("nothing_available"), turn.started_state(), {"kind": "playback"})
    return play_section(turn, section)


def start(turn: Turn, episode: Piece, state: ListenerState, offset_ms: int = 0, preface: Speech = Speech(),
          resumed: bool = False, quiet: bool = False, intro: Speech | None = None) -> Reply:
    """Start `episode` at `offset_ms`: its introduction, then the stream; the session ends.

    On a device without AudioPlayer, the introduction and where episodes can be heard, then the
    question of what next (the session remembers the episode, for "next" and "previous").

    Args:
        quiet: say nothing (PlaybackController buttons, which allow no speech, and "resume").
        intro: what to say instead of the episode's own introduction.
    """
    section = turn.manifest.section(episode.section)
    title = episode_title(turn, episode)
    event = {"kind": "playback", "played": [{"section": episode.section, "piece": episode.id}]}
    if intro is None:
        member = turn.manifest.member(episode.member)
        intro = turn.say("episode_resume_intro", section, title=title) if resumed else \
            turn.say("episode_intro", section, title=title, member=member.name if member else turn.manifest.artist)
    player = turn.player or NO_PLAYER
    if not player.supported:
        told = preface + intro + turn.say("episode_needs_player", section, title=title)
        return what_next(turn, told, state, event)._replace(stream=InSpeechOnly(episode.id))
    saved = state._replace(playback=PlaybackPosition(episode.key, offset_ms, _epoch(turn), player.device))
    return Reply(Speech() if quiet else preface + intro, None, saved, event=event,
                 stream=stream_of(turn, episode, offset_ms))


def stream_of(turn: Turn, episode: Piece, offset_ms: int = 0, behavior: str = REPLACE_ALL,
              after: Piece | None = None) -> PlaybackStream:
    """The stream of `episode`: its published URL, offset, title and artist."""
    path = episode.recording.audio or ""
    url = f"{turn.audio_base_url.rstrip('/')}/{turn.manifest.clip_key(path)}"
    return PlaybackStream(token_of(turn.manifest, episode), url, max(0, min(offset_ms, MAX_OFFSET_MS)),
                          episode_title(turn, episode), turn.manifest.artist, f"{episode.section}/{episode.id}",
                          behavior, token_of(turn.manifest, after) if after is not None else None)


def episode_title(turn: Turn, episode: Piece) -> str:
    """The episode's title in the listener's locale, or "episode 3" when it has none."""
    if episode.title is not None:
        return turn.manifest.fill(episode.title.get(turn.locale))
    section = turn.manifest.section(episode.section)
    number = section.pieces.index(episode) + 1 if section else 1
    return turn.text("episode_untitled", section, number=number)


def nothing_here(turn: Turn, section: Section, told: Speech, state: ListenerState) -> Reply:
    """Nothing to play in `section` today: when its next episode arrives, then what next?"""
    upcoming = next_drop(section, turn.today)
    if upcoming:
        told += turn.say("next_drop", section, day=turn.spoken_day(upcoming))
    return what_next(turn, told, state, {"kind": "playback"})


# -- the built-in controls while an episode plays ---------------------------------------------------------


def resume(turn: Turn, quiet: bool = False) -> Reply:
    """"Resume" (also on another device, or in a later session): the episode where it stopped.

    Said from storage (another device, an earlier session), the episode is named first; the
    device's own pause resumes without a word. A finished episode resumes as the next one.
    """
    state = turn.state.fitted(turn.manifest)
    where = position(turn)
    if where is None:
        section = next(iter(long_form_sections(turn.manifest)), None)
        if quiet:
            return play_section(turn, section, state=state, quiet=True) if section is not None else _silent(state)
        return what_next(turn, turn.say("episode_nothing_to_resume"), state, {"kind": "playback"})
    if where.finished:
        return skip(turn, 1, quiet)
    return start(turn, where.episode, state, where.offset_ms, resumed=True, quiet=quiet or not where.from_storage)


def skip(turn: Turn, step: int, quiet: bool = False) -> Reply:
    """"Next" (`step` 1) or "previous" (-1): the neighbouring episode of the one playing, from the start.

    Past the last one the listener hears that it was the last (and when more arrive); before the
    first, the first starts over.
    """
    state = turn.state.fitted(turn.manifest)
    where = _session_position(turn) or position(turn)
    if where is None:
        section = next(iter(long_form_sections(turn.manifest)), None)
        return play_section(turn, section, state=state, quiet=quiet) if section is not None else _silent(state)
    section = turn.manifest.section(where.episode.section)
    found = neighbour(section, turn.today, where.episode, step)  # type: ignore[arg-type]
    if found is not None:
        return start(turn, found, state, quiet=quiet)
    if step < 0:
        return start(turn, where.episode, state, quiet=quiet, intro=turn.say("episode_first", section))
    if quiet:
        return _silent(state)
    told = turn.say("episode_last", section)
    upcoming = next_drop(section, turn.today)  # type: ignore[arg-type]
    if upcoming:
        told += turn.say("next_drop", section, day=turn.spoken_day(upcoming))
    return Reply(told, None, state, event={"kind": "playback"})


def start_over(turn: Turn) -> Reply:
    """"Start over" (and "repeat" while an episode plays): the episode playing, from the beginning."""
    state = turn.state.fitted(turn.manifest)
    where = _session_position(turn) or position(turn)
    if where is None:
        return _silent(state)
    return start(turn, where.episode, state, 0, quiet=True)


def pause(turn: Turn) -> Reply:
    """"Pause", "stop", "cancel" while an episode plays: stop the stream and keep the place.

    The device reports the offset with the request, so it is saved now (a PlaybackStopped event
    follows, but is sometimes never sent).
    """
    state = turn.state.fitted(turn.manifest)
    player = turn.player or NO_PLAYER
    episode = episode_of(turn.manifest, player.token) if player.activity in ACTIVE | {STOPPED} else None
    if episode is not None:
        state = state._replace(playback=PlaybackPosition(episode.key, max(0, player.offset_ms), _epoch(turn),
                                                         player.device))
    return Reply(Speech(), None, state, event={"kind": "playback"}, stream=STOP if player.supported else None)


def no_loop_or_shuffle(turn: Turn) -> Reply:
    """Loop and shuffle: a polite "not for these episodes"; the episode carries on."""
    where = _session_position(turn) or position(turn)
    section = turn.manifest.section(where.episode.section) if where else None
    return Reply(turn.say("episode_no_loop_shuffle", section), None, turn.state.fitted(turn.manifest),
                 event={"kind": "playback"})


# -- AudioPlayer events (no session, no speech) ---------------------------------------------------------


def playback_started(turn: Turn, token: object, offset_ms: int) -> Reply:
    """PlaybackStarted: remember the episode now playing when it is not the one stored (an enqueued
    episode started, or another device took over)."""
    state = turn.state.fitted(turn.manifest)
    episode = episode_of(turn.manifest, token)
    stored = state.playback
    device = (turn.player or NO_PLAYER).device
    if episode is not None and (stored is None or stored.episode != episode.key or stored.device != device):
        state = state._replace(playback=PlaybackPosition(episode.key, max(0, offset_ms), _epoch(turn), device))
    return _silent(state)


def playback_stopped(turn: Turn, token: object, offset_ms: int) -> Reply:
    """PlaybackStopped: save the episode and offset, for "resume" anywhere, any time."""
    state = turn.state.fitted(turn.manifest)
    episode = episode_of(turn.manifest, token)
    if episode is not None:
        state = state._replace(playback=PlaybackPosition(episode.key, max(0, min(offset_ms, MAX_OFFSET_MS)),
                                                         _epoch(turn), (turn.player or NO_PLAYER).device))
    return _silent(state)


def playback_nearly_finished(turn: Turn, token: object) -> Reply:
    """PlaybackNearlyFinished: with autoplay, enqueue the next episode after this one."""
    state = turn.state.fitted(turn.manifest)
    episode = episode_of(turn.manifest, token)
    section = turn.manifest.section(episode.section) if episode else None
    if episode is None or section is None or not section.autoplay:
        return _silent(state)
    following = neighbour(section, turn.today, episode, 1)
    if following is None:
        return _silent(state)
    return Reply(Speech(), None, state, event={"kind": "playback"},
                 stream=stream_of(turn, following, behavior=ENQUEUE, after=episode))


def playback_finished(turn: Turn, token: object) -> Reply:
    """PlaybackFinished: the episode is heard (rotations, what's new and unlocks know it), and its
    stored position is cleared, so "resume" goes on to the next one."""
    state = turn.state.fitted(turn.manifest)
    episode = episode_of(turn.manifest, token)
    if episode is None:
        return _silent(state)
    state = heard(state, episode)
    if state.playback is not None and state.playback.episode == episode.key:
        state = state._replace(playback=None)
    return _silent(state, {"kind": "playback", "played": [{"section": episode.section, "piece": episode.id}]})


def _silent(state: ListenerState, event: Mapping[str, object] | None = None) -> Reply:
    return Reply(Speech(), None, state, event=event or {"kind": "playback"})


def _session_position(turn: Turn) -> Position | None:
    episode = next((p for p in episodes_of(turn.manifest) if p.id == turn.session.episode), None) \
        if turn.session.episode else None
    return Position(episode) if episode is not None else None


def _epoch(turn: Turn) -> int:
    return int(turn.now.timestamp())
