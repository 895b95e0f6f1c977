"""Reading campaign manifests, with errors that name the file and the line.

The content team writes YAML (`<campaign>.yaml`); `read_yaml` is the one YAML reader of the skill
and of every tool, and refuses what YAML would hide or blow up before building the document:
aliases that expand without bound ("billion laughs") or into themselves, nesting no manifest
needs, keys given twice (YAML keeps the last silently), an empty file, text that is not UTF-8.
`sam build` packs each campaign as JSON instead (`<campaign>.manifest.json`, see
`compile_manifest`): the same data, read without importing PyYAML, which saves a Lambda cold
start about 10 ms plus the YAML parsing. The checks of every text (`core.texts`) are the
parser's, so they hold for both.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .core.campaign import Manifest, ManifestError, Problem
from .snapshot import read_snapshot, write_snapshot

if TYPE_CHECKING:
    import yaml

COMPILED_SUFFIX = ".manifest.json"
#: How many values YAML aliases (*name) may repeat in all, beyond the file's own: enough for any
#: manifest that reuses a list of locales or a window, far below what a "billion laughs" expands to.
MAX_ALIAS_COPIES = 10_000
#: How deep a manifest may nest (it needs about 6 levels).
MAX_YAML_DEPTH = 64
DEMO_MANIFEST = "audio_manifest/lantern-foxes.yaml"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

LineFinder = Callable[[str], "int | None"]


class YamlDocument(NamedTuple):
    """A manifest file read as YAML.

    Attributes:
        data: the document as loaded (mappings, lists, text, numbers, dates).
        lines: a function from a YAML path (``tips[3].member``) to its 1-based line in the file.
        problems: what YAML itself would hide: each key given twice in one mapping.
        earlier: when keys are given twice, the document as it would be had YAML kept their first
            values (so that a problem in a value YAML drops can be reported too); else None.
        earlier_lines: `lines` for `earlier`.
        repeated: YAML path -> key, for every key given twice.
    """

    data: object
    lines: LineFinder
    problems: tuple[Problem, ...] = ()
    earlier: object = None
    earlier_lines: LineFinder = lambda path: None
    repeated: dict[str, str] | None = None


def campaign_files(manifest_dir: Path) -> list[Path]:
    """The campaign manifests in `manifest_dir`, sorted: every `*.yaml` directly inside it or,
    in a folder `sam build` packed, every `*.manifest.json`."""
    folder = Path(manifest_dir)
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) or \
        sorted(p for p in folder.glob(f"*{COMPILED_SUFFIX}") if p.is_file())


def campaign_name(path: Path) -> str:
    """The campaign a manifest file holds, by its name (`lantern-foxes.yaml` -> `lantern-foxes`)."""
    return path.name.removesuffix(COMPILED_SUFFIX).removesuffix(".yaml")


@functools.lru_cache(maxsize=4)
def load_campaign(manifest_dir: Path, campaign: str | None = None) -> Manifest:
    """The campaign this deployment serves, read and validated once per container.

    Args:
        manifest_dir: the folder of manifests.
        campaign: the file name without `.yaml`; None when the folder holds one campaign.

    Raises:
        ManifestError: the manifest is missing or invalid; the message names file, place and fix.
    """
    files = campaign_files(manifest_dir)
    if campaign is not None:
        path = next((p for p in files if campaign_name(p) == campaign), Path(manifest_dir) / f"{campaign}.yaml")
        if path not in files:
            raise ManifestError([Problem("", f"there is no campaign `{campaign}`",
                                         f"set DROPDAY_CAMPAIGN to one of: {_names(files)}")], str(path))
    elif len(files) != 1:
        found = f"{len(files)} campaigns ({_names(files)})" if files else "no campaign manifest (*.yaml)"
        raise ManifestError([Problem("", f"found {found}",
                                     "add one campaign file, or set DROPDAY_CAMPAIGN to the one to serve")],
                            str(manifest_dir))
    else:
        path = files[0]
    return with_published_keys(read_manifest(path), Path(manifest_dir))


def published_index(manifest_dir: Path, campaign: str) -> Path:
    """Where `dropday audio publish` records the S3 key of each of a campaign's clips and images."""
    return Path(manifest_dir) / f"{campaign}.published.json"


