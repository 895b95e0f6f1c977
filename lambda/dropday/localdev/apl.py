"""Just enough of APL to read a `RenderDocument` the way a device would draw it, for `dropday chat`:
data binding (`${payload.screen.title}`, `${data.value}`, `${a != '' && b}`, `${x ? 'a' : 'b'}`),
`when`, `bind`, the document's own `layouts` with their parameters, and `data` on sequences.

`render(document, datasources, viewport)` walks the main template and returns what is on screen:
the responsive components of `alexa-layouts` it uses (AlexaHeadline, AlexaDetail...), the texts it
shows, and each touchable item (a `TouchWrapper` whose `onPress` has a `SendEvent`) with the
arguments its `UserEvent` would carry. Resources (`@viewportProfile`...) are not known here: an
expression that needs one is unknown, and a `when` that is unknown counts as true.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class _Unknown:
    """A value this evaluator cannot know (a resource, an unknown name)."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
#: The text properties of the alexa-layouts components, in the order a screen shows them.
LAYOUT_TEXTS = ("headerTitle", "headerSubtitle", "primaryText", "secondaryText", "tertiaryText", "bodyText",
                "imageCaption", "hintText", "footerHintText")
_SEQUENCES = frozenset({"Sequence", "GridSequence", "Pager", "Container"})


@dataclass
class Touchable:
    """A touchable item: what its label says, and the arguments of the `UserEvent` it sends."""

    label: str
    arguments: list[Any]
    source_id: str = ""


@dataclass
class Rendered:
    """What a document shows with its data."""

    templates: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    touchables: list[Touchable] = field(default_factory=list)


def render(document: Mapping[str, Any], datasources: Mapping[str, Any],
           viewport: Mapping[str, Any] | None = None) -> Rendered:
    """What `document` shows with `datasources` on a screen described by `viewport` (`shape`, `mode`,
    `width`, `height` in APL's lower case, e.g. `{"shape": "rectangle", "mode": "hub"}`)."""
    template = document.get("mainTemplate") or {}
    parameters = template.get("parameters") or []
    context: dict[str, Any] = {"viewport": dict(viewport or {}), "environment": {}}
    if len(parameters) == 1:
        context[_name(parameters[0])] = dict(datasources)
    else:
        for parameter in parameters:
            context[_name(parameter)] = datasources.get(_name(parameter), UNKNOWN)
    walker = _Walker(document.get("layouts") or {})
    walker.first_of(template.get("items", template.get("item")), context)
    return walker.rendered


def _name(parameter: object) -> str:
    return parameter.get("name", "") if isinstance(parameter, Mapping) else str(parameter)


