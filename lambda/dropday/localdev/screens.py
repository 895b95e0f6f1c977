"""Devices with screens, as their requests describe them: what `supportedInterfaces` and
`context.Viewport` say, per viewport profile (the names of `alexa-viewport-profiles`, in the
kebab case of `dropday chat --screen`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: What current devices report as their highest APL version.
CURRENT_APL = "2024.3"


@dataclass(frozen=True)
class ScreenDevice:
    """A device with a screen.

    Attributes:
        name: the viewport profile, e.g. `hub-landscape-medium`.
        example: a device of that profile.
        width, height, dpi: the screen in pixels and its density.
        shape: `RECTANGLE` or `ROUND`.
        mode: `HUB` or `TV`.
        touch: whether it has a touch screen (a TV has a remote instead).
    """

    name: str
    example: str
    width: int
    height: int
    dpi: int
    shape: str = "RECTANGLE"
    mode: str = "HUB"
    touch: bool = True

    def supported_interfaces(self, max_version: str = CURRENT_APL) -> dict[str, Any]:
        """`supportedInterfaces` as the device lists them."""
        return {"AudioPlayer": {}, "Alexa.Presentation.APL": {"runtime": {"maxVersion": max_version}}}

    def viewport(self) -> dict[str, Any]:
        """`context.Viewport` as the device sends it."""
        viewport: dict[str, Any] = {
            "experiences": [{"canRotate": False, "canResize": False}], "mode": self.mode, "shape": self.shape,
            "pixelWidth": self.width, "pixelHeight": self.height, "currentPixelWidth": self.width,
            "currentPixelHeight": self.height, "dpi": self.dpi, "video": {"codecs": ["H_264_42", "H_264_41"]},
            "touch": ["SINGLE"] if self.touch else []}
        if not self.touch:
            viewport["keyboard"] = ["DIRECTION"]
        return viewport


SCREEN_DEVICES = {device.name: device for device in (
    ScreenDevice("hub-round-small", "Echo Spot", 480, 480, 160, shape="ROUND"),
    ScreenDevice("hub-landscape-small", "Echo Show 5", 960, 480, 160),
    ScreenDevice("hub-landscape-medium", "Echo Show 8", 1280, 800, 160),
    ScreenDevice("hub-landscape-large", "a 10-inch hub", 1920, 1200, 240),
    ScreenDevice("hub-landscape-xlarge", "Echo Show 15", 1920, 1080, 160),
    ScreenDevice("tv-landscape-xlarge", "Fire TV", 1920, 1080, 320, mode="TV", touch=False),
)}