def with_published_keys(manifest: Manifest, manifest_dir: Path) -> Manifest:
    """`manifest` with the keys its clips and images were published under, when it was published.

    Raises:
        ManifestError: the index is unreadable or lacks a clip the manifest plays (the skill would
            play silence) or an image it shows; the fix is to publish again.
    """
    index = published_index(manifest_dir, manifest.campaign)
    if not index.is_file():
        return manifest
    republish = "run `dropday audio publish --bucket <audio bucket>`, then deploy again"
    try:
        document = json.loads(index.read_text(encoding="utf-8"))
        tables = {"clips": document["clips"], "images": document.get("images", {})}  # no images: an older index
        for name, table in tables.items():
            if not isinstance(table, dict) or not all(isinstance(k, str) for k in table.values()):
                raise ValueError(f"`{name}` is not a mapping of paths to keys")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ManifestError([Problem("clips", f"cannot be read ({exc})", republish)], str(index)) from None
    wanted = {"clips": manifest.audio_paths, "images": manifest.image_paths}
    missing = [Problem(f"{name}.{p}", f"is missing: the {name[:-1]} was added after the last publish", republish)
               for name, paths in wanted.items() for p in paths if p not in tables[name]]
    if missing:
        raise ManifestError(missing, str(index))
    return manifest._replace(published={p: tables[name][p] for name, paths in wanted.items() for p in paths})


def read_manifest(path: Path) -> Manifest:
    """Read and validate one manifest file (YAML, or JSON made by `compile_manifest`).

    Raises:
        ManifestError: with the line of every problem.
    """
    if Path(path).name.endswith(COMPILED_SUFFIX):
        text = _read_text(path)
        snapshot = read_snapshot(Path(path), text)
        if snapshot is not None:
            return snapshot
        try:
            return parse_manifest(json.loads(text), source=str(path))
        except ValueError as exc:
            if isinstance(exc, ManifestError):
                raise
            raise ManifestError([Problem("", f"is not valid JSON ({exc})", "run `sam build` again")],
                                str(path)) from None
    return parsed_manifest(read_yaml(path), path)


def compile_manifest(source: Path, target_dir: Path) -> Path:
    """Check a YAML manifest and write it as `<campaign>.manifest.json` into `target_dir`, with the
    campaign parsed from that JSON beside it (`dropday.snapshot`).

    Raises:
        ManifestError: the manifest is invalid; nothing is written.
    """
    document = read_yaml(source)
    parsed_manifest(document, source)
    target = Path(target_dir) / f"{campaign_name(Path(source))}{COMPILED_SUFFIX}"
    text = json.dumps(as_json(document.data), ensure_ascii=False, separators=(",", ":"))
    target.write_text(text, encoding="utf-8")
    # parsed again from the JSON, as the function will read it (dates are text there, for one)
    write_snapshot(parse_manifest(json.loads(text), source=str(target)), target, text)
    return target


