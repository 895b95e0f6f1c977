"""`dropday validate`: every problem in every manifest, its clips and the interaction models, at once.

The checks, in the order a manifest goes through them:

1. the skill's own parser (`dropday.content.read_manifest`): YAML syntax, the shape of the file,
   member ids, unique ids, dates, time zone, placeholders; with the file and line of each problem;
2. YAML keys given twice (YAML silently keeps the last one);
3. the JSON Schema editors use (`audio_manifest/schema/manifest.schema.json`), reporting only what
   the parser did not already report at the same place;
4. every clip: exists, is really an Alexa-compliant MP3, is whole, at most 240 s;
5. dates within a year of the release, and no tip ending before the campaign starts;
6. every text SSML-safe, every question a question;
7. the campaign's interaction models, once the manifest parses: its BAND_MEMBER slot against the
   members, and each model against what `dropday models sync` would write (invocation name,
   samples, locales);
8. every locale one the skill runs in, and each language with its own text;
9. Alexa's per-response limits on the longest responses the skill builds;
10. clips changed (re-recorded, or replaced by `dropday audio convert`) since the last
    `dropday audio publish`, when the campaign was published before;
11. notes, which never fail: files in `audio/<campaign>/` that nothing in the manifest uses.

A YAML syntax error is explained in plain words at its place (`tooling.yaml_syntax`). Checks 1 to 6
read the loaded YAML leniently and run even when the parser rejects the file, so one run shows
(nearly) everything; the rest need the parsed campaign. Places are shown by the entry's id where
it has one (`tip noor-tuning-up, audio`), and an unknown id close to a known one gets "did you mean".

Why unused files are notes, not problems: they harm no listener (`dropday audio publish` uploads
only the clips the manifest names), and the content team's own recipe makes one on the way: the
recording is converted into the campaign's folder first, then the manifest gets its entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from jsonschema import Draft202012Validator, ValidationError

from ..content import COMPILED_SUFFIX, YamlDocument, as_json, parsed_manifest, read_manifest, read_yaml
from ..core.campaign.parse import parse_places
from ..core.campaign.model import AUDIO_PATH_PATTERN, ID_PATTERN, Manifest
from ..core.campaign import SENTENCES, ManifestError
from ..core.campaign.parse.upgrade import UPGRADE_NOTES
from . import publish, quiz_checks, streams
from .clips import ClipCheck, check_clip
from .findings import (
    Finding,
    LineFinder,
    Workspace,
    model_files,
    readable_place,
    shown,
    with_suggestion,
)
from .model_sync import Samples, campaign_models, sync_command
from .images import image_findings
from .models import check_models
from .optins_checks import check_optins
from .responses import response_overruns
from .schema import SCHEMA_FILE, V1_SCHEMA_FILE
from .texts import locale_problems, question_problems, recording_places, ssml_problems
from .timeline import campaign_start
from .yaml_syntax import syntax_problem

#: Dates further than this from the release are almost always a typo in the year.
SENSIBLE_DAYS = 365
SCHEMA_FIX = "see the description of this field in audio_manifest/schema/manifest.schema.json"


@dataclass
class Report:
    """What `validate` found.

    Attributes:
        root: the folder (or file) checked, as shown.
        findings: every problem, grouped by file, in line order.
        notes: remarks that do not make anything wrong (`Finding.note`), in the same order.
        campaigns: the manifests that parsed.
        parsed: manifest file -> (the campaign, the manifest as loaded from YAML), for those that parsed.
        files: manifest files checked.
        clips: distinct clips checked.
        models: locale models checked.
    """

    root: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    campaigns: list[Manifest] = field(default_factory=list)
    parsed: dict[Path, tuple[Manifest, object]] = field(default_factory=dict)
    files: int = 0
    clips: int = 0
    models: int = 0

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong (notes aside)."""
        return not self.findings

    def lines(self) -> list[str]:
        """What `dropday validate` prints: the problems, the notes, and the summary."""
        return [*map(str, self.findings), *map(str, self.notes), self.summary()]

    def summary(self) -> str:
        """One line: the counts when all is well, else the number of problems."""
        notes = f" ({_count(len(self.notes), 'note')} above)" if self.notes else ""
        if self.findings:
            files = len({f.file for f in self.findings})
            return (f"{self.root}: {_count(len(self.findings), 'problem')} in {_count(files, 'file')}; "
                    f"fix them and run dropday validate again{notes}")
        pieces = sum(len(m.pieces) for m in self.campaigns)
        sections = sum(len(m.sections) for m in self.campaigns)
        return (f"{self.root}: {_count(self.files, 'campaign')}, {_count(sections, 'section')}, "
                f"{_count(pieces, 'piece')}, {_count(self.clips, 'clip')}, "
                f"{_count(self.models, 'locale model')}: all good{notes}")


