"""What a device with a screen shows for a reply: the view, and the data its APL document binds.

The core turns put plain data on `Reply.screen` (`{"view": "piece", "section": ..., "pieces": [...]}`);
`screen_for` turns it, with the campaign's words and pictures, into a `Screen`: the view (it names
the screen, and comes back as the token of a touch on it) and the datasource. Every view's
datasource has the same keys (see `FIELDS`), so each APL document binds only keys that are there;
a view leaves what it does not use empty.

Views and the `Reply.screen` data each takes (anything else shows `home`):

- `home` (launch, help, anything without a screen of its own) and `countdown` (`stage`, `days`,
  `hours`): the cover, the album, and the countdown ("50 days to go", "Out now"); release day
  celebrates.
- `piece` (`section`, `pieces`: ids; `whats_new`: true): the member's photo (or the piece's art,
  the section's art, the cover), their name, the section, and the transcript as a caption.
- `band`: the members' photos, each touchable (it sends `["member", id]`); `member` (`member`): one
  member.
- `unlock` (`unlocked`: ids): a reveal card. Any reply whose data carries `unlocked` shows it,
  unless its view waits for an answer (a question stays on screen, touchable).
- `unlocks`: what the listener has unlocked, and how many are left.
- `quiz_question` (`question`, `choices`, `position`, `count` of questions in the round, `score`) and `daily_question`
  (`question`, `choices`, `day`, `streak`): the question with its choices as touchable buttons (choice
  n, counted from 1, sends `["answer", n]`); `quiz_result` (`score`, `count`) and `daily_result` (`day`,
  `streak`): the score.

A touchable item sends `[action, value]` with the screen's view as the token: `skill/touch.py`
answers it with the core function its spoken twin calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .campaign.model import Image, Member, Piece
from .countdown import Stage, countdown
from .turns import Reply, Turn

#: The keys of every view's `screen` datasource.
FIELDS = ("view", "title", "subtitle", "primaryText", "secondaryText", "bodyText", "hint", "image", "background",
          "celebrate", "items")
#: The keys of each of `items` (band members, unlocked exclusives, answer choices).
ITEM_FIELDS = ("primaryText", "secondaryText", "imageSource", "imageDescription", "action", "value")
#: Views that wait for the listener's answer: what they unlock is said, but the question stays on screen.
ASKING_VIEWS = frozenset({"quiz_question", "daily_question"})
#: The first argument of a touch event, by what was touched.
TOUCH_MEMBER = "member"
TOUCH_ANSWER = "answer"


class Screen:
    """What the screen shows for one reply.

    (A plain class rather than a dataclass: building a dataclass costs the cold start about a
    millisecond, and every container imports this module.)

    Attributes:
        view: which screen this is (`home`, `piece`, `quiz_question`...); the APL token.
        data: the datasource, `{"screen": {...}}` with every key of `FIELDS`.
    """

    __slots__ = ("view", "data")

    def __init__(self, view: str, data: Mapping[str, Any]) -> None:
        self.view, self.data = view, data

    def __repr__(self) -> str:
        return f"Screen({self.view!r}, {self.data!r})"

    @property
    def fields(self) -> Mapping[str, Any]:
        """The `screen` datasource's fields."""
        return self.data["screen"]


def screen_for(turn: Turn, reply: Reply, touch: bool = True) -> Screen:
    """The screen for `reply`.

    Args:
        turn: the turn that was answered (campaign, locale, date, where images are served).
        reply: the core's answer, with its `screen` data.
        touch: whether the listener can touch the screen (hubs); a TV is driven with a remote.
    """
    data = dict(reply.screen)
    view = str(data.get("view") or "home")
    if data.get("unlocked") and view not in ASKING_VIEWS:
        view = "unlock"
    build = _VIEWS.get(view)
    if build is None:
        view, build = "home", _VIEWS["home"]
    fields = _base(turn)
    fields.update(build(_Context(turn, reply, data, touch)))
    fields["view"] = view
    return Screen(view, {"screen": fields})


