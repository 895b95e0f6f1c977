"""`dropday models sync`: each campaign's interaction models from its manifest and the sample utterances,
validated first, never half-written; `--check` for `make test`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from dropday.content import read_manifest
from dropday.tooling import model_sync
from support import FIXTURE_CAMPAIGN, REPO
from tooling_helpers import edit, line_of, manifest_file, models_dir

LOCALES = ["en-GB", "en-US", "en-AU", "en-CA", "en-IN"]
MODELS = f"interaction_models/{FIXTURE_CAMPAIGN}"
SAMPLES = "interaction_models/samples/en.yaml"


def language_model(root, locale: str) -> dict:
    return json.loads((models_dir(root) / f"{locale}.json").read_text())["interactionModel"]["languageModel"]


def snapshot(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(models_dir(root).iterdir())}


def test_sync_writes_a_model_for_every_locale_of_the_campaigns_skill_json(dropday, workspace):
    # GIVEN a campaign whose models were deleted
    for locale in LOCALES:
        (models_dir(workspace) / f"{locale}.json").unlink()
    # WHEN syncing
    run = dropday("models", "sync")
    # THEN each locale skill.json publishes gets its model, with the manifest's invocation name, its members, and
    # its one section: a version-1 file's tips are read as the section `tips` (named "tips", or "tip"), which
    # the README's way of moving the file writes out, so moving it does not change the models
    assert run.status == 0
    assert run.out == [f"wrote {MODELS}/{locale}.json" for locale in LOCALES] + [
        "5 of 5 interaction models rewritten; upload them to the skill (docs/deploy.md) and commit them with the "
        "manifest"]
    model = language_model(workspace, "en-GB")
    assert model["invocationName"] == "night owls"
    assert model["types"] == [{"name": "BAND_MEMBER", "values": [
        {"id": "june", "name": {"value": "june", "synonyms": ["june moss", "the singer"]}},
        {"id": "otto", "name": {"value": "otto", "synonyms": ["otto berg", "the drummer", "drums"]}},
        {"id": "bea", "name": {"value": "bea", "synonyms": ["bea lind", "the bassist", "bass"]}}]},
        {"name": "SECTION", "values": [{"id": "tips", "name": {"value": "tips", "synonyms": ["tip"]}}]}]
    assert [i["name"] for i in model["intents"]][:2] == ["TipIntent", "CountdownIntent"]
    assert {"name": "AMAZON.StopIntent", "samples": []} in model["intents"]
    # AND a second run finds nothing to do
    assert dropday("models", "sync").out == ["0 of 5 interaction models rewritten: all were in sync"]


def test_each_locale_gets_the_shared_samples_and_its_own_extras(fixture_workspace):
    # GIVEN the fixture campaign, which has tips (a section) and members, and none of the other formats
    uses = {"tips", "sections", "members"}
    written = yaml.safe_load((fixture_workspace / SAMPLES).read_text())
    wanted = [intent for intent in written["intents"] if set(intent.get("requires", [])) <= uses]
    assert {"TipIntent", "CountdownIntent", "SectionIntent", "WhatsNewIntent"} <= {i["name"] for i in wanted}
    for locale in LOCALES:
        model = language_model(fixture_workspace, locale)
        # THEN each locale's model has exactly those intents, each with the shared samples and the locale's extras
        assert [i["name"] for i in model["intents"] if not i["name"].startswith("AMAZON.")] == \
            [i["name"] for i in wanted], locale
        for intent in wanted:
            [generated] = [i for i in model["intents"] if i["name"] == intent["name"]]
            assert generated["samples"] == intent["samples"] + intent.get("locales", {}).get(locale, []), locale


def test_check_exits_1_naming_the_stale_models_and_the_command(dropday, workspace):
    assert dropday("models", "sync", "--check").out == ["5 interaction models of 1 campaign: in sync"]
    edit(manifest_file(workspace), "synonyms: [otto berg, the drummer, drums]", "synonyms: [otto berg, drums]")
    before = snapshot(workspace)

    run = dropday("models", "sync", "--check")

    assert run.status == 1
    assert run.out[0] == "5 of 5 interaction models are not what `dropday models sync` would write:"
    assert run.out[1:6] == [f"  {MODELS}/{locale}.json" for locale in LOCALES]
    assert run.out[6].startswith("Run `") and run.out[6].endswith(" models sync`, then upload the changed models "
                                                                  "to the skill.")
    assert snapshot(workspace) == before


@pytest.mark.parametrize(("old", "new", "says"), [
    # `synonym:` for `synonyms:`: the old script silently dropped the member's synonyms
    ("    synonyms: [otto berg, the drummer, drums]", "    synonym: [otto berg, the drummer, drums]",
     "member otto, synonym: is not a known key"),
    # a member block pasted under tips: the old script silently dropped the member
    ("  - id: june-warm-up\n", "  - id: lena\n    name: Lena\n  - id: june-warm-up\n",
     "tip lena, name: is not a known key"),
], ids=["synonym for synonyms", "member pasted under tips"])
def test_a_manifest_with_a_problem_writes_no_model_and_says_what_validate_says(dropday, workspace, old, new, says):
    edit(manifest_file(workspace), old, new)
    before = snapshot(workspace)

    run = dropday("models", "sync")

    assert run.status == 1
    assert any(says in line for line in run.out), run.text
    assert run.out[-1] == "No model was written."
    assert run.out[:-2] == [line for line in dropday("validate").out[:-1] if ": note: " not in line]
    assert snapshot(workspace) == before


def test_a_yaml_indentation_error_is_explained_like_validate_does_without_a_traceback(dropday, workspace):
    edit(manifest_file(workspace), "    member: otto\n    audio: tips/otto-tea.mp3", "    member: otto\n      audio: x")
    run = dropday("models", "sync")
    assert run.status == 1
    assert run.out[0].startswith(f"audio_manifest/{FIXTURE_CAMPAIGN}.yaml:"
                                 f"{line_of(manifest_file(workspace), '      audio: x')}: tip otto-tea, audio: is not "
                                 "valid YAML: this line is indented more than the one above it")
    assert "Traceback" not in run.text + run.err


def test_campaign_syncs_one_campaign_and_leaves_the_others_alone(dropday, workspace):
    (workspace / "audio_manifest" / "encore.yaml").write_text("campaign: encore\nmembers: [\n")
    assert dropday("models", "sync").status == 1
    run = dropday("models", "sync", "--campaign", FIXTURE_CAMPAIGN, "--check")
    assert run.out == ["5 interaction models of 1 campaign: in sync"]


def test_the_script_is_an_alias_of_the_command(workspace):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "sync_interaction_models.py"), "--check"],
                            capture_output=True, text=True, cwd=workspace)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "5 interaction models of 1 campaign: in sync\n"


def test_a_locale_without_sample_utterances_in_its_language_writes_nothing(dropday, workspace):
    skill_file = models_dir(workspace) / "skill.json"
    skill = json.loads(skill_file.read_text())
    skill["manifest"]["publishingInformation"]["locales"]["fr-FR"] = {"name": "Les Hiboux"}
    skill_file.write_text(json.dumps(skill))
    run = dropday("models", "sync")
    assert run.status == 1
    assert run.out == [
        f"{MODELS}/skill.json: manifest.publishingInformation.locales: publishes fr-FR, but there are no sample "
        "utterances for its language (interaction_models/samples/fr.yaml). Fix: a developer translates "
        "interaction_models/samples/en.yaml into it", "1 problem; no model was written."]
    assert not (models_dir(workspace) / "fr-FR.json").exists()


# -- the samples file ---------------------------------------------------------------------------------------


BROKEN_SAMPLES = """\
intents:
  - name: TipIntent
    requires: [tips]
    slots:
      member: BAND_MEMBER
    samples:
      - give me a tip
      - give me a tip!
      - a tip from {member}'s band
      - a tip from {band}
      - give me a tip
      - the countdown
  - name: CountdownIntent
    samples:
      - the countdown
