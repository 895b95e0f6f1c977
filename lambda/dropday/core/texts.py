"""Rules every text of a manifest follows, whichever file it comes from (YAML, or the packed JSON).

The manifest parser applies them to each text it reads, so the cold start, `sam build` and
`dropday validate` all refuse the same texts: characters nobody can see, and SSML markup, which
the skill would escape and Alexa then read out or ignore.
"""

from __future__ import annotations

import re
import unicodedata

#: SSML's elements (and Amazon's extensions), written as markup inside a text.
SSML_TAG = re.compile(r"<\s*/?\s*(speak|break|audio|say-as|emphasis|prosody|phoneme|sub|p|s|w|voice|lang|mark|"
                      r"amazon:[a-z]+)\b[^>]*>", re.IGNORECASE)
#: Unicode categories of characters that show nothing: format and bidi controls (Cf: U+200B, U+202E,
#: U+FEFF, U+2066...), control characters (Cc) and lone surrogates (Cs).
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs"})
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_NONCHARACTERS = frozenset("\ufffe\uffff")


def invisible_characters(text: str) -> list[tuple[int, str]]:
    """(position, character) of the first occurrence of each invisible character in `text`.

    Tabs and line breaks are allowed (YAML's folded text has them); everything else in the Cf, Cc
    and Cs categories, and the noncharacters U+FFFE and U+FFFF, is invisible.
    """
    if text.isascii() and not _ASCII_CONTROLS.search(text):
        return []
    found: dict[str, int] = {}
    for position, character in enumerate(text):
        if character in found or character in _ALLOWED_CONTROLS:
            continue
        if character in _NONCHARACTERS or unicodedata.category(character) in INVISIBLE_CATEGORIES:
            found[character] = position
    return [(position, character) for character, position in found.items()]


def text_problems(text: str) -> list[tuple[str, str]]:
    """What is wrong with one text of a manifest, as (message, fix) pairs; empty when nothing is."""
    problems = []
    invisible = invisible_characters(text)
    if invisible:
        named = " and ".join(f"U+{ord(c):04X} ({_name(c)})" for _, c in invisible[:3])
        more = f" and {len(invisible) - 3} more" if len(invisible) > 3 else ""
        plural = "s" if len(invisible) > 1 else ""
        problems.append((f"contains the invisible character{plural} {named}{more} at character "
                         f"{invisible[0][0] + 1}",
                         "retype the text without it (such characters come from copying out of a word processor, "
                         "a web page or a chat, and Alexa would read the text wrongly or not at all)"))
    markup = SSML_TAG.search(text)
    if markup:
        problems.append((f"contains SSML markup `{markup.group()}`; the skill escapes every text, so Alexa would not "
                         "follow it", "write plain words: use punctuation for pauses and spell words the way they "
                         "should be said"))
    return problems


def _name(character: str) -> str:
    try:
        return unicodedata.name(character)
    except ValueError:  # control characters and surrogates have no name
        return "a control character" if unicodedata.category(character) == "Cc" else "a lone surrogate"
