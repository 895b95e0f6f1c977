"""Do the interaction models know every band member the manifest names, and nothing else?

Listeners ask for "a tip from the drummer"; Alexa only recognises the words listed in the
BAND_MEMBER slot type of each locale's interaction model. `scripts/sync_interaction_models.py`
writes that slot type from the manifest; this check tells the content team when they forgot to run it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..core.manifest import Member
from .findings import REPO_ROOT, Finding, json_line, model_files, shown

SLOT_TYPE = "BAND_MEMBER"
SYNC_SCRIPT = "scripts/sync_interaction_models.py"


def sync_command(manifest_file: Path, models_dir: Path) -> str:
    """The command, runnable from the working directory, that rewrites the member slot of every model."""
    venv_python = REPO_ROOT / ".venv" / "bin" / "python"
    python = venv_python if venv_python.is_file() else Path(sys.executable)
    command = f"{shown(python)} {shown(REPO_ROOT / SYNC_SCRIPT)}"
    if manifest_file.resolve() != (REPO_ROOT / "audio_manifest" / "lantern-foxes.yaml").resolve():
        command += f" --manifest {shown(manifest_file)}"
    if models_dir.resolve() != (REPO_ROOT / "interaction_models").resolve():
        command += f" --out-dir {shown(models_dir)}"
    return command


def check_models(members: Iterable[Member], manifest_file: Path, models_dir: Path) -> Iterator[Finding]:
    """Each locale model whose BAND_MEMBER slot type disagrees with the manifest's members.

    One finding per model file, listing every missing and every stale word.

    Args:
        members: the campaign's members.
        manifest_file: their manifest (for the message and the fix command).
        models_dir: the folder holding `<locale>.json` models.
    """
    fix = f"run `{sync_command(manifest_file, models_dir)}`, which rewrites the member slot in every locale"
    wanted = {m.id: {m.name.lower(), *(s.lower() for s in m.synonyms)} for m in members}
    for path in model_files(models_dir):
        yield from _check_model(path, manifest_file, wanted, fix)


def _check_model(path: Path, manifest_file: Path, wanted: dict[str, set[str]], fix: str) -> Iterator[Finding]:
    file = shown(path)
    text = path.read_text(encoding="utf-8")
    try:
        model = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Finding(file, "", f"is not valid JSON: {exc.msg}", fix, exc.lineno)
        return
    types = _get(model, "interactionModel", "languageModel", "types") or []
    slot = next((t for t in types if isinstance(t, dict) and t.get("name") == SLOT_TYPE), None)
    if slot is None:
        yield Finding(file, "interactionModel.languageModel.types", f"has no {SLOT_TYPE} slot type, so listeners "
                      "cannot ask for a band member", fix, json_line(text, '"types"'))
        return
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
    if missing or stale:
        parts = ([f"lacks {'; '.join(missing)}"] if missing else []) + \
                ([f"still lists {'; '.join(stale)}"] if stale else [])
        yield Finding(file, SLOT_TYPE, f"does not match the members of {shown(manifest_file)}: {', and '.join(parts)}",
                      fix, json_line(text, f'"{SLOT_TYPE}"'))


def _get(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
