"""The campaign as the content team writes it: the model, its sentences, and the parser.

The parser (`parse_manifest`) is imported on first use: a cold start that loads the campaign's
build-time snapshot (`dropday.snapshot`) never needs it.
"""

from .model import (ANSWERS_TIPS, DEFAULT, KEY_LENGTH, SCHEMA_VERSION, Album, Condition, Localized, Manifest, Member,
                    Piece, Recording, Section, Sentence, Unlockable, Variant, Window, content_key)
from .problems import ManifestError, Problem
from .sentences import SENTENCES, Sentences

__all__ = ["ANSWERS_TIPS", "DEFAULT", "KEY_LENGTH", "SCHEMA_VERSION", "SENTENCES", "Album", "Condition", "Localized",
           "Manifest", "ManifestError", "Member", "Piece", "Problem", "Recording", "Section", "Sentence",
           "Sentences", "Unlockable", "Variant", "Window", "content_key", "parse_manifest"]


def __getattr__(name: str):
    if name == "parse_manifest":
        from .parse import parse_manifest
        return parse_manifest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
