"""Draw the demo campaigns' pictures: every image their manifests name, and nothing else.

The demo artists are fictional and have no artwork, so this script paints some with Pillow: for a
cover (`album.cover`), a harbour at night with lanterns on the wall, in colours of the campaign's
own; for a member's photo (`members[].photo`), a portrait silhouette on a colour of their own; for
section or piece art (`art`), a landscape of glass panes. Nothing is left to chance: the same
manifest gives the same pictures, byte for byte, with the same Pillow.

Each picture goes where the manifest says, under audio_manifest/audio/<campaign>/, at the size
`dropday validate` asks for on the largest screens: covers 1400 x 1400, photos 800 x 800, art
1920 x 1080.

Usage (from the repository root):

    .venv/bin/python scripts/make_demo_images.py [MANIFEST...]

With no MANIFEST arguments, every *.yaml directly in audio_manifest/ is used.
Requirements: Pillow and PyYAML (both in the dev extra).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_DIR = REPO_ROOT / "audio_manifest"
COVER_SIZE = 1400
PHOTO_SIZE = 800
ART_SIZE = (1920, 1080)
JPEG_QUALITY = 85
#: A backdrop colour per member, taken in turn.
PALETTE = ((0x2E, 0x4A, 0x7D), (0x7D, 0x2E, 0x4F), (0x2E, 0x7D, 0x6A), (0x7D, 0x5E, 0x2E), (0x4F, 0x2E, 0x7D),
           (0x2E, 0x6D, 0x7D))
LANTERN = (0xFF, 0xB3, 0x47)


def blend(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    """The colour `t` of the way from `a` to `b`."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def vertical_gradient(size: tuple[int, int], stops: list[tuple[float, tuple[int, int, int]]]) -> Image.Image:
    """An image filled top to bottom through the colour `stops` (position 0..1, colour)."""
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        at = y / (height - 1)
        (p0, c0), (p1, c1) = next((s, e) for s, e in zip(stops, stops[1:]) if s[0] <= at <= e[0])
        draw.line([(0, y), (width, y)], fill=blend(c0, c1, (at - p0) / (p1 - p0) if p1 > p0 else 0))
    return image


def glow(image: Image.Image, centre: tuple[int, int], radius: int, colour: tuple[int, int, int],
         strength: int = 150) -> None:
    """A soft halo of `colour` around `centre`, painted onto `image`."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).ellipse([centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
                                  fill=(*colour, strength))
    blurred = layer.filter(ImageFilter.GaussianBlur(radius / 2))
    image.paste(blurred, (0, 0), blurred)


def lantern(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float) -> None:
    """A small paper lantern hanging at (x, y)."""
    w, h = 34 * scale, 46 * scale
    draw.line([(x, y - h), (x, y - h / 2)], fill=(30, 30, 30), width=max(1, round(3 * scale)))
    draw.rounded_rectangle([x - w / 2, y - h / 2, x + w / 2, y + h / 2], radius=12 * scale, fill=LANTERN)
    draw.rectangle([x - w / 3, y - h / 2 - 4 * scale, x + w / 3, y - h / 2], fill=(60, 40, 20))
    draw.rectangle([x - w / 3, y + h / 2, x + w / 3, y + h / 2 + 4 * scale], fill=(60, 40, 20))


#: Sky colours of a cover (top, middle, horizon), one set per campaign, chosen by its id.
SKIES = (((0x0B, 0x10, 0x26), (0x3A, 0x2C, 0x5A), (0xE0, 0x7A, 0x5F)),
         ((0x0E, 0x1F, 0x1A), (0x2F, 0x5D, 0x50), (0xF2, 0xC1, 0x6B)),
         ((0x1A, 0x0E, 0x22), (0x5A, 0x2C, 0x4A), (0xF0, 0x9A, 0x8F)))


def cover(campaign: str) -> Image.Image:
    """A harbour at night: a moon, the sea and four lanterns on the harbour wall."""
    size = COVER_SIZE
    horizon = int(size * 0.62)
    top, middle, glow_colour = SKIES[hashlib.sha256(campaign.encode()).digest()[0] % len(SKIES)]
    image = vertical_gradient((size, size), [(0.0, top), (0.45, middle), (0.62, glow_colour),
                                             (0.63, (0x12, 0x3A, 0x4A)), (1.0, (0x06, 0x14, 0x1C))])
    moon = (int(size * 0.72), int(size * 0.24))
    glow(image, moon, 190, (0xF4, 0xE9, 0xC1), 110)
    draw = ImageDraw.Draw(image)
    draw.ellipse([moon[0] - 105, moon[1] - 105, moon[0] + 105, moon[1] + 105], fill=(0xF4, 0xE9, 0xC1))
    for row in range(14):  # the moon's path on the water
        y = horizon + 24 + row * 30
        half = 130 - row * 7
        draw.line([(moon[0] - half, y), (moon[0] + half, y)], fill=blend((0xF4, 0xE9, 0xC1), (0x12, 0x3A, 0x4A),
                                                                          row / 14), width=6)
    for i in range(40):  # stars, placed by a hash so they never move
        digest = hashlib.sha256(f"star{i}".encode()).digest()
        x, y, r = digest[0] * size // 256, digest[1] * horizon // 400, 2 + digest[2] % 3
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(0xE8, 0xE8, 0xF0))
    wall_top = horizon + 120
    draw.polygon([(0, wall_top), (int(size * 0.55), wall_top + 40), (int(size * 0.55), size), (0, size)],
                 fill=(0x0A, 0x0D, 0x14))
    for i in range(4):  # four lanterns, one per fox
        x = 120 + i * 170
        y = wall_top - 60 + i * 10
        glow(image, (x, y), 70, LANTERN, 120)
        lantern(ImageDraw.Draw(image), x, y, 1.6)
    return image


def photo(index: int, member_id: str) -> Image.Image:
    """A portrait silhouette on the member's own colour, a lantern beside them."""
    size = PHOTO_SIZE
    base = PALETTE[index % len(PALETTE)]
    image = vertical_gradient((size, size), [(0.0, blend(base, (255, 255, 255), 0.25)),
                                             (1.0, blend(base, (0, 0, 0), 0.45))])
    draw = ImageDraw.Draw(image)
    for ring in range(5, 0, -1):  # rings behind the head
        radius = 90 + ring * 55
        draw.ellipse([size / 2 - radius, 300 - radius, size / 2 + radius, 300 + radius],
                     outline=blend(base, (255, 255, 255), 0.1 + ring * 0.05), width=6)
    shade = blend(base, (0, 0, 0), 0.75)
    draw.ellipse([size / 2 - 130, 150, size / 2 + 130, 430], fill=shade)                  # head
    draw.ellipse([size / 2 - 300, 470, size / 2 + 300, 1100], fill=shade)                  # shoulders
    digest = hashlib.sha256(member_id.encode()).digest()
    side = 1 if digest[0] % 2 else -1
    x = int(size / 2 + side * 290)
    glow(image, (x, 260), 80, LANTERN, 130)
    lantern(ImageDraw.Draw(image), x, 260, 1.8)
    return image


