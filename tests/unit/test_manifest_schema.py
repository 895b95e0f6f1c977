"""The JSON Schema for editors (audio_manifest/schema/manifest.schema.json) agrees with the parser the skill runs.

The schema gives the content team completion and red squiggles while they type; the parser
(`dropday.core.manifest`) is the source of truth. These tests keep the two from drifting apart: the
shipped manifests pass both, broken variants of the demo fail both, and the rules only the parser can
check (references between sections, time zones, placeholders) are rejected with a useful fix.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator, ValidationError

from dropday.content import as_json
from dropday.core.manifest import (
    AUDIO_PATH_PATTERN,
    ID_PATTERN,
    LOCALE_PATTERN,
    PHRASES,
    ManifestError,
    Problem,
    parse_manifest,
)

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_DIR = ROOT / "audio_manifest"
SCHEMA_PATH = MANIFEST_DIR / "schema" / "manifest.schema.json"
DEMO_PATH = MANIFEST_DIR / "lantern-foxes.yaml"
SHIPPED_MANIFESTS = sorted(MANIFEST_DIR.glob("*.yaml"))

Mutation = Callable[[dict], None]


# -- helpers -----------------------------------------------------------------------------------------


def load_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def loaded_demo() -> dict:
    return load_yaml(DEMO_PATH)


@pytest.fixture
def demo(loaded_demo: dict) -> dict:
    """A fresh deep copy of the demo manifest, for one test to break."""
    return copy.deepcopy(loaded_demo)


def schema_errors(validator: Draft202012Validator, data: object) -> list[ValidationError]:
    return list(validator.iter_errors(as_json(data)))


def where(error: ValidationError) -> str:
    """A schema error's place in the parser's notation, e.g. ``tips[0].available``."""
    path = ""
    for step in error.absolute_path:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
    return path


def parser_problems(data: object) -> tuple[Problem, ...]:
    """The parser's problems with `data`; empty when it accepts the manifest."""
    try:
        parse_manifest(data, source="variant.yaml")
    except ManifestError as exc:
        return exc.problems
    return ()


def within(place: str, path: str) -> bool:
    """Whether `path` is `place` itself or lies inside it (``tips[0]`` contains ``tips[0].member``)."""
    return not place or path == place or path.startswith((f"{place}.", f"{place}["))


# -- the schema itself -------------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema(schema: dict) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_the_schema_requires_under_speech_default_exactly_the_sentences_the_parser_requires(schema: dict) -> None:
    required = schema["properties"]["speech"]["properties"]["default"]["required"]
    assert len(required) == len(set(required)), "a sentence is listed twice"
    assert set(required) == set(PHRASES)


def test_locale_sentence_tables_allow_only_the_sentences_the_parser_knows(schema: dict) -> None:
    sentences = schema["$defs"]["sentences"]
    assert set(sentences["propertyNames"]["enum"]) == set(PHRASES)
    assert set(sentences["properties"]) == set(PHRASES)
    assert sentences["additionalProperties"] is False


def test_the_schema_uses_the_parsers_patterns_for_ids_locales_and_clip_paths(schema: dict) -> None:
    assert schema["$defs"]["id"]["pattern"] == ID_PATTERN.pattern
    assert schema["$defs"]["locale"]["pattern"] == LOCALE_PATTERN.pattern
    assert schema["$defs"]["audioPath"]["pattern"] == AUDIO_PATH_PATTERN.pattern
    assert list(schema["properties"]["speech"]["patternProperties"]) == [LOCALE_PATTERN.pattern]