class _Walker:
    def __init__(self, layouts: Mapping[str, Any]) -> None:
        self.layouts = layouts
        self.rendered = Rendered()
        self._in_touchable = 0

    def first_of(self, items: object, context: dict[str, Any]) -> None:
        """A single-child place: the first item whose `when` holds."""
        for item in items if isinstance(items, list) else [items] if items else []:
            if self.component(item, context):
                return

    def every(self, items: object, context: dict[str, Any]) -> None:
        for item in items if isinstance(items, list) else [items] if items else []:
            self.component(item, context)

    def component(self, item: object, context: dict[str, Any]) -> bool:
        """Draw one component; False when its `when` says it is not there."""
        if not isinstance(item, Mapping):
            return False
        if "when" in item and not truthy(evaluate(item["when"], context), unknown=True):
            return False
        context = dict(context)
        for bound in item.get("bind") or []:
            if isinstance(bound, Mapping) and bound.get("name"):
                context[bound["name"]] = evaluate(bound.get("value"), context)
        kind = str(item.get("type", ""))
        children = item.get("items", item.get("item"))
        if "data" in item and kind in _SEQUENCES:
            data = evaluate(item["data"], context)
            rows = data if isinstance(data, list) else []
            for index, row in enumerate(rows):
                self.first_of(children, {**context, "data": row, "index": index, "length": len(rows)})
            return True
        if kind in self.layouts:
            self.layout(self.layouts[kind], item, context)
        elif kind.startswith("Alexa"):
            self.rendered.templates.append(kind)
            for name in LAYOUT_TEXTS:
                self.text(evaluate(item.get(name), context))
        elif kind == "Text":
            self.text(evaluate(item.get("text"), context))
        elif kind == "TouchWrapper":
            self.touchable(item, children, context)
        elif kind == "Container":
            self.every(children, context)
        else:
            self.first_of(children, context)
        return True

    def layout(self, layout: Mapping[str, Any], item: Mapping[str, Any], context: dict[str, Any]) -> None:
        values = dict(context)
        for parameter in layout.get("parameters") or []:
            name = _name(parameter)
            default = parameter.get("default", "") if isinstance(parameter, Mapping) else ""
            values[name] = evaluate(item[name], context) if name in item else default
        self.first_of(layout.get("items", layout.get("item")), values)

    def touchable(self, item: Mapping[str, Any], children: object, context: dict[str, Any]) -> None:
        start = len(self.rendered.texts)
        self._in_touchable += 1
        try:
            self.first_of(children, context)
        finally:
            self._in_touchable -= 1
        inside = self.rendered.texts[start:]
        del self.rendered.texts[start:]
        label = evaluate(item.get("accessibilityLabel"), context)
        label = label if isinstance(label, str) and label.strip() else " ".join(inside)
        presses = item.get("onPress")
        for command in presses if isinstance(presses, list) else [presses]:
            if isinstance(command, Mapping) and command.get("type") == "SendEvent":
                arguments = evaluate(command.get("arguments") or [], context)
                self.rendered.touchables.append(Touchable(label.strip(), list(arguments), str(item.get("id", ""))))
                return

    def text(self, value: object) -> None:
        if isinstance(value, str) and value.strip():
            self.rendered.texts.append(value.strip())


# -- data binding ------------------------------------------------------------------------------------------


def evaluate(value: object, context: Mapping[str, Any]) -> Any:
    """`value` with its `${...}` evaluated: a string that is one expression gives the expression's value
    (a number stays a number), a string with expressions in it gives a string; lists and objects are
    evaluated item by item."""
    if isinstance(value, list):
        return [evaluate(item, context) for item in value]
    if isinstance(value, Mapping):
        return {key: evaluate(item, context) for key, item in value.items()}
    if not isinstance(value, str) or "${" not in value:
        return value
    parts = _split(value)
    if len(parts) == 1 and isinstance(parts[0], _Expression):
        return parts[0].value(context)
    out = []
    for part in parts:
        found = part.value(context) if isinstance(part, _Expression) else part
        out.append("" if found is None or found is UNKNOWN else _text(found))
    return "".join(out)


def truthy(value: object, unknown: bool = False) -> bool:
    """APL's truth: false, null, 0 and '' are false (`unknown` for a value this evaluator cannot know)."""
    if value is UNKNOWN:
        return unknown
    return value not in (False, None, 0, "") if not isinstance(value, (list, dict)) else True


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class _Expression:
    source: str

    def value(self, context: Mapping[str, Any]) -> Any:
        try:
            parser = _Parser(self.source, context)
            found = parser.ternary()
            return found if parser.done() else UNKNOWN
        except (ValueError, IndexError, TypeError):
            return UNKNOWN


def _split(text: str) -> list[str | _Expression]:
    """Literal text and `${...}` expressions, in order (quotes inside an expression may hold braces)."""
    parts: list[str | _Expression] = []
    at = 0
    while (start := text.find("${", at)) >= 0:
        if start > at:
            parts.append(text[at:start])
        depth, quote, index = 0, None, start + 2
        while index < len(text):
            char = text[index]
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    break
                depth -= 1
            index += 1
        parts.append(_Expression(text[start + 2:index]))
        at = index + 1
    if at < len(text):
        parts.append(text[at:])
    return parts


_TOKEN = re.compile(r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")|(?P<name>@?[A-Za-z_]\w*)"
                    r"|(?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:().\[\],]))")


