"""Hostile or broken manifest files: refused early, each problem with its line and a fix, by every reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dropday.content import compile_manifest, read_manifest, read_yaml
from dropday.core.manifest import ManifestError, parse_manifest
from dropday.tooling.findings import locate
from dropday.tooling.validation import validate
from support import FIXTURES

CAMPAIGN = FIXTURES / "campaign.yaml"
#: Nine levels of nine aliases each: 9**9 (387 million) strings once expanded, from about 1 KB of YAML.
BILLION_LAUGHS = "laughs:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


def campaign_with(tmp_path: Path, old: str, new: str, name: str = "campaign.yaml") -> Path:
    text = CAMPAIGN.read_text()
    assert text.count(old) == 1, old
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        read_manifest(path)
    return [str(p) for p in caught.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


# -- YAML aliases ------------------------------------------------------------------------------------------------


def test_a_billion_laughs_file_is_refused_by_the_skill_before_it_is_expanded(tmp_path):
    path = tmp_path / "campaign.yaml"
    path.write_text(CAMPAIGN.read_text() + BILLION_LAUGHS)
    [problem] = problems_of(path)
    copies = re.search(r"this file's would make (\d+) copies", problem)
    assert copies and int(copies[1]) >= 9 ** 9            # at least the 387 million strings
    assert problem == (f"line {line_of(path, '&a [lol')}: (top level): uses YAML aliases (*name) that repeat "
                       f"more than 10000 values in all (this file's would make {copies[1]} copies), as a 'billion "
                       "laughs' attack does. Fix: write the repeated parts out in full, or use fewer aliases")


def test_a_billion_laughs_file_is_refused_by_the_build_and_by_validate(tmp_path):
    path = tmp_path / "campaign.yaml"
    path.write_text(CAMPAIGN.read_text() + BILLION_LAUGHS)
    with pytest.raises(ManifestError, match="billion laughs"):
        compile_manifest(path, tmp_path)
    report = validate(locate(path))
    assert [f.message for f in report.findings if "billion laughs" in f.message]
    assert not report.ok


def test_an_alias_inside_itself_is_refused(tmp_path):
    path = tmp_path / "campaign.yaml"
    path.write_text(CAMPAIGN.read_text() + "loop: &loop [a, *loop]\n")
    [problem] = problems_of(path)
    assert "refers to a value it is part of" in problem


def test_a_few_aliases_for_repeated_values_are_fine(tmp_path):
    path = campaign_with(tmp_path, "    locales: [en-GB]", "    locales: &britain [en-GB]")
    path.write_text(path.read_text().replace("    transcript: Ivy tip from March.",
                                             "    transcript: Ivy tip from March.\n    locales: *britain"))
    assert read_manifest(path).tips[5].locales == frozenset({"en-GB"})


# -- keys given twice ---------------------------------------------------------------------------------------------


def test_a_key_given_twice_stops_the_skill_and_the_build(tmp_path):
    path = campaign_with(tmp_path, "  release_date: 2027-03-20\n", "  release_date: 2027-03-20\n"
                         "  release_date: 2027-03-21\n")
    first = line_of(path, "release_date: 2027-03-20")
    assert problems_of(path) == [f"line {first + 1}: album.release_date: `release_date` is given twice (lines "
                                 f"{first} and {first + 1}); YAML keeps only the last one. Fix: remove or merge "
                                 "one of them"]
    with pytest.raises(ManifestError, match="is given twice"):
        compile_manifest(path, tmp_path)
    assert not (tmp_path / "campaign.manifest.json").exists()


def test_a_problem_hidden_in_the_first_of_two_values_is_reported_too(tmp_path):
    # GIVEN a release date written the British way, then again correctly below it
    path = campaign_with(tmp_path, "  release_date: 2027-03-20\n", "  release_date: 15/01/2027\n"
                         "  release_date: 2027-03-20\n")
    first = line_of(path, "release_date: 15/01/2027")
    # THEN both the repetition and the problem in the value YAML ignores are reported, each at its line
    assert problems_of(path) == [
        f"line {first + 1}: album.release_date: `release_date` is given twice (lines {first} and {first + 1}); "
        "YAML keeps only the last one. Fix: remove or merge one of them",
        f"line {first}: album.release_date: expected a date, found '15/01/2027' (in the first `release_date`, "
        "which YAML ignores). Fix: write the date alone as YYYY-MM-DD, e.g. 2027-01-15 (no time of day)"]


def test_a_key_given_twice_inside_a_list_entry_names_the_entry(tmp_path):
    path = campaign_with(tmp_path, "    transcript: Max tip one.\n", "    transcript: Max tip one.\n"
                         "    transcript: Max tip one again.\n")
    [problem] = problems_of(path)
    assert f"line {line_of(path, 'Max tip one again')}: tips[2].transcript: `transcript` is given twice" in problem


# -- words the skill would say wrongly ----------------------------------------------------------------------------


@pytest.mark.parametrize(("character", "name"), [
    ("\u200b", "ZERO WIDTH SPACE"), ("\u202e", "RIGHT-TO-LEFT OVERRIDE"), ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"), ("\u00ad", "SOFT HYPHEN"), ("\x07", "a control character"),
])
def test_an_invisible_or_bidi_control_character_in_a_transcript_stops_the_parser(character, name):
    data = _fixture_data()
    data["tips"][2]["transcript"] = f"Max tip{character} one."
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    [problem] = caught.value.problems
    assert (problem.path, problem.message) == (
        "tips[2].transcript", f"contains the invisible character U+{ord(character):04X} ({name}) at character 8")
    assert problem.fix.startswith("retype the text without it")


def test_ssml_markup_in_a_transcript_or_a_sentence_stops_the_parser():
    data = _fixture_data()
    data["tips"][0]["transcript"] = 'Ivy <break time="1s"/> tip one.'
    data["speech"]["default"]["help"] = "<say-as interpret-as='digits'>42</say-as> Help."
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data)
    assert [(p.path, p.message.split(";")[0]) for p in caught.value.problems] == [
        ("tips[0].transcript", 'contains SSML markup `<break time="1s"/>`'),
        ("speech.default.help", "contains SSML markup `<say-as interpret-as='digits'>`")]


def test_ampersands_and_angle_brackets_that_are_not_markup_are_fine():
    data = _fixture_data()
    data["tips"][0]["transcript"] = "Rock & roll <3, and 2 < 3 > 1."
    assert parse_manifest(data).tips[0].transcript.default == "Rock & roll <3, and 2 < 3 > 1."


def test_a_packed_manifest_with_an_invisible_character_stops_the_cold_start(tmp_path):
    # GIVEN a packed (JSON) manifest, as the skill reads it in Lambda without a YAML parser
    compiled = compile_manifest(CAMPAIGN, tmp_path)
    compiled.write_text(compiled.read_text().replace("Ivy tip one.", "Ivy tip\u200b one."))
    with pytest.raises(ManifestError, match=r"tips\[0\].transcript: contains the invisible character U\+200B"):
        read_manifest(compiled)


# -- files that are not YAML text -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing here yet\n"], ids=["empty", "blank-lines", "comment"])
def test_an_empty_file_is_reported_at_line_1_with_what_to_write(tmp_path, text):
    path = tmp_path / "campaign.yaml"
    path.write_text(text)
    assert problems_of(path) == [
        "line 1: (top level): is empty (line 1, column 1): it holds no campaign. Fix: write the campaign in it; "
        "start from a copy of the demo campaign, audio_manifest/lantern-foxes.yaml in the dropday repository"]


def test_a_file_that_is_not_utf8_gets_the_line_and_column_and_how_to_save_it(tmp_path):
    path = tmp_path / "campaign.yaml"
    path.write_bytes(CAMPAIGN.read_text().replace("Max tip one.", "Max tip one, café.").encode("cp1252"))
    line = CAMPAIGN.read_text().splitlines().index("    transcript: Max tip one.") + 1
    column = len("    transcript: Max tip one, caf") + 1
    assert problems_of(path) == [
        f"line {line}: (top level): is not UTF-8 text: the byte 0xE9 at line {line}, column {column} is not UTF-8 "
        "(the file was probably saved as Latin-1 or Windows-1252). Fix: save the file as UTF-8 (in most editors: "
        "Save As, then choose the encoding UTF-8)"]


def test_the_yaml_reader_gives_every_tool_the_same_data_and_lines():
    document = read_yaml(CAMPAIGN)
    assert document.data["campaign"] == "test-band"
    assert document.lines("album.release_date") == line_of(CAMPAIGN, "release_date:")
    assert document.problems == ()


def _fixture_data() -> dict:
    return json.loads(json.dumps(read_yaml(CAMPAIGN).data, default=str))
