"""Reading manifests: every problem at once, each naming the file, the line, the place and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dropday.content import load_campaign, read_manifest
from dropday.core.campaign import ManifestError, parse_manifest
from support import FIXTURES

CAMPAIGN = FIXTURES / "campaign.yaml"
CAMPAIGN_V1 = FIXTURES / "campaign-v1.yaml"


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "campaign.yaml", source: Path = CAMPAIGN) -> Path:
    text = source.read_text()
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        read_manifest(path)
    assert str(path) in str(caught.value)
    return [str(p) for p in caught.value.problems]


def test_a_piece_naming_an_unknown_member_says_where_and_which_ids_exist(tmp_path):
    path = broken_copy(tmp_path, "        member: max\n        audio: tips/max-one.mp3",
                       "        member: maxx\n        audio: tips/max-one.mp3")
    assert problems_of(path) == [
        "line 46: sections[0].pieces[2].member: `maxx` is not a member id. Fix: use one of: ivy, max"]


def test_a_version_1_file_is_read_and_its_problems_are_placed_as_it_is_written(tmp_path):
    # GIVEN a version-1 campaign with a tip naming an unknown member and a broken sentence
    path = broken_copy(tmp_path, "    member: max\n    audio: tips/max-one.mp3", "    member: maxx\n    audio: tips/max-one.mp3",
                       source=CAMPAIGN_V1)
    path.write_text(path.read_text().replace("tip_intro: From {member}.", "tip_intro: From {band}."))
    # THEN each problem names the place in the version-1 file, with its line
    assert problems_of(path) == [
        "line 29: tips[2].member: `maxx` is not a member id. Fix: use one of: ivy, max",
        "line 66: speech.default.tip_intro: uses the unknown placeholder {band}. "
        "Fix: use only {album}, {artist}, {member}, {section}"]


def test_a_version_1_campaign_is_the_same_campaign_read_as_version_2():
    old = read_manifest(CAMPAIGN_V1)
    assert old.source_version == 1
    tips = old.tips_section
    assert [p.id for p in tips.pieces] == ["ivy-one", "ivy-two", "max-one", "max-text-only", "max-gb-clip",
                                           "ivy-march", "max-expired"]
    # its sentences moved to their version-2 names, tip sentences included
    assert old.sentence("piece_intro", "en-GB", tips).variants[0].recording.transcript.default == "From {member}."
    assert old.sentence("ask_what_next", "en-GB").variants[0].recording.transcript.default == "Tip or countdown?"
    assert old.sentence("goodbye", "en-US").variants[0].recording.transcript.default == "Goodbye, American."


def test_every_problem_is_reported_at_once(tmp_path):
    path = broken_copy(tmp_path, "default_time_zone: Europe/London", "default_time_zone: Europe/Londn")
    path.write_text(path.read_text().replace("audio: tips/ivy-one.mp3", "audio: tips/ivy one.wav")
                    .replace("goodbye: Goodbye before release.", "goodbye: Bye {listener}."))
    problems = problems_of(path)
    assert len(problems) == 3
    assert problems[0].startswith("line 18: album.default_time_zone: `Europe/Londn` is not an IANA time zone.")
    assert problems[1].startswith("line 37: sections[0].pieces[0].audio: `tips/ivy one.wav` is not a safe clip path.")
    assert problems[2].startswith("line 148: sentences.default.goodbye: uses the unknown placeholder {listener}.")


def test_broken_yaml_names_the_line_and_how_to_fix_it(tmp_path):
    path = broken_copy(tmp_path, "      member_has_nothing_new: \"{member} has nothing new.\"",
                       "      member_has_nothing_new: {member} has nothing: new.")
    [problem] = problems_of(path)
    assert problem.startswith("line 29: (top level): is not valid YAML")
    assert "put quotes around text" in problem


def test_a_sentence_yaml_reads_as_true_or_false_asks_for_quotes(tmp_path):
    path = broken_copy(tmp_path, "goodbye: Goodbye before release.", "goodbye: no")
    [problem] = problems_of(path)
    assert problem.startswith("line 148: sentences.default.goodbye: expected some text, found true/false.")
    assert "in quotes" in problem


def test_a_sentence_the_campaign_does_not_give_is_said_with_the_default_wording(tmp_path):
    # GIVEN a campaign without its own error sentence
    campaign = read_manifest(broken_copy(tmp_path, "    error: Error line.\n", ""))
    # THEN the package's English wording is used, and the campaign's own where it has one
    assert campaign.sentence("error", "en-GB").variants[0].recording.transcript.default.startswith("Sorry, something")
    assert campaign.sentence("goodbye", "en-GB").variants[0].recording.transcript.default == "Goodbye before release."


def test_an_unknown_sentence_name_is_refused_with_where_to_find_the_names(tmp_path):
    path = broken_copy(tmp_path, "    error: Error line.", "    eror: Error line.")
    [problem] = problems_of(path)
    assert problem.startswith("line 150: sentences.default.eror: `eror` is not a sentence of the skill.")


def test_a_window_that_ends_before_it_starts_is_refused():
    data = yaml.safe_load(CAMPAIGN.read_text())
    data["sections"][0]["pieces"][0]["available"] = {"from": "2027-02-01", "until": "2027-01-01"}
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert [p.path for p in caught.value.problems] == ["sections[0].pieces[0].available.until"]


def test_duplicate_ids_and_shared_synonyms_are_refused():
    data = yaml.safe_load(CAMPAIGN.read_text())
    data["sections"][0]["pieces"][1]["id"] = "ivy-one"
    data["sections"][1]["pieces"][0]["id"] = "max-one"
    data["members"][1]["synonyms"].append("the singer")
    data["sections"][1]["synonyms"].append("tip")
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert {p.path: p.message for p in caught.value.problems} == {
        "members[1].synonyms[2]": "`the singer` also names member `ivy`",
        "sections[0].pieces[1].id": "`ivy-one` is used by another piece in this section",
        "sections[1].synonyms[2]": "`tip` also names section `tips`",
        "sections[1].pieces[0].id": "`max-one` is used by another piece in section `tips`",
    }


def test_sentences_fall_back_to_the_campaigns_default_table(test_campaign):
    def words(name, locale, section=None):
        return test_campaign.sentence(name, locale, section).variants[0].recording.transcript.default
    assert words("goodbye", "en-US") == "Goodbye, American."
    assert words("goodbye", "en-AU") == "Goodbye before release."
    assert words("goodbye", None) == "Goodbye before release."
    # a section says its own sentences, and the campaign's otherwise
    assert words("piece_intro", "en-GB", test_campaign.section("backstage")) == "On the road with {member}."
    assert words("goodbye", "en-GB", test_campaign.section("backstage")) == "Goodbye before release."


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
             "tips/ivy-march.mp3", "tips/max-expired.mp3", "backstage/story-van.mp3", "backstage/story-ferry.mp3",
             "backstage/story-gig.mp3", "unlocks/secret-title.mp3", "band/ivy.mp3", "countdown/thirty.mp3",
             "countdown/release.mp3", "welcomes/back.mp3"]


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
