"""A campaign's interaction models, generated from its manifest and the sample utterances.

Each campaign is its own skill: `interaction_models/<campaign>/skill.json` (written by people: the
store texts) names the locales it is published in, and `dropday models sync` writes
`interaction_models/<campaign>/<locale>.json` for each of them from

- the sample utterances of the locale's language, `interaction_models/samples/<language>.yaml`
  (each intent with its slots, the campaign features it needs and its samples; extras per locale;
  the built-in intents), kept apart from the generated files so that nobody loses an edit;
- the manifest: the invocation name (`invocation_name:`, else the artist's name without "the"),
  the features the campaign uses (an intent that needs a missing one is left out), and the values
  of each custom slot type (`SLOT_TYPES`: BAND_MEMBER from the members).

Adding a slot type is a function from the manifest to its values, and a line in `SLOT_TYPES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.campaign.model import LOCALE_PATTERN, Manifest
from .findings import (
    SKILL_MANIFEST_NAME,
    Finding,
    LineFinder,
    Workspace,
    dropday_command,
    shown,
    yaml_line_finder,
)
from .yaml_syntax import syntax_problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The campaign features an intent may require (see docs/architecture.md, `Manifest.features`).
FEATURES = frozenset({"tips", "sections", "members", "band", "unlockables", "quiz", "daily", "questions",
                      "long_form", "reminders", "draw", "screens"})
#: Words Alexa refuses in an invocation name: launch phrases and wake words.
LAUNCH_AND_WAKE_WORDS = frozenset({
    "ask", "tell", "open", "launch", "start", "begin", "load", "run", "resume", "play",
    "use", "enable", "talk", "alexa", "amazon", "echo", "computer", "skill", "app",
})
_SAMPLE_CHARACTERS = re.compile(r"[a-z' .{}]+")
_SLOT_NOT_SPACED = re.compile(r"\S\{|\}\S")
_SLOT_NAME = re.compile(r"\{([^{}]*)\}")
_INVOCATION = re.compile(r"[a-z][a-z' .]*[a-z.]")


def campaign_features(manifest: Manifest) -> frozenset[str]:
    """The features of `manifest` that intents may require (`requires:` in the samples file)."""
    return manifest.features


def band_member_values(manifest: Manifest) -> list[dict[str, object]]:
    """BAND_MEMBER: one value per member, its id, its name (lowercase) and its synonyms."""
    return [{"id": m.id, "name": {"value": m.name.lower(), "synonyms": list(m.synonyms)}} for m in manifest.members]


def section_values(manifest: Manifest) -> list[dict[str, object]]:
    """SECTION: one value per section, its id, its name (lowercase) and its synonyms."""
    return [{"id": s.id, "name": {"value": s.name.lower(), "synonyms": list(s.synonyms)}} for s in manifest.sections]
def quiz_answer_values(manifest: Manifest) -> list[dict[str, object]]:
    """QUIZ_ANSWER: the positions A to D (letters, numbers, ordinals as synonyms), then one value per
    distinct phrase of the quiz's and the daily question's choices and free answers, with the ids
    `dropday.core.campaign.quiz` defines (the skill compares those ids); none without either format."""
    from ..core.campaign.quiz import LETTERS, normalized, position_phrases, word_id

    entries = [entry for entry in (manifest.quiz, manifest.daily) if entry is not None]
    if not entries:
        return []
    values: list[dict[str, object]] = [
        {"id": letter, "name": {"value": letter, "synonyms": [p for p in position_phrases(i) if p != letter.lower()]}}
        for i, letter in enumerate(LETTERS)]
    taken = {p for i in range(len(LETTERS)) for p in position_phrases(i)}
    for question in (q for entry in entries for q in entry.questions):
        for choice in question.choices or (question.answer,):
            for words in (choice.words, *choice.synonyms):
                if normalized(words) not in taken:
                    taken.add(normalized(words))
                    values.append({"id": word_id(words), "name": {"value": normalized(words)}})
    return values


#: Custom slot type -> the values a campaign gives it; no values means the campaign has no such slot.
SLOT_TYPES: dict[str, Callable[[Manifest], list[dict[str, object]]]] = {
    "BAND_MEMBER": band_member_values,
    "SECTION": section_values,
    "QUIZ_ANSWER": quiz_answer_values,
}


@dataclass(frozen=True)
class Intent:
    """One intent of a samples file.

    Attributes:
        name: the intent's name.
        requires: the campaign features it needs.
        slots: (slot name, slot type), in order.
        samples: the samples of every locale of the language.
        by_locale: extra samples, per locale.
        built_in: an AMAZON intent (no slots; Alexa's own samples, plus any listed).
    """

    name: str
    requires: frozenset[str] = frozenset()
    slots: tuple[tuple[str, str], ...] = ()
    samples: tuple[str, ...] = ()
    by_locale: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    built_in: bool = False

    def samples_for(self, locale: str) -> tuple[str, ...]:
        """The samples of `locale`: the shared ones, then its extras."""
        return self.samples + tuple(self.by_locale.get(locale, ()))


@dataclass(frozen=True)
class Samples:
    """The sample utterances of one language, as read from `interaction_models/samples/<language>.yaml`."""

    file: Path
    intents: tuple[Intent, ...]


@dataclass(frozen=True)
class ModelFile:
    """A generated interaction model, and what the file holds now (None when it does not exist)."""

    path: Path
    text: str
    current: str | None

    @property
    def stale(self) -> bool:
        """Whether the file differs from what is generated."""
        return self.current != self.text


@dataclass
class CampaignModels:
    """What `dropday models sync` makes for one campaign: its models, or the problems that stop it.

    Attributes:
        file: the campaign's manifest.
        folder: its models folder, `interaction_models/<campaign>/`.
        locales: the locales its skill.json publishes (empty when it cannot be read).
        models: the generated model of each locale that could be generated.
        findings: what stops the models being generated (a samples file's problems are reported by
            the first campaign that reads it).
        complete: whether every model was generated and nothing is wrong.
    """

    file: Path
    folder: Path | None
    locales: tuple[str, ...] = ()
    models: list[ModelFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    complete: bool = True


# -- the samples file ------------------------------------------------------------------------------------


def read_samples(file: Path) -> tuple[Samples | None, list[Finding]]:
    """Read and check a samples file: its shape, and every sample as Alexa will judge it.

    Returns:
        The samples, or None, and the problems found (each with the file, line and fix).
    """
    where = shown(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        return None, [Finding(where, "", f"cannot be read ({exc})", "restore it from the repository")]
    syntax = syntax_problem(text)
    if syntax:
        return None, [Finding(where, syntax.place, syntax.message, syntax.fix, syntax.line)]
    reader = _SamplesReader(where, yaml_line_finder(text))
    samples = reader.read(yaml.load(text, Loader=_Loader), file)
    return (samples if not reader.findings else None), reader.findings


class _SamplesReader:
    """Reads a samples file, collecting every problem with its line."""

    def __init__(self, where: str, lines: LineFinder) -> None:
        self.where, self.lines = where, lines
        self.findings: list[Finding] = []

    def problem(self, path: str, place: str, message: str, fix: str) -> None:
        self.findings.append(Finding(self.where, place, message, fix, self.lines(path)))

    def read(self, data: object, file: Path) -> Samples:
        if not isinstance(data, Mapping) or not isinstance(data.get("intents"), list):
            self.problem("", "", "has no `intents:` list", "start from interaction_models/samples/en.yaml")
            return Samples(file, ())
        for key in data:
            if key not in ("intents", "built_in_intents"):
                self.problem(str(key), str(key), "is not a known key", "use `intents:` and `built_in_intents:`")
        intents = [self.intent(entry, f"intents[{i}]") for i, entry in enumerate(data["intents"])]
        built_ins = data.get("built_in_intents") or []
        if not isinstance(built_ins, list):
            self.problem("built_in_intents", "built_in_intents", "is not a list", "write one `- AMAZON...` per line")
            built_ins = []
        intents += [self.built_in(entry, f"built_in_intents[{i}]") for i, entry in enumerate(built_ins)]
        names = [i.name for i in intents if i.name]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.problem("", f"intent {name}", "is listed twice", "keep one entry per intent")
        self.clashes(intents, data["intents"])
        return Samples(file, tuple(intents))

    def intent(self, entry: object, path: str) -> Intent:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            self.problem(path, path, "needs a `name:`", "give the intent's name, e.g. `name: TipIntent`")
            return Intent("")
        name = entry["name"]
        place = f"intent {name}"
        for key in entry:
            if key not in ("name", "requires", "slots", "samples", "locales"):
                self.problem(f"{path}.{key}", f"{place}, {key}", "is not a known key",
                             "use name, requires, slots, samples and locales")
        slots = entry.get("slots") or {}
        if not isinstance(slots, Mapping):
            self.problem(f"{path}.slots", f"{place}, slots", "is not a mapping", "write `slot name: SLOT_TYPE` lines")
            slots = {}
        for slot, kind in slots.items():
            if not (isinstance(kind, str) and (kind in SLOT_TYPES or kind.startswith("AMAZON."))):
                self.problem(f"{path}.slots.{slot}", f"{place}, slots.{slot}", f"has the unknown slot type {kind!r}",
                             f"use an AMAZON type or one built from the manifest: {', '.join(sorted(SLOT_TYPES))} "
                             "(a new one is a function in dropday/tooling/model_sync.py, SLOT_TYPES)")
        samples = self.texts(entry.get("samples"), f"{path}.samples", f"{place}, samples")
        by_locale: dict[str, tuple[str, ...]] = {}
        locales = entry.get("locales") or {}
        for locale, texts in (locales.items() if isinstance(locales, Mapping) else ()):
            if not LOCALE_PATTERN.match(str(locale)):
                self.problem(f"{path}.locales.{locale}", f"{place}, locales.{locale}", "is not a locale code",
                             "use a code such as en-GB")
            by_locale[str(locale)] = self.texts(texts, f"{path}.locales.{locale}", f"{place}, locales.{locale}")
        intent = Intent(name, self.requires(entry.get("requires"), path, place),
                        tuple((str(s), str(k)) for s, k in slots.items()), samples, by_locale)
        for locale in ("", *by_locale):
            self.check_samples(intent, locale, path)
        return intent

    def built_in(self, entry: object, path: str) -> Intent:
        if isinstance(entry, str):
            entry = {"name": entry}
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if not (isinstance(name, str) and name.startswith("AMAZON.")):
            self.problem(path, path, "is not an AMAZON built-in intent",
                         "write its name, e.g. AMAZON.HelpIntent, or {name: ..., requires: [...]}")
            return Intent("", built_in=True)
        for key in entry:
            if key not in ("name", "requires", "samples"):
                self.problem(f"{path}.{key}", f"{name}, {key}", "is not a known key",
                             "a built-in intent takes name, requires and samples (Alexa's own, plus these)")
        samples = self.texts(entry.get("samples"), f"{path}.samples", f"{name}, samples")
        intent = Intent(name, self.requires(entry.get("requires"), path, name), samples=samples, built_in=True)
        self.check_samples(intent, "", path)
        return intent

    def requires(self, value: object, path: str, place: str) -> frozenset[str]:
        if value is None:
            return frozenset()
        names = value if isinstance(value, list) else [value]
        for name in names:
            if name not in FEATURES:
                self.problem(f"{path}.requires", f"{place}, requires", f"names the unknown feature {name!r}",
                             f"use {', '.join(sorted(FEATURES))}")
        return frozenset(str(n) for n in names)

    def texts(self, value: object, path: str, place: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, place, "is not a list of sample utterances", "write one `- sample` per line")
            return ()
        return tuple(value)

    def check_samples(self, intent: Intent, locale: str, path: str) -> None:
        """Alexa's rules for one sample: characters, slots with spaces around them, declared slots."""
        declared = {name for name, _ in intent.slots}
        texts = intent.by_locale.get(locale, ()) if locale else intent.samples
        key = f"{path}.locales.{locale}" if locale else f"{path}.samples"
        seen: set[str] = set(" ".join(s.split()) for s in intent.samples) if locale else set()
        for j, sample in enumerate(texts):
            place = f"intent {intent.name}, {'locales.' + locale if locale else 'samples'}"
            line_path = f"{key}[{j}]"
            if not _SAMPLE_CHARACTERS.fullmatch(sample):
                self.problem(line_path, place, f"{sample!r} has characters Alexa does not accept in a sample",
                             "use lowercase letters, spaces, apostrophes and periods, and {slot} for a slot")
            elif _SLOT_NOT_SPACED.search(sample):
                self.problem(line_path, place, f"{sample!r} has a slot without a space on each side",
                             "put a space before and after each {slot} (Alexa rejects \"{member}'s\")")
            for slot in _SLOT_NAME.findall(sample):
                if slot not in declared:
                    self.problem(line_path, place, f"{sample!r} uses the slot {{{slot}}}, which the intent does "
                                 "not declare", f"add `{slot}: SLOT_TYPE` under the intent's `slots:`, or correct "
                                 f"the name ({', '.join(sorted(declared)) or 'no slots declared'})")
            normal = " ".join(sample.split())
            if normal in seen:
                self.problem(line_path, place, f"{sample!r} is listed twice for {intent.name}", "remove one of them")
            seen.add(normal)

    def clashes(self, intents: list[Intent], entries: list) -> None:
        """A sample in two intents (in any locale): Alexa could not tell which one a listener meant."""
        locales = sorted({locale for intent in intents for locale in intent.by_locale})
        reported: set[tuple[str, str, str]] = set()
        for locale in ["", *locales]:
            owner: dict[str, str] = {}
            custom = sum(not intent.built_in for intent in intents)
            for i, intent in enumerate(intents):
                listed = f"built_in_intents[{i - custom}]" if intent.built_in else f"intents[{i}]"
                for j, sample in enumerate(intent.samples_for(locale) if locale else intent.samples):
                    normal = " ".join(sample.split())
                    first = owner.setdefault(normal, intent.name)
                    if first != intent.name and (normal, first, intent.name) not in reported:
                        reported.add((normal, first, intent.name))
                        in_extras = j >= len(intent.samples)
                        path = (f"{listed}.locales.{locale}[{j - len(intent.samples)}]" if in_extras
                                else f"{listed}.samples[{j}]")
                        where = f" in {locale}" if locale and in_extras else ""
                        self.problem(path, f"intent {intent.name}", f"{sample!r} is also a sample of "
                                     f"{first}{where}, so Alexa could not tell which one a listener means",
                                     "keep it in one intent only")


# -- one campaign's models ---------------------------------------------------------------------------------


def derived_invocation_name(artist: str) -> str:
    """The artist's name as an invocation name: 'The Lantern Foxes' -> 'lantern foxes'."""
    words = re.sub(r"[^a-z' ]", " ", artist.lower()).split()
    if len(words) > 2 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def invocation_name(data: object, manifest: Manifest) -> tuple[str, str]:
    """(the campaign's invocation name, the manifest key it comes from).

    `invocation_name:` at the top of the manifest when it is there, else derived from `artist.name`.
    """
    given = data.get("invocation_name") if isinstance(data, Mapping) else None
    if isinstance(given, str) and given.strip():
        return " ".join(given.split()), "invocation_name"
    return derived_invocation_name(manifest.artist), "artist.name"


def invocation_name_problems(name: str) -> list[str]:
    """What Alexa's rules say against an invocation name (nothing when it is fine)."""
    problems = []
    if not _INVOCATION.fullmatch(name):
        problems.append("may hold only lowercase letters, spaces, apostrophes and the periods of spelled "
                        "abbreviations (numbers spelled out)")
    if len(name.split()) < 2:
        problems.append("needs at least two words")
    bad = sorted(LAUNCH_AND_WAKE_WORDS.intersection(name.split()))
    if bad:
        problems.append(f"must not contain {', '.join(repr(w) for w in bad)} (launch phrases and wake words)")
    return problems


def skill_locales(skill_file: Path) -> tuple[tuple[str, ...], list[Finding]]:
    """The locales a campaign's skill.json publishes (`manifest.publishingInformation.locales`)."""
    where = shown(skill_file)
    fix = "copy skill.json from another campaign's folder and edit its publishing information"
    if not skill_file.is_file():
        return (), [Finding(where, "", "does not exist, so the campaign has no skill to generate models for",
                            f"{fix} (one entry per locale under publishingInformation.locales)")]
    try:
        text = skill_file.read_text(encoding="utf-8")
        locales = json.loads(text)["manifest"]["publishingInformation"]["locales"]
        if not isinstance(locales, Mapping):
            raise TypeError("`locales` is not a mapping")
    except json.JSONDecodeError as exc:
        return (), [Finding(where, "", f"is not valid JSON: {exc.msg}", "correct it (a JSON validator shows where)",
                            exc.lineno)]
    except (OSError, UnicodeError, KeyError, TypeError) as exc:
        return (), [Finding(where, "manifest.publishingInformation.locales", f"cannot be read ({exc})", fix)]
    bad = [str(locale) for locale in locales if not LOCALE_PATTERN.match(str(locale))]
    if bad:
        return (), [Finding(where, "manifest.publishingInformation.locales", f"names {', '.join(bad)}, which is "
                            "not a locale code", "use codes such as en-GB")]
    return tuple(str(locale) for locale in locales), []


def build_model(manifest: Manifest, name: str, locale: str, samples: Samples) -> dict[str, object]:
    """The interaction model of `manifest` in `locale`.

    Intents whose features the campaign lacks are left out; so are slots whose type has no values
    for this campaign, with the samples that use them.
    """
    features = campaign_features(manifest)
    values = {kind: build(manifest) for kind, build in SLOT_TYPES.items()}
    intents, types = [], {}
    for intent in samples.intents:
        if not intent.requires <= features:
            continue
        if intent.built_in:
            intents.append({"name": intent.name, "samples": list(intent.samples)})
            continue
        kept = [(slot, kind) for slot, kind in intent.slots if kind not in values or values[kind]]
        dropped = {slot for slot, _ in intent.slots} - {slot for slot, _ in kept}
        texts = [s for s in intent.samples_for(locale) if not dropped.intersection(_SLOT_NAME.findall(s))]
        intents.append({"name": intent.name, "slots": [{"name": s, "type": k} for s, k in kept], "samples": texts})
        types.update({kind: values[kind] for _, kind in kept if kind in values})
    return {"interactionModel": {"languageModel": {
        "invocationName": name,
        "intents": intents,
        "types": [{"name": kind, "values": kind_values} for kind, kind_values in types.items()],
    }}}


def render(model: Mapping[str, object]) -> str:
    """A model as its file holds it: JSON indented by two, one trailing newline."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def campaign_models(workspace: Workspace, file: Path, manifest: Manifest, data: object,
                    samples: dict[str, tuple[Samples | None, list[Finding]]] | None = None) -> CampaignModels:
    """The models `dropday models sync` would write for the campaign in `file`.

    Args:
        workspace: where the models live.
        file: the campaign's manifest.
        manifest: the parsed campaign.
        data: the manifest as loaded from YAML (for keys the campaign model may not carry yet).
        samples: a cache of samples files already read (language -> result), shared between campaigns.
    """
    folder = workspace.models_dir(file)
    result = CampaignModels(file, folder)
    if folder is None:
        result.findings.append(Finding(shown(workspace.manifest_dir), "", "has no interaction_models/ folder beside it",
                                       "create interaction_models/<campaign>/skill.json, or pass --models DIR"))
        result.complete = False
        return result
    result.locales, problems = skill_locales(folder / SKILL_MANIFEST_NAME)
    result.findings += problems
    name, source = invocation_name(data, manifest)
    problems = invocation_name_problems(name)
    if problems:
        said = "; it ".join(problems)
        if source == "invocation_name":
            message, fix = f"{name!r} {said}", "write two or more lowercase words that Alexa accepts"
        else:
            message = (f"gives the invocation name {name!r} (what listeners say to open the skill), which {said}")
            example = f"{name.split()[0] if name.split() else 'band'} songs"
            fix = ("add `invocation_name:` at the top of the manifest: two or more lowercase words listeners say to "
                   f"open the skill, e.g. `invocation_name: {example}`")
        result.findings.append(Finding(shown(file), source, message, fix))
    cache = {} if samples is None else samples
    for locale in result.locales:
        language = locale.split("-")[0]
        samples_file = workspace.samples_dir / f"{language}.yaml"
        if language not in cache:  # the first campaign to read a samples file reports its problems
            cache[language] = read_samples(samples_file) if samples_file.is_file() else (None, [])
            result.findings += cache[language][1]
            if not samples_file.is_file():
                result.findings.append(Finding(
                    shown(folder / SKILL_MANIFEST_NAME), "manifest.publishingInformation.locales",
                    f"publishes {locale}, but there are no sample utterances for its language ({shown(samples_file)})",
                    "a developer translates interaction_models/samples/en.yaml into it"))
        language_samples = cache[language][0]
        if language_samples is None:
            result.complete = False
            continue
        path = folder / f"{locale}.json"
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        result.models.append(ModelFile(path, render(build_model(manifest, name, locale, language_samples)), current))
    if result.findings:
        result.complete = False
    return result


def sync_command(workspace: Workspace) -> str:
    """The command, runnable from the working directory, that rewrites the models of `workspace`."""
    command = f"{dropday_command()} models sync"
    if Path(workspace.manifest_dir).resolve() != Path("audio_manifest").resolve():
        command += f" {shown(workspace.manifest_dir)}"
    beside = Path(workspace.manifest_dir).resolve().parent / "interaction_models"
    if workspace.models_root is not None and Path(workspace.models_root).resolve() != beside:
        command += f" --models {shown(workspace.models_root)}"
    return command
