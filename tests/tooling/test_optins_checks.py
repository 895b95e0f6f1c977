"""`dropday validate`'s opt-in checks: texts for every locale, markets with models, skill.json permissions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dropday.content import read_manifest
from dropday.tooling.optins_checks import check_optins, optins_problems
from support import FIXTURES

OPTINS = FIXTURES / "optins-campaign.yaml"
ENGLISH = frozenset({"en-GB", "en-US", "en-AU"})


def campaign_with(tmp_path: Path, *replacements: tuple[str, str]):
    text = OPTINS.read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "optin-band.yaml"
    path.write_text(text)
    return read_manifest(path)


def skill_json(tmp_path: Path, *permissions: str, personal: bool = True) -> Path:
    folder = tmp_path / "models"
    folder.mkdir(exist_ok=True)
    (folder / "skill.json").write_text(json.dumps({"manifest": {
        "permissions": [{"name": p} for p in permissions], "privacyAndCompliance": {"usesPersonalInfo": personal}}}))
    return folder


def said(problems) -> list[str]:
    return [f"{p.path}: {p.message}. Fix: {p.fix}" for p in problems]


def test_an_english_campaign_with_its_permissions_declared_passes(tmp_path):
    models = skill_json(tmp_path, "alexa::alerts:reminders:skill:readwrite", "alexa::profile:email:read")
    assert said(optins_problems(read_manifest(OPTINS), ENGLISH, models)) == []


def test_a_reminder_without_text_in_a_non_english_locale_is_reported(tmp_path):
    campaign = campaign_with(tmp_path, ("      en-US: \"{album} by {artist} drops today!\"",
                                        "      de-DE: \"{album} von {artist} ist heute erschienen!\""))
    problems = said(optins_problems(campaign, ENGLISH | {"de-DE", "fr-FR"}))
    assert problems == [
        "reminders.release_day.text.fr-FR: is missing: fr-FR is not English, so the reminder would be spoken in "
        "English. Fix: add `fr-FR:` under `text:` (with the English under `default:`)",
        "reminders.daily.text.de-DE: is missing: de-DE is not English, so the reminder would be spoken in English. "
        "Fix: add `de-DE:` under `text:` (with the English under `default:`)",
        "reminders.daily.text.fr-FR: is missing: fr-FR is not English, so the reminder would be spoken in English. "
        "Fix: add `fr-FR:` under `text:` (with the English under `default:`)",
    ]


def test_a_draw_market_without_a_model_never_runs_and_says_so():
    problems = said(optins_problems(read_manifest(OPTINS), frozenset({"en-US", "en-AU"})))
    assert problems == ["draw.markets[0]: names en-GB, which has no interaction model, so the draw never runs there. "
                        "Fix: use one of the skill's locales (en-AU, en-US), or add the locale first"]


def test_a_draw_running_in_a_non_english_market_needs_its_prize_and_terms_in_that_language(tmp_path):
    campaign = campaign_with(tmp_path, ("markets: [en-GB]", "markets: [en-GB, de-DE]"))
    problems = [p.path for p in optins_problems(campaign, ENGLISH | {"de-DE"}) if p.path.startswith("draw.")]
    assert problems == ["draw.prize.de-DE", "draw.terms.de-DE"]


@pytest.mark.parametrize("declared, missing", [
    ((), ["reminders", "draw"]),
    (("alexa::alerts:reminders:skill:readwrite",), ["draw"]),
    (("alexa::profile:email:read",), ["reminders"]),
])
def test_skill_json_must_declare_the_permissions_the_campaign_asks_for(tmp_path, declared, missing):
    models = skill_json(tmp_path, *declared)
    problems = list(optins_problems(read_manifest(OPTINS), ENGLISH, models))
    assert [p.path for p in problems] == missing
    assert all("skill.json does not declare" in p.message and "manifest.permissions" in p.fix for p in problems)


def test_a_draw_needs_skill_json_to_say_the_skill_uses_personal_information(tmp_path):
    models = skill_json(tmp_path, "alexa::alerts:reminders:skill:readwrite", "alexa::profile:email:read",
                        personal=False)
    [problem] = optins_problems(read_manifest(OPTINS), ENGLISH, models)
    assert problem.path == "draw" and "usesPersonalInfo" in problem.fix


def test_a_campaign_without_opt_ins_needs_no_permission(tmp_path, test_campaign):
    assert list(optins_problems(test_campaign, ENGLISH, skill_json(tmp_path))) == []


def test_validate_hears_each_problem_with_its_place_and_fix():
    heard: list[tuple[str, str, str]] = []
    check_optins(lambda *finding: heard.append(finding), read_manifest(OPTINS), frozenset({"en-US"}))
    assert heard == [("draw.markets[0]", "names en-GB, which has no interaction model, so the draw never runs there",
                      "use one of the skill's locales (en-US), or add the locale first")]
