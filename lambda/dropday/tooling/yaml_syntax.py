"""A YAML syntax error in words a content team understands, at the place it happened.

PyYAML says "mapping values are not allowed here" or "expected <block end>, but found
'<block mapping start>'": true, but it takes a programmer to act on it. `explain` keeps PyYAML's
words (for searching the web) and adds what usually causes them, how to fix that, and where in
the file it is, as a path (`album.title`) worked out from the indentation of the lines above:
the file cannot be loaded, so the place is read from the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .findings import format_place

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KEY = re.compile(r"^(?P<key>[^\s#'\"{\[&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s|$)")
_ITEM = re.compile(r"^-(?:\s+|$)")
QUOTE_FIX = ("put the whole text in double quotes, e.g. title: \"Live: The Tour\"; "
             "inside them, write a double quote as \\\"")


@dataclass(frozen=True)
class SyntaxProblem:
    """A YAML syntax error, explained.

    Attributes:
        line: the 1-based line to look at.
        place: where that line sits in the file (``album.title``), or '' when it is not known.
        message: what is wrong, in plain words, with PyYAML's own words after them.
        fix: what to do.
    """

    line: int | None
    place: str
    message: str
    fix: str


def syntax_problem(text: str) -> SyntaxProblem | None:
    """The first YAML syntax error in `text`, explained; None when `text` is valid YAML."""
    try:
        yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return explain(exc, text)
    except yaml.YAMLError as exc:  # not marked: rare, keep PyYAML's words
        return SyntaxProblem(None, "", f"is not valid YAML ({exc})", "check the indentation and the quotes")
    except ValueError:  # an impossible date: valid YAML, which the parser reports as a date
        return None
    return None


def explain(exc: yaml.MarkedYAMLError, text: str) -> SyntaxProblem:
    """`exc` (raised while loading `text`) in plain words, with its line and place."""
    lines = text.splitlines()
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark
    opened = exc.context_mark
    line = mark.line + 1 if mark else None
    at = lines[mark.line] if mark and mark.line < len(lines) else ""
    before = at[:mark.column] if mark else ""
    value = _value(at)
    as_indent = None
    plain, fix = ("YAML cannot read this line", "check the indentation (spaces only, lined up with the lines "
                  "around it) and put quotes around text that contains ': ' or starts with a special character")
    unclosed = _unclosed_quote_line(lines, mark.line if mark else 0)
    if unclosed is not None and "quoted scalar" not in context:
        line = unclosed + 1
        plain, fix = ("a quote mark opened on this line is never closed on it, so YAML reads on to the next quote "
                      f"mark (line {mark.line + 1}) as one text", "close the quote at the end of the text")
    elif problem.startswith("mapping values are not allowed"):
        if ": " in before:
            plain, fix = ("the text on this line contains ': ' (a colon and a space), which YAML reads as the "
                          "start of another key", QUOTE_FIX)
        else:
            as_indent = _indent_above(lines, mark.line)
            plain, fix = ("this line is indented more than the one above it, so YAML reads it as part of that "
                          "line's value", "indent it with the same number of spaces as the line above")
    elif "tab" in problem:
        as_indent = _indent_above(lines, mark.line) if mark else None
        plain, fix = "this line is indented with a tab; YAML allows only spaces", \
            "replace the tab with spaces (editors have a setting to insert spaces for the Tab key)"
    elif "cannot start any token" in problem:
        char = at[mark.column] if mark and mark.column < len(at) else ""
        if char == "\t":
            plain, fix = "this line is indented with a tab; YAML allows only spaces", \
                "replace the tab with spaces (editors have a setting to insert spaces for the Tab key)"
        else:
            plain, fix = f"the text starts with {char or 'a character'} , which YAML keeps for itself".replace(
                " ,", ","), QUOTE_FIX
    elif "alias" in problem or "anchor" in context:
        plain, fix = "the text starts with * or &, which YAML reads as a reference to another part of the file", \
            QUOTE_FIX
    elif "quoted scalar" in context:
        line = opened.line + 1 if opened else line
        plain, fix = ("a quote mark opened on this line is never closed, so YAML reads the rest of the file as one "
                      "text", "close the quote at the end of the text")
    elif "could not find expected ':'" in problem:
        line = opened.line + 1 if opened else line
        plain, fix = ("this line has no ': ', but YAML expects `key: value` here (or it continues the text "
                      "above and must be indented further)", "add the key and ': ', or indent the line further")
    elif "flow" in context:
        line = _unclosed_bracket_line(text, mark.index if mark else len(text)) or line
        plain, fix = ("a list in [square brackets] or a mapping in {braces} that starts on this line is not "
                      "closed, or a comma is missing between its entries", "close it with ] or }, with commas "
                      "between the entries; text that starts with [ or { needs quotes")
    elif "expected <block end>" in problem or "expected key" in problem or "'-' indicator" in problem:
        if value and value[0] in "'\"":
            plain, fix = (f"the text starts with a quote mark ({value[0]}), so YAML ends the text at the next "
                          "one and cannot read what follows", "put the whole text in double quotes and write an "
                          "apostrophe inside it as it is, e.g. transcript: \"It's release day!\"")
        elif value and value[0] in "{[":
            plain, fix = ("the text starts with { or [, which YAML reads as a mapping or a list",
                          "put the whole text in double quotes, e.g. countdown_out_now: \"{album} is out now.\"")
        elif "'-' indicator" in problem or "collection" in context:
            plain, fix = ("this line is not lined up with the list it belongs to",
                          "start every `- ` entry of a list at the same column, and line up the keys of an entry "
                          "under its first key")
        else:
            indent, above = _indent(at), _indent_above(lines, mark.line if mark else 0)
            side = "less" if above is not None and indent < above else "more"
            plain, fix = (f"this line is indented {side} than the lines of the block it belongs to, so YAML "
                          "cannot tell where it goes", "line it up with the other entries of the same block "
                          "(the same number of spaces)")
    place = place_at(lines, (line or 1) - 1, as_indent)
    return SyntaxProblem(line, place, f"is not valid YAML: {plain} (PyYAML: {problem or exc})", fix)


def place_at(lines: list[str], index: int, as_indent: int | None = None) -> str:
    """The place of line `index` (0-based) in a YAML document that may not load, from indentation alone.

    Each line's key (``title:``) or list entry (``- ``) nests under the nearest line above it that
    is indented less; list entries are counted, and named by their `id` when they start with one.
    `as_indent` reads line `index` as if it had that indentation (where it was meant to be).
    """
    stack: list[dict] = []  # {"indent", "step", "items"}
    for number, raw in enumerate(lines[:index + 1]):
        content = raw.strip()
        if not content or content.startswith("#"):
            continue
        if "\t" in raw[:len(raw) - len(raw.lstrip())] and not (number == index and as_indent is not None):
            break
        indent = as_indent if number == index and as_indent is not None else len(raw) - len(raw.lstrip())
        while content:
            if _ITEM.match(content):
                while stack and (stack[-1]["indent"] > indent or
                                 (stack[-1]["step"][0] == "item" and stack[-1]["inner"] > indent)):
                    stack.pop()  # deeper entries, and list entries this dash is a sibling of
                parent = stack[-1] if stack else {"items": 0}
                position = parent.get("items", 0)
                parent["items"] = position + 1
                rest = _ITEM.sub("", content, count=1)
                ident = _id_of(rest)
                inner = indent + len(content) - len(rest)
                stack.append({"indent": indent, "inner": inner, "step": ("item", position, ident), "items": 0})
                indent = inner
                content = rest
                continue
            key = _KEY.match(content)
            while stack and stack[-1]["indent"] >= indent and not (
                    stack[-1]["step"][0] == "item" and stack[-1]["indent"] < indent):
                stack.pop()
            if key:
                stack.append({"indent": indent, "step": ("key", key["key"].strip()), "items": 0})
            break
        if number == index:
            break
    return format_place([entry["step"] for entry in stack])


def _unclosed_quote_line(lines: list[str], before: int) -> int | None:
    """The first line (0-based) before line `before` whose value opens a quote and does not close it."""
    for number, raw in enumerate(lines[:before]):
        value = _value(raw)
        if raw.strip().startswith("#") or not value or value[0] not in "'\"":
            continue
        rest = value[1:]
        closed = re.search(r'(?<!\\)"', rest) if value[0] == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if not closed:
            return number
    return None


def _unclosed_bracket_line(text: str, end: int) -> int | None:
    """The 1-based line of the last [ or { before `end` that is not closed by then (quotes skipped)."""
    opened: list[int] = []
    quote = ""
    line = 1
    for char in text[:end]:
        if char == "\n":
            line += 1
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and opened:
            quote = char
        elif char in "[{":
            opened.append(line)
        elif char in "]}" and opened:
            opened.pop()
        elif char == "#" and not opened:
            continue
    return opened[-1] if opened else None


def _id_of(rest: str) -> str | None:
    found = re.match(r"^id:\s*['\"]?([a-z0-9][a-z0-9-]*)['\"]?\s*(?:#.*)?$", rest)
    return found[1] if found else None


def _value(line: str) -> str:
    found = re.match(r"^\s*(?:-\s+)?[^:#]+:\s+(.*)$", line)
    return found[1] if found else line.strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _indent_above(lines: list[str], index: int) -> int | None:
    for raw in reversed(lines[:index]):
        if raw.strip() and not raw.strip().startswith("#"):
            return _indent(raw)
    return None

