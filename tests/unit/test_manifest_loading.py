"""Reading manifests: every problem at once, each naming the file, the line, the place and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dropday.content import load_campaign, read_manifest
from dropday.core.manifest import ManifestError, parse_manifest
from support import FIXTURES

CAMPAIGN = FIXTURES / "campaign.yaml"


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "campaign.yaml") -> Path:
    text = CAMPAIGN.read_text()
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        read_manifest(path)
    assert str(path) in str(caught.value)
    return [str(p) for p in caught.value.problems]


def test_a_tip_naming_an_unknown_member_says_where_and_which_ids_exist(tmp_path):
    path = broken_copy(tmp_path, "    member: max\n    audio: tips/max-one.mp3", "    member: maxx\n    audio: tips/max-one.mp3")
    assert problems_of(path) == ["line 29: tips[2].member: `maxx` is not a member id. Fix: use one of: ivy, max"]


def test_every_problem_is_reported_at_once(tmp_path):
    path = broken_copy(tmp_path, "default_time_zone: Europe/London", "default_time_zone: Europe/Londn")
    path.write_text(path.read_text().replace("audio: tips/ivy-one.mp3", "audio: tips/ivy one.wav")
                    .replace("goodbye: Goodbye before release.", "goodbye: Bye {listener}."))
    problems = problems_of(path)
    assert len(problems) == 3
    assert problems[0].startswith("line 16: album.default_time_zone: `Europe/Londn` is not an IANA time zone.")
    assert problems[1].startswith("line 20: tips[0].audio: `tips/ivy one.wav` is not a safe clip path.")
    assert problems[2].startswith("line 86: speech.default.goodbye: uses the unknown placeholder {listener}.")


def test_broken_yaml_names_the_line_and_how_to_fix_it(tmp_path):
    path = broken_copy(tmp_path, "    member_has_nothing_new: \"{member} has nothing new.\"",
                       "    member_has_nothing_new: {member} has nothing: new.")
    [problem] = problems_of(path)
    assert problem.startswith("line 69: (top level): is not valid YAML")
    assert "put quotes around text" in problem


def test_a_sentence_yaml_reads_as_true_or_false_asks_for_quotes(tmp_path):
    path = broken_copy(tmp_path, "goodbye: Goodbye before release.", "goodbye: no")
    [problem] = problems_of(path)
    assert problem.startswith("line 86: speech.default.goodbye: expected some text, found true/false.")
    assert "in quotes" in problem


def test_a_missing_sentence_is_named(tmp_path):
    path = broken_copy(tmp_path, "    error: Error line.\n", "")
    assert problems_of(path) == ["line 60: speech.default.error: is missing. Fix: add `error:` under speech.default"]


def test_a_window_that_ends_before_it_starts_is_refused():
    data = yaml.safe_load(CAMPAIGN.read_text())
    data["tips"][0]["available"] = {"from": "2027-02-01", "until": "2027-01-01"}
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert [p.path for p in caught.value.problems] == ["tips[0].available.until"]


def test_duplicate_ids_and_shared_synonyms_are_refused():
    data = yaml.safe_load(CAMPAIGN.read_text())
    data["tips"][1]["id"] = "ivy-one"
    data["members"][1]["synonyms"].append("the singer")
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert {p.path: p.message for p in caught.value.problems} == {
        "members[1].synonyms[2]": "`the singer` also names member `ivy`",
        "tips[1].id": "`ivy-one` is used by another tip",
    }


def test_sentences_fall_back_to_the_default_table(test_campaign):
    assert test_campaign.say("goodbye", "en-US") == "Goodbye, American."
    assert test_campaign.say("goodbye", "en-AU") == "Goodbye before release."
    assert test_campaign.say("goodbye", None) == "Goodbye before release."
    assert test_campaign.say("countdown_days", "en-GB", days=3) == "3 days until Night <Shift>."


def test_members_are_found_by_name_synonym_or_id_in_any_case(test_campaign):
    assert test_campaign.find_member("  The  Drummer ").id == "max"
    assert test_campaign.find_member("IVY").id == "ivy"
    assert test_campaign.find_member("bob") is None


def test_one_campaign_in_the_folder_is_served_without_naming_it(tmp_path):
    shutil.copy(CAMPAIGN, tmp_path / "test-band.yaml")
    assert load_campaign(tmp_path).campaign == "test-band"


def test_several_campaigns_need_the_one_to_serve_named(tmp_path):
    shutil.copy(CAMPAIGN, tmp_path / "one.yaml")
    shutil.copy(CAMPAIGN, tmp_path / "two.yaml")
    with pytest.raises(ManifestError, match="found 2 campaigns .one, two.*set DROPDAY_CAMPAIGN"):
        load_campaign(tmp_path)
    assert load_campaign(tmp_path, "two").artist == "The Test Pilots & Co"
    with pytest.raises(ManifestError, match="there is no campaign `three`.*one of: one, two"):
        load_campaign(tmp_path, "three")


def test_an_empty_folder_says_what_is_missing(tmp_path):
    with pytest.raises(ManifestError, match=r"no campaign manifest \(\*\.yaml\)"):
        load_campaign(tmp_path)


def published_copy(tmp_path: Path, clips: dict) -> Path:
    import json
    shutil.copy(CAMPAIGN, tmp_path / "test-band.yaml")
    (tmp_path / "test-band.published.json").write_text(json.dumps({"campaign": "test-band", "clips": clips}))
    return tmp_path


ALL_CLIPS = ["tips/ivy-one.mp3", "tips/ivy-two.mp3", "tips/max-one.mp3", "tips/max-gb-clip.mp3",
             "tips/ivy-march.mp3", "tips/max-expired.mp3", "countdown/thirty.mp3", "countdown/release.mp3"]


def test_published_clips_are_played_from_their_hashed_keys(tmp_path):
    keys = {p: f"test-band/{p[:-4]}.0123456789ab.mp3" for p in ALL_CLIPS}
    campaign = load_campaign(published_copy(tmp_path, keys))
    assert campaign.clip_key("tips/ivy-one.mp3") == "test-band/tips/ivy-one.0123456789ab.mp3"


def test_an_unpublished_campaign_plays_clips_from_their_paths(test_campaign):
    assert test_campaign.clip_key("tips/ivy-one.mp3") == "test-band/tips/ivy-one.mp3"


def test_a_clip_added_after_the_last_publish_stops_the_cold_start(tmp_path):
    keys = {p: f"test-band/{p}" for p in ALL_CLIPS if p != "tips/max-one.mp3"}
    with pytest.raises(ManifestError) as caught:
        load_campaign(published_copy(tmp_path, keys))
    [problem] = caught.value.problems
    assert caught.value.source.endswith("test-band.published.json")
    assert str(problem) == ("clips.tips/max-one.mp3: is missing: the clip was added after the last publish. "
                            "Fix: run `dropday audio publish --bucket <audio bucket>`, then deploy again")


def test_a_damaged_publish_index_stops_the_cold_start(tmp_path):
    published_copy(tmp_path, {})
    (tmp_path / "test-band.published.json").write_text("{not json")
    with pytest.raises(ManifestError, match=r"clips: cannot be read"):
        load_campaign(tmp_path)


def test_a_compiled_manifest_is_the_same_campaign_as_its_yaml(tmp_path):
    from dropday.content import compile_manifest
    compiled = compile_manifest(CAMPAIGN, tmp_path)
    assert compiled.name == "campaign.manifest.json"
    assert read_manifest(compiled) == read_manifest(CAMPAIGN)


def test_a_packed_folder_of_compiled_manifests_is_served(tmp_path):
    from dropday.content import compile_manifest
    shutil.copy(CAMPAIGN, tmp_path / "test-band.yaml")
    packed = tmp_path / "packed"
    packed.mkdir()
    compile_manifest(tmp_path / "test-band.yaml", packed)
    assert load_campaign(packed).campaign == "test-band"
    assert load_campaign(packed, "test-band").artist == "The Test Pilots & Co"


def test_an_invalid_manifest_is_not_compiled(tmp_path):
    from dropday.content import compile_manifest
    path = broken_copy(tmp_path, "default_time_zone: Europe/London", "default_time_zone: Mars/Olympus")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ManifestError, match="`Mars/Olympus` is not an IANA time zone"):
        compile_manifest(path, out)
    assert list(out.iterdir()) == []


def test_a_packed_folder_names_its_campaigns_as_they_must_be_set(tmp_path):
    from dropday.content import compile_manifest
    shutil.copy(CAMPAIGN, tmp_path / "test-band.yaml")
    packed = tmp_path / "packed"
    packed.mkdir()
    compile_manifest(tmp_path / "test-band.yaml", packed)
    with pytest.raises(ManifestError, match=r"set DROPDAY_CAMPAIGN to one of: test-band$"):
        load_campaign(packed, "other-band")
