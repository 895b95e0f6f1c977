"""Unlockable exclusives: which conditions a listener has met, and what they are told.

The moment a turn leaves a listener meeting an unlockable's condition, the skill says so and plays
it (`announce_unlocks`, run after every turn that keeps state). "What have I unlocked?" names what
they have, how many are left and the hint for the next one, never the locked content itself.
"""

from __future__ import annotations

from datetime import date

from .campaign.model import Condition, Manifest, Unlockable
from .listener import ListenerState
from .session import Offer
from .speech import Speech
from .turns import Reply, Turn


def met(condition: Condition, manifest: Manifest, state: ListenerState, today: date) -> bool:
    """Whether `state` meets `condition` on `today`."""
    if condition.kind == "heard_all":   # every piece, once the last one has arrived
        section = manifest.section(condition.section)
        if section is None or any(p.window.start and p.window.start > today for p in section.pieces):
            return False
        available = section.available(today)
        heard = set(state.progress(section.id).heard)
        return bool(available) and all(p.key in heard for p in available)
    if condition.kind == "visit_days":
        return state.visit_days >= (condition.count or 0)
    if condition.kind == "date":
        return condition.day is not None and today >= condition.day
    if condition.kind == "quiz_perfect":
        return state.quiz.perfect > 0
    if condition.kind == "quiz_best":
        return state.quiz.best >= (condition.count or 0)
    if condition.kind == "daily_tally":
        return state.daily.tally >= (condition.count or 0)
    if condition.kind == "daily_finished":
        return manifest.daily is not None and state.daily.finished(manifest.daily)
    return False


def newly_unlocked(manifest: Manifest, state: ListenerState, today: date) -> list[Unlockable]:
    """The unlockables whose condition `state` meets and which it has not unlocked yet."""
    have = set(state.unlocked)
    return [u for u in manifest.unlockables if u.key not in have and met(u.when, manifest, state, today)]


def announce_unlocks(turn: Turn, reply: Reply) -> Reply:
    """`reply` with anything it unlocked announced and played before its closing question."""
    found = newly_unlocked(turn.manifest, reply.state, turn.today)
    if not found:
        return reply
    speech = reply.speech
    for unlockable in found:
        speech += turn.say("unlocked_now", name=unlockable.name.get(turn.locale)) + turn.play(unlockable.recording)
    state = reply.state._replace(unlocked=(*reply.state.unlocked, *(u.key for u in found)))
    return reply._replace(speech=speech, state=state,
                          event={**reply.event, "unlocked": [u.id for u in found]},
                          screen={**reply.screen, "unlocked": [u.id for u in found]})


def unlocked_turn(turn: Turn) -> Reply:
    """"What have I unlocked?": what the listener has, how many are left, and the next hint."""
    from .menu import what_next

    if not turn.manifest.unlockables:   # only a model from before the campaign dropped them asks this
        from .dialog import fallback
        return fallback(turn)
    state = turn.started_state()
    have = [u for u in turn.manifest.unlockables if u.key in set(state.unlocked)]
    locked = [u for u in turn.manifest.unlockables if u.key not in set(state.unlocked)]
    names = turn.listing([u.name.get(turn.locale) for u in have], "and")
    speech = turn.say("unlocked_list", names=names) if have else turn.say("unlocked_none")
    if not locked:
        speech += turn.say("unlocked_everything")
    else:
        speech += turn.say("unlocked_left_one") if len(locked) == 1 else \
            turn.say("unlocked_left_many", count=len(locked))
        hint = next((u.hint for u in locked if u.hint), None)
        if hint is not None:
            speech += turn.say("unlock_hint", hint=turn.manifest.fill(hint.get(turn.locale)))
    event = {"kind": "unlocks"}
    if have:
        return Reply(speech, turn.say("reprompt_unlocked_again"), state, Offer("unlocked"),
                     turn.say("offer_unlocked_again"), event, screen={"view": "unlocks"})
    return what_next(turn, speech, state, event)._replace(screen={"view": "unlocks"})


def replay_unlocked(turn: Turn) -> Reply:
    """"Yes" to hearing what they unlocked: the most recent ones again."""
    from .menu import what_next

    state = turn.started_state()
    keys = list(state.unlocked)[-2:]
    speech = Speech()
    replayed = [u for k in keys for u in turn.manifest.unlockables if u.key == k]
    for unlockable in replayed:
        speech += turn.play(unlockable.recording)
    return what_next(turn, speech, state, {"kind": "unlocks"})._replace(
        screen={"view": "unlock", "unlocked": [u.id for u in replayed]})