def validate(workspace: Workspace, campaign: str | None = None, check_models: bool = True,
             check_published: bool = True) -> Report:
    """Check every manifest of `workspace` (or only `campaign`'s).

    Args:
        workspace: the manifests, their clips and interaction models.
        campaign: check only this campaign (its manifest's file name without `.yaml`).
        check_models: compare the interaction models with the manifest (`dropday models sync`
            validates without it: it is about to rewrite them).
        check_published: compare clips with the index of the last `dropday audio publish`
            (publishing and syncing the models validate without it).

    Returns:
        The report; `report.ok` when nothing is wrong.

    Raises:
        UsageError: there is no such campaign.
    """
    workspace = workspace.select(campaign)
    report = Report(shown(workspace.manifest_dir))
    validator, schema_findings = _schema_validator(workspace.schema_path)
    report.findings += schema_findings
    if check_models and workspace.models_root is None:
        report.notes.append(Finding(report.root, "", "the interaction models were not compared: there is no "
                                    "interaction_models/ folder beside it", "pass --models DIR to compare them",
                                    note=True))
    campaigns: dict[str, Path] = {}
    clips: set[tuple[str, str]] = set()
    samples: dict[str, tuple[Samples | None, list[Finding]]] = {}
    for file in workspace.files:
        checker = _FileCheck(workspace, file, validator, check_published, check_models, samples)
        manifest = checker.run()
        report.files += 1
        report.models += checker.models_checked
        clips |= {(checker.campaign, c) for c in checker.clips}
        if manifest is not None:
            report.campaigns.append(manifest)
            report.parsed[file] = (manifest, checker.data)
            if manifest.campaign in campaigns:
                checker.add("campaign", f"`{manifest.campaign}` is also the campaign of "
                            f"{shown(campaigns[manifest.campaign])}; their clips would overwrite each other",
                            "give each campaign its own id")
            campaigns.setdefault(manifest.campaign, file)
        report.findings += [f for f in checker.findings if not f.note]
        report.notes += [f for f in checker.findings if f.note]
    report.clips = len(clips)
    report.findings.sort(key=lambda f: (f.file, f.line or 0))
    report.notes.sort(key=lambda f: (f.file, f.line or 0))
    return report


def manifest_findings(file: Path, error: ManifestError) -> list[Finding]:
    """The parser's problems with `file`, shown as `validate` shows them: a YAML syntax error
    explained at its place, places named by id, "did you mean" for a near-miss id."""
    try:
        text = file.read_text(encoding="utf-8")
        syntax = syntax_problem(text)
        data = None if syntax else read_yaml(file).data
    except (OSError, UnicodeError, ValueError):   # ManifestError is a ValueError
        syntax, data = None, None
    if syntax is not None:
        return [Finding(shown(file), syntax.place, syntax.message, syntax.fix, syntax.line)]
    return [Finding(shown(file), readable_place(p.path, data), p.message, with_suggestion(p.message, p.fix), p.line)
            for p in error.problems]