built_in_intents:
  - AMAZON.StopIntent
"""


def test_every_sample_is_checked_as_alexa_would_and_nothing_is_written(dropday, workspace):
    (workspace / SAMPLES).write_text(BROKEN_SAMPLES)
    before = snapshot(workspace)

    run = dropday("models", "sync")

    assert run.out == [
        f"{SAMPLES}:8: intent TipIntent, samples: 'give me a tip!' has characters Alexa does not accept in a sample. "
        "Fix: use lowercase letters, spaces, apostrophes and periods, and {slot} for a slot",
        f"{SAMPLES}:9: intent TipIntent, samples: \"a tip from {{member}}'s band\" has a slot without a space on each "
        "side. Fix: put a space before and after each {slot} (Alexa rejects \"{member}'s\")",
        f"{SAMPLES}:10: intent TipIntent, samples: 'a tip from {{band}}' uses the slot {{band}}, which the intent does "
        "not declare. Fix: add `band: SLOT_TYPE` under the intent's `slots:`, or correct the name (member)",
        f"{SAMPLES}:11: intent TipIntent, samples: 'give me a tip' is listed twice for TipIntent. Fix: remove one of "
        "them",
        f"{SAMPLES}:15: intent CountdownIntent: 'the countdown' is also a sample of TipIntent, so Alexa could not "
        "tell which one a listener means. Fix: keep it in one intent only",
        "5 problems; no model was written."]
    assert run.status == 1
    assert snapshot(workspace) == before


def test_validate_reports_the_samples_files_problems_too(dropday, workspace):
    (workspace / SAMPLES).write_text(BROKEN_SAMPLES.replace("      - give me a tip!\n", ""))
    run = dropday("validate")
    assert run.status == 1
    assert sum(line.startswith(f"{SAMPLES}:") for line in run.out) == 4


def test_an_unknown_feature_or_slot_type_in_the_samples_file_is_named(dropday, workspace):
    text = (workspace / SAMPLES).read_text()
    tip_intent = "  - name: TipIntent\n    requires: [tips]\n    slots:\n      member: BAND_MEMBER\n"
    assert text.count(tip_intent) == 1
    (workspace / SAMPLES).write_text(text.replace(tip_intent, "  - name: TipIntent\n    requires: [tipz]\n    slots:\n"
                                                              "      member: BAND_MEMBERS\n"))
    run = dropday("models", "sync")
    assert [line.split(": ")[1] for line in run.out[:-1]] == ["intent TipIntent, slots.member",
                                                              "intent TipIntent, requires"]
    assert "has the unknown slot type 'BAND_MEMBERS'" in run.out[0]
    assert "names the unknown feature 'tipz'" in run.out[1]


def test_a_built_in_intent_can_take_samples_of_its_own_and_they_may_not_clash(dropday, workspace):
    text = (workspace / SAMPLES).read_text()
    assert text.count("\n  - AMAZON.HelpIntent\n") == 1
    # GIVEN samples added to Alexa's help intent, one of them also a tip request
    (workspace / SAMPLES).write_text(text.replace(
        "\n  - AMAZON.HelpIntent\n",
        "\n  - name: AMAZON.HelpIntent\n    samples: [how does this work, what do i say]\n"))
    assert dropday("models", "sync").status == 0
    # THEN the model's help intent has them, beside Alexa's own training
    [help_intent] = [i for i in language_model(workspace, "en-GB")["intents"] if i["name"] == "AMAZON.HelpIntent"]
    assert help_intent["samples"] == ["how does this work", "what do i say"]
    # AND a sample that another intent has is refused, at the built-in's entry
    (workspace / SAMPLES).write_text(text.replace(
        "\n  - AMAZON.HelpIntent\n", "\n  - name: AMAZON.HelpIntent\n    samples: [give me a tip]\n"))
    run = dropday("models", "sync")
    assert run.status == 1
    assert "intent AMAZON.HelpIntent: 'give me a tip' is also a sample of TipIntent" in run.out[0]


# -- what a campaign gets: features, slot types, invocation name --------------------------------------------------


@pytest.fixture
def campaign(fixture_workspace):
    return read_manifest(fixture_workspace / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml")


def samples_from(tmp_path, text: str) -> model_sync.Samples:
    file = tmp_path / "en.yaml"
    file.write_text(text)
    samples, problems = model_sync.read_samples(file)
    assert problems == []
    return samples


def test_an_intent_that_needs_a_feature_the_campaign_lacks_is_left_out(tmp_path, campaign):
    samples = samples_from(tmp_path, "intents:\n  - name: QuizIntent\n    requires: [quiz]\n"
                                     "    samples: [start the quiz]\n"
                                     "  - name: TipIntent\n    requires: [tips]\n    samples: [a tip]\n"
                                     "built_in_intents:\n  - {name: AMAZON.PauseIntent, requires: [long_form]}\n"
                                     "  - AMAZON.HelpIntent\n")
    model = model_sync.build_model(campaign, "night owls", "en-GB", samples)["interactionModel"]["languageModel"]
    assert [i["name"] for i in model["intents"]] == ["TipIntent", "AMAZON.HelpIntent"]


def test_a_slot_whose_type_has_no_values_is_left_out_with_the_samples_that_use_it(tmp_path, campaign):
    samples = samples_from(tmp_path, "intents:\n  - name: TipIntent\n    slots: {member: BAND_MEMBER}\n"
                                     "    samples: [a tip, 'a tip from {member}']\n")
    no_members = campaign._replace(members=())
    model = model_sync.build_model(no_members, "night owls", "en-GB", samples)["interactionModel"]["languageModel"]
    assert model["intents"] == [{"name": "TipIntent", "slots": [], "samples": ["a tip"]}]
    assert model["types"] == []


def test_a_new_slot_type_is_a_function_and_a_line(tmp_path, campaign, monkeypatch):
    # GIVEN a slot type built from the campaign (as SECTION will be), registered in one line
    def album_values(manifest):
        return [{"id": "album", "name": {"value": manifest.album.title.lower(), "synonyms": []}}]

    monkeypatch.setitem(model_sync.SLOT_TYPES, "ALBUM", album_values)
    samples = samples_from(tmp_path, "intents:\n  - name: AlbumIntent\n    slots: {album: ALBUM}\n"
                                     "    samples: ['tell me about {album}']\n")
    # WHEN the model is built, THEN the slot and its type are there
    model = model_sync.build_model(campaign, "night owls", "en-GB", samples)["interactionModel"]["languageModel"]
    assert model["intents"][0]["slots"] == [{"name": "album", "type": "ALBUM"}]
    assert model["types"] == [{"name": "ALBUM", "values": [{"id": "album", "name": {"value": "moth light",
                                                                                    "synonyms": []}}]}]


def test_the_invocation_name_comes_from_the_manifest_key_when_there_is_one(campaign):
    assert model_sync.invocation_name({"invocation_name": "  night  owls  live "}, campaign) == \
        ("night owls live", "invocation_name")
    assert model_sync.invocation_name({}, campaign) == ("night owls", "artist.name")
    assert model_sync.derived_invocation_name("The Lantern Foxes") == "lantern foxes"
    assert model_sync.derived_invocation_name("The Who") == "the who"


@pytest.mark.parametrize(("name", "problem"), [
    ("owls", "needs at least two words"),
    ("night owls 2", "may hold only lowercase letters"),
    ("Night Owls", "may hold only lowercase letters"),
    ("ask night owls", "must not contain 'ask'"),
    ("alexa owls", "must not contain 'alexa'"),
])
def test_invocation_names_alexa_refuses_are_named(name, problem):
    assert any(problem in p for p in model_sync.invocation_name_problems(name))


def test_an_invocation_name_in_the_manifest_reaches_the_models(dropday, workspace):
    edit(manifest_file(workspace), "campaign: night-owls\n", "campaign: night-owls\ninvocation_name: owl tips\n")
    assert dropday("models", "sync").status == 0
    assert dropday("validate").status == 0
    assert language_model(workspace, "en-GB")["invocationName"] == "owl tips"
