"""`dropday validate`: every problem at once, each with file, line, place, what is wrong and the fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dropday.content import read_manifest
from dropday.tooling import publish
from support import REPO
from tooling_helpers import DEMO_CAMPAIGN, clip_file, edit, line_of, manifest_file

MANIFEST = f"audio_manifest/{DEMO_CAMPAIGN}.yaml"
CLIPS = f"audio_manifest/audio/{DEMO_CAMPAIGN}"


def problems(run) -> list[str]:
    """The problem lines (everything but the closing summary)."""
    return run.out[:-1]


# -- the shipped demo ------------------------------------------------------------------------------------


def test_the_shipped_demo_campaign_validates_with_a_one_line_summary(dropday, monkeypatch):
    # GIVEN the repository as shipped
    monkeypatch.chdir(REPO)
    demo = read_manifest(REPO / MANIFEST)
    # WHEN the content team validates it
    run = dropday("validate")
    # THEN all is well, in one line
    assert run.out == [f"audio_manifest: 1 campaign, {len(demo.tips)} tips, {len(demo.audio_paths)} clips, "
                       "5 locale models: all good"]
    assert run.status == 0


def test_a_copy_of_the_demo_validates_too(dropday, demo):
    run = dropday("validate")
    assert run.status == 0
    assert run.out[-1].endswith("all good")


# -- clips: real files, each with its own message -----------------------------------------------------------


def test_a_real_mp3_at_the_wrong_rate_is_described_and_the_fix_is_a_command(dropday, demo, studio):
    shutil.copy(studio.take_mp3, clip_file(demo, "tips/ada-humming-warmup.mp3"))

    run = dropday("validate")

    line = line_of(manifest_file(demo), "audio: tips/ada-humming-warmup.mp3")
    clip = f"{CLIPS}/tips/ada-humming-warmup.mp3"
    assert problems(run) == [
        f"{MANIFEST}:{line}: tips[0].audio: {clip} is MPEG-1 layer III at 128 kbps and 44100 Hz; Alexa plays only "
        "MPEG-2 layer III at 48 kbps and 16000, 22050 or 24000 Hz. Fix: re-encode it with "
        f"`dropday audio convert {clip} --out {CLIPS}/tips` (or convert the original recording the same way)"]
    assert run.out[-1] == "audio_manifest: 1 problem in 1 file; fix them and run dropday validate again"
    assert run.status == 1


def test_an_mpeg2_clip_at_32_kbps_is_rejected_for_its_bit_rate(dropday, demo, studio):
    shutil.copy(studio.mpeg2_32k, clip_file(demo, "tips/rui-open-tuning.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert "tips[3].audio: " in problem and "is MPEG-2 layer III at 32 kbps and 22050 Hz" in problem
    assert run.status == 1


def test_a_truncated_mp3_is_reported_as_cut_off(dropday, demo, studio):
    shutil.copy(studio.truncated, clip_file(demo, "tips/noor-play-less.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert f"tips[6].audio: {CLIPS}/tips/noor-play-less.mp3 is cut off: the audio stops after 1.0 s in the " \
           "middle of a frame" in problem
    assert "Fix: copy or export it again from the original recording" in problem
    assert run.status == 1


def test_a_wav_renamed_to_mp3_is_recognised_from_its_bytes(dropday, demo, studio):
    shutil.copy(studio.wav_renamed, clip_file(demo, "countdown/out-now.mp3"))
    run = dropday("validate")
    [problem] = problems(run)
    assert f"countdown.out_now.audio: {CLIPS}/countdown/out-now.mp3 is a WAV file renamed to .mp3, not an MP3" \
           in problem
    assert run.status == 1


@pytest.mark.parametrize(("fake", "kind"), [("take_flac", "a FLAC file"), ("take_m4a", "an MP4/M4A (AAC) file")])
def test_other_formats_renamed_to_mp3_are_named(dropday, demo, studio, fake, kind):
    shutil.copy(getattr(studio, fake), clip_file(demo, "tips/tomasz-tea.mp3"))
    [problem] = problems(dropday("validate"))
    assert f"tomasz-tea.mp3 is {kind} renamed to .mp3" in problem


def test_a_clip_over_240_seconds_is_refused_with_its_length(dropday, demo, studio):
    shutil.copy(studio.long_clip, clip_file(demo, "countdown/one-week.mp3"))
    run = dropday("validate")
    line = line_of(manifest_file(demo), "audio: countdown/one-week.mp3")
    assert problems(run) == [
        f"{MANIFEST}:{line}: countdown.lines[1].audio: {CLIPS}/countdown/one-week.mp3 is 241.1 s long; Alexa plays "
        "at most 240 s in one clip. Fix: shorten it, or split it into two tips"]


def test_an_empty_file_is_reported_as_empty(dropday, demo):
    clip_file(demo, "tips/tomasz-brushes.mp3").write_bytes(b"")
    [problem] = problems(dropday("validate"))
    assert "tomasz-brushes.mp3 is empty (0 bytes)" in problem


def test_a_missing_clip_suggests_the_file_whose_name_differs_only_in_case(dropday, demo):
    edit(manifest_file(demo), "audio: tips/tomasz-brushes.mp3", "audio: tips/Tomasz-Brushes.mp3")
    [problem] = problems(dropday("validate"))
    assert f"tips[10].audio: {CLIPS}/tips/Tomasz-Brushes.mp3 does not exist. Fix: rename the file or the path so " \
           "the letters match exactly: the file is tomasz-brushes.mp3 (web addresses are case-sensitive)" in problem


def test_a_missing_clip_suggests_a_close_name(dropday, demo):
    edit(manifest_file(demo), "audio: tips/tomasz-brushes.mp3", "audio: tips/tomasz-brush.mp3")
    [problem] = problems(dropday("validate"))
    assert "did you mean tomasz-brushes.mp3?" in problem


# -- the manifest itself -------------------------------------------------------------------------------------


def test_broken_yaml_is_reported_with_its_line(dropday, demo):
    edit(manifest_file(demo), "  title: Small Hours Harbour\n", "  title: Small Hours: Harbour\n")
    run = dropday("validate")
    line = line_of(manifest_file(demo), "title: Small Hours: Harbour")
    [problem] = problems(run)
    assert problem.startswith(f"{MANIFEST}:{line}: (top level): is not valid YAML: mapping values are not allowed "
                              "in this context. Fix: check the indentation")
    assert run.status == 1


def test_every_problem_in_every_file_is_listed_in_one_run(dropday, demo, studio):
    # GIVEN a second campaign with broken YAML, and in the demo: a parser problem, a bad clip and a statement
    # where a question belongs
    (demo / "audio_manifest" / "encore.yaml").write_text("campaign: encore\nmembers: [\n")
    edit(manifest_file(demo), "    member: rui\n    audio: tips/rui-open-tuning.mp3",
         "    member: max\n    audio: tips/rui-open-tuning.mp3")
    shutil.copy(studio.wav_renamed, clip_file(demo, "tips/ada-lyric-notebook.mp3"))
    edit(manifest_file(demo), "offer_another_tip: Want another tip?", "offer_another_tip: Want another tip.")

    run = dropday("validate")

    # THEN each is reported, in file and line order
    places = [line.split(": ")[0:2] for line in problems(run)]
    assert places == [
        ["audio_manifest/encore.yaml:3", "(top level)"],
        [f"{MANIFEST}:{line_of(manifest_file(demo), 'audio: tips/ada-lyric-notebook.mp3')}", "tips[1].audio"],
        [f"{MANIFEST}:{line_of(manifest_file(demo), 'member: max')}", "tips[3].member"],
        [f"{MANIFEST}:{line_of(manifest_file(demo), 'offer_another_tip:')}", "speech.default.offer_another_tip"],
    ]
    assert "`max` is not a member id. Fix: use one of: ada, noor, rui, tomasz" in run.text
    assert run.out[-1] == "audio_manifest: 4 problems in 2 files; fix them and run dropday validate again"
    assert run.status == 1


def test_a_key_given_twice_is_reported_because_yaml_would_silently_keep_the_last(dropday, demo):
    edit(manifest_file(demo), "    member: noor\n    audio: tips/noor-play-less.mp3",
         "    member: noor\n    member: rui\n    audio: tips/noor-play-less.mp3")
    [problem] = problems(dropday("validate"))
    first = line_of(manifest_file(demo), "member: noor")
    assert problem == (f"{MANIFEST}:{first + 1}: tips[6].member: `member` is given twice (lines {first} and "
                       f"{first + 1}); YAML keeps only the last one. Fix: remove or merge one of them")


def test_schema_errors_are_reported_at_their_line(dropday, demo):
    # GIVEN a schema stricter than the parser (an editor's schema can say more than the skill checks)
    schema_file = demo / "audio_manifest" / "schema" / "manifest.schema.json"
    schema = json.loads(schema_file.read_text())
    schema["properties"]["artist"]["properties"]["name"] = {"type": "string", "maxLength": 10,
                                                            "description": "A short name."}
    schema_file.write_text(json.dumps(schema))

    [problem] = problems(dropday("validate"))

    line = line_of(manifest_file(demo), "name: The Lantern Foxes")
    assert problem == (f"{MANIFEST}:{line}: artist.name: does not match the schema: 'The Lantern Foxes' is too long. "
                       "Fix: a short name")


def test_a_problem_both_the_schema_and_the_parser_see_is_reported_once(dropday, demo):
    edit(manifest_file(demo), "campaign: lantern-foxes\n", "campaign: lantern-foxes\ncolour: blue\n")
    run = dropday("validate")
    assert [p.split(": ")[1] for p in problems(run)] == ["colour"]
    assert "is not a known key" in run.text


# -- dates, words and questions ---------------------------------------------------------------------------------


def test_a_tip_that_ends_before_the_campaign_starts_is_reported(dropday, demo):
    edit(manifest_file(demo), "    available: {from: 2026-12-18}", "    available: {until: 2026-02-18}")
    [problem] = problems(dropday("validate"))
    assert "tips[2].available.until: 2026-02-18 is before the campaign starts (2026-12-16, the first recorded " \
           "countdown line, 30 days before release), so no listener would ever hear this tip" in problem


def test_a_date_more_than_a_year_from_the_release_is_reported_as_a_likely_typo(dropday, demo):
    edit(manifest_file(demo), "available: {from: 2027-01-01}", "available: {from: 2028-03-01}")
    [problem] = problems(dropday("validate"))
    assert "tips[5].available.from: 2028-03-01 is 411 days after the release (2027-01-15); dates over a year away " \
           "are usually a typo. Fix: check the year and the month" in problem


def test_ssml_markup_in_a_sentence_is_reported(dropday, demo):
    edit(manifest_file(demo), "help: I can play", "help: <break time=\"1s\"/> I can play")
    [problem] = problems(dropday("validate"))
    assert "speech.default.help: contains SSML markup `<break time=\"1s\"/>`; the skill escapes every text" in problem


def test_an_invisible_control_character_is_reported(dropday, demo):
    edit(manifest_file(demo), "    transcript: Play fewer notes than you think.",
         "    transcript: \"Play fewer\\x07 notes than you think.")
    edit(manifest_file(demo), "where the groove lives.\n", "where the groove lives.\"\n")
    [problem] = problems(dropday("validate"))
    assert "tips[6].transcript: contains the invisible character U+0007" in problem


def test_ampersands_and_angle_brackets_in_text_are_fine(dropday, demo):
    edit(manifest_file(demo), "  title: Small Hours Harbour", "  title: Small Hours & <Harbour>")
    assert dropday("validate").status == 0


def test_a_sentence_that_asks_must_end_with_a_question_mark(dropday, demo):
    edit(manifest_file(demo), "reprompt_another_tip: Would you like another tip from the band?",
         "reprompt_another_tip: Say yes for another tip.")
    [problem] = problems(dropday("validate"))
    assert problem.endswith("speech.default.reprompt_another_tip: does not end with a question mark, but the skill "
                            "asks it and then waits for an answer (Alexa's certification requires a question there). "
                            "Fix: phrase it as a question ending in '?', e.g. 'Say yes for another tip?'")


def test_sentences_for_a_locale_without_an_interaction_model_are_reported(dropday, demo):
    edit(manifest_file(demo), "  en-US:\n", "  en-NZ:\n    goodbye: Cheers!\n  en-US:\n")
    [problem] = problems(dropday("validate"))
    assert "speech.en-NZ: names the locale en-NZ, which has no interaction model, so no listener ever hears this" \
           in problem


def test_a_response_over_8000_characters_is_reported(dropday, demo):
    edit(manifest_file(demo), "    help: I can play", "    help: " + "Tips and more tips. " * 410 + "I can play")
    run = dropday("validate")
    [problem] = [p for p in problems(run) if "characters of SSML" in p]
    assert "speech.default.help: the response for help is 8" in problem
    assert "Alexa allows 8000, so the skill would cut off the end. Fix: shorten the text" in problem


# -- the interaction models -----------------------------------------------------------------------------------


def test_a_new_synonym_missing_from_the_models_is_reported_for_each_locale_with_the_command_to_fix_it(dropday, demo):
    edit(manifest_file(demo), "synonyms: [tom, tomasz nowak", "synonyms: [tommy, tomasz nowak")
    run = dropday("validate")
    assert len(problems(run)) == 5
    en_gb = [p for p in problems(run) if p.startswith("interaction_models/en-GB.json:")]
    assert en_gb and en_gb[0].split(": ", 1)[1].startswith(
        f"BAND_MEMBER: does not match the members of {MANIFEST}: lacks 'tommy' (tomasz), and still lists "
        "'tom' (tomasz). Fix: run `")
    assert "scripts/sync_interaction_models.py --manifest audio_manifest/lantern-foxes.yaml --out-dir " \
           "interaction_models`" in en_gb[0]


def test_a_member_left_in_the_models_is_stale(dropday, demo):
    model_file = demo / "interaction_models" / "en-US.json"
    model = json.loads(model_file.read_text())
    values = model["interactionModel"]["languageModel"]["types"][0]["values"]
    values.append({"id": "max", "name": {"value": "max", "synonyms": ["the roadie"]}})
    model_file.write_text(json.dumps(model, indent=2))
    [problem] = problems(dropday("validate"))
    assert "interaction_models/en-US.json:" in problem
    assert "still lists member `max` with 'max', 'the roadie'" in problem


# -- publishing and the command line -------------------------------------------------------------------------


def test_a_clip_changed_since_the_last_publish_is_reported(dropday, demo, studio):
    # GIVEN a campaign published once, then a re-recorded clip
    manifest = read_manifest(manifest_file(demo))
    audio = demo / CLIPS
    publish.write_index(demo / "audio_manifest" / f"{DEMO_CAMPAIGN}.published.json", DEMO_CAMPAIGN,
                        publish.plan(DEMO_CAMPAIGN, audio, manifest.audio_paths))
    assert dropday("validate").status == 0
    shutil.copy(studio.good_clip, audio / "tips" / "rui-old-strings.mp3")
    # WHEN validating
    [problem] = problems(dropday("validate"))
    # THEN it says the deployed skill would not play the new recording
    assert "tips[4].audio: tips/rui-old-strings.mp3 has changed since the last `dropday audio publish` " \
           f"(audio_manifest/{DEMO_CAMPAIGN}.published.json)" in problem
    assert "Fix: run `dropday audio publish --bucket <audio bucket>`" in problem


def test_one_manifest_file_can_be_validated(dropday, demo):
    run = dropday("validate", MANIFEST)
    assert run.status == 0


def test_a_path_that_does_not_exist_is_a_usage_error(dropday, demo):
    run = dropday("validate", "nowhere")
    assert run.status == 2
    assert run.err == "dropday validate: nowhere does not exist; give a folder of manifests or a manifest file\n"


def test_a_folder_without_manifests_is_a_usage_error(dropday, demo: Path):
    (demo / "empty").mkdir()
    run = dropday("validate", "empty")
    assert run.status == 2
    assert "holds no campaign manifest" in run.err


def test_the_responses_measured_are_the_ones_the_skill_builds_with_each_sentence():
    # The per-response limits are only as good as the responses built: each scenario must really
    # contain the sentence it is filed under, as the skill's dialog functions say it.
    from dropday.tooling import responses

    manifest = read_manifest(REPO / MANIFEST)
    paths = {f"speech:default:{key}": f"speech.default.{key}" for key in manifest.phrases.default}
    for scenario in responses._scenarios(manifest, None, paths):
        if not scenario.path.startswith("speech.default."):
            continue
        reply = scenario.build()
        spoken = reply.speech.plain + " " + (reply.reprompt.plain if reply.reprompt else "")
        sentence = manifest.phrases.default[scenario.path.removeprefix("speech.default.")]
        assert sentence.split("{")[0] in spoken, scenario.label
