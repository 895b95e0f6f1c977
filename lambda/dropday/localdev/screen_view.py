"""The screen of `dropday chat --screen PROFILE`: what each answer would show, and touches on it.

`ScreenView` is the device's display. It says what the device reports in its requests (APL in
`supportedInterfaces` with its runtime's version, and `context.Viewport`, from `screens`), reads the
`Alexa.Presentation.APL.RenderDocument` of each answer with `apl.render` and sums it up in one line:

    [screen: countdown, document "headline" (AlexaHeadline): "The Lantern Foxes" / "8 days to go"]

followed, when something on it can be touched, by the buttons `/touch N` presses:

    [touch: 1 "1. Leeds" · 2 "2. Hull" · 3 "3. York"]

`touch(n)` gives the `Alexa.Presentation.APL.UserEvent` the n-th of them sends: the document's token
and the arguments its `SendEvent` carries, read from the document and the datasources the skill sent.
A screen lasts while its skill's session is open (`clear` when it ends); an answer without a document
leaves the one before on screen, as a device does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import envelopes
from .apl import Rendered, Touchable, render
from .screens import SCREEN_DEVICES, ScreenDevice

RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"
#: What an Echo without a screen reports in `context.System.device.supportedInterfaces`.
ECHO_INTERFACES: dict[str, Any] = {"AudioPlayer": {}}
_LONGEST_TEXT = 60


def screen_device(name: str) -> ScreenDevice | None:
    """The device of a viewport profile (`hub-landscape-medium`...); None for `none`.

    Raises:
        ValueError: an unknown profile, naming those there are.
    """
    if name.strip().lower() == "none":
        return None
    device = SCREEN_DEVICES.get(name.strip().lower())
    if device is None:
        raise ValueError(f"unknown screen {name!r} (the viewport profiles: {', '.join(SCREEN_DEVICES)}; "
                         f"or none)")
    return device


@dataclass
class Shown:
    """A document on screen: the skill's campaign, its token, and what it shows."""

    campaign: str
    token: str
    rendered: Rendered


class ScreenView:
    """The display of the simulated device (`device` None: a device without a screen)."""

    def __init__(self, device: ScreenDevice | None = None) -> None:
        self.device = device
        self.shown: Shown | None = None

    @property
    def supported_interfaces(self) -> dict[str, Any]:
        """What the device lists in `supportedInterfaces`."""
        return self.device.supported_interfaces() if self.device else dict(ECHO_INTERFACES)

    @property
    def viewport(self) -> dict[str, Any] | None:
        """Its `context.Viewport` (None without a screen)."""
        return self.device.viewport() if self.device else None

    def describe(self) -> str:
        """The device in a few words, e.g. `Echo Show 8 (hub-landscape-medium, 1280x800)`."""
        if self.device is None:
            return "no screen"
        return f"{self.device.example} ({self.device.name}, {self.device.width}x{self.device.height})"

    def show(self, campaign: str, directives: list[dict[str, Any]]) -> list[str]:
        """Read the answer's RenderDocument, if it has one, and return the lines that say what is on screen."""
        document = next((d for d in directives if d.get("type") == RENDER_DOCUMENT), None)
        if document is None:
            return []
        rendered = render(document.get("document") or {}, document.get("datasources") or {}, self._apl_viewport())
        token = str(document.get("token") or "")
        self.shown = Shown(campaign, token, rendered)
        lines = [summary(token, document.get("document") or {}, rendered)]
        if rendered.touchables:
            lines.append("[touch: " + " · ".join(f'{number} "{_short(t.label)}"' for number, t in
                                                 enumerate(rendered.touchables, start=1)) + "]")
        return lines

    def clear(self) -> None:
        """The session ended: its screen is gone."""
        self.shown = None

    def touch(self, argument: str, campaign: str) -> tuple[dict[str, Any], Touchable]:
        """The UserEvent request of `/touch N` on the screen of `campaign`'s skill, and what was touched.

        Raises:
            ValueError: saying why nothing can be touched.
        """
        if self.device is None:
            raise ValueError("this device has no screen: start the chat with --screen PROFILE, or /screen PROFILE")
        shown = self.shown
        if shown is None or shown.campaign != campaign:
            raise ValueError("no screen of the skill is showing (it comes with the skill's answers while its "
                             "session is open)")
        buttons = shown.rendered.touchables
        if not buttons:
            raise ValueError("nothing on this screen can be touched")
        try:
            number = int(argument)
        except ValueError:
            number = 0
        if not 1 <= number <= len(buttons):
            raise ValueError(f"/touch N takes a button's number, 1 to {len(buttons)}")
        button = buttons[number - 1]
        return envelopes.user_event(shown.token, button.arguments, button.source_id), button

    def _apl_viewport(self) -> dict[str, Any]:
        """The device as APL's `viewport` names it in expressions."""
        device = self.device
        if device is None:
            return {}
        return {"shape": device.shape.lower(), "mode": device.mode.lower(), "pixelWidth": device.width,
                "pixelHeight": device.height, "dpi": device.dpi,
                "width": device.width * 160 / device.dpi, "height": device.height * 160 / device.dpi}


def summary(token: str, document: Mapping[str, Any], rendered: Rendered) -> str:
    """One line for what a document shows: its token, which document and templates, and its texts."""
    templates = list(dict.fromkeys(rendered.templates))
    shown = [t for t in templates if t != "AlexaBackground"] or templates   # the background is behind any of them
    drawn = f" ({', '.join(shown)})" if shown else " (primitive components)"
    texts = " / ".join(f'"{_short(text)}"' for text in dict.fromkeys(rendered.texts))
    return f"[screen: {token or 'no token'}, document {_document_name(document)}{drawn}: {texts or 'no text'}]"


def _document_name(document: Mapping[str, Any]) -> str:
    """The skill's document file this is (`"headline"`), else its APL version."""
    try:
        from ..skill.screens import documents
        found = next((name for name, known in documents().items() if known == document), None)
    except Exception:  # the skill's documents could not be read: say what the document itself says
        found = None
    return f'"{found}"' if found else f"of APL {document.get('version', '?')}"


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _LONGEST_TEXT else text[:_LONGEST_TEXT - 1].rstrip() + "…"
