"""Typed utterances -> intents, with a locale's real interaction model (pure Python, no ASK imports).

A small stand-in for Alexa's language understanding, strict where the model is strict so that a
phrasing the model does not cover shows up as `AMAZON.FallbackIntent` here too:

- the model's sample utterances, `{slot}` patterns included, matched case- and punctuation-
  insensitively (apostrophes are ignored, so "whats" matches "what's");
- custom slot values and synonyms resolved as Alexa resolves them: the slot's `value` is what was
  said, with an entity-resolution block (`ER_SUCCESS_MATCH` with the value's id and name, or
  `ER_SUCCESS_NO_MATCH` for words the slot type does not list);
- the AMAZON built-in intents the model declares, by their usual phrases (`BUILT_IN_PHRASES`);
- launch phrases: "open / ask / tell / launch / start <invocation name> [to|for|and|about] <rest>",
  "<rest> using|with|from <invocation name>", and the invocation name alone;
- anything else: `AMAZON.FallbackIntent`, as on a device.

When several samples match, the most specific wins: the one with the most literal words (so the
fewest words captured by slots), then the one whose slots resolve, then custom samples before
built-in phrases, then the model's order. One leniency: a "please" at either end is ignored when the
utterance does not match with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .envelopes import DEFAULT_SKILL_ID, slot as filled_slot

FALLBACK = "AMAZON.FallbackIntent"
#: The most words a slot captures (Alexa's slots hold short phrases).
MAX_SLOT_WORDS = 8

#: Usual phrases for AMAZON built-in intents (used only for the built-ins a model declares).
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.StopIntent": ("stop", "stop it", "stop that", "off", "shut up", "be quiet", "quiet", "enough",
                          "that's enough", "stop playing", "stop talking", "i'm done", "goodbye", "bye"),
    "AMAZON.CancelIntent": ("cancel", "cancel that", "never mind", "nevermind", "forget it", "forget about it",
                            "cancel it"),
    "AMAZON.HelpIntent": ("help", "help me", "help please", "i need help", "can you help me", "what can i say",
                          "what can i do", "what can you do", "what do i say", "how does this work",
                          "how do i use this", "options", "what are my options", "instructions"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup", "yes please", "sure", "sure thing", "ok", "okay",
                         "alright", "all right", "of course", "go ahead", "go on", "please do", "why not",
                         "absolutely", "definitely", "yes i would", "i would", "i do", "yes i do", "correct"),
    "AMAZON.NoIntent": ("no", "nope", "nah", "no thanks", "no thank you", "not now", "not right now",
                        "no way", "i'm good", "i don't", "i would not", "no i don't", "not really"),
    "AMAZON.NextIntent": ("next", "next one", "the next one", "next please", "skip", "skip it", "skip this",
                          "skip that", "another one", "go to the next one"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "repeat please", "repeat it", "say that again",
                            "say it again", "again", "can you repeat that", "could you repeat that",
                            "what did you say", "pardon", "pardon me", "come again", "one more time",
                            "repeat the question", "say the question again", "ask me again", "ask the question again",
                            "what was the question", "can you repeat the question", "could you repeat the question"),
    "AMAZON.NavigateHomeIntent": ("go home", "home", "go to home", "go back home", "take me home",
                                  "go to the home screen"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again", "begin again", "from the beginning"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "the previous one"),
    "AMAZON.PauseIntent": ("pause", "pause that", "hold on"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going", "carry on"),
    "AMAZON.MoreIntent": ("more", "tell me more", "show more"),
    "AMAZON.ScrollDownIntent": ("scroll down",),
    "AMAZON.ScrollUpIntent": ("scroll up",),
    "AMAZON.SelectIntent": ("select", "select this", "choose this"),
}

_LAUNCH_VERBS = ("open", "launch", "start", "begin", "run", "load", "use", "play", "resume", "talk to",
                 "speak to", "ask", "tell")
_CONNECTORS = ("to", "for", "and", "about", "whether", "if", "that")
_SUFFIX_CONNECTORS = ("using", "with", "from", "on", "in")
_WAKE_WORD = "alexa"
_PLEASE = "please"
_SLOT = re.compile(r"^\{(?P<name>[A-Za-z0-9_.]+)\}$")


def words(text: str) -> list[str]:
    """`text` as lowercase words, punctuation dropped, apostrophes inside words kept."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w'\s]|_", " ", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)
    return text.split()


def _key(word_list: Iterable[str]) -> str:
    """The matching form of some words: joined by single spaces, apostrophes removed."""
    return " ".join(w.replace("'", "") for w in word_list)


