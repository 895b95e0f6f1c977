"""Checks of the skill's APL documents that Amazon's linter does not make.

`apl-suggester` (run by `make apl-lint`, see tools/apl-lint/) checks each document's shape against
APL's schema, but not the data it binds, and not component types it does not know. Here:

- `missing_bindings`: every `${payload...}` a document binds must be in the datasource the skill
  sends with it, and every `${data...}` under a component whose `data` is `${payload...items}` in
  each of those items (a missing one shows as an empty screen, silently);
- `layout_leaks`: layouts see only their parameters, so `payload` or `data` inside one is a bug;
- `unknown_components`: every component type is an APL primitive, an `alexa-layouts` layout the
  document imports, or one of its own layouts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

#: APL's primitive components.
PRIMITIVES = frozenset({"Container", "EditText", "Frame", "GridSequence", "Image", "Pager", "ScrollView", "Sequence",
                        "Text", "TouchWrapper", "VectorGraphic", "Video"})
#: The `alexa-layouts` layouts the documents may use.
ALEXA_LAYOUTS = frozenset({"AlexaBackground", "AlexaButton", "AlexaDetail", "AlexaDivider", "AlexaFooter",
                           "AlexaHeader", "AlexaHeadline", "AlexaImage", "AlexaImageList", "AlexaTextList"})
_EXPRESSION = re.compile(r"\$\{([^}]*)\}")
_REFERENCE = re.compile(r"(?<![\w.@])(payload|data)((?:\.[A-Za-z_]\w*|\[\d+\])+)")
_STEP = re.compile(r"\.([A-Za-z_]\w*)|\[(\d+)\]")


def references(value: object, root: str) -> Iterator[tuple[str, str]]:
    """(`root` reference such as `payload.screen.title`, where in the document) for every binding in
    `value`, not descending into children that bind `data` of their own."""
    yield from _walk(value, "", root, top=True)


def _walk(value: object, where: str, root: str, top: bool = False) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        for expression in _EXPRESSION.findall(value):
            for name, path in _REFERENCE.findall(expression):
                if name == root:
                    yield name + path, where
    elif isinstance(value, Mapping):
        if root == "data" and not top and "data" in value and "type" in value:
            return  # a nested data-driven component: its `data` is its own
        for key, item in value.items():
            yield from _walk(item, f"{where}/{key}", root)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}/{index}", root)


def resolves(reference: str, data: object) -> bool:
    """Whether `reference` (without its root name, e.g. `.screen.image.url`) names a value in `data`."""
    for key, index in _STEP.findall(reference):
        if key:
            if not isinstance(data, Mapping) or key not in data:
                return False
            data = data[key]
        else:
            if not isinstance(data, list) or int(index) >= len(data):
                return False
            data = data[int(index)]
    return True


def missing_bindings(document: Mapping[str, Any], datasources: Mapping[str, Any]) -> list[str]:
    """What `document` binds that `datasources` lacks, one line each (empty when all is there)."""
    problems = []
    for component, where in _components(document.get("mainTemplate", {}), "/mainTemplate"):
        source = component.get("data")
        if isinstance(source, str) and (match := _EXPRESSION.fullmatch(source.strip())):
            items = _value(match.group(1).strip(), datasources)
            if not isinstance(items, list):
                problems.append(f"{where}/data: {source} is not a list in the datasource")
                continue
            for reference, place in _data_references(component):
                for number, item in enumerate(items):
                    if not resolves(reference.removeprefix("data"), item):
                        problems.append(f"{where}{place}: {reference} is missing from item {number} of {source}")
    for reference, where in references(document.get("mainTemplate", {}), "payload"):
        if not resolves(reference.removeprefix("payload"), datasources):
            problems.append(f"/mainTemplate{where}: {reference} is not in the datasource")
    return problems


def layout_leaks(document: Mapping[str, Any]) -> list[str]:
    """Bindings of `payload` or `data` inside the document's layouts (which see only their parameters)."""
    found = []
    for root in ("payload", "data"):
        for reference, where in references(document.get("layouts", {}), root):
            found.append(f"/layouts{where}: {reference} (pass it in as a layout parameter)")
    return found


def unknown_components(document: Mapping[str, Any]) -> list[str]:
    """Component types that are neither primitives, imported `alexa-layouts` layouts nor the document's own."""
    known = set(PRIMITIVES) | set(document.get("layouts", {}))
    if any(i.get("name") == "alexa-layouts" for i in document.get("import", []) if isinstance(i, Mapping)):
        known |= ALEXA_LAYOUTS
    found = []
    for part in ("mainTemplate", "layouts"):
        for component, where in _components(document.get(part, {}), f"/{part}"):
            kind = component.get("type")
            if isinstance(kind, str) and "${" not in kind and kind not in known:
                found.append(f"{where}: unknown component type {kind}")
    return found


def _components(value: object, where: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Every component (a mapping with a `type`) in `value`, with its place; commands are skipped."""
    if isinstance(value, Mapping):
        if isinstance(value.get("type"), str):
            yield value, where
        for key, item in value.items():
            if key in ("onPress", "onMount", "onFocus", "onBlur", "onDown", "onUp", "onScroll", "onPageChanged",
                       "primaryAction", "commands", "bind", "parameters", "value"):
                continue
            yield from _components(item, f"{where}/{key}")
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for index, item in enumerate(value):
            yield from _components(item, f"{where}/{index}")


def _data_references(component: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The `data...` references of the children a data-driven component inflates from its data."""
    found = []
    for key in ("item", "items", "firstItem", "lastItem"):
        if key in component:
            found += [(reference, f"/{key}{where}") for reference, where in references(component[key], "data")]
    return found


def _value(expression: str, datasources: Mapping[str, Any]) -> object:
    """The value of a plain `payload.a.b` expression in `datasources` (None when it is not one)."""
    match = _REFERENCE.fullmatch(expression)
    if not match or match.group(1) != "payload":
        return None
    data: object = datasources
    for key, index in _STEP.findall(match.group(2)):
        if key:
            data = data.get(key) if isinstance(data, Mapping) else None
        else:
            data = data[int(index)] if isinstance(data, list) and int(index) < len(data) else None
    return data
