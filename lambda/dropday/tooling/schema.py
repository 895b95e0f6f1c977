"""The JSON Schema of a campaign manifest, built from the code's own lists of names.

Editors read `audio_manifest/schema/manifest.schema.json` to complete and check as the content team
types; `dropday validate` checks with it too. It is generated here, so the sentence names, the unlock
conditions and the entry keys come from the parser's own tables (one source): run
`python -m dropday.tooling.schema --write` after changing them; a test fails while the file is stale.
Version-1 files are checked with the version-1 schema kept beside it (`manifest.v1.schema.json`).
"""

from __future__ import annotations

import argparse
import json
import sys

from typing import Any

from ..core.campaign.model import (AUDIO_PATH_PATTERN, ID_PATTERN, IMAGE_PATH_PATTERN, LOCALE_PATTERN, SCHEMA_VERSION,
                                   STREAM_PATH_PATTERN, UNLOCK_CONDITIONS)
from ..core.campaign.parse.optins import DRAW_KEYS
from ..core.campaign.sentences import COMMON_PLACEHOLDERS, SENTENCES
from .findings import REPO_ROOT

SCHEMA_FILE = REPO_ROOT / "audio_manifest" / "schema" / "manifest.schema.json"
V1_SCHEMA_FILE = SCHEMA_FILE.with_name("manifest.v1.schema.json")

Schema = dict[str, Any]


def ref(name: str, **extra: Any) -> Schema:
    """A reference to a definition, with a title or description of its own."""
    return {**extra, "$ref": f"#/$defs/{name}"}


def described(title: str, description: str, **schema: Any) -> Schema:
    """A schema with the title and description editors show."""
    return {"title": title, "description": description, **schema}


def obj(required: tuple[str, ...], properties: dict[str, Schema], **extra: Any) -> Schema:
    """An object with exactly these properties (a clip's `locales` only beside its `audio`)."""
    needs = {"dependentRequired": {"locales": ["audio"]}} if "locales" in properties else {}
    return {"type": "object", "required": list(required), "additionalProperties": False,
            "properties": properties, **needs, **extra}


def _placeholders(name: str) -> str:
    names = sorted(SENTENCES[name].placeholders | COMMON_PLACEHOLDERS)
    return "May use " + ", ".join("{" + n + "}" for n in names) + "."


def sentence_table(names: list[str], title: str) -> Schema:
    """A table of sentences: each name the skill knows, none other."""
    return described(title, "Sentences said this way instead of the default wording; leave out any you are "
                     "happy with.", type="object", additionalProperties=False,
                     properties={name: ref("sentence", description=(
                         ("A question: the skill waits for the answer. " if SENTENCES[name].asks else "")
                         + _placeholders(name))) for name in names})


def recording_properties(what: str) -> dict[str, Schema]:
    """The keys of an entry that is a recording: clip, transcript, locales."""
    return {
        "audio": ref("audioPath", title="Recorded clip", description=(
            f"The MP3 of {what}, relative to audio_manifest/audio/<campaign>/. Leave out to have Alexa "
            "read the transcript instead.")),
        "transcript": ref("localizedText", title="Transcript", description=(
            "What the clip says, word for word; Alexa reads it aloud where the clip cannot play. Plain text or "
            "per-locale versions. May use {artist} and {album}.")),
        "locales": described("Locales the clip plays in", "Leave out to play the clip everywhere; elsewhere "
                             "Alexa reads the transcript.", type="array", items=ref("locale")),
    }


