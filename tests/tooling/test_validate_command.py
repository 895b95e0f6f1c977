"""`dropday validate`: every problem at once, each with file, line, place, what is wrong and the fix.

The tests run on a copy of the fixture campaign (tests/fixtures/workspace, `night-owls`), never on
the shipped campaigns' content.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dropday.content import read_manifest
from dropday.tooling import publish
from support import FIXTURE_CAMPAIGN
from tooling_helpers import clip_file, edit, line_of, manifest_file, models_dir

MANIFEST = f"audio_manifest/{FIXTURE_CAMPAIGN}.yaml"
CLIPS = f"audio_manifest/audio/{FIXTURE_CAMPAIGN}"
MODELS = f"interaction_models/{FIXTURE_CAMPAIGN}"
#: The fixture is a version-1 file: its eight tips are read as the eight pieces of one section, `tips`.
ALL_GOOD = "audio_manifest: 1 campaign, 1 section, 8 pieces, 12 clips, 5 locale models: all good"


def problems(run) -> list[str]:
    """The problem lines (no notes, no closing summary)."""
    return [line for line in run.out[:-1] if ": note: " not in line]


def notes(run, about: str = "") -> list[str]:
    """The note lines (those containing `about`)."""
    return [line for line in run.out if ": note: " in line and about in line]


def summary(run) -> str:
    """The closing summary, without the count of notes (notes never fail a campaign)."""
    return re.sub(r" \(\d+ notes? above\)$", "", run.out[-1])


def all_good(run) -> bool:
    return not problems(run) and summary(run) == ALL_GOOD and run.status == 0


def test_a_campaign_with_nothing_wrong_gets_a_one_line_summary(dropday, workspace):
    run = dropday("validate")
    assert all_good(run), run.text
    # AND a version-1 file is served as it is, with a note saying how it is read and where to read how to move it
    [note] = notes(run, "schema_version 1 is read as version 2")
    assert note.startswith(f"{MANIFEST}:{line_of(manifest_file(workspace), 'schema_version: 1')}: note: ")
    assert "`tips:` became the section `tips`" in note and "README's \"Moving a version 1 campaign\"" in note


# -- clips: real files, each with its own message -----------------------------------------------------------


def test_a_real_mp3_at_the_wrong_rate_is_described_and_the_fix_is_a_command(dropday, workspace, studio):
    shutil.copy(studio.take_mp3, clip_file(workspace, "tips/june-warm-up.mp3"))

    run = dropday("validate")

    line = line_of(manifest_file(workspace), "audio: tips/june-warm-up.mp3")
    clip = f"{CLIPS}/tips/june-warm-up.mp3"
    assert problems(run) == [
        f"{MANIFEST}:{line}: tip june-warm-up, audio: {clip} is MPEG-1 layer III at 128 kbps and 44100 Hz; Alexa "
        "plays only MPEG-2 layer III at 48 kbps and 16000, 22050 or 24000 Hz. Fix: re-encode it with "
        f"`dropday audio convert {clip} --out {CLIPS}/tips` (or convert the original recording the same way)"]
    assert summary(run) == "audio_manifest: 1 problem in 1 file; fix them and run dropday validate again"
    assert run.status == 1


def test_an_mpeg2_clip_at_32_kbps_is_rejected_for_its_bit_rate(dropday, workspace, studio):
    shutil.copy(studio.mpeg2_32k, clip_file(workspace, "tips/otto-metronome.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert "tip otto-metronome, audio: " in problem and "is MPEG-2 layer III at 32 kbps and 22050 Hz" in problem
    assert run.status == 1


def test_a_truncated_mp3_is_reported_as_cut_off(dropday, workspace, studio):
    shutil.copy(studio.truncated, clip_file(workspace, "tips/bea-space.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert f"tip bea-space, audio: {CLIPS}/tips/bea-space.mp3 is cut off: the audio stops after 1.0 s in the " \
           "middle of a frame" in problem
    assert "Fix: copy or export it again from the original recording" in problem
    assert run.status == 1


def test_a_wav_renamed_to_mp3_is_recognised_from_its_bytes(dropday, workspace, studio):
    shutil.copy(studio.wav_renamed, clip_file(workspace, "countdown/out-now.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert f"countdown.out_now.audio: {CLIPS}/countdown/out-now.mp3 is a WAV file renamed to .mp3, not an MP3" \
           in problem
    assert run.status == 1


@pytest.mark.parametrize(("fake", "kind"), [("take_flac", "a FLAC file"), ("take_m4a", "an MP4/M4A (AAC) file")])
def test_other_formats_renamed_to_mp3_are_named(dropday, workspace, studio, fake, kind):
    shutil.copy(getattr(studio, fake), clip_file(workspace, "tips/otto-tea.mp3"))
    [problem] = problems(dropday("validate"))
    assert f"otto-tea.mp3 is {kind} renamed to .mp3" in problem


def test_a_clip_over_240_seconds_is_refused_with_its_length(dropday, workspace, studio):
    shutil.copy(studio.long_clip, clip_file(workspace, "countdown/one-week.mp3"))
    run = dropday("validate")
    line = line_of(manifest_file(workspace), "audio: countdown/one-week.mp3")
    assert problems(run) == [
        f"{MANIFEST}:{line}: countdown.lines[1].audio: {CLIPS}/countdown/one-week.mp3 is 241.1 s long; Alexa plays "
        "at most 240 s in one clip. Fix: shorten it, or split it into two tips"]


def test_an_empty_file_is_reported_as_empty(dropday, workspace):
    clip_file(workspace, "tips/bea-first-take.mp3").write_bytes(b"")
    [problem] = problems(dropday("validate"))
    assert "bea-first-take.mp3 is empty (0 bytes)" in problem


def test_a_missing_clip_suggests_the_file_whose_name_differs_only_in_case(dropday, workspace):
    edit(manifest_file(workspace), "audio: tips/otto-metronome.mp3", "audio: tips/Otto-Metronome.mp3")
    [problem] = problems(dropday("validate"))
    assert f"tip otto-metronome, audio: {CLIPS}/tips/Otto-Metronome.mp3 does not exist. Fix: rename the file or " \
           "the path so the letters match exactly: the file is otto-metronome.mp3 (web addresses are " \
           "case-sensitive)" in problem


def test_a_missing_clip_suggests_a_close_name(dropday, workspace):
    edit(manifest_file(workspace), "audio: tips/otto-metronome.mp3", "audio: tips/otto-metronom.mp3")
    [problem] = problems(dropday("validate"))
    assert "did you mean otto-metronome.mp3?" in problem


# -- files nothing uses: notes, which never fail ----------------------------------------------------------------


def test_a_clip_and_an_image_that_nothing_uses_are_notes_and_validation_still_passes(dropday, workspace, studio):
    # GIVEN a take converted ahead of its tip, and a picture nobody refers to
    shutil.copy(studio.good_clip, clip_file(workspace, "tips/otto-brushes.mp3"))
    clip_file(workspace, "images/cover.png").parent.mkdir()
    clip_file(workspace, "images/cover.png").write_bytes(b"\x89PNG\r\n")
    # WHEN validating
    run = dropday("validate")
    # THEN each is a note naming the file, and all is still good
    assert notes(run, " uses ") == [
        f"{CLIPS}/images/cover.png: note: nothing in {MANIFEST} uses images/cover.png. Add the entry that uses it, "
        "or delete the file if it is not needed (publishing uploads only what the manifest names)",
        f"{CLIPS}/tips/otto-brushes.mp3: note: nothing in {MANIFEST} uses tips/otto-brushes.mp3. Add the entry that "
        "uses it, or delete the file if it is not needed (publishing uploads only what the manifest names)"]
    assert all_good(run)


def test_a_member_with_nothing_recorded_yet_is_a_note_at_the_member(dropday, workspace):
    # GIVEN a new member added before any of their pieces
    edit(manifest_file(workspace), "\nalbum:\n", "  - id: lena\n    name: Lena\n    synonyms: [keys]\n\nalbum:\n")
    assert dropday("models", "sync").status == 0
    # WHEN validating
    run = dropday("validate")
    # THEN a note at Lena's line says what listeners would hear, and how to give her pieces
    assert notes(run, "Lena") == [
        f"{MANIFEST}:{line_of(manifest_file(workspace), '  - id: lena')}: note: member lena: Lena has no pieces in any section yet, "
        "so listeners who ask for something from Lena hear that they haven't recorded anything. Add pieces with "
        '`member: lena` to a section (see the README, "Add a tip")']
    assert all_good(run)


def test_a_half_converted_clip_left_behind_by_convert_is_not_a_note(dropday, workspace, studio):
    shutil.copy(studio.good_clip, clip_file(workspace, "tips/.converting-x1y2.mp3"))
    run = dropday("validate")
    assert all_good(run) and notes(run, " uses ") == []


# -- the manifest itself -------------------------------------------------------------------------------------


def test_broken_yaml_is_explained_in_plain_words_at_its_place(dropday, workspace):
    edit(manifest_file(workspace), "  title: Moth Light\n", "  title: Moth: Light\n")
    run = dropday("validate")
    line = line_of(manifest_file(workspace), "title: Moth: Light")
    assert problems(run) == [
        f"{MANIFEST}:{line}: album.title: is not valid YAML: the text on this line contains ': ' (a colon and a "
        "space), which YAML reads as the start of another key (PyYAML: mapping values are not allowed in this "
        "context). Fix: put the whole text in double quotes, e.g. title: \"Live: The Tour\"; inside them, "
        "write a double quote as \\\""]
    assert run.status == 1


def test_a_line_indented_more_than_the_one_above_is_said_so_with_the_tip_it_belongs_to(dropday, workspace):
    edit(manifest_file(workspace), "    member: otto\n    audio: tips/otto-tea.mp3",
         "    member: otto\n      audio: tips/otto-tea.mp3")
    [problem] = problems(dropday("validate"))
    line = line_of(manifest_file(workspace), "      audio: tips/otto-tea.mp3")
    assert problem.startswith(f"{MANIFEST}:{line}: tip otto-tea, audio: is not valid YAML: this line is indented "
                              "more than the one above it")
    assert problem.endswith("Fix: indent it with the same number of spaces as the line above")


def test_a_line_indented_less_than_its_block_is_said_so(dropday, workspace):
    edit(manifest_file(workspace), "    goodbye: Thanks for listening. See you",
         "   goodbye: Thanks for listening. See you")
    [problem] = problems(dropday("validate"))
    assert ": speech.default.goodbye: is not valid YAML: this line is indented less than the lines of the block " \
           "it belongs to" in problem


def test_a_tab_and_an_unclosed_quote_are_named(dropday, workspace):
    edit(manifest_file(workspace), "    name: Otto\n", "\tname: Otto\n")
    assert "this line is indented with a tab; YAML allows only spaces" in problems(dropday("validate"))[0]
    edit(manifest_file(workspace), "\tname: Otto\n", "    name: \"Otto\n")
    [problem] = problems(dropday("validate"))
    line = line_of(manifest_file(workspace), 'name: "Otto')
    assert f":{line}: member otto, name: is not valid YAML: a quote mark opened on this line is never closed" in problem


def test_every_problem_in_every_file_is_listed_in_one_run(dropday, workspace, studio):
    # GIVEN a second campaign with broken YAML, and in the fixture: a parser problem, a bad clip and a statement
    # where a question belongs
    (workspace / "audio_manifest" / "encore.yaml").write_text("campaign: encore\nmembers: [\n")
    edit(manifest_file(workspace), "    member: otto\n    audio: tips/otto-metronome.mp3",
         "    member: max\n    audio: tips/otto-metronome.mp3")
    shutil.copy(studio.wav_renamed, clip_file(workspace, "tips/june-notebook.mp3"))
    edit(manifest_file(workspace), "offer_another_tip: Want another tip?", "offer_another_tip: Want another tip.")

    run = dropday("validate")

    # THEN each is reported, in file and line order
    places = [line.split(": ")[0:2] for line in problems(run)]
    assert places == [
        ["audio_manifest/encore.yaml:2", "members"],
        [f"{MANIFEST}:{line_of(manifest_file(workspace), 'audio: tips/june-notebook.mp3')}",
         "tip june-notebook, audio"],
        [f"{MANIFEST}:{line_of(manifest_file(workspace), 'member: max')}", "tip otto-metronome, member"],
        [f"{MANIFEST}:{line_of(manifest_file(workspace), 'offer_another_tip:')}", "speech.default.offer_another_tip"],
    ]
    assert "`max` is not a member id. Fix: use one of: bea, june, otto" in run.text
    assert summary(run) == "audio_manifest: 4 problems in 2 files; fix them and run dropday validate again"
    assert run.status == 1


def test_an_unknown_member_close_to_a_known_one_gets_did_you_mean(dropday, workspace):
    edit(manifest_file(workspace), "    member: otto\n    audio: tips/otto-tea.mp3",
         "    member: oto\n    audio: tips/otto-tea.mp3")
    [problem] = problems(dropday("validate"))
    assert problem.endswith("tip otto-tea, member: `oto` is not a member id. Fix: did you mean otto? Otherwise use "
                            "one of: bea, june, otto")


def test_places_keep_the_index_where_the_id_is_the_problem(dropday, workspace):
    edit(manifest_file(workspace), "  - id: june-notebook\n", "  - id: june-warm-up\n")
    [problem] = problems(dropday("validate"))
    lines = manifest_file(workspace).read_text().splitlines()
    second = [n for n, line in enumerate(lines, start=1) if line == "  - id: june-warm-up"][1]
    assert problem.startswith(f"{MANIFEST}:{second}: "
                              "tips[1].id: `june-warm-up` is used by another piece in this section. Fix: give each "
                              "piece its own id")


def test_a_key_given_twice_is_reported_because_yaml_would_silently_keep_the_last(dropday, workspace):
    edit(manifest_file(workspace), "    member: bea\n    audio: tips/bea-space.mp3",
         "    member: bea\n    member: otto\n    audio: tips/bea-space.mp3")
    [problem] = problems(dropday("validate"))
    first = line_of(manifest_file(workspace), "audio: tips/bea-space.mp3") - 2  # member: bea, member: otto, audio
    assert problem == (f"{MANIFEST}:{first + 1}: tip bea-space, member: `member` is given twice (lines {first} and "
                       f"{first + 1}); YAML keeps only the last one. Fix: remove or merge one of them")


def test_a_schema_edited_into_an_invalid_one_is_named_with_the_fix(dropday, workspace):
    shipped = Path(__file__).resolve().parents[2] / "audio_manifest" / "schema"
    shutil.copytree(shipped, workspace / "audio_manifest" / "schema")
    schema_file = workspace / "audio_manifest" / "schema" / "manifest.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["type"] = "a campaign"
    schema_file.write_text(json.dumps(schema))
    run = dropday("validate")
    assert run.status == 1
    assert any(line.startswith("audio_manifest/schema/manifest.schema.json: the manifest schema cannot be used")
               and line.endswith("Fix: restore it from the repository") for line in run.out), run.out


def test_schema_errors_are_reported_at_their_line(dropday, workspace):
    # GIVEN a schema stricter than the parser (an editor's schema can say more than the skill checks): the
    # version-1 schema, which the manifest schema refers a version-1 file like the fixture to
    shipped = Path(__file__).resolve().parents[2] / "audio_manifest" / "schema"
    shutil.copytree(shipped, workspace / "audio_manifest" / "schema")
    schema_file = workspace / "audio_manifest" / "schema" / "manifest.v1.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["artist"]["properties"]["name"] = {"type": "string", "maxLength": 10,
                                                            "description": "A short name."}
    schema_file.write_text(json.dumps(schema))

    [problem] = problems(dropday("validate"))

    line = line_of(manifest_file(workspace), "name: The Night Owls")
    assert problem == (f"{MANIFEST}:{line}: artist.name: does not match the schema: 'The Night Owls' is too long. "
                       "Fix: a short name")


def test_a_schema_copied_without_the_version_1_schema_still_checks_a_version_1_file(dropday, workspace):
    # GIVEN a label's own copy of the manifest schema, without manifest.v1.schema.json beside it
    shipped = Path(__file__).resolve().parents[2] / "audio_manifest" / "schema" / "manifest.schema.json"
    (workspace / "audio_manifest" / "schema").mkdir()
    shutil.copy(shipped, workspace / "audio_manifest" / "schema" / "manifest.schema.json")
    # WHEN the version-1 fixture is validated, THEN the schema refers it to the version-1 schema the repository
    # ships (rather than failing to find it), and all is good
    assert all_good(dropday("validate"))


def test_a_problem_both_the_schema_and_the_parser_see_is_reported_once(dropday, workspace):
    edit(manifest_file(workspace), "campaign: night-owls\n", "campaign: night-owls\ncolour: blue\n")
    run = dropday("validate")
    assert [p.split(": ")[1] for p in problems(run)] == ["colour"]
    assert "is not a known key" in run.text


# -- dates, words and questions ---------------------------------------------------------------------------------


def test_a_tip_that_ends_before_the_campaign_starts_is_reported(dropday, workspace):
    edit(manifest_file(workspace), "    available: {from: 2026-12-18}", "    available: {until: 2026-02-18}")
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MANIFEST}:{line_of(manifest_file(workspace), 'available: {until: 2026-02-18}')}: ")
    assert "tip june-notebook, available.until: 2026-02-18 is before the campaign starts (2026-12-16, the first " \
           "recorded countdown line, 30 days before release), so no listener would ever hear this piece" in problem


def test_a_date_more_than_a_year_from_the_release_is_reported_as_a_likely_typo(dropday, workspace):
    edit(manifest_file(workspace), "available: {from: 2027-01-01}", "available: {from: 2028-03-01}")
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MANIFEST}:{line_of(manifest_file(workspace), 'available: {from: 2028-03-01}')}: ")
    assert "tip bea-first-take, available.from: 2028-03-01 is 411 days after the release (2027-01-15); dates over " \
           "a year away are usually a typo. Fix: check the year and the month" in problem


def test_ssml_markup_in_a_sentence_is_reported(dropday, workspace):
    edit(manifest_file(workspace), "help: I can play", "help: <break time=\"1s\"/> I can play")
    [problem] = problems(dropday("validate"))
    assert "speech.default.help: contains SSML markup `<break time=\"1s\"/>`; the skill escapes every text" in problem


def test_an_invisible_control_character_is_reported(dropday, workspace):
    edit(manifest_file(workspace), "    transcript: Play fewer notes.", "    transcript: \"Play fewer\\x07 notes.")
    edit(manifest_file(workspace), "where the groove lives.\n", "where the groove lives.\"\n")
    [problem] = problems(dropday("validate"))
    assert "tip bea-space, transcript: contains the invisible character U+0007" in problem


def test_ampersands_and_angle_brackets_in_text_are_fine(dropday, workspace):
    edit(manifest_file(workspace), "  title: Moth Light", "  title: Moth & <Light>")
    assert dropday("validate").status == 0


def test_a_sentence_that_asks_must_end_with_a_question_mark(dropday, workspace):
    edit(manifest_file(workspace), "reprompt_another_tip: Would you like another tip from the band?",
         "reprompt_another_tip: Say yes for another tip.")
    [problem] = problems(dropday("validate"))
    assert problem.endswith("speech.default.reprompt_another_tip: does not end with a question mark, but the skill "
                            "asks it and then waits for an answer (Alexa's certification requires a question there). "
                            "Fix: phrase it as a question ending in '?', e.g. 'Say yes for another tip?'")


def test_sentences_for_a_locale_without_an_interaction_model_are_reported(dropday, workspace):
    edit(manifest_file(workspace), "  en-US:\n", "  en-NZ:\n    goodbye: Cheers!\n  en-US:\n")
    [problem] = problems(dropday("validate"))
    assert "speech.en-NZ: names the locale en-NZ, which has no interaction model, so no listener ever hears this" \
           in problem


def test_a_response_over_8000_characters_is_reported(dropday, workspace):
    edit(manifest_file(workspace), "    help: I can play", "    help: " + "Tips and more tips. " * 410 + "I can play")
    run = dropday("validate")
    [problem] = [p for p in problems(run) if "characters of SSML" in p]
    assert "speech.default.help: the response for help is 8" in problem
    assert "Alexa allows 8000, so the skill would cut off the end. Fix: shorten the text" in problem


# -- the interaction models -----------------------------------------------------------------------------------


def test_a_member_missing_from_every_model_is_one_finding_naming_the_five_files(dropday, workspace):
    # GIVEN a new member, and models not synced since
    edit(manifest_file(workspace), "\nalbum:\n", "  - id: lena\n    name: Lena\n    synonyms: [keys]\n\nalbum:\n")
    # WHEN validating
    run = dropday("validate")
    # THEN one line says what all five models lack, and how to fix it
    assert problems(run) == [
        f"{MODELS}: BAND_MEMBER: en-AU.json, en-CA.json, en-GB.json, en-IN.json and en-US.json do not match the "
        f"members of {MANIFEST}: lack member `lena` ('keys', 'lena'). Fix: run `{_sync(dropday)}`"]
    assert summary(run) == "audio_manifest: 1 problem in 1 file; fix them and run dropday validate again"


def test_a_new_synonym_missing_from_the_models_is_reported_with_the_words_on_both_sides(dropday, workspace):
    edit(manifest_file(workspace), "synonyms: [otto berg, the drummer, drums]", "synonyms: [otto berg, the drummer]")
    edit(manifest_file(workspace), "synonyms: [june moss, the singer]", "synonyms: [june moss, the vocalist]")
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MODELS}: BAND_MEMBER: en-AU.json, en-CA.json, en-GB.json, en-IN.json and en-US.json "
                              f"do not match the members of {MANIFEST}: lack 'the vocalist' (june), and still list "
                              "'the singer' (june); 'drums' (otto). Fix: run `")


def test_a_member_left_in_one_model_is_stale_in_that_file(dropday, workspace):
    model_file = models_dir(workspace) / "en-US.json"
    model = json.loads(model_file.read_text())
    values = model["interactionModel"]["languageModel"]["types"][0]["values"]
    values.append({"id": "max", "name": {"value": "max", "synonyms": ["the roadie"]}})
    model_file.write_text(json.dumps(model, indent=2))
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MODELS}/en-US.json:{line_of(model_file, 'BAND_MEMBER')}: BAND_MEMBER: does not "
                              f"match the members of {MANIFEST}: still lists member `max` with 'max', 'the roadie'")


def test_a_model_edited_by_hand_is_reported_as_different_from_the_samples(dropday, workspace):
    model_file = models_dir(workspace) / "en-GB.json"
    model_file.write_text(model_file.read_text().replace('"give me a tip",', '"give me a tip", "tip me",', 1))
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MODELS}/en-GB.json: differs from the sample utterances in interaction_models/"
                              "samples/ (TipIntent). Fix: run `")


def test_a_section_word_missing_from_the_models_names_the_section_and_the_sync(dropday, workspace):
    # GIVEN models made before the section's words changed (here: its synonym taken out of the models)
    for model_file in models_dir(workspace).glob("en-*.json"):
        model = json.loads(model_file.read_text())
        [section] = [t for t in model["interactionModel"]["languageModel"]["types"] if t["name"] == "SECTION"]
        section["values"][0]["name"]["synonyms"] = []
        model_file.write_text(json.dumps(model, indent=2))
    # THEN validate names what the models lack in the content team's words, once, with the command
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MODELS}: en-AU.json, en-CA.json, en-GB.json, en-IN.json and en-US.json do not have "
                              "the words listeners use for what the manifest says now: they lack the words of section "
                              "`tips`. Fix: run `")


def test_a_locale_published_without_a_model_and_a_model_of_no_locale_are_reported(dropday, workspace):
    (models_dir(workspace) / "en-CA.json").rename(models_dir(workspace) / "en-NZ.json")
    assert problems(dropday("validate")) == [
        f"{MODELS}: has no model for en-CA, which skill.json publishes. Fix: run `{_sync(dropday)}`",
        f"{MODELS}: en-NZ.json is not a locale of its skill.json, so no skill ever uses it. Fix: delete it, or add "
        "the locale under publishingInformation.locales in skill.json and run the sync again"]


def test_a_campaign_without_a_models_folder_is_told_how_to_make_one(dropday, workspace):
    shutil.rmtree(models_dir(workspace))
    [problem] = problems(dropday("validate"))
    assert problem.startswith(f"{MODELS}: does not exist, so campaign {FIXTURE_CAMPAIGN} has no interaction models "
                              "(it needs its own skill). Fix: create it with a skill.json copied from another "
                              "campaign's folder")


def test_an_invocation_name_alexa_would_refuse_is_reported_at_the_artist(dropday, workspace):
    edit(manifest_file(workspace), "  name: The Night Owls", "  name: Owls")
    [problem] = [p for p in problems(dropday("validate")) if "invocation" in p]
    assert problem == (f"{MANIFEST}:{line_of(manifest_file(workspace), 'name: Owls')}: artist.name: gives the "
                       "invocation name 'owls' (what listeners say to open the skill), which needs at least two words. "
                       "Fix: add `invocation_name:` at the top of the manifest: two or more lowercase words listeners "
                       "say to open the skill, e.g. `invocation_name: owls songs`")


def _sync(dropday) -> str:
    from dropday.tooling.findings import dropday_command
    return f"{dropday_command()} models sync"


# -- publishing and the command line -------------------------------------------------------------------------


def test_a_clip_replaced_since_the_last_publish_is_reported(dropday, workspace, studio):
    # GIVEN a campaign published once, then a clip that `dropday audio convert` replaced
    manifest = read_manifest(manifest_file(workspace))
    audio = workspace / CLIPS
    publish.write_index(workspace / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.published.json", FIXTURE_CAMPAIGN,
                        publish.plan(FIXTURE_CAMPAIGN, audio, manifest.audio_paths))
    assert dropday("validate").status == 0
    shutil.copy(studio.good_clip, audio / "tips" / "bea-space.mp3")
    # WHEN validating
    [problem] = problems(dropday("validate"))
    # THEN it says the deployed skill would not play the new recording
    assert "tip bea-space, audio: tips/bea-space.mp3 was replaced (re-recorded or converted again) since the last " \
           f"`dropday audio publish` (audio_manifest/{FIXTURE_CAMPAIGN}.published.json)" in problem
    assert "Fix: run `dropday audio publish --bucket <audio bucket>`" in problem


def test_one_manifest_file_can_be_validated(dropday, workspace):
    run = dropday("validate", MANIFEST)
    assert run.status == 0


def test_campaign_picks_one_of_several(dropday, workspace):
    # GIVEN a second campaign that has problems
    (workspace / "audio_manifest" / "encore.yaml").write_text("campaign: encore\n")
    assert dropday("validate").status == 1
    # WHEN only the fixture campaign is validated, THEN the other is not looked at
    assert all_good(dropday("validate", "--campaign", FIXTURE_CAMPAIGN))
    unknown = dropday("validate", "--campaign", "nope")
    assert unknown.status == 2
    assert unknown.err == "dropday validate: there is no campaign `nope` in audio_manifest (found: encore, " \
                          f"{FIXTURE_CAMPAIGN})\n"


def test_a_path_that_does_not_exist_is_a_usage_error(dropday, workspace):
    run = dropday("validate", "nowhere")
    assert run.status == 2
    assert run.err == "dropday validate: nowhere does not exist; give a folder of manifests or a manifest file\n"


def test_a_folder_without_manifests_is_a_usage_error(dropday, workspace: Path):
    (workspace / "empty").mkdir()
    run = dropday("validate", "empty")
    assert run.status == 2
    assert "holds no campaign manifest" in run.err


def test_the_responses_measured_are_the_ones_the_skill_builds_with_each_sentence(fixture_workspace):
    # The per-response limits are only as good as the responses built: each scenario must really
    # contain the sentence it is filed under, as the skill's dialog functions say it.
    from dropday.content import read_yaml
    from dropday.core.campaign.parse import parse_places
    from dropday.tooling import responses

    parsed = parse_places(read_yaml(fixture_workspace / MANIFEST).data)
    written = {p.path: p.value for p in parsed.places if p.kind == "sentence" and p.path.startswith("speech.default.")}
    measured = []
    for scenario in responses._scenarios(parsed.manifest, None, responses._Where(list(parsed.places), None)):
        if scenario.path not in written:
            continue
        reply = scenario.build()
        spoken = reply.said.plain + " " + (reply.reprompt.plain if reply.reprompt else "")
        [variant] = written[scenario.path].variants
        assert variant.recording.transcript.default.split("{")[0] in spoken, scenario.label
        measured.append(scenario.path)
    # AND the answers every campaign has are among them (no_tips_available is version 1's nothing_available)
    assert {"speech.default.welcome_first", "speech.default.help", "speech.default.goodbye",
            "speech.default.countdown_days", "speech.default.no_tips_available"} <= set(measured)