def art(name: str) -> Image.Image:
    """A landscape of glass panes catching the light, in colours chosen by `name`."""
    width, height = ART_SIZE
    top, middle, light = SKIES[hashlib.sha256(name.encode()).digest()[0] % len(SKIES)]
    image = vertical_gradient(ART_SIZE, [(0.0, top), (0.6, middle), (1.0, light)])
    draw = ImageDraw.Draw(image)
    columns, rows = 8, 4
    for column in range(columns):
        for row in range(rows):
            digest = hashlib.sha256(f"{name}{column},{row}".encode()).digest()
            x0, y0 = column * width // columns, row * height // rows
            pane = blend(middle, (255, 255, 255), 0.1 + digest[0] / 255 * 0.35)
            draw.rectangle([x0 + 10, y0 + 10, x0 + width // columns - 10, y0 + height // rows - 10], fill=pane)
    glow(image, (int(width * 0.7), int(height * 0.3)), 220, LANTERN, 110)
    return image


def pictures(data: dict) -> dict[str, Image.Image]:
    """Every picture the manifest names (its path under the campaign's folder), drawn."""
    found: dict[str, Image.Image] = {}
    cover_ref = (data.get("album") or {}).get("cover")
    if isinstance(cover_ref, dict):
        found[cover_ref["image"]] = cover(data["campaign"])
    for index, member in enumerate(data.get("members") or []):
        if isinstance(member.get("photo"), dict):
            found[member["photo"]["image"]] = photo(index, member["id"])
    for section in data.get("sections") or []:
        for entry in [section, *(section.get("pieces") or [])]:
            if isinstance(entry.get("art"), dict):
                found[entry["art"]["image"]] = art(entry["id"])
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests", nargs="*", type=Path, metavar="MANIFEST",
                        help="campaign manifests (default: every *.yaml in audio_manifest/)")
    args = parser.parse_args(argv)
    for manifest in args.manifests or sorted(MANIFEST_DIR.glob("*.yaml")):
        data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
        for path, picture in pictures(data).items():
            target = manifest.parent / "audio" / data["campaign"] / path
            target.parent.mkdir(parents=True, exist_ok=True)
            kind = "PNG" if target.suffix.lower() == ".png" else "JPEG"
            picture.save(target, kind, **({"quality": JPEG_QUALITY, "optimize": True} if kind == "JPEG" else {}))
            shown = target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target
            print(f"wrote {shown} ({picture.width} x {picture.height}, {target.stat().st_size // 1000} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
