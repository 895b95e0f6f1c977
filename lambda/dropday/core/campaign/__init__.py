"""The campaign as the content team writes it: the model, its sentences, and the parser."""

from .model import (ANSWERS_TIPS, DEFAULT, KEY_LENGTH, SCHEMA_VERSION, Album, Condition, Localized, Manifest, Member,
                    Piece, Recording, Section, Sentence, Unlockable, Variant, Window, content_key)
from .parse import parse_manifest
from .problems import ManifestError, Problem
from .sentences import SENTENCES, Sentences

__all__ = ["ANSWERS_TIPS", "DEFAULT", "KEY_LENGTH", "SCHEMA_VERSION", "SENTENCES", "Album", "Condition", "Localized",
           "Manifest", "ManifestError", "Member", "Piece", "Problem", "Recording", "Section", "Sentence",
           "Sentences", "Unlockable", "Variant", "Window", "content_key", "parse_manifest"]
