"""Utterance matching on the interaction model of every locale, as `dropday models sync` writes it for the
fixture campaign (The Night Owls: june the singer, otto the drummer, bea the bassist)."""

from __future__ import annotations

import json
import re

import pytest

from dropday.localdev.envelopes import DEFAULT_SKILL_ID, slot
from dropday.localdev.nlu import BUILT_IN_PHRASES, FALLBACK, InteractionModel, available_locales, words
from support import FIXTURE_CAMPAIGN, FIXTURE_WORKSPACE

SKILL = FIXTURE_WORKSPACE / "interaction_models" / FIXTURE_CAMPAIGN / "skill.json"
LOCALES = sorted(json.loads(SKILL.read_text())["manifest"]["publishingInformation"]["locales"])


@pytest.fixture(scope="session")
def models(fixture_workspace):
    """The fixture campaign's models folder."""
    return fixture_workspace / "interaction_models" / FIXTURE_CAMPAIGN


@pytest.fixture(scope="module", params=LOCALES)
def locale(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def model(models, locale) -> InteractionModel:
    return InteractionModel.for_locale(models, locale)


def test_every_locale_of_the_skill_has_a_model(models):
    assert available_locales(models) == LOCALES == ["en-AU", "en-CA", "en-GB", "en-IN", "en-US"]


def test_every_sample_matches_its_own_intent_with_every_slot_value_and_synonym(models, locale, model):
    # GIVEN every sample of the model, with each slot filled by every value and synonym of its type
    language = json.loads((models / f"{locale}.json").read_text())["interactionModel"]["languageModel"]
    members = [(v["id"], phrase) for v in language["types"][0]["values"]
               for phrase in (v["name"]["value"], *v["name"].get("synonyms", []))]
    checked = 0
    for intent in language["intents"]:
        for sample in intent.get("samples", []):
            fillings = [(None, sample)] if "{member}" not in sample else \
                [(member_id, sample.replace("{member}", phrase)) for member_id, phrase in members]
            for member_id, said in fillings:
                # WHEN it is said (in upper case, with punctuation)
                heard = model.match(said.upper() + "?")
                # THEN it is that intent, and the member resolves to its id
                assert heard.intent == intent["name"], (said, heard)
                assert not heard.launch
                if member_id:
                    [authority] = heard.slots["member"]["resolutions"]["resolutionsPerAuthority"]
                    assert authority["status"]["code"] == "ER_SUCCESS_MATCH", said
                    assert authority["values"][0]["value"]["id"] == member_id, said
                checked += 1
    assert checked > 100


def test_a_synonym_fills_the_slot_with_the_words_said_and_an_entity_resolution_block_as_alexa_sends_it(model):
    heard = model.match("a tip from the drummer")
    assert heard.intent == "TipIntent"
    assert heard.slots == {"member": slot("member", "the drummer", "otto", "otto", "BAND_MEMBER")}
    [authority] = heard.slots["member"]["resolutions"]["resolutionsPerAuthority"]
    assert authority["authority"] == f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.BAND_MEMBER"


def test_words_the_slot_type_does_not_list_are_sent_with_er_success_no_match(model):
    heard = model.match("a tip from the tambourine player")
    assert heard.intent == "TipIntent"
    assert heard.slots["member"]["value"] == "the tambourine player"
    [authority] = heard.slots["member"]["resolutions"]["resolutionsPerAuthority"]
    assert authority["status"] == {"code": "ER_SUCCESS_NO_MATCH"}
    assert "values" not in authority


def test_a_slot_not_said_is_sent_empty_as_alexa_does(model):
    assert model.match("give me a tip").slots == {"member": {"name": "member", "confirmationStatus": "NONE"}}


def test_the_resolution_authority_names_the_skill_being_talked_to(models):
    model = InteractionModel.for_locale(models, "en-GB", skill_id="amzn1.ask.skill.abc")
    [authority] = model.match("what does bea say").slots["member"]["resolutions"]["resolutionsPerAuthority"]
    assert authority["authority"] == "amzn1.er-authority.echo-sdk.amzn1.ask.skill.abc.BAND_MEMBER"


@pytest.mark.parametrize(("said", "intent", "member"), [
    # the sample with "please" leaves fewer words to the slot than "a tip from {member}"
    ("a tip from Bea, please", "TipIntent", "bea"),
    # a sample written out in full beats a {member} sample that would take "the band" as a member
    ("give me a tip from the band", "TipIntent", None),
    # "tell me a tip from the band" has no literal sample: the slot takes the words, unresolved
    ("tell me a tip from the band", "TipIntent", "the band"),
    # a custom sample ("another tip") and a built-in phrase ("another one") each keep their own
    ("another tip", "TipIntent", None),
    ("another one", "AMAZON.NextIntent", None),
])
def test_when_several_samples_match_the_most_specific_wins(model, said, intent, member):
    heard = model.match(said)
    assert heard.intent == intent
    assert heard.slots.get("member", {}).get("value") == member


@pytest.mark.parametrize(("said", "intent"), [
    ("stop", "AMAZON.StopIntent"), ("Shut up!", "AMAZON.StopIntent"),
    ("cancel", "AMAZON.CancelIntent"), ("never mind", "AMAZON.CancelIntent"), ("Nevermind.", "AMAZON.CancelIntent"),
    ("help", "AMAZON.HelpIntent"), ("what can I say?", "AMAZON.HelpIntent"),
    ("yes", "AMAZON.YesIntent"), ("Yeah!", "AMAZON.YesIntent"), ("sure", "AMAZON.YesIntent"),
    ("no", "AMAZON.NoIntent"), ("no thanks", "AMAZON.NoIntent"), ("nope", "AMAZON.NoIntent"),
    ("next", "AMAZON.NextIntent"), ("skip", "AMAZON.NextIntent"),
    ("repeat", "AMAZON.RepeatIntent"), ("say that again", "AMAZON.RepeatIntent"), ("pardon?", "AMAZON.RepeatIntent"),
    ("go home", "AMAZON.NavigateHomeIntent"),
])
def test_built_in_intents_match_their_usual_phrases(model, said, intent):
    heard = model.match(said)
    assert (heard.intent, heard.slots, heard.launch) == (intent, {}, False)


def test_built_in_phrases_are_only_for_built_ins_the_model_declares(models):
    model = InteractionModel.for_locale(models, "en-GB")
    assert "AMAZON.PauseIntent" in BUILT_IN_PHRASES and "AMAZON.PauseIntent" not in model.intents
    assert model.match("pause").intent == FALLBACK


@pytest.mark.parametrize(("said", "intent", "member"), [
    ("open night owls", None, None),
    ("Alexa, open Night Owls.", None, None),
    ("launch night owls", None, None),
    ("start the night owls", None, None),
    ("night owls", None, None),
    ("Alexa, ask the night owls for a tip", "TipIntent", None),
    ("ask night owls for a tip from the singer", "TipIntent", "june"),
    ("tell night owls to give me a tip from Otto", "TipIntent", "otto"),
    ("ask night owls how long until the album comes out", "CountdownIntent", None),
    ("ask night owls about the countdown", "CountdownIntent", None),
    ("open night owls and give me the countdown", "CountdownIntent", None),
    ("ask night owls for help", "AMAZON.HelpIntent", None),
    ("give me a tip using night owls", "TipIntent", None),
    ("ask night owls to make me a sandwich", FALLBACK, None),
])
def test_launch_phrases_open_the_skill_with_or_without_an_intent_in_the_same_breath(model, said, intent, member):
    heard = model.match(said)
    assert heard.launch
    assert heard.intent == intent
    assert heard.request_type == ("LaunchRequest" if intent is None else "IntentRequest")
    if member:
        [authority] = heard.slots["member"]["resolutions"]["resolutionsPerAuthority"]
        assert authority["values"][0]["value"]["id"] == member


@pytest.mark.parametrize("said", ["what's the weather like", "play some jazz", "a", "tip", "foxes",
                                  "give me a tip and a biscuit", "open the pod bay doors"])
def test_nothing_that_matches_goes_to_the_fallback_intent(model, said):
    heard = model.match(said)
    assert (heard.intent, heard.launch, heard.slots) == (FALLBACK, False, {})


@pytest.mark.parametrize("said", ["GIVE ME A TIP!!!", "give   me, a tip.", "Give me a tip, please",
                                  "please give me a tip", "“Give me a tip”"])
def test_matching_ignores_case_punctuation_spacing_and_a_please(model, said):
    assert model.match(said).intent == "TipIntent"


def test_apostrophes_are_optional(model):
    assert model.match("whats the release date").intent == model.match("what’s the release date?").intent \
        == "CountdownIntent"


@pytest.mark.parametrize(("locale", "said", "intent"), [
    ("en-US", "hit me with a tip", "TipIntent"),
    ("en-GB", "hit me with a tip", FALLBACK),
    ("en-AU", "give us a tip", "TipIntent"),
    ("en-GB", "give us a tip", FALLBACK),
    ("en-IN", "when will the album release", "CountdownIntent"),
    ("en-US", "when will the album release", FALLBACK),
    ("en-GB", "what has otto got to say", "TipIntent"),
    ("en-CA", "what has otto got to say", FALLBACK),
])
def test_each_locale_understands_its_own_model(models, locale, said, intent):
    assert InteractionModel.for_locale(models, locale).match(said).intent == intent


def test_the_summary_shows_intent_and_slots_for_people(models):
    model = InteractionModel.for_locale(models, "en-GB")
    assert model.match("open night owls").summary() == "LaunchRequest"
    assert model.match("a tip from the drummer").summary() == 'TipIntent member="the drummer" -> otto'
    assert model.match("a tip from bob").summary() == 'TipIntent member="bob" (no match)'
    assert model.match("la la la").summary() == "AMAZON.FallbackIntent (no sample matched)"


def test_a_missing_locale_names_the_ones_there_are(models):
    with pytest.raises(FileNotFoundError, match=re.escape("en-AU, en-CA, en-GB, en-IN, en-US")):
        InteractionModel.for_locale(models, "fr-FR")


def test_words_are_lowercase_without_punctuation_but_keep_apostrophes():
    assert words("Alexa, what's   the *release* date?!") == ["alexa", "what's", "the", "release", "date"]
    assert words("'quoted' don't_") == ["quoted", "don't"]