class _FileCheck:
    """The checks of one manifest file, collecting findings."""

    def __init__(self, workspace: Workspace, file: Path, validator: Draft202012Validator | None,
                 check_published: bool, check_models: bool,
                 samples: dict[str, tuple[Samples | None, list[Finding]]]) -> None:
        self.workspace, self.file, self.validator = workspace, file, validator
        self.check_published, self.check_models, self.samples = check_published, check_models, samples
        self.models_checked = 0
        self.model_locales: frozenset[str] = frozenset()
        self.shown = shown(file)
        self.findings: list[Finding] = []
        self.lines: LineFinder = lambda path: None
        self.campaign = ""
        self.data: object = None
        self.places: tuple = ()
        self.clips: dict[str, str] = {}         # clip path -> YAML path of its first use
        self.clip_seconds: dict[str, float] = {}
        self.clip_checks: dict[Path, ClipCheck] = {}   # clip file -> what checking it found

    def add(self, path: str, message: str, fix: str, line: int | None = None, note: bool = False) -> None:
        self.findings.append(Finding(self.shown, path, message, fix, line or self.lines(path), note))

    def run(self) -> Manifest | None:
        try:
            text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            self._parse()  # the parser says why, with the fix
            return None
        try:
            document = read_yaml(self.file)   # the skill's own reader: refuses alias bombs
        except ManifestError:
            document = None   # unsafe to build, or not YAML: the parser reports it (below)
        # read_yaml loads with the same loader as syntax_problem: only a file it refused can have a syntax error.
        syntax = syntax_problem(text) if document is None else None
        if syntax is not None:  # in plain words, at its place (the parser would say "(top level)")
            self.add(syntax.place, syntax.message, syntax.fix, syntax.line)
            return None
        manifest, parser_paths = self._parse(document)
        if document is None:
            return None
        data, self.lines = document.data, document.lines
        self.data = data
        parsed = parse_places(data)
        self.places = parsed.places
        if manifest is not None and parsed.manifest is not None:
            # The checks below find where a piece or a sentence is written by the object the parser
            # read it into (`Place.value`): use the campaign built in the same parse as the places.
            manifest = parsed.manifest
        self._schema(data, parser_paths)
        self._clips(data)
        self.findings += streams.check_episodes(data, self.workspace, self.shown, self.lines)
        self.findings += image_findings(self.workspace, self.file, data, self.lines, self.check_published)
        for problem in [*ssml_problems(self.places), *question_problems(self.places)]:
            self.add(problem.path, problem.message, problem.fix)
        if self.check_models:
            self._models(manifest, data)
        if manifest is not None:
            self._dates(manifest, data)
            for problem in locale_problems(self.places, manifest, self.model_locales):
                self.add(problem.path, problem.message, problem.fix)
            check_optins(self.add, manifest, self.model_locales, self.workspace.models_dir(self.file))
            self._responses(manifest, data)
            quiz_checks.check(self.add, manifest, self.workspace.audio_dir(manifest.campaign),
                              self.workspace.models_dir(self.file), self.clip_checks)
            if self.check_published:
                self._published(manifest)
            self._unused_files(manifest)
            self._notes(manifest)
        self._name_places(data)
        return manifest

    def _name_places(self, data: object) -> None:
        """This file's findings with their lines, places named by id, and "did you mean"."""
        self.findings = [replace(f, line=f.line or self.lines(f.path), path=readable_place(f.path, data),
                                 fix=with_suggestion(f.message, f.fix)) if f.file == self.shown else f
                         for f in self.findings]

    # -- 1. the skill's parser -----------------------------------------------------------------------

    def _parse(self, document: YamlDocument | None = None) -> tuple[Manifest | None, list[str]]:
        """`read_manifest`, from `document` when it is the file's YAML, already read."""
        try:
            if document is None or self.file.name.endswith(COMPILED_SUFFIX):
                return read_manifest(self.file), []
            return parsed_manifest(document, self.file), []
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
        episodes = {clip for _, clip in streams.episode_files(data)}   # streamed: not SSML clips
        for path, clip in _clip_references(self.places):
            if clip not in episodes:
                self.clips.setdefault(clip, path)
        audio_dir = self.workspace.audio_dir(campaign)
        folders: dict[Path, str] = {}   # each folder shown once: most clips share a few
        for clip, path in self.clips.items():
            file = audio_dir / clip
            name = shown(file)
            folder = folders.get(file.parent) or folders.setdefault(file.parent, shown(file.parent))
            hint = f"dropday audio convert {name} --out {folder}"
            result = self.clip_checks[file] = check_clip(file, name, hint)
            if result.seconds is not None:
                self.clip_seconds[clip] = result.seconds
            for problem in result.problems:
                self.add(path, problem.message, problem.fix)

    # -- 7. interaction models -------------------------------------------------------------------------

    def _models(self, manifest: Manifest | None, data: object) -> None:
        """Compare the campaign's models with what the sync would write; only once the manifest
        parses: until then the sync cannot run, and its fix would only mislead."""
        folder = self.workspace.models_dir(self.file)
        if folder is None or manifest is None:
            return
        generated = campaign_models(self.workspace, self.file, manifest, data, self.samples) \
            if folder.is_dir() else None
        if generated is not None:
            self.findings += generated.findings
        findings, self.models_checked = check_models(manifest.members, self.file, folder,
                                                     f"run `{sync_command(self.workspace)}`", generated)
        self.findings += findings
        locales = generated.locales if generated is not None else ()
        self.model_locales = frozenset(locales or (p.stem for p in model_files(folder)))

    # -- 5. dates --------------------------------------------------------------------------------------

    def _dates(self, manifest: Manifest, data: Mapping) -> None:
        release = manifest.album.release_date
        start = campaign_start(manifest)
        where = recording_places(self.places)
        for piece in manifest.pieces:
            path = where.get(id(piece.recording), "sections")
            for key, day in (("from", piece.window.start), ("until", piece.window.end)):
                if day is not None and abs((day - release).days) > SENSIBLE_DAYS:
                    self.add(f"{path}.available.{key}", f"{day} is {_distance(day, release)} the release "
                             f"({release}); dates over a year away are usually a typo",
                             "check the year and the month")
            if piece.window.end and start and piece.window.end < start[0] \
                    and abs((piece.window.end - release).days) <= SENSIBLE_DAYS:
                self.add(f"{path}.available.until", f"{piece.window.end} is before the campaign starts "
                         f"({start[0]}, {start[1]}), so no listener would ever hear this piece",
                         "check the date: `until` is the last day the piece can be heard")
        for i, line in enumerate((data.get("countdown") or {}).get("lines") or []):
            days = line.get("days_to_go") if isinstance(line, Mapping) else None
            if isinstance(days, int) and days > SENSIBLE_DAYS:
                self.add(f"countdown.lines[{i}].days_to_go", f"{days} days is more than a year before the release",
                         "check the number: it counts days before release day (7 is a week before)")

    # -- 9. per-response limits ------------------------------------------------------------------------

    def _responses(self, manifest: Manifest, data: Mapping) -> None:
        named = {t for t in manifest.sentences.tables if t != "default"} | set(self.model_locales)
        for recording in manifest.recordings:
            named |= set(recording.locales or ()) | set(recording.transcript.by_locale)
        locales: list[str | None] = [None, *sorted(named)]
        for overrun in response_overruns(manifest, self.clip_seconds, locales, self.places):
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
                state = "was replaced (re-recorded or converted again) since" if clip in index else "is not in"
                self.add(self.clips.get(clip, ""), f"{clip} {state} the last `dropday audio publish` "
                         f"({shown(index_file)}), so the deployed skill would play an old clip or nothing",
                         "run `dropday audio publish --bucket <audio bucket>` (stack output AudioBucketName), "
                         "then deploy")


    # -- 12. notes: version 1, and the sentences said with the default wording ----------------------

    def _notes(self, manifest: Manifest) -> None:
        if manifest.source_version == 1:
            self.add("schema_version", UPGRADE_NOTES, "nothing is required: the skill serves the file as it is",
                     note=True)
        heard_from = {piece.member for piece in manifest.pieces}
        for i, member in enumerate(manifest.members):
            if member.id not in heard_from:
                self.add(f"members[{i}]", f"{member.name} has no pieces in any section yet, so listeners who ask "
                         f"for something from {member.name} hear that they haven't recorded anything",
                         f"add pieces with `member: {member.id}` to a section (see the README, \"Add a tip\")"
                         + (", or leave it: their introduction still plays" if member.intro else ""), note=True)
        left = manifest.sentences.left_at_default()
        if left:
            shown_names = ", ".join(left[:6]) + (f" and {len(left) - 6} more" if len(left) > 6 else "")
            self.add("sentences", f"{len(left)} of the skill's {len(SENTENCES)} sentences use the default wording "
                     f"({shown_names})", "nothing is required; to say one your own way, add it under "
                     "`sentences: default:` (the default wording is in lambda/dropday/core/campaign/sentences/en.json)",
                     note=True)

    # -- 11. notes: unused files ---------------------------------------------------------------------

    def _unused_files(self, manifest: Manifest) -> None:
        audio_dir = self.workspace.audio_dir(manifest.campaign)
        if not audio_dir.is_dir():
            return
        used = {*manifest.audio_paths, *manifest.image_paths}
        for file in sorted(audio_dir.rglob("*")):
            relative = file.relative_to(audio_dir).as_posix()
            if not file.is_file() or relative in used or any(p.startswith(".") for p in file.parts[-1:]) \
                    or file.name == "README.md":
                continue
            self.findings.append(Finding(shown(file), "", f"nothing in {self.shown} uses {relative}",
                                         "add the entry that uses it, or delete the file if it is not needed "
                                         "(publishing uploads only what the manifest names)", note=True))


