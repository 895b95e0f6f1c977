"""`dropday validate`'s checks of the opt-ins: reminders and the prize draw against the campaign's
interaction models and its skill.json.

- every reminder's spoken text exists for every locale with a model (an English default cannot
  stand in for another language), and so do the draw's prize and terms for each of its markets;
- every market of the draw has an interaction model (else the draw never runs there);
- skill.json declares the permissions the campaign asks listeners for (reminders, email), and
  that it uses personal information when it runs a draw.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

from ..core.campaign.model import Localized, Manifest
from ..core.campaign.optins import REMINDER_KINDS
from ..core.campaign.problems import Problem

REMINDERS_PERMISSION = "alexa::alerts:reminders:skill:readwrite"
EMAIL_PERMISSION = "alexa::profile:email:read"
BASE_LANGUAGE = "en"


def check_optins(add: Callable[[str, str, str], None], manifest: Manifest, model_locales: frozenset[str],
                 models_dir: Path | None = None) -> None:
    """Report each of `optins_problems` through `add(path, message, fix)` (validate's hook)."""
    for problem in optins_problems(manifest, model_locales, models_dir):
        add(problem.path, problem.message, problem.fix)


def optins_problems(manifest: Manifest, model_locales: frozenset[str],
                    models_dir: Path | None = None) -> Iterator[Problem]:
    """What is wrong with `manifest`'s reminders and draw, given the locales with a model and the
    folder holding skill.json (checks needing either are skipped when it is unknown)."""
    reminders, draw = manifest.reminders, manifest.draw
    for kind in REMINDER_KINDS:
        plan = reminders.plan(kind) if reminders is not None else None
        if plan is not None:
            yield from _missing_languages(plan.text, f"reminders.{kind}.text", model_locales,
                                          "the reminder would be spoken in English")
    if draw is not None:
        for i, market in enumerate(sorted(draw.markets)):
            if model_locales and market not in model_locales:
                yield Problem(f"draw.markets[{i}]", f"names {market}, which has no interaction model, so the "
                                  "draw never runs there", f"use one of the skill's locales "
                                  f"({', '.join(sorted(model_locales))}), or add the locale first")
        markets = frozenset(draw.markets) & model_locales if model_locales else frozenset()
        for name, text in (("prize", draw.prize), ("terms", draw.terms)):
            yield from _missing_languages(text, f"draw.{name}", markets, f"its {name} would be in English")
    yield from _permission_problems(manifest, models_dir)


def _missing_languages(text: Localized, path: str, locales: frozenset[str], consequence: str) -> Iterator[Problem]:
    for locale in sorted(locales):
        if locale.split("-")[0] != BASE_LANGUAGE and locale not in text.by_locale:
            yield Problem(f"{path}.{locale}", f"is missing: {locale} is not English, so {consequence}",
                              f"add `{locale}:` under `{path.rsplit('.', 1)[-1]}:` (with the English under `default:`)")


def _permission_problems(manifest: Manifest, models_dir: Path | None) -> Iterator[Problem]:
    skill_json = models_dir / "skill.json" if models_dir is not None else None
    if skill_json is None or not skill_json.is_file():
        return
    try:
        skill = json.loads(skill_json.read_text(encoding="utf-8")).get("manifest", {})
        declared = {p.get("name") for p in skill.get("permissions", []) if isinstance(p, dict)}
        personal = skill.get("privacyAndCompliance", {}).get("usesPersonalInfo")
    except (OSError, ValueError, AttributeError):
        return   # the models' own checks report an unreadable skill.json
    if manifest.draw is not None and personal is not True:
        yield Problem("draw", f"collects listeners' email addresses, but {skill_json.name} says the skill uses no "
                      "personal information", "set `manifest.privacyAndCompliance.usesPersonalInfo` to true in "
                      f"{skill_json} and give a privacy policy URL for each locale")
    needed = [("reminders", REMINDERS_PERMISSION, manifest.reminders), ("draw", EMAIL_PERMISSION, manifest.draw)]
    for path, permission, entry in needed:
        if entry is not None and permission not in declared:
            yield Problem(path, f"asks listeners for the permission {permission}, which {skill_json.name} does "
                              "not declare, so Alexa would refuse it", f"add {{\"name\": \"{permission}\"}} to "
                              f"`manifest.permissions` in {skill_json}")