def test_every_sentence_and_property_is_explained_for_the_content_team(schema: dict) -> None:
    def undocumented(node: object, path: str) -> list[str]:
        missing = []
        if isinstance(node, dict):
            for name, prop in {**node.get("properties", {}), **node.get("patternProperties", {})}.items():
                if not (prop.get("title") and prop.get("description")):
                    missing.append(f"{path}/{name}")
            for key, child in node.items():
                missing += undocumented(child, f"{path}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                missing += undocumented(child, f"{path}/{i}")
        return missing

    assert undocumented(schema, "#") == []


def test_available_from_tells_editors_it_is_the_listeners_local_date(schema: dict) -> None:
    tip = schema["properties"]["tips"]["items"]
    description = tip["properties"]["available"]["properties"]["from"]["description"]
    assert "first day the tip can be heard" in description
    assert "listener's local date" in description


# -- the shipped manifests ---------------------------------------------------------------------------


def test_the_demo_manifest_is_shipped() -> None:
    assert DEMO_PATH in SHIPPED_MANIFESTS


@pytest.mark.parametrize("path", SHIPPED_MANIFESTS, ids=lambda p: p.name)
def test_every_shipped_manifest_passes_the_schema_and_the_parser(validator: Draft202012Validator, path: Path) -> None:
    data = load_yaml(path)
    assert [f"{where(e)}: {e.message}" for e in schema_errors(validator, data)] == []
    assert [str(p) for p in parser_problems(data)] == []


# -- broken variants: both the schema and the parser say no -------------------------------------------


def _set(*steps: object) -> Mutation:
    """A mutation that sets the value at ``steps[:-1]`` to ``steps[-1]``."""
    *keys, last, value = steps

    def mutate(data: dict) -> None:
        node = data
        for key in keys:
            node = node[key]
        node[last] = value

    return mutate


def _delete(*keys: object) -> Mutation:
    def mutate(data: dict) -> None:
        node = data
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return mutate


def _clip_locales_without_a_clip(data: dict) -> None:
    del data["tips"][0]["audio"]
    data["tips"][0]["locales"] = ["en-GB"]


BROKEN = [
    # how to break the demo, and where the parser must say the problem is; the id says what is wrong
    pytest.param(_set("colour", "blue"), "colour", id="unknown top-level key"),
    pytest.param(_set("schema_version", 2), "schema_version", id="schema_version 2"),
    pytest.param(_set("campaign", "Lantern Foxes"), "campaign", id="campaign id with capitals and a space"),
    pytest.param(_delete("artist", "name"), "artist.name", id="artist without a name"),
    pytest.param(_set("members", []), "members", id="no members"),
    pytest.param(_set("members", 0, "id", "Ada"), "members[0].id", id="member id with an uppercase letter"),
    pytest.param(_set("members", 0, "id", "ada quill"), "members[0].id", id="member id with a space"),
    pytest.param(_set("members", 0, "name", "A" * 141), "members[0].name", id="member name over 140 characters"),
    pytest.param(_set("members", 0, "nickname", "Ace"), "members[0].nickname", id="unknown key in a member"),
    pytest.param(_delete("tips", 0, "member"), "tips[0].member", id="tip missing member"),
    pytest.param(_set("tips", 0, "clip", "tips/a.mp3"), "tips[0].clip", id="unknown key in a tip"),
    pytest.param(_set("tips", 0, "transcript", "   "), "tips[0].transcript", id="blank transcript"),
    pytest.param(_set("tips", 0, "audio", "tips/ada humming warmup.mp3"), "tips[0].audio",
                 id="audio path with a space"),
    pytest.param(_set("tips", 0, "audio", "tips/ada-humming-warmup.wav"), "tips[0].audio",
                 id="audio path not ending in .mp3"),
    pytest.param(_set("tips", 0, "audio", "../secrets/ada.mp3"), "tips[0].audio", id="audio path leaving the folder"),
    pytest.param(_set("tips", 0, "available", {"from": "not a date"}), "tips[0].available.from",
                 id="available from not a date"),
    pytest.param(_set("tips", 0, "available", {"from": "15/01/2027"}), "tips[0].available.from",
                 id="available from as day/month/year"),
    pytest.param(_set("tips", 0, "available", {"since": date(2027, 1, 1)}), "tips[0].available.since",
                 id="unknown key in available"),
    pytest.param(_set("tips", 0, "locales", ["english"]), "tips[0].locales[0]", id="tip locale english"),
    pytest.param(_set("tips", 0, "transcript", {"default": "Hum.", "english": "Hum."}), "tips[0].transcript.english",
                 id="transcript locale english"),
    pytest.param(_set("tips", 0, "transcript", {"en-GB": "Hum."}), "tips[0].transcript.default",
                 id="per-locale transcript without a default"),
    pytest.param(_clip_locales_without_a_clip, "tips[0].locales", id="clip locales on a tip without audio"),
    pytest.param(_set("album", "release_date", "2027-02-30"), "album.release_date",
                 id="release date that does not exist"),
    pytest.param(_delete("album", "default_time_zone"), "album.default_time_zone", id="album without a time zone"),
    pytest.param(_set("countdown", "lines", 0, "days_to_go", -1), "countdown.lines[0].days_to_go",
                 id="days_to_go -1"),
    pytest.param(_set("countdown", "lines", 0, "days_to_go", "thirty"), "countdown.lines[0].days_to_go",
                 id="days_to_go thirty"),
    pytest.param(_set("countdown", "lines", 0, "days_to_go", True), "countdown.lines[0].days_to_go",
                 id="days_to_go true"),
    pytest.param(_delete("countdown", "out_now", "transcript"), "countdown.out_now.transcript",
                 id="out_now without a transcript"),
    pytest.param(_set("countdown", "tomorrow", {"transcript": "Soon!"}), "countdown.tomorrow",
                 id="unknown key in countdown"),
    pytest.param(_set("speech", "english", {"goodbye": "Cheerio!"}), "speech.english", id="speech locale english"),
    pytest.param(_delete("speech", "default", "goodbye"), "speech.default.goodbye",
                 id="missing speech.default.goodbye"),
    pytest.param(_set("speech", "en-US", "farewell", "Later!"), "speech.en-US.farewell",
                 id="unknown key inside speech.en-US"),
    pytest.param(_set("speech", "en-GB", {"goodbye": ""}), "speech.en-GB.goodbye", id="empty sentence in a locale"),
]


@pytest.mark.parametrize(("mutate", "place"), BROKEN)
def test_a_broken_variant_of_the_demo_is_rejected_by_both_the_schema_and_the_parser(
        demo: dict, validator: Draft202012Validator, mutate: Mutation, place: str) -> None:
    mutate(demo)

    problems = parser_problems(demo)
    assert place in [p.path for p in problems], [str(p) for p in problems]

    errors = schema_errors(validator, demo)
    assert errors, "the schema accepted it"
    assert any(within(where(e), place) for e in errors), [f"{where(e)}: {e.message}" for e in errors]


# -- rules only the parser can check -------------------------------------------------------------------


def _duplicate_tip_id(data: dict) -> None:
    data["tips"][1]["id"] = data["tips"][0]["id"]


def _synonym_of_another_member(data: dict) -> None:
    data["members"][1]["synonyms"].append("the singer")  # already one of Ada's


CROSS_REFERENCES = [
    # how to break the demo, where the parser must say the problem is, and what its fix must say
    # (the ids are the demo's own, whatever the content team made them)
    pytest.param(_set("tips", 0, "member", "bob"), "tips[0].member",
                 "use one of: " + ", ".join(sorted(m["id"] for m in load_yaml(DEMO_PATH)["members"])),
                 id="tip member is not a member id"),
    pytest.param(_set("members", 1, "id", "ada"), "members[1].id", "give each member its own id",
                 id="duplicate member id"),
    pytest.param(_duplicate_tip_id, "tips[1].id", "give each tip its own id", id="duplicate tip id"),
    pytest.param(_synonym_of_another_member, "members[1].synonyms[3]", "may belong to one member only",
                 id="synonym already names another member"),
    pytest.param(_set("tips", 0, "available", {"from": date(2027, 3, 1), "until": date(2027, 2, 1)}),
                 "tips[0].available.until", "make `until` the same day as `from` or later", id="until before from"),
    pytest.param(_set("countdown", "lines", 1, "days_to_go", 30), "countdown.lines[1].days_to_go",
                 "keep one line per day", id="two countdown lines for the same day"),
    pytest.param(_set("speech", "default", "goodbye", "See you, {listener}!"), "speech.default.goodbye",
                 "use only {album}, {artist}", id="unknown placeholder"),
    pytest.param(_set("speech", "default", "tip_intro", "A tip from {other_member}."), "speech.default.tip_intro",
                 "use only {album}, {artist}, {member}", id="placeholder of another sentence"),
    pytest.param(_set("tips", 0, "transcript", "Hi, I'm {member}."), "tips[0].transcript",
                 "use only {album}, {artist}", id="placeholder in a transcript"),
    pytest.param(_set("speech", "en-GB", {"goodbye": "Cheers {album"}), "speech.en-GB.goodbye",
                 "remove stray { or } characters", id="unbalanced brace"),
    pytest.param(_set("album", "default_time_zone", "Europe/Atlantis"), "album.default_time_zone",
                 "use a name such as Europe/London or America/New_York", id="invalid IANA time zone"),
    pytest.param(_set("speech", "default", "goodbye", "Enjoy {album:{mood}}!"), "speech.default.goodbye",
                 "write placeholders plainly, e.g. {album}", id="placeholder inside a format spec"),
    pytest.param(_set("speech", "default", "tip_intro", "From {member!r}."), "speech.default.tip_intro",
                 "write placeholders plainly, e.g. {album}", id="placeholder with a conversion"),
]


@pytest.mark.parametrize(("mutate", "place", "fix"), CROSS_REFERENCES)
def test_the_parser_rejects_what_the_schema_cannot_express_and_says_how_to_fix_it(
        demo: dict, mutate: Mutation, place: str, fix: str) -> None:
    mutate(demo)

    problems = [p for p in parser_problems(demo) if p.path == place]

    assert problems, [str(p) for p in parser_problems(demo)]
    assert any(fix in p.fix for p in problems), [p.fix for p in problems]


# -- edge cases: what the schema and the parser should both say ----------------------------------------


def _per_locale_transcript(data: dict) -> None:
    data["tips"][0]["transcript"] = {"default": "Hum with your mouth closed.", "en-GB": "Hum with your gob shut."}


def _no_clip(data: dict) -> None:
    del data["tips"][0]["audio"]


EDGE_CASES = [
    # (name, how to change the demo, whether the result is a valid manifest,
    #  why the schema gets it wrong or None, why the parser gets it wrong or None)
    ("tip without a clip", _no_clip, True, None, None),
    ("empty audio value", _set("tips", 0, "audio", None), True, None, None),
    ("no tips yet", _set("tips", []), True, None, None),
    ("no recorded countdown lines", _set("countdown", {}), True, None, None),
    ("empty locale sentence table", _set("speech", "en-GB", {}), True, None, None),
    ("available until only", _set("tips", 0, "available", {"until": date(2027, 3, 31)}), True, None, None),
    ("transcript with a per-locale version", _per_locale_transcript, True, None, None),
    ("transcript as an empty mapping", _set("tips", 0, "transcript", {}), False, None, None),
    ("available without from or until", _set("tips", 0, "available", {}), False, None, None),
    ("available from a date and time", _set("tips", 0, "available", {"from": datetime(2027, 1, 1, 9, 0)}), False, None, None),
    ("available from a date and time until a date",
     _set("tips", 0, "available", {"from": datetime(2027, 1, 1, 9, 0), "until": date(2027, 1, 31)}), False, None, None),
    ("release date with a time", _set("album", "release_date", datetime(2027, 1, 15, 9, 0)), False, None, None),
    ("release date in basic ISO form", _set("album", "release_date", "20270115"), False, None, None),
    ("schema_version true", _set("schema_version", True), False, None, None),
    ("days_to_go 30.0", _set("countdown", "lines", 0, "days_to_go", 30.0), False,
     "JSON Schema counts 30.0 as an integer; only the parser can reject it", None),
]


def _edge_params(side: int) -> list:
    return [pytest.param(mutate, valid, id=name,
                         marks=[pytest.mark.xfail(strict=True, reason=reasons[side])] if reasons[side] else [])
            for name, mutate, valid, *reasons in EDGE_CASES]


@pytest.mark.parametrize(("mutate", "valid"), _edge_params(0))
def test_the_schema_judges_the_edge_case_correctly(
        demo: dict, validator: Draft202012Validator, mutate: Mutation, valid: bool) -> None:
    mutate(demo)
    errors = [f"{where(e)}: {e.message}" for e in schema_errors(validator, demo)]
    assert (errors == []) is valid, errors


@pytest.mark.parametrize(("mutate", "valid"), _edge_params(1))
def test_the_parser_judges_the_edge_case_correctly(demo: dict, mutate: Mutation, valid: bool) -> None:
    mutate(demo)
    problems = [str(p) for p in parser_problems(demo)]
    assert (problems == []) is valid, problems
