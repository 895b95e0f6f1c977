"""The album's release: the countdown in the listener's own time zone, and how to listen once out."""

from __future__ import annotations

from .campaign.model import Recording
from .countdown import Stage, countdown
from .menu import default_offer, sections_with_pieces
from .reminders import offer_after_countdown
from .speech import Speech
from .turns import Reply, Turn


def countdown_turn(turn: Turn) -> Reply:
    """How long until the album is out, then the offer of something to hear."""
    left = countdown(turn.manifest.album.release_date, turn.now, turn.zone)
    manifest = turn.manifest
    if left.stage is Stage.OUT_NOW:
        speech = _recorded(turn, manifest.out_now) or turn.say("countdown_out_now")
        speech += turn.say("how_to_listen")
    else:
        fallback = {
            Stage.DAYS: lambda: turn.say("countdown_days", days=left.days_to_go),
            Stage.HOURS: lambda: turn.say("countdown_hours", hours=left.hours),
            Stage.LAST_HOUR: lambda: turn.say("countdown_last_hour"),
            Stage.RELEASE_DAY: lambda: turn.say("countdown_release_day"),
        }[left.stage]
        speech = _recorded(turn, manifest.countdown_lines.get(left.days_to_go)) or fallback()
    released = left.stage in (Stage.OUT_NOW, Stage.RELEASE_DAY)
    first = next(iter(sections_with_pieces(turn)), None)
    choice = turn.text("choice", first) if first else turn.text("choice_countdown")
    offer = turn.say("offer_after_release" if released else "offer_after_countdown", choice=choice)
    return offer_after_countdown(turn, Reply(speech, offer, turn.started_state(), default_offer(turn), offer,
                                             {"kind": "countdown", "stage": left.stage.value}))


def listen_turn(turn: Turn) -> Reply:
    """"Play the album" / "how can I listen?": how to hear it once out; the countdown before."""
    if turn.today < turn.manifest.album.release_date:
        return countdown_turn(turn)
    from .menu import what_next
    return what_next(turn, turn.say("how_to_listen"), turn.started_state(), {"kind": "listen"})


def _recorded(turn: Turn, line: Recording | None) -> Speech:
    return turn.play(line) if line is not None else Speech()
