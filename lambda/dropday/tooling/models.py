"""Are a campaign's interaction models what `dropday models sync` would write now?

Listeners ask for "a tip from the drummer"; Alexa only recognises the words listed in the
BAND_MEMBER slot type of each locale's model (`interaction_models/<campaign>/<locale>.json`),
which `dropday models sync` writes from the manifest. This check tells the content team when they
forgot to run it, one finding per cause: a member missing from all five models is one finding
that names the five files, not five findings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..core.campaign import Member
from .findings import SKILL_MANIFEST_NAME, Finding, json_line, model_files, shown
from .model_sync import CampaignModels, skill_locales

SLOT_TYPE = "BAND_MEMBER"


def check_models(members: Iterable[Member], manifest_file: Path, folder: Path, fix: str,
                 generated: CampaignModels | None = None) -> tuple[list[Finding], int]:
    """Compare a campaign's model files with its members and with what would be generated.

    Args:
        members: the campaign's members (as parsed, or as written when the manifest does not parse).
        manifest_file: their manifest (for the message).
        folder: the campaign's models folder, `interaction_models/<campaign>/`.
        fix: the command that puts the models right, as the fix.
        generated: what `dropday models sync` would write, when it can be generated.

    Returns:
        The findings, and how many model files were compared.
    """
    if not folder.is_dir():
        return [Finding(shown(folder), "", f"does not exist, so campaign {manifest_file.stem} has no interaction "
                        "models (it needs its own skill)", f"create it with a skill.json copied from another "
                        f"campaign's folder (edit its publishing information), then run `{_command(fix)}`")], 0
    files = model_files(folder)
    locales = generated.locales if generated is not None else skill_locales(folder / SKILL_MANIFEST_NAME)[0]
    findings: list[Finding] = []
    if locales:
        findings += _locale_files(folder, files, locales, fix)
        files = [f for f in files if f.stem in locales]
    wanted = {m.id: {m.name.lower(), *(s.lower() for s in m.synonyms)} for m in members}
    # What the sync would write, only when it could write it: otherwise the reason is the finding.
    expected = {m.path: m.text for m in generated.models} if generated is not None and generated.complete else {}
    member_causes: dict[str, list[Path]] = {}
    other_causes: dict[str, list[Path]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            model = json.loads(text)
        except json.JSONDecodeError as exc:
            findings.append(Finding(shown(path), "", f"is not valid JSON: {exc.msg}", fix, exc.lineno))
            continue
        cause = _member_difference(model, wanted, manifest_file)
        if cause:
            member_causes.setdefault(cause, []).append(path)
        elif path in expected and expected[path] != text:
            other_causes.setdefault(_other_difference(model, json.loads(expected[path])), []).append(path)
    for cause, paths in member_causes.items():
        findings.append(_grouped(folder, paths, SLOT_TYPE, cause, fix, f'"{SLOT_TYPE}"'))
    for cause, paths in other_causes.items():
        findings.append(_grouped(folder, paths, "", cause, fix, None))
    return findings, len(files)


def _locale_files(folder: Path, files: list[Path], locales: Iterable[str], fix: str) -> Iterator[Finding]:
    have = {f.stem for f in files}
    missing = [locale for locale in locales if locale not in have]
    if missing:
        yield Finding(shown(folder), "", f"has no model for {_and(missing)}, which skill.json publishes", fix)
    extra = [f.name for f in files if f.stem not in set(locales)]
    if extra:
        yield Finding(shown(folder), "", f"{_and(extra)} {'is' if len(extra) == 1 else 'are'} not a locale of its "
                      "skill.json, so no skill ever uses it", "delete it, or add the locale under "
                      "publishingInformation.locales in skill.json and run the sync again")


def _member_difference(model: object, wanted: Mapping[str, set[str]], manifest_file: Path) -> str:
    """How the model's BAND_MEMBER slot type differs from the members ('' when it does not)."""
    types = _get(model, "interactionModel", "languageModel", "types") or []
    slot = next((t for t in types if isinstance(t, dict) and t.get("name") == SLOT_TYPE), None)
    if slot is None:
        return f"have no {SLOT_TYPE} slot type, so listeners cannot ask for a band member" if wanted else ""
    found: dict[str, set[str]] = {}
    for value in slot.get("values") or []:
        name = value.get("name") or {}
        value_id = str(value.get("id") or name.get("value") or "")
        found[value_id] = {str(w).lower() for w in (name.get("value"), *(name.get("synonyms") or [])) if w}
    missing, stale = [], []
    for member_id, names in wanted.items():
        if member_id not in found:
            missing.append(f"member `{member_id}` ({', '.join(repr(w) for w in sorted(names))})")
        else:
            missing += [f"{word!r} ({member_id})" for word in sorted(names - found[member_id])]
    for value_id, words in found.items():
        if value_id not in wanted:
            stale.append(f"member `{value_id}` with {', '.join(repr(w) for w in sorted(words))}")
        else:
            stale += [f"{word!r} ({value_id})" for word in sorted(words - wanted[value_id])]
    if not (missing or stale):
        return ""
    parts = ([f"lack {'; '.join(missing)}"] if missing else []) + ([f"still list {'; '.join(stale)}"] if stale else [])
    return f"do not match the members of {shown(manifest_file)}: {', and '.join(parts)}"