@dataclass(frozen=True)
class SlotValue:
    """One value of a custom slot type: its id, its name, and the phrases that resolve to it."""

    id: str | None
    name: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class _Pattern:
    intent: str
    sample: str
    regex: re.Pattern
    slot_groups: tuple[tuple[str, str], ...]  # (regex group, slot name)
    literal_words: int
    custom: bool


@dataclass(frozen=True)
class Match:
    """What an utterance was understood as.

    Attributes:
        intent: the intent name; None for a plain launch ("open lantern foxes").
        slots: slot name -> the slot object as Alexa sends it (every slot the intent declares;
            the ones not said have no `value`).
        launch: the utterance opens the skill (a new session).
        sample: the sample utterance or built-in phrase that matched (None for fallback and plain launch).
        utterance: the words understood, after the wake word and any launch phrase.
    """

    intent: str | None
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    launch: bool = False
    sample: str | None = None
    utterance: str = ""

    @property
    def request_type(self) -> str:
        """`LaunchRequest` or `IntentRequest`."""
        return "LaunchRequest" if self.intent is None else "IntentRequest"

    def summary(self) -> str:
        """One line for people: the request, the intent and how each slot was filled."""
        if self.intent is None:
            return "LaunchRequest"
        parts = [self.intent]
        for name, filled in self.slots.items():
            if "value" not in filled:
                continue
            resolution = (filled.get("resolutions", {}).get("resolutionsPerAuthority") or [{}])[0]
            code = resolution.get("status", {}).get("code")
            if code == "ER_SUCCESS_MATCH":
                parts.append(f'{name}="{filled["value"]}" -> {resolution["values"][0]["value"]["id"]}')
            elif code:
                parts.append(f'{name}="{filled["value"]}" (no match)')
            else:
                parts.append(f'{name}="{filled["value"]}"')
        if self.intent == FALLBACK and self.sample is None:
            parts.append("(no sample matched)")
        return " ".join(parts)