def as_json(value: object) -> object:
    """Loaded YAML as JSON carries it: dates (and date-times) become ISO strings, keys become text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(as_json(key)): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def read_yaml(path: Path) -> YamlDocument:
    """Read a manifest file as YAML, refusing what would make the document unsafe or misleading.

    The file is composed into YAML's node graph first, and only built once its aliases, its
    nesting and its keys were checked, so a "billion laughs" is refused in milliseconds.

    Raises:
        ManifestError: the file cannot be read, is not UTF-8, is empty, is not valid YAML, has
            aliases that expand beyond `MAX_ALIAS_COPIES` values or into themselves, or nests
            deeper than `MAX_YAML_DEPTH`. Keys given twice are `YamlDocument.problems` instead,
            since the document can still be checked.
    """
    import yaml
    text = _read_text(path)
    loader = _yaml_loader()(text)
    try:
        try:
            root = loader.get_single_node()
            if root is None:
                raise _error(path, Problem("", "is empty (line 1, column 1): it holds no campaign",
                                           f"write the campaign in it; start from a copy of the demo campaign, "
                                           f"{DEMO_MANIFEST} in the dropday repository", 1))
            refusal = _unsafe_graph(root)
            if refusal:
                raise _error(path, refusal)
            repeated = list(_repeated_keys(root))
            data = loader.construct_document(root)
        except ManifestError:
            raise
        except yaml.YAMLError as exc:
            raise _error(path, _yaml_problem(exc)) from None
        except RecursionError:
            raise _error(path, Problem("", f"nests deeper than {MAX_YAML_DEPTH} levels",
                                       "indent only as the manifest's structure needs")) from None
        except ValueError as exc:  # YAML reads 2027-02-30 as a date and the calendar refuses it
            line, found = _impossible_date(text)
            raise _error(path, Problem("", f"has a date that does not exist ({found or exc})",
                                       "write a real calendar date as YYYY-MM-DD", line)) from None
    finally:
        loader.dispose()
    lines = line_finder(root)
    if not repeated:
        return YamlDocument(data, lines)
    problems = tuple(Problem(where, f"`{key}` is given twice (lines {first} and {second}); YAML keeps only the "
                             "last one", "remove or merge one of them", second)
                     for where, key, first, second in repeated)
    earlier, earlier_lines = _with_first_values(text)
    return YamlDocument(data, lines, problems, earlier, earlier_lines, {where: key for where, key, _, _ in repeated})


def line_finder(source: str | yaml.Node | None) -> LineFinder:
    """A function from a YAML path (``tips[3].member``) to its 1-based line in a YAML text (or
    its composed root node). For a key given twice, the line of the value YAML keeps, the last."""
    import yaml
    root = yaml.compose(source, Loader=_yaml_loader()) if isinstance(source, str) else source

    def line_of(path: str) -> int | None:
        node = root
        for key, index in _STEP.findall(path):
            child = None
            if isinstance(node, yaml.MappingNode) and key:
                child = next((v for k, v in reversed(node.value) if getattr(k, "value", None) == key), None)
            elif isinstance(node, yaml.SequenceNode) and index and int(index) < len(node.value):
                child = node.value[int(index)]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1 if node is not None else None

    return line_of


def parsed_manifest(document: YamlDocument, path: Path) -> Manifest:
    """`read_manifest` of a YAML file already read (`read_yaml`): `parse_manifest(document.data)`,
    its problems located on their lines, with those YAML hides."""
    problems = list(document.problems)
    try:
        manifest = parse_manifest(document.data, source=str(path))
    except ManifestError as exc:
        manifest = None
        problems += [Problem(p.path, p.message, p.fix, document.lines(p.path)) for p in exc.problems]
    if document.repeated:
        problems += _hidden_problems(document, {(p.path, p.message) for p in problems}, path)
    if problems or manifest is None:
        raise ManifestError(problems, str(path))
    return manifest


def _hidden_problems(document: YamlDocument, known: set[tuple[str, str]], path: Path) -> list[Problem]:
    """Problems in the first values of keys given twice, which YAML drops (and the parser never sees)."""
    try:
        parse_manifest(document.earlier, source=str(path))
        return []
    except ManifestError as exc:
        found = exc.problems
    hidden = []
    for problem in found:
        key = next((k for where, k in (document.repeated or {}).items() if _within(where, problem.path)), None)
        if key is not None and (problem.path, problem.message) not in known:
            hidden.append(Problem(problem.path, f"{problem.message} (in the first `{key}`, which YAML ignores)",
                                  problem.fix, document.earlier_lines(problem.path)))
    return hidden


def _unsafe_graph(root: yaml.Node) -> Problem | None:
    """Why YAML's node graph must not be built: aliases that repeat more than `MAX_ALIAS_COPIES`
    values or refer to a value they are part of, or nesting deeper than `MAX_YAML_DEPTH`.

    Walks each distinct node once (aliases share nodes), without recursion.
    """
    expanded: dict[int, int] = {}   # node id -> how many values it stands for once its aliases are expanded
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    shared_lines: list[int] = []
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if depth[key] > MAX_YAML_DEPTH:
                return Problem("", f"nests deeper than {MAX_YAML_DEPTH} levels", "indent only as the manifest's "
                               "structure needs", node.start_mark.line + 1)
            continue
        if key in expanded:
            shared_lines.append(node.start_mark.line + 1)
            continue
        if key in on_path:
            return Problem("", "has a YAML alias (*name) that refers to a value it is part of, which never ends",
                           "write the value out in full instead of the alias", node.start_mark.line + 1)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children)
    copies = expanded[id(root)] - len(expanded)
    if copies > MAX_ALIAS_COPIES:
        return Problem("", f"uses YAML aliases (*name) that repeat more than {MAX_ALIAS_COPIES} values in all (this "
                       f"file's would make {copies} copies), as a 'billion laughs' attack does",
                       "write the repeated parts out in full, or use fewer aliases", min(shared_lines, default=None))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _repeated_keys(root: yaml.Node) -> Iterator[tuple[str, str, int, int]]:
    """(YAML path, key, first line, second line) of each key given twice in one mapping."""
    import yaml
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    seen: set[tuple[int, str]] = set()
    while stack:
        node, path = stack.pop()
        if (id(node), path) in seen:
            continue
        seen.add((id(node), path))
        if isinstance(node, yaml.MappingNode):
            lines: dict[str, int] = {}
            children = []
            for key, value in node.value:
                name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
                here = f"{path}.{name}" if path else name
                line = key.start_mark.line + 1
                if name and name != "<<" and name in lines:
                    yield here, name, lines[name], line
                lines.setdefault(name, line)
                children.append((value, here))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(node.value))))


def _with_first_values(text: str) -> tuple[object, LineFinder]:
    """The document of `text` as if YAML kept the first value of each key given twice."""
    import yaml
    loader = _yaml_loader()(text)
    try:
        root = loader.get_single_node()
        stack = [root]
        visited: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in visited:
                continue
            visited.add(id(node))
            if isinstance(node, yaml.MappingNode):
                kept, names = [], set()
                for key, value in node.value:
                    name = key.value if isinstance(key, yaml.ScalarNode) else None
                    if name is None or name == "<<" or name not in names:
                        kept.append((key, value))
                        names.add(name)
                node.value = kept
            stack.extend(_children(node))
        lines = line_finder(root)
        return loader.construct_document(root), lines
    except (yaml.YAMLError, ValueError):
        return None, lambda path: None
    finally:
        loader.dispose()


def _within(place: str, path: str) -> bool:
    """Whether `path` is `place` or lies inside it (``album`` holds ``album.release_date``)."""
    return path == place or path.startswith((f"{place}.", f"{place}["))


def _read_text(path: Path) -> str:
    """The file's text; one that is not UTF-8 is refused with the line and column of the first byte that is not."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise _error(path, Problem("", f"cannot be read ({exc.strerror or exc})",
                                   "check that the file exists and can be read")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8", "replace")) + 1
        raise _error(path, Problem("", f"is not UTF-8 text: the byte 0x{data[exc.start]:02X} at line {line}, column "
                                   f"{column} is not UTF-8 (the file was probably saved as Latin-1 or Windows-1252)",
                                   "save the file as UTF-8 (in most editors: Save As, then choose the encoding UTF-8)",
                                   line)) from None


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    reason = getattr(exc, "problem", None) or str(exc)
    return Problem("", f"is not valid YAML: {reason}", "check the indentation, and put quotes around text that "
                   "contains ': ' or starts with '{', '[', '*' or '&'", mark.line + 1 if mark else None)


def _error(path: Path, problem: Problem) -> ManifestError:
    return ManifestError([problem], str(path))


def _impossible_date(text: str) -> tuple[int | None, str | None]:
    """The line and text of the first YYYY-MM-DD in `text` that is not a calendar date."""
    for number, line in enumerate(text.splitlines(), start=1):
        for found in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", line):
            try:
                date.fromisoformat(found)
            except ValueError:
                return number, found
    return None, None


def _yaml_loader():
    import yaml
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _names(files: list[Path]) -> str:
    return ", ".join(campaign_name(p) for p in files) or "(none)"


def parse_manifest(data: object, source: str = "<manifest>") -> Manifest:
    """`core.campaign.parse_manifest`, its parser imported on first use (a cold start that loads a
    snapshot never needs it)."""
    from .core.campaign.parse import parse_manifest as parse
    return parse(data, source)