def _other_difference(model: object, generated: Mapping) -> str:
    """What else differs from the generated model, in a few words."""
    now, wanted = _get(model, "interactionModel", "languageModel") or {}, generated["interactionModel"]["languageModel"]
    if not isinstance(now, Mapping):
        return "are not interaction models as `dropday models sync` writes them"
    if now.get("invocationName") != wanted["invocationName"]:
        return (f"have the invocation name {now.get('invocationName')!r}, but the manifest gives "
                f"{wanted['invocationName']!r}")
    have = {i.get("name"): i for i in now.get("intents") or [] if isinstance(i, Mapping)}
    want = {i["name"]: i for i in wanted["intents"]}
    if set(have) != set(want):
        parts = ([f"lack {_and(sorted(set(want) - set(have)))}"] if set(want) - set(have) else []) + \
                ([f"still have {_and(sorted(set(have) - set(want)))}"] if set(have) - set(want) else [])
        return f"differ from the campaign's features and the sample utterances: they {', and '.join(parts)}"
    changed = [name for name in want if have[name] != want[name]]
    if changed:
        return f"differ from the sample utterances in interaction_models/samples/ ({_and(changed)})"
    words = _slot_words_difference(now.get("types"), wanted["types"])
    if words:
        return f"do not have the words listeners use for what the manifest says now: they {words}"
    return "differ from what `dropday models sync` writes (edited by hand?)"


#: What a slot type's values are, in the content team's words.
_SLOT_TYPE_WORDS = {"SECTION": "section", "QUIZ_ANSWER": "quiz answer", "BAND_MEMBER": "member"}


def _slot_words_difference(types: object, wanted: list[Mapping]) -> str:
    """The sections, quiz answers... whose names or synonyms a model lacks or still lists ('' when none)."""
    def words(kinds: object) -> dict[tuple[str, str], set[str]]:
        found: dict[tuple[str, str], set[str]] = {}
        for kind in kinds if isinstance(kinds, list) else []:
            for value in (kind.get("values") or []) if isinstance(kind, Mapping) else []:
                name = _get(value, "name") if isinstance(value, Mapping) else None
                if isinstance(name, Mapping):
                    found[(str(kind.get("name")), str(value.get("id")))] = \
                        {str(name.get("value")), *map(str, name.get("synonyms") or [])}
        return found

    now, want = words(types), words(wanted)
    lacking = [f"{_SLOT_TYPE_WORDS.get(kind, kind)} `{value}`" for (kind, value), said in want.items()
               if not said <= now.get((kind, value), set())]
    extra = [f"{_SLOT_TYPE_WORDS.get(kind, kind)} `{value}`" for (kind, value), said in now.items()
             if not said <= want.get((kind, value), set())]
    parts = ([f"lack the words of {_and(lacking)}"] if lacking else []) + \
            ([f"still list words of {_and(extra)} the manifest no longer has"] if extra else [])
    return ", and ".join(parts)


def _grouped(folder: Path, paths: list[Path], place: str, cause: str, fix: str, needle: str | None) -> Finding:
    """One finding for one cause, naming every file it applies to."""
    if len(paths) == 1:
        text = paths[0].read_text(encoding="utf-8")
        line = json_line(text, needle) if needle else None
        return Finding(shown(paths[0]), place, f"{_singular(cause)}", fix, line)
    names = _and([p.name for p in paths])
    return Finding(shown(folder), place, f"{names} {cause}", fix)


def _singular(cause: str) -> str:
    """The cause worded for one file ('does not match', 'lacks', 'has')."""
    for plural, singular in (("do not match", "does not match"), ("have ", "has "), ("differ ", "differs "),
                             ("are not interaction models", "is not an interaction model"), ("lack ", "lacks "),
                             ("still list ", "still lists "), ("still have ", "still has ")):
        cause = cause.replace(plural, singular)
    return cause


def _and(items: list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _command(fix: str) -> str:
    return fix.split("`")[1] if fix.count("`") >= 2 else "dropday models sync"


def _get(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