class _Parser:
    """A recursive-descent reader of APL's expression language (the parts documents use)."""

    def __init__(self, source: str, context: Mapping[str, Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        self.context = context
        at = 0
        source = source.rstrip()
        while at < len(source):
            match = _TOKEN.match(source, at)
            if not match or match.end() == at:
                raise ValueError(f"cannot read {source[at:]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match[kind]))
            at = match.end()
        self.at = 0

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) and self.tokens[self.at][0] == "op" else None

    def take(self, op: str) -> bool:
        if self.peek() == op:
            self.at += 1
            return True
        return False

    def ternary(self) -> Any:
        condition = self.either()
        if not self.take("?"):
            return condition
        yes = self.ternary()
        if not self.take(":"):
            raise ValueError("a ? without :")
        no = self.ternary()
        return UNKNOWN if condition is UNKNOWN else yes if truthy(condition) else no

    def either(self) -> Any:
        left = self.both()
        while self.take("||"):
            right = self.both()
            left = left if left is not UNKNOWN and truthy(left) else \
                UNKNOWN if left is UNKNOWN or right is UNKNOWN else right
        return left

    def both(self) -> Any:
        left = self.equality()
        while self.take("&&"):
            right = self.equality()
            left = left if left is not UNKNOWN and not truthy(left) else \
                UNKNOWN if left is UNKNOWN or right is UNKNOWN else right
        return left

    def equality(self) -> Any:
        left = self.relation()
        while (op := self.peek()) in ("==", "!=", "===", "!=="):
            self.at += 1
            right = self.relation()
            if left is UNKNOWN or right is UNKNOWN:
                left = UNKNOWN
            else:
                left = (left == right) if op in ("==", "===") else (left != right)
        return left

    def relation(self) -> Any:
        left = self.sum()
        while (op := self.peek()) in ("<", ">", "<=", ">="):
            self.at += 1
            right = self.sum()
            if left is UNKNOWN or right is UNKNOWN:
                left = UNKNOWN
            else:
                left = {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
        return left

    def sum(self) -> Any:
        left = self.product()
        while (op := self.peek()) in ("+", "-"):
            self.at += 1
            right = self.product()
            if left is UNKNOWN or right is UNKNOWN:
                left = UNKNOWN
            elif op == "+" and (isinstance(left, str) or isinstance(right, str)):
                left = _text(left) + _text(right)
            else:
                left = left + right if op == "+" else left - right
        return left

    def product(self) -> Any:
        left = self.unary()
        while (op := self.peek()) in ("*", "/", "%"):
            self.at += 1
            right = self.unary()
            if left is UNKNOWN or right is UNKNOWN:
                left = UNKNOWN
            else:
                left = left * right if op == "*" else left / right if op == "/" else left % right
        return left

    def unary(self) -> Any:
        if self.take("!"):
            value = self.unary()
            return UNKNOWN if value is UNKNOWN else not truthy(value)
        if self.take("-"):
            value = self.unary()
            return UNKNOWN if value is UNKNOWN else -value
        return self.postfix()

    def postfix(self) -> Any:
        value = self.primary()
        while True:
            if self.take("."):
                kind, name = self.tokens[self.at]
                if kind != "name":
                    raise ValueError("a name must follow '.'")
                self.at += 1
                value = value.get(name, UNKNOWN) if isinstance(value, Mapping) else UNKNOWN
            elif self.take("["):
                index = self.ternary()
                if not self.take("]"):
                    raise ValueError("[ without ]")
                if isinstance(value, list) and isinstance(index, int) and -len(value) <= index < len(value):
                    value = value[index]
                elif isinstance(value, Mapping) and isinstance(index, str):
                    value = value.get(index, UNKNOWN)
                else:
                    value = UNKNOWN
            else:
                return value

    def primary(self) -> Any:
        if self.take("("):
            value = self.ternary()
            if not self.take(")"):
                raise ValueError("( without )")
            return value
        kind, text = self.tokens[self.at]
        self.at += 1
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "string":
            return text[1:-1]
        if kind == "name":
            if text.startswith("@"):
                return UNKNOWN  # a resource: the device knows it, this reader does not
            constants = {"true": True, "false": False, "null": None}
            return constants[text] if text in constants else self.context.get(text, UNKNOWN)
        raise ValueError(f"unexpected {text!r}")
