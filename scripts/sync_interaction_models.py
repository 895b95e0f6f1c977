#!/usr/bin/env python3
"""Regenerate interaction_models/<locale>.json from a campaign manifest.

The BAND_MEMBER slot type comes from the manifest's ``members`` (id, name, synonyms); the
locales are those of the skill manifest (interaction_models/skill.json, publishingInformation);
the English sample utterances live here. Run it after editing the members or adding a locale:

    python scripts/sync_interaction_models.py                   # write one file per locale
    python scripts/sync_interaction_models.py --check           # exit 1 if they are stale
    python scripts/sync_interaction_models.py --manifest audio_manifest/other.yaml \
        --invocation-name "other band"

Needs PyYAML only (the manifest is read by dropday's YAML reader, which refuses alias bombs).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "lambda"))
from dropday.content import read_yaml  # noqa: E402
DEFAULT_MANIFEST = REPO_ROOT / "audio_manifest" / "lantern-foxes.yaml"
DEFAULT_OUT_DIR = REPO_ROOT / "interaction_models"

SKILL_MANIFEST = DEFAULT_OUT_DIR / "skill.json"
SLOT_VALUE_MAX = 140

# Sample utterances shared by every English locale. A slot is always surrounded by spaces
# (or the start/end of the sample): Alexa rejects "{member}'s", so there is no possessive form.
TIP_SAMPLES = [
    "give me a tip",
    "tip please",
    "a tip please",
    "a tip",
    "tell me a tip",
    "play a tip",
    "play me a tip",
    "another tip",
    "another tip please",
    "i want a tip",
    "i'd like a tip",
    "let's hear a tip",
    "give me a tip from the band",
    "play a tip from the band",
    "any tips",
    "give me some advice",
    "a tip from {member}",
    "a tip from {member} please",
    "give me a tip from {member}",
    "tell me a tip from {member}",
    "play a tip from {member}",
    "play me a tip from {member}",
    "another tip from {member}",
    "what's the tip from {member}",
    "what tip does {member} have",
    "what does {member} say",
    "i want to hear from {member}",
    "let me hear from {member}",
    "i want a tip from {member}",
    "can i have a tip from {member}",
    "can i hear from {member}",
]

COUNTDOWN_SAMPLES = [
    "how long until the album comes out",
    "how long until the album",
    "how long until the album is out",
    "when is the album out",
    "when's the album out",
    "when does the album come out",
    "countdown",
    "the countdown",
    "give me the countdown",
    "how many days until release",
    "how many days until the album comes out",
    "how many days to go",
    "how long to go",
    "how long do i have to wait",
    "when is the release date",
    "what's the release date",
    "when is release day",
    "is the album out yet",
    "when can i hear the album",
]

# A few locale flavours on top of the shared samples.
LOCALE_EXTRAS = {
    "en-GB": {
        "TipIntent": ["have you got a tip for me", "what has {member} got to say"],
        "CountdownIntent": ["how long till the album comes out", "how long till release day"],
    },
    "en-US": {
        "TipIntent": ["do you have a tip for me", "hit me with a tip"],
        "CountdownIntent": ["when does the album drop", "how long until the album drops"],
    },
    "en-AU": {
        "TipIntent": ["give us a tip", "have you got a tip for me"],
        "CountdownIntent": ["how long till the album comes out", "when does the album drop"],
    },
    "en-CA": {
        "TipIntent": ["do you have a tip for me", "give us a tip"],
        "CountdownIntent": ["when does the album drop", "how long till the album comes out"],
    },
    "en-IN": {
        "TipIntent": ["please give me a tip", "please play a tip from {member}"],
        "CountdownIntent": ["when will the album release", "when is the album releasing"],
    },
}

BUILT_IN_INTENTS = (
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.NextIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
)

LAUNCH_AND_WAKE_WORDS = {
    "ask", "tell", "open", "launch", "start", "begin", "load", "run", "resume", "play",
    "use", "enable", "talk", "alexa", "amazon", "echo", "computer", "skill", "app",
}


def default_invocation_name(artist_name: str) -> str:
    """'The Lantern Foxes' -> 'lantern foxes'."""
    words = re.sub(r"[^a-z' ]", " ", artist_name.lower()).split()
    if len(words) > 2 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def check_invocation_name(name: str) -> None:
    if not re.fullmatch(r"[a-z][a-z' .]*[a-z.]", name):
        raise SystemExit(f"invocation name {name!r}: lowercase letters, spaces, apostrophes, periods only")
    words = name.split()
    if len(words) < 2:
        raise SystemExit(f"invocation name {name!r}: needs at least two words")
    bad = LAUNCH_AND_WAKE_WORDS.intersection(words)
    if bad:
        raise SystemExit(f"invocation name {name!r}: must not contain {sorted(bad)}")


def band_member_values(manifest: dict) -> list[dict]:
    values = []
    for member in manifest.get("members") or []:
        name = str(member["name"]).lower()
        synonyms = [str(s) for s in member.get("synonyms") or []]
        for text in (name, *synonyms):
            if not text or len(text) > SLOT_VALUE_MAX:
                raise SystemExit(f"member {member['id']}: slot value {text!r} is empty or over {SLOT_VALUE_MAX} chars")
        values.append({"id": str(member["id"]), "name": {"value": name, "synonyms": synonyms}})
    if not values:
        raise SystemExit("manifest has no members")
    return values


def build_model(locale: str, invocation_name: str, members: list[dict]) -> dict:
    extras = LOCALE_EXTRAS.get(locale, {})
    tip = TIP_SAMPLES + extras.get("TipIntent", [])
    countdown = COUNTDOWN_SAMPLES + extras.get("CountdownIntent", [])
    _check_samples({"TipIntent": tip, "CountdownIntent": countdown}, locale)
    intents = [
        {"name": "TipIntent", "slots": [{"name": "member", "type": "BAND_MEMBER"}], "samples": tip},
        {"name": "CountdownIntent", "slots": [], "samples": countdown},
        *({"name": name, "samples": []} for name in BUILT_IN_INTENTS),
    ]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": invocation_name,
                "intents": intents,
                "types": [{"name": "BAND_MEMBER", "values": members}],
            }
        }
    }


def _check_samples(samples_by_intent: dict[str, list[str]], locale: str) -> None:
    seen: dict[str, str] = {}
    for intent, samples in samples_by_intent.items():
        for sample in samples:
            if not re.fullmatch(r"[a-z' .{}]+", sample):
                raise SystemExit(f"{locale} {intent}: bad characters in {sample!r}")
            if re.search(r"\S\{|\}\S", sample):
                raise SystemExit(f"{locale} {intent}: slot not surrounded by spaces in {sample!r}")
            key = " ".join(sample.split())
            if key in seen:
                raise SystemExit(f"{locale}: {sample!r} in both {seen[key]} and {intent}")
            seen[key] = intent


def skill_locales(skill_manifest: Path) -> tuple[str, ...]:
    """The locales the skill is published in, from the skill manifest's publishing information."""
    skill = json.loads(skill_manifest.read_text(encoding="utf-8"))
    return tuple(skill["manifest"]["publishingInformation"]["locales"])


def render(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--invocation-name", help="default: the artist name, lowercase, without a leading 'the'")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file differs")
    parser.add_argument("--skill-manifest", type=Path, default=SKILL_MANIFEST,
                        help="the skill manifest whose publishing locales get a model")
    args = parser.parse_args(argv)
    locales = skill_locales(args.skill_manifest)

    manifest = read_yaml(args.manifest).data
    invocation_name = args.invocation_name or default_invocation_name(manifest["artist"]["name"])
    check_invocation_name(invocation_name)
    members = band_member_values(manifest)

    stale = []
    for locale in locales:
        path = args.out_dir / f"{locale}.json"
        text = render(build_model(locale, invocation_name, members))
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if stale:
        print("out of date (run scripts/sync_interaction_models.py):", *map(str, stale), sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
