"""Sentences: the default wording is data, a campaign overrides it one sentence at a time, and
varied sentences never say the same variant twice in a row."""

from __future__ import annotations

import string
from datetime import date
from random import Random

from dropday.core.campaign import SENTENCES, Localized, Recording, Sentence, Sentences, Variant, Window, parse_manifest
from dropday.core.campaign.parse.sentences import checked_package_defaults, package_defaults
from dropday.core.campaign.sentences import COMMON_PLACEHOLDERS, default_wording

MINIMAL = {"schema_version": 2, "campaign": "tiny", "artist": {"name": "Tiny"},
           "album": {"title": "Small", "release_date": "2027-05-01", "default_time_zone": "Europe/Paris"}}


def words(sentence: Sentence) -> list[str]:
    return [v.recording.transcript.default for v in sentence.variants]


def test_every_sentence_has_default_english_wording_with_only_its_own_placeholders():
    english = default_wording()["en"]
    assert set(english) == set(SENTENCES)
    for name, text in english.items():
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        assert used <= SENTENCES[name].placeholders | COMMON_PLACEHOLDERS, name


def test_the_default_wording_passes_every_check_a_campaigns_sentences_get_and_is_served_as_checked():
    assert package_defaults() == checked_package_defaults()


def test_a_campaign_that_says_nothing_its_own_way_still_has_every_sentence():
    campaign = parse_manifest(MINIMAL)
    for name in SENTENCES:
        assert words(campaign.sentence(name, "en-GB"))[0], name
    assert campaign.sentences.left_at_default() == tuple(SENTENCES)


def test_a_campaign_overrides_one_sentence_per_locale_and_keeps_the_rest():
    campaign = parse_manifest({**MINIMAL, "sentences": {"default": {"goodbye": "Bye!"}, "en-US": {"goodbye": "Later!"}}})
    assert words(campaign.sentence("goodbye", "en-US")) == ["Later!"]
    assert words(campaign.sentence("goodbye", "en-GB")) == ["Bye!"]
    assert words(campaign.sentence("help", "en-GB")) == [default_wording()["en"]["help"]]
    assert "goodbye" not in campaign.sentences.left_at_default()


def test_another_language_prefers_its_own_default_wording_to_the_campaigns_english():
    table = {"default": {"goodbye": Sentence((Variant(Recording(Localized("Bye!"))),))}}
    defaults = {**package_defaults(), "fr": {"goodbye": Sentence((Variant(Recording(Localized("Au revoir !"))),))}}
    sentences = Sentences(table, defaults)
    assert words(sentences.get("goodbye", "fr-FR")) == ["Au revoir !"]
    assert words(sentences.get("goodbye", "en-GB")) == ["Bye!"]
    # a language without a table of its own falls back to the campaign's English, then the package's
    assert words(sentences.get("goodbye", "de-DE")) == ["Bye!"]
    assert words(sentences.get("help", "de-DE")) == [default_wording()["en"]["help"]]


def test_a_variant_is_never_picked_twice_in_a_row_when_there_is_another():
    sentence = Sentence(tuple(Variant(Recording(Localized(t)), key=t[:6].ljust(6, "-")) for t in ("Hi.", "Hey.", "Yo.")))
    rng, last = Random(3), None
    for _ in range(50):
        variant = sentence.pick(date(2027, 1, 1), rng, avoid=last)
        assert variant.key != last
        last = variant.key


def test_a_variant_with_a_window_is_said_only_on_its_days():
    sentence = Sentence((Variant(Recording(Localized("Every day."))),
                         Variant(Recording(Localized("Release week!")), Window(date(2027, 1, 8), date(2027, 1, 14)))))
    picked_outside = {sentence.pick(date(2027, 1, 1), Random(seed)).recording.transcript.default for seed in range(20)}
    picked_inside = {sentence.pick(date(2027, 1, 10), Random(seed)).recording.transcript.default for seed in range(20)}
    assert picked_outside == {"Every day."}
    assert picked_inside == {"Every day.", "Release week!"}


def test_a_sentence_whose_variants_are_all_out_of_their_window_falls_back_to_the_default_wording():
    campaign = parse_manifest({**MINIMAL, "sentences": {"default": {
        "goodbye": [{"text": "Only in June.", "available": {"from": "2027-06-01", "until": "2027-06-30"}}]}}})
    assert words(campaign.sentences.get("goodbye", "en-GB", date(2027, 6, 2))) == ["Only in June."]
    assert words(campaign.sentences.get("goodbye", "en-GB", date(2027, 1, 2))) == [default_wording()["en"]["goodbye"]]