def build_schema() -> Schema:
    """The whole schema of a version-2 manifest."""
    all_sentences = sorted(SENTENCES)
    section_sentences = sorted(name for name, spec in SENTENCES.items() if spec.section)
    window = described("Availability", "The days this can be heard, both inclusive; give one or both.",
                       type="object", additionalProperties=False, minProperties=1,
                       properties={"from": ref("date", description="The first day, in the listener's local date."),
                                   "until": ref("date", description="The last day, in the listener's local date.")})
    variant = described("Variant", "One way of saying the sentence: `text` for Alexa to read, or a recorded "
                        "`audio` with its `transcript`; optionally `available` on some days only.",
                        type="object", additionalProperties=False, dependentRequired={"locales": ["audio"]},
                        oneOf=[{"required": ["text"], "not": {"anyOf": [{"required": ["audio"]},
                                                                        {"required": ["transcript"]}]}},
                               {"required": ["transcript"], "not": {"required": ["text"]}}],
                        properties={"text": ref("text", description="Words for Alexa to read."),
                                    **recording_properties("this variant"),
                                    "available": ref("window", description="The days this variant may be said.")})
    conditions = {
        "section": ref("id", description="A section id: unlocks once every available piece of it was heard."),
        "count": {"type": "integer", "minimum": 1, "description": "How many it takes."},
        "day": ref("date", description="Unlocks from this day on."),
        "flag": {"const": True, "description": "true"},
    }
    piece = obj(("id", "transcript"), {
        "id": ref("id", description="Unique across every section. Never rename a live piece: listeners' "
                  "progress remembers ids."),
        "member": ref("id", description="The member who recorded it (a member id)."),
        **recording_properties("the piece"),
        "available": ref("window", description="The days the piece can be heard."),
        "title": ref("localizedText", description="A title, for screens and episode lists."),
        "art": ref("image", description="A picture of the piece for screens (landscape, 16:9). Without it, "
                   "screens show the member's photo, the section's art or the cover."),
    }, title="Piece", description="One recorded piece of the section.")
    episode = obj(("id", "transcript", "audio"), {
        **{key: value for key, value in piece["properties"].items() if key != "locales"},
        "audio": ref("streamPath", title="Recorded episode", description=(
            "The episode's MP3 or AAC stream (any length; 16 to 384 kbps), relative to "
            "audio_manifest/audio/<campaign>/. Make it with `dropday audio convert --long-form`.")),
        "track": {"type": "integer", "minimum": 1, "description": (
            "The album track the episode is about: \"tell me about track 3\" plays it.")},
    }, title="Episode", description="One episode of a long-form section, streamed with pause and resume.")
    section = obj(("id", "name", "pieces"), {
        "id": ref("id", description="The section's id."),
        "name": described("Name", "What listeners call it, e.g. backstage. Up to 140 characters.",
                          type="string", maxLength=140, pattern=r"\S"),
        "synonyms": described("Synonyms", "Other words listeners use for it.", type="array",
                              items={"type": "string", "maxLength": 140, "pattern": r"\S"}),
        "answers": described("Answers", "`tips`: \"give me a tip\" plays this section (one section at most).",
                             enum=["tips"]),
        "long_form": described("Long-form", "true: the pieces are episodes of any length (track-by-track "
                               "commentary, interviews), streamed in order with pause and resume.", type="boolean"),
        "autoplay": described("Autoplay", "true: when an episode finishes, the next one plays (long-form "
                              "sections only).", type="boolean"),
        "sentences": sentence_table(section_sentences, "The section's own sentences"),
        "pieces": described("Pieces", "The section's pieces (episodes, in a long-form section).", type="array"),
        "art": ref("image", description="A picture of the section for screens (landscape, 16:9)."),
    }, title="Section", description="A content section and its pieces.", **{
        "if": {"properties": {"long_form": {"const": True, "description": "A long-form section."}},
               "required": ["long_form"]},
        "then": {"properties": {"pieces": {"description": "Its episodes.", "items": episode}}},
        "else": {"properties": {"pieces": {"description": "Its pieces.", "items": piece},
                                "autoplay": {"const": False, "description": "Only long-form sections autoplay."}}},
    })
    member = obj(("id", "name"), {
        "id": ref("id", description="Used by each piece's `member:`."),
        "name": described("Name", "The member's name as listeners say it. Up to 140 characters.",
                          type="string", maxLength=140, pattern=r"\S"),
        "synonyms": described("Synonyms", "Other ways listeners name them (the drummer, a nickname).",
                              type="array", items={"type": "string", "maxLength": 140, "pattern": r"\S"}),
        "intro": ref("sentence", description="Their own introduction, for \"who's in the band?\"."),
        "photo": ref("image", description="Their photo for screens (square, at least 600 x 600 pixels)."),
    }, title="Band member", description="One band member.")
    when = described("When it unlocks", "Exactly one condition.", type="object", minProperties=1,
                     maxProperties=1, additionalProperties=False,
                     properties={kind: conditions[takes] for kind, takes in UNLOCK_CONDITIONS.items()})
    unlockable = obj(("id", "name", "when", "transcript"), {
        "id": ref("id", description="The unlockable's id."),
        "name": ref("localizedText", description="What the skill calls it: \"You've unlocked {name}!\"."),
        "when": when,
        "hint": ref("localizedText", description="How to unlock it, said while it is locked. Never what it says."),
        **recording_properties("the exclusive"),
    }, title="Unlockable", description="An exclusive, hidden until the listener meets its condition.")
    countdown_line = obj(("days_to_go", "transcript"), {
        "days_to_go": {"type": "integer", "minimum": 0, "description": "0 is release day, 7 a week before."},
        **recording_properties("the line")}, title="Countdown line", description="A line for one day.")
    out_now = obj(("transcript",), recording_properties("the line"), title="Out now")
    reminders, draw = optin_entries(when)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "manifest.schema.json",
        "title": "dropday campaign manifest",
        "description": ("One album campaign: the artist, the members, the album, sections of recorded pieces, "
                        "unlockable exclusives, the countdown and the sentences said differently from the "
                        "default wording. Generated by dropday.tooling.schema; the skill checks more when it "
                        "starts (references between entries, time zones, placeholders)."),
        "type": "object",
        "if": {"properties": {"schema_version": {"const": 1, "description": "A version-1 file."}},
               "required": ["schema_version"]},
        "then": {"$ref": V1_SCHEMA_FILE.name},
        "else": obj(("schema_version", "campaign", "artist", "album"), {
            "schema_version": {"const": SCHEMA_VERSION, "description": f"Always {SCHEMA_VERSION}."},
            "campaign": ref("id", description="The campaign's id: its clips live in audio/<campaign>/."),
            "invocation_name": described("Invocation name", "What listeners say to open the skill, lowercase "
                                         "(default: the artist's name without \"the\").", type="string"),
            "artist": obj(("name",), {"name": ref("text", description="The artist's name, as Alexa says it.")},
                          title="Artist", description="Who the campaign is for."),
            "members": described("Band members", "Leave out for a solo artist.", type="array", minItems=1,
                                 items=member),
            "album": obj(("title", "release_date", "default_time_zone"), {
                "title": ref("text", description="The album's title."),
                "release_date": ref("date", description="Release day, in each listener's own time zone."),
                "default_time_zone": described("Default time zone", "An IANA zone such as Europe/London, used "
                                               "where a device's own is unknown.", type="string"),
                "cover": ref("image", description="The album's artwork for screens (square, at least 1000 x 1000 "
                             "pixels).")}, title="Album",
                         description="The album being promoted."),
            "sections": described("Sections", "Content sections and their pieces.", type="array", items=section),
            "unlockables": described("Unlockables", "Exclusives to unlock.", type="array", items=unlockable),
            "countdown": obj((), {
                "lines": described("Countdown lines", "Recorded lines for particular days before release; other "
                                   "days use the countdown_* sentences.", type="array", items=countdown_line),
                "out_now": {**out_now, "description": "The line said once the album is out."}},
                title="Countdown", description="Recorded countdown lines."),
            **quiz_entries(),
            "reminders": reminders,
            "draw": draw,
            "sentences": described("Sentences", "The campaign's own wording: `default:` (English), then "
                                   "locale codes overriding single sentences.", type="object",
                                   additionalProperties=False,
                                   properties={"default": sentence_table(all_sentences, "Default sentences")},
                                   patternProperties={LOCALE_PATTERN.pattern: sentence_table(
                                       all_sentences, "Sentences for one locale")}),
        }),
        "$defs": {
            "id": described("Id", "Lowercase letters, digits and hyphens, up to 40 characters.", type="string",
                            pattern=ID_PATTERN.pattern),
            "text": described("Text", "Some words. Put text in quotes if it starts with { or could be read as "
                              "something else (yes, no, on, off, a number or a date).", type="string", pattern=r"\S"),
            "locale": described("Locale code", "Such as en-GB or en-US.", type="string", pattern=LOCALE_PATTERN.pattern),
            "date": described("Date", "YYYY-MM-DD, e.g. 2027-01-15.", type="string", format="date",
                              pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            "audioPath": described("Clip path", "A relative path to an MP3: letters, digits, '.', '-', '_' and '/', "
                                   "ending in .mp3.", type="string", pattern=AUDIO_PATH_PATTERN.pattern),
            "streamPath": described("Stream path", "A relative path to an episode's MP3 or AAC file: letters, "
                                    "digits, '.', '-', '_' and '/', ending in .mp3, .m4a or .aac.", type="string",
                                    pattern=STREAM_PATH_PATTERN.pattern),
            "localizedText": described("Text, optionally per locale", "Plain text, or `default:` and locale codes.",
                                       anyOf=[ref("text"), {"type": "object", "required": ["default"],
                                                            "additionalProperties": False,
                                                            "properties": {"default": ref(
                                                                "text", description="The English text.")},
                                                            "patternProperties": {LOCALE_PATTERN.pattern: ref(
                                                                "text", description="The text in that locale.")}}]),
            "imagePath": described("Image path", "A relative path to a JPEG or PNG: letters, digits, '.', '-', '_' "
                                   "and '/', ending in .jpg, .jpeg or .png.", type="string",
                                   pattern=IMAGE_PATH_PATTERN.pattern),
            "image": obj(("image", "description"), {
                "image": ref("imagePath", title="Image file", description=(
                    "The picture, relative to audio_manifest/audio/<campaign>/, e.g. images/cover.jpg.")),
                "description": ref("localizedText", title="Description", description=(
                    "What the picture shows, for listeners who use a screen reader, e.g. \"The four band members "
                    "on a harbour wall at dawn\"."))},
                title="Image", description="A picture for Echo Show and Fire TV screens, and what it shows."),
            "window": window,
            "variant": variant,
            "sentence": described("Sentence", "Text, a recorded line, or a list of variants (one is picked per "
                                  "turn, never the same twice in a row).",
                                  anyOf=[ref("text"), ref("variant"), {"type": "array", "minItems": 1,
                                                                       "items": {"anyOf": [ref("text"), ref("variant")]}}]),
        },
    }