class InteractionModel:
    """One locale's interaction model, ready to match utterances.

    Args:
        model: the parsed JSON of an `interaction_models/<locale>.json` file.
        skill_id: the skill id that entity-resolution authorities name.
    """

    def __init__(self, model: dict[str, Any], skill_id: str = DEFAULT_SKILL_ID) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation_name: str = language["invocationName"]
        self.skill_id = skill_id
        self.intents: dict[str, dict[str, str]] = {
            intent["name"]: {s["name"]: s["type"] for s in intent.get("slots", [])} for intent in language["intents"]}
        self.slot_types: dict[str, tuple[SlotValue, ...]] = {
            kind["name"]: tuple(SlotValue(v.get("id"), v["name"]["value"],
                                          (v["name"]["value"], *v["name"].get("synonyms", [])))
                                for v in kind.get("values", []))
            for kind in language.get("types", [])}
        self._resolve = {name: {_key(words(p)): value for value in values for p in value.phrases}
                         for name, values in self.slot_types.items()}
        self._patterns: list[_Pattern] = []
        for intent in language["intents"]:
            for sample in intent.get("samples", []):
                self._patterns.append(self._compile(intent["name"], sample, custom=True))
            for phrase in BUILT_IN_PHRASES.get(intent["name"], ()):
                self._patterns.append(self._compile(intent["name"], phrase, custom=False))
        name = _key(words(self.invocation_name))
        verbs = "|".join(re.escape(v) for v in _LAUNCH_VERBS)
        self._launch_alone = re.compile(rf"^(?:the )?{re.escape(name)}$")
        self._launch = re.compile(rf"^(?:{verbs}) (?:the )?{re.escape(name)}(?: (?P<rest>.+))?$")
        self._launch_suffix = re.compile(
            rf"^(?P<rest>.+) (?:{'|'.join(_SUFFIX_CONNECTORS)}) (?:the )?{re.escape(name)}$")

    @classmethod
    def load(cls, path: Path, skill_id: str = DEFAULT_SKILL_ID) -> InteractionModel:
        """Read a model file."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), skill_id)

    @classmethod
    def for_locale(cls, folder: Path, locale: str, skill_id: str = DEFAULT_SKILL_ID) -> InteractionModel:
        """The model of `locale` in `folder` (`<folder>/<locale>.json`).

        Raises:
            FileNotFoundError: naming the locales the folder has.
        """
        path = Path(folder) / f"{locale}.json"
        if not path.is_file():
            raise FileNotFoundError(f"no interaction model for {locale} in {folder} (there are: "
                                    f"{', '.join(available_locales(folder)) or 'none'})")
        return cls.load(path, skill_id)

    def match(self, text: str) -> Match:
        """What Alexa would make of `text` said to a device with this skill.

        A launch phrase gives `launch=True` (with the intent said in the same breath, if any);
        otherwise the best matching intent, or `AMAZON.FallbackIntent`.
        """
        said = words(text)
        if said[:1] == [_WAKE_WORD]:
            said = said[1:]
        launched = self._match_launch(said)
        if launched is not None:
            return launched
        return self._match_intent(said)[1]

    def _match_launch(self, said: list[str]) -> Match | None:
        key = _key(said)
        if self._launch_alone.match(key):
            return Match(None, launch=True)
        found = self._launch.match(key) or self._launch_suffix.match(key)
        if not found:
            return None
        if found["rest"] is None:
            return Match(None, launch=True)
        count = len(found["rest"].split())
        rest = said[len(said) - count:] if found.re is self._launch else said[:count]
        options = [rest]
        if found.re is self._launch and rest[0] in _CONNECTORS and len(rest) > 1:
            options.append(rest[1:])
        best = max((self._match_intent(option) for option in options), key=lambda ranked: ranked[0])[1]
        return Match(best.intent, best.slots, True, best.sample, best.utterance)

    def _match_intent(self, said: list[str]) -> tuple[tuple, Match]:
        """The best intent for `said` (inside a session, or after a launch phrase) and its rank."""
        attempts = [said]
        bare = said[1:] if said[:1] == [_PLEASE] else said
        bare = bare[:-1] if bare[-1:] == [_PLEASE] else bare
        if bare and bare != said:
            attempts.append(bare)
        for attempt in attempts:
            best = self._best(attempt) if attempt else None
            if best is not None:
                return best
        return (), Match(FALLBACK, {}, utterance=" ".join(said))

    def _best(self, said: list[str]) -> tuple[tuple, Match] | None:
        key = _key(said)
        candidates = []
        for order, pattern in enumerate(self._patterns):
            found = pattern.regex.match(key)
            if not found:
                continue
            slots, resolved, slot_words = self._fill(pattern, found, said, key)
            rank = (pattern.literal_words, resolved, -slot_words, pattern.custom, -order)
            candidates.append((rank, Match(pattern.intent, slots, sample=pattern.sample, utterance=" ".join(said))))
        return max(candidates, key=lambda c: c[0]) if candidates else None

    def _fill(self, pattern: _Pattern, found: re.Match, said: list[str],
              key: str) -> tuple[dict[str, dict[str, Any]], int, int]:
        """Every slot the intent declares, filled from the regex groups; (slots, resolved, slot words)."""
        declared = self.intents.get(pattern.intent, {})
        slots: dict[str, dict[str, Any]] = {name: filled_slot(name, None) for name in declared}
        resolved = slot_words = 0
        for group, name in pattern.slot_groups:
            start = key[:found.start(group)].count(" ")
            count = found[group].count(" ") + 1
            value = " ".join(said[start:start + count])
            slot_words += count
            kind = declared.get(name, "")
            slots[name], ok = self._slot(name, kind, value)
            resolved += ok
        return slots, resolved, slot_words

    def _slot(self, name: str, kind: str, value: str) -> tuple[dict[str, Any], bool]:
        """A slot filled with `value`, resolved against its custom type; (slot, resolved?)."""
        if kind not in self._resolve:
            # AMAZON.* and unknown types: the words as said, without entity resolution.
            return {"name": name, "value": value, "confirmationStatus": "NONE"}, False
        hit = self._resolve[kind].get(_key(value.split()))
        if hit is None:
            return filled_slot(name, value, slot_type=kind, skill_id=self.skill_id), False
        return filled_slot(name, value, hit.id or hit.name, hit.name, slot_type=kind, skill_id=self.skill_id), True

    def _compile(self, intent: str, sample: str, custom: bool) -> _Pattern:
        parts, groups, literal = [], [], 0
        for token in sample.split():
            slot_name = _SLOT.match(token)
            if slot_name:
                group = f"s{len(groups)}"
                groups.append((group, slot_name["name"]))
                parts.append(rf"(?P<{group}>[^ ]+(?: [^ ]+){{0,{MAX_SLOT_WORDS - 1}}}?)")
            else:
                for word in words(token):
                    parts.append(re.escape(word.replace("'", "")))
                    literal += 1
        return _Pattern(intent, sample, re.compile("^" + " ".join(parts) + "$"), tuple(groups), literal, custom)


def available_locales(folder: Path) -> list[str]:
    """The locales with a model in `folder`."""
    return sorted(p.stem for p in Path(folder).glob("*.json") if re.match(r"^[a-z]{2}-[A-Z]{2}$", p.stem))
