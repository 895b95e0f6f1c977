"""`dropday validate`: every problem in every manifest, its clips and the interaction models, at once.

The checks, in the order a manifest goes through them:

1. the skill's own reader and parser (`dropday.content.read_manifest`, as at cold start and in
   `sam build`): UTF-8, YAML syntax, aliases, keys given twice (YAML silently keeps the last one,
   so a problem in the first is reported too), the shape of the file, member ids, unique ids,
   dates, time zone, placeholders, invisible characters and SSML markup in texts; with the file
   and line of each problem;
2. (part of 1 since the parser does it);
3. the JSON Schema editors use (`audio_manifest/schema/manifest.schema.json`), reporting only what
   the parser did not already report at the same place;
4. every clip: exists, is really an Alexa-compliant MP3, is whole, at most 240 s;
5. dates within a year of the release, and no tip ending before the campaign starts;
6. every text SSML-safe, every question a question;
7. the interaction models' BAND_MEMBER slot against the members;
8. every locale one the skill runs in, and each language with its own text;
9. Alexa's per-response limits on the longest responses the skill builds;
10. clips changed since the last `dropday audio publish`, when the campaign was published before.

Checks 3 to 7 read the loaded YAML leniently (through the same `dropday.content.read_yaml`) and
run even when the parser rejects the file, so one run shows (nearly) everything; the rest need the
parsed campaign.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError

from ..content import as_json, read_manifest, read_yaml
from ..core.manifest import AUDIO_PATH_PATTERN, ID_PATTERN, Manifest, ManifestError, Member
from . import publish, quiz_checks
from .clips import check_clip
from .findings import Finding, LineFinder, Workspace, model_files, shown
from .models import check_models
from .responses import response_overruns
from .texts import locale_problems, question_problems, ssml_problems
from .timeline import campaign_start

#: Dates further than this from the release are almost always a typo in the year.
SENSIBLE_DAYS = 365
SCHEMA_FIX = "see the description of this field in audio_manifest/schema/manifest.schema.json"


@dataclass
class Report:
    """What `validate` found.

    Attributes:
        root: the folder (or file) checked, as shown.
        findings: every problem, grouped by file, in line order.
        campaigns: the manifests that parsed.
        files: manifest files checked.
        clips: distinct clips checked.
        models: locale models checked.
        notes: things not checked, and why.
    """

    root: str
    findings: list[Finding] = field(default_factory=list)
    campaigns: list[Manifest] = field(default_factory=list)
    files: int = 0
    clips: int = 0
    models: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.findings

    def summary(self) -> str:
        """One line: the counts when all is well, else the number of problems."""
        if self.findings:
            files = len({f.file for f in self.findings})
            return (f"{self.root}: {_count(len(self.findings), 'problem')} in {_count(files, 'file')}; "
                    "fix them and run dropday validate again")
        tips = sum(len(m.tips) for m in self.campaigns)
        line = (f"{self.root}: {_count(self.files, 'campaign')}, {_count(tips, 'tip')}, {_count(self.clips, 'clip')}, "
                f"{_count(self.models, 'locale model')}: all good")
        return line + "".join(f" ({note})" for note in self.notes)


def validate(workspace: Workspace, models_campaign: str | None = None, check_published: bool = True) -> Report:
    """Check every manifest of `workspace`.

    Args:
        workspace: the manifests, their clips and interaction models.
        models_campaign: which campaign the interaction models belong to when there are several.
        check_published: compare clips with the index of the last `dropday audio publish`
            (publishing itself validates without it).

    Returns:
        The report; `report.ok` when nothing is wrong.
    """
    report = Report(shown(workspace.manifest_dir))
    validator, schema_findings = _schema_validator(workspace.schema_path)
    report.findings += schema_findings
    models = model_files(workspace.models_dir)
    model_locales = frozenset(p.stem for p in models)
    if workspace.models_dir is not None and len(workspace.files) > 1 and models_campaign is None:
        report.notes.append("interaction models not compared: several campaigns, pass --campaign")
    campaigns: dict[str, Path] = {}
    clips: set[tuple[str, str]] = set()
    for file in workspace.files:
        serves_models = len(workspace.files) == 1 or models_campaign == file.stem
        checker = _FileCheck(workspace, file, validator, model_locales, check_published,
                             workspace.models_dir if serves_models else None)
        manifest = checker.run()
        report.files += 1
        report.models = max(report.models, len(models) if checker.models_checked else 0)
        clips |= {(checker.campaign, c) for c in checker.clips}
        if manifest is not None:
            report.campaigns.append(manifest)
            if manifest.campaign in campaigns:
                checker.add("campaign", f"`{manifest.campaign}` is also the campaign of "
                            f"{shown(campaigns[manifest.campaign])}; their clips would overwrite each other",
                            "give each campaign its own id")
            campaigns.setdefault(manifest.campaign, file)
        report.findings += checker.findings
    report.clips = len(clips)
    report.findings.sort(key=lambda f: (f.file, f.line or 0))
    return report


class _FileCheck:
    """The checks of one manifest file, collecting findings."""

    def __init__(self, workspace: Workspace, file: Path, validator: Draft202012Validator | None,
                 model_locales: frozenset[str], check_published: bool, models_dir: Path | None) -> None:
        self.workspace, self.file, self.validator = workspace, file, validator
        self.model_locales, self.check_published, self.models_dir = model_locales, check_published, models_dir
        self.models_checked = False
        self.shown = shown(file)
        self.findings: list[Finding] = []
        self.lines: LineFinder = lambda path: None
        self.campaign = ""
        self.clips: dict[str, str] = {}         # clip path -> YAML path of its first use
        self.clip_seconds: dict[str, float] = {}

    def add(self, path: str, message: str, fix: str, line: int | None = None) -> None:
        self.findings.append(Finding(self.shown, path, message, fix, line or self.lines(path)))

    def run(self) -> Manifest | None:
        manifest, parser_paths = self._parse()
        try:
            document = read_yaml(self.file)
        except ManifestError:
            return None  # unreadable, not YAML, or unsafe to build: the parser has reported it, with the line
        data, self.lines = document.data, document.lines
        self._schema(data, parser_paths)
        self._clips(data)
        for problem in [*ssml_problems(data), *question_problems(data)]:
            self.add(problem.path, problem.message, problem.fix)
        members = manifest.members if manifest is not None else _raw_members(data)
        if self.models_dir is not None and members:
            self.findings += check_models(members, self.file, self.models_dir)
            self.models_checked = True
        if manifest is None:
            return None
        self._dates(manifest, data)
        for problem in locale_problems(data, manifest, self.model_locales):
            self.add(problem.path, problem.message, problem.fix)
        self._responses(manifest, data)
        self.findings += quiz_checks.findings(self.shown, self.lines, manifest, self.workspace)
        if self.check_published:
            self._published(manifest)
        return manifest

    # -- 1. the skill's parser -----------------------------------------------------------------------

    def _parse(self) -> tuple[Manifest | None, list[str]]:
        try:
            return read_manifest(self.file), []
        except ManifestError as exc:
            for problem in exc.problems:
                self.findings.append(Finding(self.shown, problem.path, problem.message, problem.fix, problem.line))
            return None, [p.path for p in exc.problems]

    # -- 3. the JSON Schema ----------------------------------------------------------------------------

    def _schema(self, data: object, parser_paths: list[str]) -> None:
        if self.validator is None:
            return
        for error in self.validator.iter_errors(as_json(data)):
            path = _yaml_path(error)
            if any(_within(path, p) or _within(p, path) for p in parser_paths):
                continue  # the parser already said what is wrong here, in its own words
            self.add(path, f"does not match the schema: {error.message}", _schema_fix(error))

    # -- 4. clips --------------------------------------------------------------------------------------

    def _clips(self, data: object) -> None:
        if not isinstance(data, Mapping):
            return
        campaign = data.get("campaign")
        if not (isinstance(campaign, str) and ID_PATTERN.match(campaign)):
            return
        self.campaign = campaign
        for path, clip in _clip_references(data):
            self.clips.setdefault(clip, path)
        audio_dir = self.workspace.audio_dir(campaign)
        for clip, path in self.clips.items():
            file = audio_dir / clip
            hint = f"dropday audio convert {shown(file)} --out {shown(file.parent)}"
            result = check_clip(file, shown(file), hint)
            if result.seconds is not None:
                self.clip_seconds[clip] = result.seconds
            for problem in result.problems:
                self.add(path, problem.message, problem.fix)

    # -- 5. dates --------------------------------------------------------------------------------------

    def _dates(self, manifest: Manifest, data: Mapping) -> None:
        release = manifest.album.release_date
        start = campaign_start(manifest)
        for i, tip in enumerate(manifest.tips):
            for key, day in (("from", tip.window.start), ("until", tip.window.end)):
                if day is not None and abs((day - release).days) > SENSIBLE_DAYS:
                    self.add(f"tips[{i}].available.{key}", f"{day} is {_distance(day, release)} the release "
                             f"({release}); dates over a year away are usually a typo",
                             "check the year and the month")
            if tip.window.end and start and tip.window.end < start[0] \
                    and abs((tip.window.end - release).days) <= SENSIBLE_DAYS:
                self.add(f"tips[{i}].available.until", f"{tip.window.end} is before the campaign starts "
                         f"({start[0]}, {start[1]}), so no listener would ever hear this tip",
                         "check the date: `until` is the last day the tip can be heard")
        for i, line in enumerate((data.get("countdown") or {}).get("lines") or []):
            days = line.get("days_to_go")
            if isinstance(days, int) and days > SENSIBLE_DAYS:
                self.add(f"countdown.lines[{i}].days_to_go", f"{days} days is more than a year before the release",
                         "check the number: it counts days before release day (7 is a week before)")

    # -- 9. per-response limits ------------------------------------------------------------------------

    def _responses(self, manifest: Manifest, data: Mapping) -> None:
        paths: dict[str, str] = {f"tip:{t.id}": f"tips[{i}]" for i, t in enumerate(manifest.tips)}
        countdown = data.get("countdown") or {}
        for i, line in enumerate(countdown.get("lines") or []):
            paths[f"line:{line['days_to_go']}"] = f"countdown.lines[{i}]"
        if countdown.get("out_now"):
            paths["out_now"] = "countdown.out_now"
        for table, sentences in data["speech"].items():
            for key in sentences or {}:
                paths[f"speech:{table}:{key}"] = f"speech.{table}.{key}"
        named = {str(t) for t in data["speech"] if t != "default"} | set(self.model_locales)
        for tip in manifest.tips:
            named |= set(tip.locales or ()) | set(tip.transcript.by_locale)
        locales: list[str | None] = [None, *sorted(named)]
        for overrun in response_overruns(manifest, self.clip_seconds, locales, paths):
            self.add(overrun.path, overrun.message, overrun.fix)

    # -- 10. published clips ----------------------------------------------------------------------------

    def _published(self, manifest: Manifest) -> None:
        index_file = self.workspace.published_index(manifest.campaign)
        if not index_file.is_file():
            return
        index = publish.read_index(index_file)
        audio_dir = self.workspace.audio_dir(manifest.campaign)
        for clip in manifest.audio_paths:
            file = audio_dir / clip
            if clip not in self.clip_seconds or not file.is_file():
                continue
            key = publish.clip_key(manifest.campaign, clip, publish.sha256_of(file))
            if index.get(clip) != key:
                state = "has changed since" if clip in index else "is not in"
                self.add(self.clips.get(clip, ""), f"{clip} {state} the last `dropday audio publish` "
                         f"({shown(index_file)}), so the deployed skill would play an old clip or nothing",
                         "run `dropday audio publish --bucket <audio bucket>` (stack output AudioBucketName), "
                         "then deploy")


def _schema_validator(path: Path) -> tuple[Draft202012Validator | None, list[Finding]]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
    except Exception as exc:  # unreadable, not JSON (ValueError) or not a valid schema (SchemaError)
        return None, [Finding(shown(path), "", f"the manifest schema cannot be used ({exc})",
                              "restore it from the repository")]
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER), []


def _raw_members(data: object) -> tuple[Member, ...]:
    """The members as written, when every one has an id and a name; else none (the parser reports why)."""
    entries = data.get("members") if isinstance(data, Mapping) else None
    members = []
    for entry in entries if isinstance(entries, list) else []:
        if not (isinstance(entry, Mapping) and isinstance(entry.get("id"), str) and isinstance(entry.get("name"), str)):
            return ()
        synonyms = entry.get("synonyms") if isinstance(entry.get("synonyms"), list) else []
        members.append(Member(entry["id"], entry["name"].strip(), tuple(str(s).strip() for s in synonyms)))
    return tuple(members)


def _clip_references(data: Mapping) -> Iterator[tuple[str, str]]:
    """(YAML path, clip path) of every well-formed clip reference, read leniently from loaded YAML."""
    tips = data.get("tips")
    for i, tip in enumerate(tips if isinstance(tips, list) else []):
        if isinstance(tip, Mapping):
            yield from _clip(tip.get("audio"), f"tips[{i}].audio")
    countdown = data.get("countdown")
    if isinstance(countdown, Mapping):
        lines = countdown.get("lines")
        for i, line in enumerate(lines if isinstance(lines, list) else []):
            if isinstance(line, Mapping):
                yield from _clip(line.get("audio"), f"countdown.lines[{i}].audio")
        out_now = countdown.get("out_now")
        if isinstance(out_now, Mapping):
            yield from _clip(out_now.get("audio"), "countdown.out_now.audio")


def _clip(value: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and AUDIO_PATH_PATTERN.match(value.strip()):
        yield path, value.strip()


def _yaml_path(error: ValidationError) -> str:
    """A schema error's place in the parser's notation, e.g. ``tips[0].available``."""
    path = ""
    for step in error.absolute_path:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def _within(place: str, path: str) -> bool:
    """Whether `path` is `place` or lies inside it (``tips[0]`` holds ``tips[0].member``)."""
    return not place or path == place or path.startswith((f"{place}.", f"{place}["))


def _schema_fix(error: ValidationError) -> str:
    description = error.schema.get("description") if isinstance(error.schema, Mapping) else None
    return f"{description[0].lower()}{description[1:].rstrip('.')}" if description else SCHEMA_FIX


def _distance(day: date, release: date) -> str:
    days = (day - release).days
    return f"{abs(days)} days {'after' if days > 0 else 'before'}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