class _Context:
    """What a view is built from: the turn, the reply, its screen data, and whether the screen is touched."""

    __slots__ = ("turn", "reply", "data", "touch")

    def __init__(self, turn: Turn, reply: Reply, data: Mapping[str, Any], touch: bool) -> None:
        self.turn, self.reply, self.data, self.touch = turn, reply, data, touch

    def text(self, name: str, **values: object) -> str:
        return self.turn.text(name, **values)

    def image(self, *candidates: Image | None) -> dict[str, str]:
        """The first of `candidates` there is, as the document binds it (empty when none is)."""
        image = next((i for i in candidates if i is not None), None)
        if image is None:
            return {"url": "", "description": ""}
        return {"url": image_url(self.turn, image),
                "description": self.turn.manifest.fill(image.description.get(self.turn.locale))}

    @property
    def cover(self) -> Image | None:
        return self.turn.manifest.album.cover

    def number(self, key: str) -> int | None:
        value = self.data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


def image_url(turn: Turn, image: Image) -> str:
    """Where a device fetches `image`: under the https base the clips are served from ("" otherwise)."""
    base = turn.audio_base_url.rstrip("/")
    return f"{base}/{turn.manifest.clip_key(image.path)}" if base.startswith("https://") else ""


def _base(turn: Turn) -> dict[str, Any]:
    manifest = turn.manifest
    return {"view": "", "title": manifest.artist, "subtitle": manifest.album.title, "primaryText": "",
            "secondaryText": "", "bodyText": "", "hint": "", "image": {"url": "", "description": ""},
            "background": {"url": "", "description": ""}, "celebrate": False, "items": []}


def _item(primary: str, secondary: str = "", image: Mapping[str, str] | None = None, action: str = "",
          value: object = "") -> dict[str, Any]:
    """One of `items`; touching it sends `[action, value]` (an item without `action` is not touchable)."""
    return {"primaryText": primary, "secondaryText": secondary, "imageSource": (image or {}).get("url", ""),
            "imageDescription": (image or {}).get("description", ""), "action": action, "value": value}


# -- views ---------------------------------------------------------------------------------------------


def _home(c: _Context) -> dict[str, Any]:
    """The cover, the album, and how long until it is out."""
    left = countdown(c.turn.manifest.album.release_date, c.turn.now, c.turn.zone)
    stage, days, hours = left.stage, left.days_to_go, left.hours
    if c.data.get("view") == "countdown" and c.data.get("stage") in {s.value for s in Stage}:
        stage, days, hours = Stage(c.data["stage"]), c.number("days") or days, c.number("hours") or hours
    line = {Stage.DAYS: lambda: c.text("screen_days_to_go", days=days),
            Stage.HOURS: lambda: c.text("screen_hours_to_go", hours=hours),
            Stage.LAST_HOUR: lambda: c.text("screen_last_hour"),
            Stage.RELEASE_DAY: lambda: c.text("screen_release_day"),
            Stage.OUT_NOW: lambda: c.text("screen_out_now")}[stage]()
    cover = c.image(c.cover)
    return {"subtitle": "", "primaryText": line, "secondaryText": c.turn.manifest.album.title, "image": cover,
            "background": cover, "celebrate": stage is Stage.RELEASE_DAY}


def _piece(c: _Context) -> dict[str, Any]:
    """The member, the section, and the transcripts of what played."""
    manifest = c.turn.manifest
    ids = c.data.get("pieces")
    pieces = [p for i in (ids if isinstance(ids, list) else []) for p in manifest.pieces if p.id == i]
    if not pieces:
        return _home(c)
    first = pieces[0]
    section = manifest.section(first.section)
    member = manifest.member(first.member)
    return {"primaryText": member.name if member else manifest.artist,
            "secondaryText": c.text("screen_whats_new") if c.data.get("whats_new") else (section.name if section else ""),
            "bodyText": "\n\n".join(_transcript(c, p) for p in pieces),
            "image": c.image(first.art, member.photo if member else None, section.art if section else None, c.cover),
            "background": c.image(section.art if section else None, c.cover)}


def _member(c: _Context) -> dict[str, Any]:
    """One member: their photo, their name and their introduction."""
    member = c.turn.manifest.member(c.data.get("member"))
    if member is None:
        return _band(c)
    return {"primaryText": member.name, "bodyText": _introduction(c, member),
            "image": c.image(member.photo, c.cover), "background": c.image(c.cover)}


def _band(c: _Context) -> dict[str, Any]:
    """Every member's photo, each touchable."""
    members = c.turn.manifest.members
    hint = c.text("screen_band_hint_touch") if c.touch else \
        c.text("screen_band_hint_voice", member=members[0].name if members else "")
    return {"primaryText": c.text("screen_band"), "hint": hint if members else "", "background": c.image(c.cover),
            "items": [_item(m.name, "", c.image(m.photo, c.cover), TOUCH_MEMBER, m.id) for m in members]}