def _schema_validator(path: Path) -> tuple[Draft202012Validator | None, list[Finding]]:
    from referencing import Registry, Resource

    registry = Registry()
    try:
        text = path.read_text(encoding="utf-8")
        schema = json.loads(text)
        if not (SCHEMA_FILE.is_file() and text == SCHEMA_FILE.read_text(encoding="utf-8")):
            Draft202012Validator.check_schema(schema)   # the repository's own is checked by its tests (0.25 s)
        # What the schema refers version-1 files to: the one beside it, else the repository's (version 1
        # never changes), so a schema copied on its own still checks a version-1 file.
        version_1 = path.with_name(V1_SCHEMA_FILE.name)
        version_1 = version_1 if version_1.is_file() else V1_SCHEMA_FILE
        if version_1.is_file():
            registry = registry.with_resource(version_1.name, Resource.from_contents(
                json.loads(version_1.read_text(encoding="utf-8"))))
    except Exception as exc:  # unreadable, not JSON (ValueError) or not a valid schema (SchemaError)
        reason = (getattr(exc, "message", None) or str(exc)).splitlines()[0]   # a SchemaError's str is pages long
        return None, [Finding(shown(path), "", f"the manifest schema cannot be used ({reason})",
                              "restore it from the repository")]
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER), []


def _clip_references(places) -> Iterator[tuple[str, str]]:
    """(YAML path, clip path) of every well-formed clip reference the parser read."""
    for place in places:
        if place.kind == "recording" and place.value.audio and AUDIO_PATH_PATTERN.match(place.value.audio):
            yield f"{place.path}.audio", place.value.audio


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

