"""The one place that writes SSML: escaping, audio clips, and Alexa's per-response limits."""

import re
from typing import NamedTuple

MAX_AUDIO_CLIPS = 5
MAX_AUDIO_SECONDS = 240.0
MAX_REPROMPT_AUDIO_SECONDS = 90.0
MAX_SSML_CHARACTERS = 8000

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The three entities of xml.sax.saxutils.escape, without importing it: xml.sax pulls in
# urllib.request, about 18 ms of every Lambda cold start.
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_SPEAK_TAGS = len("<speak></speak>")


class Text(NamedTuple):
    """Words for Alexa's voice."""

    text: str


class Clip(NamedTuple):
    """A pre-recorded clip, with the words spoken instead when it cannot be played."""

    url: str
    transcript: str
    seconds: float | None = None


class Speech(NamedTuple):
    """An utterance: text and clips in order. Render it with `ssml()`."""

    parts: tuple[Text | Clip, ...] = ()

    def __add__(self, other: "Speech") -> "Speech":
        return Speech(self.parts + other.parts)

    def __bool__(self) -> bool:
        return bool(self.parts)

    @property
    def plain(self) -> str:
        """The utterance as plain text, clips replaced by their transcripts."""
        return " ".join(p.text if isinstance(p, Text) else p.transcript for p in self.parts)

    def ssml(self, max_audio_seconds: float = MAX_AUDIO_SECONDS) -> str:
        """The utterance as `<speak>` SSML within Alexa's limits.

        At most five clips and `max_audio_seconds` of known audio play; a clip past either limit
        is spoken as its transcript. A clip of unknown length counts as 0 s: the skill does not
        read clip lengths at run time, so `dropday validate` checks every clip (240 s at most)
        and the longest answer the skill can build against these limits. Text is XML-escaped. Parts that would take the SSML past
        8000 characters are dropped, and a single overlong text is cut at a word boundary.
        """
        rendered: list[str] = []
        clips, seconds = 0, 0.0
        budget = MAX_SSML_CHARACTERS - _SPEAK_TAGS
        for part in self.parts:
            if isinstance(part, Clip) and clips < MAX_AUDIO_CLIPS and \
                    seconds + (part.seconds or 0.0) <= max_audio_seconds:
                clips, seconds = clips + 1, seconds + (part.seconds or 0.0)
                piece = f'<audio src="{_clean(part.url).translate(_ATTRIBUTE_ENTITIES)}"/>'
            else:
                text = part.text if isinstance(part, Text) else part.transcript
                piece = escape(_clean(text))
            separator = 1 if rendered else 0
            if len(piece) + separator > budget:
                if budget > separator:
                    rendered.append(_cut(piece, budget - separator))
                break
            budget -= len(piece) + separator
            rendered.append(piece)
        return "<speak>" + " ".join(p for p in rendered if p) + "</speak>"


def say(*texts: str) -> Speech:
    """Speech made of sentences (empty ones are skipped)."""
    return Speech(tuple(Text(t) for t in texts if t))


def clip(url: str, transcript: str, seconds: float | None = None) -> Speech:
    """Speech made of one clip."""
    return Speech((Clip(url, transcript, seconds),))


def escape(text: str) -> str:
    """`text` with &, < and > escaped for SSML."""
    return text.translate(_ENTITIES)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _cut(piece: str, limit: int) -> str:
    """Cut escaped text at a word boundary, never inside an entity such as `&amp;`."""
    if piece.startswith("<audio"):
        return ""
    cut = piece[:limit]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    if "&" in cut[-6:] and ";" not in cut[cut.rindex("&"):]:
        cut = cut[:cut.rindex("&")]
    return cut.rstrip()
