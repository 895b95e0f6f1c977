"""`dropday validate` on the campaign's pictures: what the content team reads for each problem.

These run the image checks the validator calls (`tooling.images.image_findings`, hooked into
`tooling/validation.py`) on a campaign folder of their own, with pictures drawn by Pillow.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

from dropday.content import line_finder
from dropday.tooling import publish
from dropday.tooling.findings import Workspace
from dropday.tooling.images import MAX_BYTES, image_findings
from screens_support import campaign_data_with_images


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A campaign folder with the screens test campaign and good pictures for it; the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "test-band.yaml").write_text(yaml.safe_dump(campaign_data_with_images(), sort_keys=False))
    images = tmp_path / "audio" / "test-band" / "images"
    images.mkdir(parents=True)
    picture(images / "cover.jpg", (1400, 1400))
    picture(images / "ivy.png", (800, 800), "PNG")
    picture(images / "backstage.jpg", (1920, 1080))
    picture(images / "ferry.jpg", (1280, 800))
    return tmp_path


def picture(file: Path, size: tuple[int, int], kind: str = "JPEG", mode: str = "RGB") -> None:
    Image.new(mode, size, "#335577" if mode != "CMYK" else (10, 20, 30, 40)).save(file, kind)


def findings(folder: Path, check_published: bool = True) -> list[str]:
    """What the validator prints for the pictures of the campaign in `folder`."""
    file = folder / "test-band.yaml"
    text = file.read_text()
    workspace = Workspace(folder, (file,), None, folder / "schema.json")
    return [str(f) for f in image_findings(workspace, file, yaml.safe_load(text), line_finder(text), check_published)]


def line(folder: Path, text: str) -> int:
    return next(n for n, row in enumerate((folder / "test-band.yaml").read_text().splitlines(), 1) if text in row)


def test_good_pictures_raise_nothing(folder):
    assert findings(folder) == []


def test_a_missing_picture_names_the_manifest_line_and_what_to_add(folder):
    (folder / "audio/test-band/images/ferry.jpg").unlink()
    assert findings(folder) == [
        f"test-band.yaml:{line(folder, 'image: images/ferry.jpg')}: sections[1].pieces[1].art.image: "
        "audio/test-band/images/ferry.jpg does not exist. Fix: add the art there (a landscape, 16:9 or 16:10 "
        "JPEG or PNG of at least 1280 x 720 pixels, under 2 MB), or correct the path"]


def test_a_cover_that_is_not_square_or_too_small_is_refused_with_the_size_it_needs(folder):
    picture(folder / "audio/test-band/images/cover.jpg", (900, 600))
    where = f"test-band.yaml:{line(folder, 'image: images/cover.jpg')}: album.cover.image"
    assert findings(folder) == [
        f"{where}: audio/test-band/images/cover.jpg is 900 x 600 pixels, too small to stay sharp on large screens. "
        "Fix: use a square JPEG or PNG of at least 1000 x 1000 pixels, under 2 MB",
        f"{where}: audio/test-band/images/cover.jpg is 900 x 600 pixels, but an album cover must be square or "
        "screens crop it badly. Fix: crop it to square"]


def test_a_portrait_art_is_refused_and_a_nearly_square_photo_accepted(folder):
    picture(folder / "audio/test-band/images/backstage.jpg", (1600, 2000))
    picture(folder / "audio/test-band/images/ivy.png", (800, 960), "PNG")
    assert [f.split(": ", 2)[1] for f in findings(folder)] == ["sections[1].art.image"]


def test_a_gif_a_misnamed_png_and_a_cmyk_jpeg_are_each_told_what_to_do(folder):
    images = folder / "audio/test-band/images"
    picture(images / "cover.jpg", (1400, 1400), "GIF", mode="P")
    picture(images / "ivy.png", (800, 800), "JPEG")
    picture(images / "backstage.jpg", (1920, 1080), "JPEG", mode="CMYK")
    messages = [f.split(": ", 2)[2] for f in findings(folder)]
    assert messages == [
        "audio/test-band/images/cover.jpg is a GIF image; Echo Show and Fire TV screens need JPEG or PNG. Fix: "
        "export it as a square JPEG or PNG of at least 1000 x 1000 pixels, under 2 MB",
        "audio/test-band/images/ivy.png is a JPEG file named .png, so it would be served as the wrong type. Fix: "
        "rename it to end in .jpg, or export it as PNG",
        "audio/test-band/images/backstage.jpg uses the CMYK colour mode, which screens may show wrongly or not at "
        "all. Fix: convert it to RGB (sRGB) and export it again"]


def test_a_damaged_picture_and_an_oversized_file_are_refused(folder):
    images = folder / "audio/test-band/images"
    data = (images / "backstage.jpg").read_bytes()
    (images / "backstage.jpg").write_bytes(data[: len(data) // 3])
    with (images / "ferry.jpg").open("ab") as padded:   # a valid JPEG with megabytes of trailing junk
        padded.write(b"\0" * (MAX_BYTES + 1))
    messages = [f.split(": ", 2)[2] for f in findings(folder)]
    assert messages[0].startswith("audio/test-band/images/backstage.jpg is not a readable JPEG or PNG (")
    assert messages[1].startswith("audio/test-band/images/ferry.jpg is 2.") and "too large" in messages[1]


def test_a_picture_changed_since_the_last_publish_is_reported_until_published_again(folder):
    # GIVEN the campaign published with its pictures
    campaign_images = ["images/cover.jpg", "images/ivy.png", "images/backstage.jpg", "images/ferry.jpg"]
    uploads = publish.plan("test-band", folder / "audio" / "test-band", campaign_images)
    publish.write_index(folder / "test-band.published.json", "test-band", uploads)
    assert findings(folder) == []
    # WHEN the cover is replaced by a new version
    picture(folder / "audio/test-band/images/cover.jpg", (1500, 1500))
    # THEN validate says the deployed skill would show the old one, and how to publish
    assert findings(folder) == [
        f"test-band.yaml:{line(folder, 'image: images/cover.jpg')}: album.cover.image: images/cover.jpg has changed "
        "since the last `dropday audio publish` (test-band.published.json), so screens would show an old picture or "
        "none. Fix: run `dropday audio publish --bucket <audio bucket>` (stack output AudioBucketName), then deploy"]
    # AND publishing (which validates without the index) does not stop on it
    assert findings(folder, check_published=False) == []


def test_the_published_index_records_images_apart_from_clips_and_reads_both(folder):
    uploads = publish.plan("test-band", folder / "audio" / "test-band", ["images/cover.jpg", "images/ivy.png"])
    assert [(u.key.rsplit(".", 2)[0], u.content_type) for u in uploads] == \
        [("test-band/images/cover", "image/jpeg"), ("test-band/images/ivy", "image/png")]
    index_file = folder / "test-band.published.json"
    publish.write_index(index_file, "test-band", uploads)
    index = json.loads(index_file.read_text())
    assert index["clips"] == {} and set(index["images"]) == {"images/cover.jpg", "images/ivy.png"}
    assert publish.read_index(index_file) == {u.path: u.key for u in uploads}
