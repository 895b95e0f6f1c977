"""What can be wrong with a manifest: one `Problem` per finding, all of them in a `ManifestError`."""

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong with a manifest.

    Attributes:
        path: where, as a YAML path such as ``sections[1].pieces[3].member``.
        message: what is wrong.
        fix: how to put it right.
        line: the line in the file, when known.
    """

    path: str
    message: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path or '(top level)'}: {self.message}. Fix: {self.fix}"


class Place(NamedTuple):
    """Where the parser read something the skill says or plays, for checks that need its place.

    Attributes:
        kind: "text" (any text), "recording" (a clip and its transcript) or "sentence" (a named
            sentence of a `sentences:` table).
        path: its YAML path, as in `Problem.path`.
        value: the text, the `Recording` or the `Sentence`.
        name: for a sentence, its name (e.g. `welcome_back`).
    """

    kind: str
    path: str
    value: object
    name: str | None = None


class ManifestError(ValueError):
    """A manifest that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem], source: str = "<manifest>") -> None:
        self.problems = tuple(problems)
        self.source = source
        lines = "\n".join(f"  {source}: {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s) in the manifest:\n{lines}")
