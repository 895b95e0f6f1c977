"""`dropday validate` for the campaign's pictures: the cover, member photos, section and piece art.

Each image named in a manifest must be a whole JPEG or PNG (as its name says), of a size and shape
that looks right from a small round Echo Spot to a Fire TV, small enough for a device to fetch
quickly; and once the campaign was published (`dropday audio publish`), the copy the skill shows
(over https, under a content-hashed name) must be the one in the folder. Each problem names the
manifest, the line and the fix. Pillow reads the images (a development dependency: the skill
itself never opens one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.campaign.model import IMAGE_PATH_PATTERN
from . import publish
from .findings import Finding, LineFinder, Workspace, shown

#: The largest image file a device should fetch for one screen.
MAX_BYTES = 2_000_000
#: No side longer than this (a 4K TV's width): bigger only costs devices memory.
MAX_SIDE = 4096
FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
MODES = frozenset({"RGB", "RGBA", "L", "LA", "P"})


@dataclass(frozen=True)
class Shape:
    """What a kind of picture must be.

    Attributes:
        what: how the content team calls it.
        min_width, min_height: the smallest size in pixels that stays sharp on the largest screens.
        min_aspect, max_aspect: width divided by height, within these.
        aspect_words: the shape, in words for the fix.
        rule: the shape as a rule, for the problem.
    """

    what: str
    min_width: int
    min_height: int
    min_aspect: float
    max_aspect: float
    aspect_words: str
    rule: str


#: Every picture's shape, by where it is in the manifest.
SHAPES: Mapping[str, Shape] = {
    "cover": Shape("album cover", 1000, 1000, 0.98, 1.02, "square", "an album cover must be square"),
    "photo": Shape("member photo", 600, 600, 0.8, 1.25, "square, or nearly (4:5 to 5:4)",
                   "a member photo must be square, or nearly"),
    "art": Shape("art", 1280, 720, 1.5, 1.8, "landscape, 16:9 or 16:10", "art must be landscape, 16:9 or 16:10"),
}


def image_references(data: object) -> Iterator[tuple[str, str, str]]:
    """(YAML path of the `image:` key, image path, kind of picture) for every well-formed image
    reference, read leniently from the loaded YAML (so it runs even when the parser refuses the file)."""
    if not isinstance(data, Mapping):
        return
    album = data.get("album")
    if isinstance(album, Mapping):
        yield from _reference(album.get("cover"), "album.cover", "cover")
    members = data.get("members")
    for i, member in enumerate(members if isinstance(members, list) else []):
        if isinstance(member, Mapping):
            yield from _reference(member.get("photo"), f"members[{i}].photo", "photo")
    sections = data.get("sections")
    for i, section in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(section, Mapping):
            continue
        yield from _reference(section.get("art"), f"sections[{i}].art", "art")
        pieces = section.get("pieces")
        for j, piece in enumerate(pieces if isinstance(pieces, list) else []):
            if isinstance(piece, Mapping):
                yield from _reference(piece.get("art"), f"sections[{i}].pieces[{j}].art", "art")


def _reference(value: object, path: str, kind: str) -> Iterator[tuple[str, str, str]]:
    file = value.get("image") if isinstance(value, Mapping) else None
    if isinstance(file, str) and IMAGE_PATH_PATTERN.match(file.strip()):
        yield f"{path}.image", file.strip(), kind


def check_image(file: Path, kind: str) -> list[tuple[str, str]]:
    """The problems of one image file as (what is wrong, how to fix it); empty when it is fine."""
    shape = SHAPES[kind]
    target = (f"a {shape.aspect_words} JPEG or PNG of at least {shape.min_width} x {shape.min_height} pixels, "
              f"under {MAX_BYTES // 1_000_000} MB")
    if not file.is_file():
        return [(f"{shown(file)} does not exist", f"add the {shape.what} there ({target}), or correct the path")]
    from PIL import Image, UnidentifiedImageError  # only when there are images to check

    problems = []
    size = file.stat().st_size
    if size > MAX_BYTES:
        problems.append((f"{shown(file)} is {size / 1_000_000:.1f} MB, too large for a device to fetch quickly",
                         f"save it smaller (JPEG quality 80-85 usually does it), under {MAX_BYTES // 1_000_000} MB"))
    try:
        with Image.open(file) as picture:
            picture.verify()
        with Image.open(file) as picture:
            picture.load()
            kind_found, (width, height), mode = picture.format, picture.size, picture.mode
            animated = getattr(picture, "is_animated", False)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return [*problems, (f"{shown(file)} is not a readable JPEG or PNG ({str(exc) or type(exc).__name__})",
                            f"export it again as {target}")]
    if kind_found not in FORMATS:
        return [*problems, (f"{shown(file)} is a {kind_found} image; Echo Show and Fire TV screens need JPEG or PNG",
                            f"export it as {target}")]
    if file.suffix.lower() not in FORMATS[kind_found]:
        problems.append((f"{shown(file)} is a {kind_found} file named {file.suffix}, so it would be served as the "
                         "wrong type", f"rename it to end in {FORMATS[kind_found][0]}, or export it as "
                         f"{'PNG' if kind_found == 'JPEG' else 'JPEG'}"))
    if animated:
        problems.append((f"{shown(file)} is animated; screens show a still picture", "export one still frame"))
    if mode not in MODES:
        problems.append((f"{shown(file)} uses the {mode} colour mode, which screens may show wrongly or not at all",
                         "convert it to RGB (sRGB) and export it again"))
    if width < shape.min_width or height < shape.min_height:
        problems.append((f"{shown(file)} is {width} x {height} pixels, too small to stay sharp on large screens",
                         f"use {target}"))
    elif max(width, height) > MAX_SIDE:
        problems.append((f"{shown(file)} is {width} x {height} pixels, larger than any screen shows",
                         f"resize it to at most {MAX_SIDE} pixels a side"))
    aspect = width / height if height else 0
    if not shape.min_aspect <= aspect <= shape.max_aspect:
        problems.append((f"{shown(file)} is {width} x {height} pixels, but {shape.rule} or screens crop it badly",
                         f"crop it to {shape.aspect_words}"))
    return problems


def image_findings(workspace: Workspace, manifest_file: Path, data: object, lines: LineFinder,
                   check_published: bool = True) -> list[Finding]:
    """Every problem with the images manifest `manifest_file` (loaded as `data`) names, as findings."""
    campaign = data.get("campaign") if isinstance(data, Mapping) else None
    if not isinstance(campaign, str) or not campaign:
        return []
    folder = workspace.audio_dir(campaign)
    index_file = workspace.published_index(campaign)
    index = publish.read_index(index_file) if check_published and index_file.is_file() else None
    findings, checked = [], set()
    for path, image, kind in image_references(data):
        if (image, kind) in checked:
            continue
        checked.add((image, kind))
        problems = check_image(folder / image, kind)
        for message, fix in problems:
            findings.append(Finding(shown(manifest_file), path, message, fix, lines(path)))
        if index is not None and not problems:
            key = publish.clip_key(campaign, image, publish.sha256_of(folder / image))
            if index.get(image) != key:
                state = "has changed since" if image in index else "is not in"
                findings.append(Finding(shown(manifest_file), path, f"{image} {state} the last `dropday audio publish` "
                                        f"({shown(index_file)}), so screens would show an old picture or none",
                                        "run `dropday audio publish --bucket <audio bucket>` (stack output "
                                        "AudioBucketName), then deploy", lines(path)))
    return findings