def _unlock(c: _Context) -> dict[str, Any]:
    """The reveal card of what was just unlocked."""
    ids = c.data.get("unlocked")
    found = [u for i in (ids if isinstance(ids, list) else []) if (u := c.turn.manifest.unlockable(i))]
    if not found:
        return _home(c)
    names = [u.name.get(c.turn.locale) for u in found]
    return {"primaryText": c.text("screen_unlocked"), "secondaryText": c.turn.listing(names, "and"),
            "bodyText": "\n\n".join(c.turn.manifest.fill(u.recording.transcript.get(c.turn.locale)) for u in found),
            "image": c.image(c.cover), "background": c.image(c.cover), "celebrate": True}


def _unlocks(c: _Context) -> dict[str, Any]:
    """What the listener has unlocked (by name), and how many are still to find."""
    manifest = c.turn.manifest
    have = set(c.reply.state.unlocked)
    unlocked = [u for u in manifest.unlockables if u.key in have]
    locked = [u for u in manifest.unlockables if u.key not in have]
    hint = next((u.hint for u in locked if u.hint), None)
    return {"primaryText": c.text("screen_unlocks") if unlocked else c.text("screen_unlocks_none"),
            "secondaryText": c.text("screen_still_locked", count=len(locked)) if locked else "",
            "bodyText": manifest.fill(hint.get(c.turn.locale)) if hint else "", "background": c.image(c.cover),
            "items": [_item(u.name.get(c.turn.locale)) for u in unlocked]}


def _question(c: _Context) -> dict[str, Any]:
    """A quiz or daily question with its choices as buttons."""
    listed = c.data.get("choices")
    choices = [str(choice.get("words", "")) if isinstance(choice, Mapping) else str(choice)
               for choice in (listed if isinstance(listed, list) else [])]
    position, count, score = c.number("position"), c.number("count"), c.number("score")
    day, streak = c.number("day"), c.number("streak")
    if c.data.get("view") == "daily_question":
        secondary = c.text("screen_daily_day", day=day) if day else ""
        subtitle = c.text("screen_daily_streak", streak=streak) if streak is not None else ""
    else:
        secondary = c.text("screen_quiz_position", position=position, round=count) if position and count else ""
        subtitle = c.text("screen_quiz_score", score=score) if score is not None else ""
    return {"subtitle": subtitle or c.turn.manifest.album.title, "primaryText": str(c.data.get("question") or ""),
            "secondaryText": secondary, "background": c.image(c.cover),
            "hint": c.text("screen_answer_hint_touch") if c.touch else c.text("screen_answer_hint_voice"),
            "items": [_item(choice, str(number), None, TOUCH_ANSWER, number)
                      for number, choice in enumerate(choices, start=1)]}


def _result(c: _Context) -> dict[str, Any]:
    """The quiz's score, or the daily question's day and streak."""
    cover = c.image(c.cover)
    if c.data.get("view") == "daily_result":
        day, streak = c.number("day"), c.number("streak")
        return {"primaryText": c.text("screen_daily_streak", streak=streak) if streak is not None else "",
                "secondaryText": c.text("screen_daily_day", day=day) if day else "", "image": cover,
                "background": cover}
    score, count = c.number("score"), c.number("count")
    return {"subtitle": "", "primaryText": c.text("screen_quiz_result", score=score, round=count)
            if score is not None and count else "", "secondaryText": c.turn.manifest.album.title, "image": cover,
            "background": cover,
            "celebrate": score is not None and score == count}


def _transcript(c: _Context, piece: Piece) -> str:
    return c.turn.manifest.fill(piece.recording.transcript.get(c.turn.locale))


def _introduction(c: _Context, member: Member) -> str:
    variants = member.intro.in_force(c.turn.today) if member.intro else ()
    return c.turn.manifest.fill(variants[0].recording.transcript.get(c.turn.locale)) if variants else ""


_VIEWS: Mapping[str, Callable[[_Context], dict[str, Any]]] = {
    "home": _home, "countdown": _home, "piece": _piece, "member": _member, "band": _band, "unlock": _unlock,
    "unlocks": _unlocks, "quiz_question": _question, "daily_question": _question, "quiz_result": _result,
    "daily_result": _result,
}
#: Every view `screen_for` can show.
VIEWS = frozenset(_VIEWS)
