"""The build saves each packed campaign parsed (`<campaign>.manifest.pickle`); a cold start loads
it only when it was made from the very JSON beside it, and otherwise parses that JSON as before."""

from __future__ import annotations

import json
import logging

import pytest

from dropday.content import compile_manifest, parse_manifest, read_manifest
from dropday.core.campaign import ManifestError
from support import FIXTURES


@pytest.fixture
def packed(tmp_path):
    """The test campaign as `sam build` packs it: its JSON and, beside it, its snapshot."""
    return compile_manifest(FIXTURES / "campaign.yaml", tmp_path)


def test_the_snapshot_holds_exactly_the_campaign_the_json_parses_to(packed):
    snapshot = packed.with_suffix(".pickle")
    assert snapshot.is_file()
    parsed = parse_manifest(json.loads(packed.read_text()), source=str(packed))
    assert read_manifest(packed) == parsed
    snapshot.unlink()
    assert read_manifest(packed) == parsed


def test_json_edited_after_the_build_is_served_as_edited_and_the_stale_snapshot_is_named(packed, caplog):
    data = json.loads(packed.read_text())
    data["album"]["title"] = "Day Shift"
    packed.write_text(json.dumps(data))
    with caplog.at_level(logging.WARNING):
        manifest = read_manifest(packed)
    assert manifest.album.title == "Day Shift"
    assert f"{packed.with_suffix('.pickle')} does not match {packed.name}, the manifest is parsed" in caplog.text


def test_json_broken_after_the_build_still_stops_the_cold_start_naming_the_file(packed):
    packed.write_text(packed.read_text().replace('"release_date"', '"release_dat"'))
    with pytest.raises(ManifestError) as error:
        read_manifest(packed)
    assert str(packed) in str(error.value)


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05N."],
                         ids=["empty", "not a pickle", "another shape"])
def test_a_snapshot_that_cannot_be_used_is_reported_and_the_json_is_parsed(packed, caplog, content):
    expected = parse_manifest(json.loads(packed.read_text()), source=str(packed))
    packed.with_suffix(".pickle").write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert read_manifest(packed) == expected
    assert "the manifest is parsed" in caplog.text


def test_a_snapshot_made_by_other_code_is_not_used(packed, caplog, monkeypatch):
    # GIVEN the campaign code (model, parser, default sentences) changed after the snapshot was made
    from dropday import snapshot
    monkeypatch.setattr(snapshot, "code_digest", lambda: "the code of another build")
    data = json.loads(packed.read_text())
    # WHEN the packed campaign is read
    with caplog.at_level(logging.WARNING):
        manifest = read_manifest(packed)
    # THEN it is parsed from its JSON, and the log says why
    assert manifest == parse_manifest(data, source=str(packed))
    assert f"{packed.with_suffix('.pickle')} was made by other code, the manifest is parsed" in caplog.text


def test_the_code_digest_follows_the_campaign_code(tmp_path):
    from dropday.snapshot import code_digest
    (tmp_path / "parse").mkdir()
    (tmp_path / "model.py").write_text("A = 1\n")
    (tmp_path / "parse" / "reader.py").write_text("B = 2\n")
    before = code_digest(tmp_path)
    (tmp_path / "parse" / "reader.py").write_text("B = 3\n")
    assert code_digest(tmp_path) != before