def quiz_entries() -> dict[str, Schema]:
    """`quiz:` and `daily:`: their questions, each with choices or a free answer."""
    words = {"type": "string", "maxLength": 140, "pattern": r"\S"}
    said = described("Recorded or read", "The words for Alexa to read, or `audio` with its `transcript`.",
                      anyOf=[ref("text"), obj(("transcript",), recording_properties("it"))])
    choice = described("Choice", "Its words (\"Tuesday\"), or `words` and the `synonyms` listeners may say "
                       "instead. Up to 140 characters each; quote yes and no.",
                       anyOf=[words, obj(("words",), {
                           "words": {**words, "description": "What the choice says, as the skill reads it."},
                           "synonyms": {"type": "array", "items": words,
                                        "description": "Other words listeners may say for it."}})])
    question = obj(("id", "question"), {
        "id": ref("id", description="Unique among the questions. Never rename a live question: listeners' progress "
                  "remembers ids."),
        "question": {**said, "description": "The question itself, without its choices (the skill reads them)."},
        "choices": described("Choices", "Two to four, said as A to D; listeners answer with the letter, the number, "
                             "the ordinal or the words.", type="array", minItems=2, maxItems=4, items=choice),
        "free_answer": {**choice, "description": "Instead of choices: the accepted answer and its synonyms."},
        "answer": described("Answer", "The right choice's letter (A to D) or its words.", type="string"),
        "right": ref("sentence", description="The reaction to a right answer (default: the quiz_right sentence)."),
        "wrong": ref("sentence", description="The reaction to a wrong answer (default: the quiz_wrong sentence); "
                     "the skill then says the answer."),
        "fact": {**said, "description": "Said after the answer, right or wrong."},
        "available": ref("window", description="The days the question may be asked."),
    }, oneOf=[{"required": ["choices", "answer"], "not": {"required": ["free_answer"]}},
              {"required": ["free_answer"], "not": {"anyOf": [{"required": ["choices"]}, {"required": ["answer"]}]}}],
        title="Question", description="A question with its choices (or a free answer) and the right answer.")
    daily_question = {**question, "properties": {k: v for k, v in question["properties"].items() if k != "available"},
                      "description": "Question N is asked on day N of the challenge."}
    return {
        "quiz": obj(("round_length", "questions"), {
            "round_length": {"type": "integer", "minimum": 1, "description": "Questions in a round, e.g. 5."},
            "questions": described("Questions", "Drawn per listener, never twice in a round.", type="array",
                                   minItems=1, items=question)}, title="Quiz", description="The fan quiz."),
        "daily": obj(("days", "questions"), {
            "days": {"type": "integer", "minimum": 1, "description": "How many days (and questions) it runs."},
            "pace": described("Pace", "`calendar`: everyone gets the day's question of the calendar from `start`; "
                              "`own_pace`: each listener's next question, one a day.", enum=["calendar", "own_pace"]),
            "start": ref("date", description="The first day (required for the calendar)."),
            "finale": ref("id", description="The unlockable the challenge leads to (its `when` is daily_finished "
                          "or daily_tally)."),
            "draw_invitation": {"type": "boolean", "description": "Say the daily_invitation sentence on finishing "
                                "(a campaign with a `draw:` invites through it instead)."},
            "questions": described("Questions", "One per day, in order.", type="array", minItems=1,
                                   items=daily_question)},
            title="Daily question", description="One question a day, in the listener's own time zone."),
    }


def optin_entries(when: Schema) -> tuple[Schema, Schema]:
    """The `reminders:` and `draw:` entries (`when` is the unlock condition, reused for who may enter)."""
    def reminder(what: str, example: str) -> Schema:
        return obj(("time", "text"), {
            "time": described("Time of day", f"When it goes off, in each listener's own time zone: \"HH:MM\" on a "
                              f"24-hour clock, in quotes, e.g. \"{example}\".", type="string",
                              pattern=r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"),
            "text": ref("localizedText", description="What Alexa says when it goes off. May use {artist} and {album}."),
        }, title=what, description=f"{what}, offered by voice with the listener's explicit consent.")

    reminders = described("Reminders", "The reminders the skill offers: on release day, and every day of the "
                          "daily question.", type="object", additionalProperties=False, minProperties=1,
                          properties={"release_day": reminder("The release-day reminder", "09:00"),
                                      "daily": reminder("The daily-question reminder", "19:30")})
    draw = obj(DRAW_KEYS, {
        "prize": ref("localizedText", description="What a winner gets, as the invitation names it."),
        "when": {**when, "title": "Who may enter", "description": "Exactly one condition, as for unlockables."},
        "closes": ref("date", description="The last day to enter, in the listener's local date."),
        "markets": described("Markets", "The locales where the draw runs; elsewhere it is never mentioned.",
                             type="array", minItems=1, items=ref("locale")),
        "terms": ref("localizedText", description="The short terms line: said with the invitation and shown "
                     "on the card."),
        "link": described("Terms link", "The https address of the full terms, shown on the card.", type="string",
                          pattern=r"^https://[^\s/]+\.[^\s]+$"),
        "hint": ref("localizedText", description="How to become eligible, said to a listener who asks too early."),
    }, title="Prize draw", description="Eligible listeners are invited once; entering takes their consent to "
           "share their email address.")
    return reminders, draw


def render(schema: Schema) -> str:
    """The schema as the file holds it."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`python -m dropday.tooling.schema [--write | --check]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write {SCHEMA_FILE.name}")
    args = parser.parse_args(argv)
    text = render(build_schema())
    if args.write:
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_FILE}")
        return 0
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    if current != text:
        print(f"{SCHEMA_FILE} is out of date: run python -m dropday.tooling.schema --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())



