"""The sentences the skill says: their names, their placeholders, and where their words come from.

`SENTENCES` is the one list of sentence names (the JSON Schema and the default tables are checked
against it). The default wording is data, one table per language in `sentences/<language>.json`
beside this module; a campaign's `sentences:` overrides any sentence, per locale, and a section's
`sentences:` overrides the sentences marked `section` for that section alone.

Where a sentence's words come from, for a listener in `locale` (language `lang`):
the campaign's `locale` table, then its `default` table (for English locales; the campaign's
`default` is English), then the package's `lang` table, then the campaign's `default`, then the
package's English table. The first one with a variant in force that day wins.
"""

import json
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from .model import DEFAULT, SENTENCE_NAMES, Sentence

#: Language of the campaign's `default` table and of the last-resort package table.
BASE_LANGUAGE = "en"
_TABLES = Path(__file__).with_name("sentences")


class SentenceSpec(NamedTuple):
    """What a sentence may contain and where it may be overridden.

    Attributes:
        placeholders: the names it may use in braces (besides {artist} and {album}).
        asks: the skill waits for an answer after it, so it must be a question.
        section: a section may say it its own way (under the section's `sentences:`).
    """

    placeholders: frozenset[str] = frozenset()
    asks: bool = False
    section: bool = False


def _spec(*placeholders: str, asks: bool = False, section: bool = False) -> SentenceSpec:
    return SentenceSpec(frozenset(placeholders), asks, section)


#: Every sentence the skill says. Adding one here and to `sentences/en.json` never breaks a
#: campaign: campaigns that do not say it their own way get the default wording.
SENTENCES: Mapping[str, SentenceSpec] = {
    # Opening the skill.
    "welcome_first": _spec(),
    "welcome_back": _spec(),
    "welcome_back_news": _spec("news"),
    "news_one": _spec("section", section=True),
    "news_many": _spec("count", "section", section=True),
    "ask_what_next": _spec("choices", asks=True),
    "reprompt_what_next": _spec("choices", asks=True),
    "choice": _spec("section", section=True),
    "choice_countdown": _spec(),
    "choice_whats_new": _spec(),
    # Lists ("a tip, a story or the countdown").
    "list_two_or": _spec("first", "last"),
    "list_many_or": _spec("items", "last"),
    "list_two_and": _spec("first", "last"),
    "list_many_and": _spec("items", "last"),
    # Pieces of a section.
    "piece_intro": _spec("member", "section", section=True),
    "offer_another_piece": _spec("section", asks=True, section=True),
    "reprompt_another_piece": _spec("section", asks=True, section=True),
    "member_has_nothing_new": _spec("member", "section", section=True),
    "member_has_nothing_here": _spec("member", "section", section=True),
    "offer_other_member": _spec("other_member", "section", asks=True, section=True),
    "reprompt_other_member": _spec("other_member", "section", asks=True, section=True),
    "member_not_recognised": _spec(),
    "section_not_recognised": _spec(),
    "section_empty": _spec("section", section=True),
    "no_tips_here": _spec(),
    # How the section that answers tip requests says its section sentences, unless it says them itself.
    "tips_choice": _spec("section"),
    "tips_news_one": _spec("section"),
    "tips_news_many": _spec("count", "section"),
    "tips_piece_intro": _spec("member", "section"),
    "tips_offer_another_piece": _spec("section", asks=True),
    "tips_reprompt_another_piece": _spec("section", asks=True),
    "tips_member_has_nothing_new": _spec("member", "section"),
    "nothing_available": _spec(),
    # What's new.
    "nothing_new": _spec(),
    "next_drop": _spec("section", "day", section=True),
    "offer_more_new": _spec(asks=True),
    "reprompt_more_new": _spec(asks=True),
    # Meet the band.
    "band_lineup": _spec("members"),
    "member_no_intro": _spec("member"),
    "ask_which_member": _spec("member", asks=True),
    "reprompt_which_member": _spec("member", asks=True),
    "offer_member_piece": _spec("member", asks=True),
    "reprompt_member_piece": _spec("member", asks=True),
    # Unlockable exclusives.
    "unlocked_now": _spec("name"),
    "unlocked_list": _spec("names"),
    "unlocked_none": _spec(),
    "unlocked_left_one": _spec(),
    "unlocked_left_many": _spec("count"),
    "unlocked_everything": _spec(),
    "unlock_hint": _spec("hint"),
    "offer_unlocked_again": _spec(asks=True),
    "reprompt_unlocked_again": _spec(asks=True),
    # The countdown and the album.
    "countdown_days": _spec("days"),
    "countdown_hours": _spec("hours"),
    "countdown_last_hour": _spec(),
    "countdown_release_day": _spec(),
    "countdown_out_now": _spec(),
    "offer_after_countdown": _spec("choice", asks=True),
    "offer_after_release": _spec("choice", asks=True),
    "how_to_listen": _spec(),
    # Help, misunderstandings, goodbyes.
    "help": _spec(),
    "help_tips": _spec("member"),
    "help_sections": _spec("section", section=True),
    "help_whats_new": _spec(),
    "help_band": _spec("member"),
    "help_unlockables": _spec(),
    "help_countdown": _spec(),
    "ask_help": _spec(asks=True),
    "fallback": _spec(),
    "reprompt_fallback": _spec("choices", asks=True),
    "nothing_to_repeat": _spec(),
    "goodbye": _spec(),
    "goodbye_after_release": _spec(),
    "error": _spec(),
    # Quiz and daily question (issue 11).
    "choice_quiz": _spec(),
    "help_quiz": _spec(),
    "quiz_start": _spec("count"),
    "quiz_resumed": _spec(),
    "quiz_question_number": _spec("position", "count"),
    "quiz_choice": _spec("letter", "words"),
    "ask_quiz_choices": _spec("choices", asks=True),
    "ask_quiz_free": _spec(asks=True),
    "reprompt_quiz_choices": _spec("choices", asks=True),
    "reprompt_quiz_free": _spec(asks=True),
    "quiz_right": _spec(),
    "quiz_wrong": _spec(),
    "quiz_answer_was": _spec("answer"),
    "quiz_dont_know": _spec(),
    "quiz_skipped": _spec(),
    "quiz_not_a_choice": _spec(),
    "quiz_not_heard": _spec(),
    "quiz_caught_up": _spec(),
    "quiz_help": _spec(),
    "quiz_help_free": _spec(),
    "quiz_round_over": _spec("score", "count"),
    "quiz_perfect_round": _spec(),
    "quiz_new_best": _spec(),
    "offer_another_round": _spec(asks=True),
    "reprompt_another_round": _spec(asks=True),
    "quiz_stopped": _spec("score", "answered", "count"),
    "quiz_paused": _spec(),
    "offer_resume_quiz": _spec("position", "count", asks=True),
    "reprompt_resume_quiz": _spec("position", "count", asks=True),
    "offer_back_to_quiz": _spec("position", "count", asks=True),
    "reprompt_back_to_quiz": _spec("position", "count", asks=True),
    "quiz_declined": _spec(),
    "quiz_unavailable": _spec(),
    "quiz_no_question": _spec(),
    "choice_daily": _spec(),
    "help_daily": _spec(),
    "daily_waiting": _spec(),
    "daily_question_number": _spec("day", "days"),
    "daily_already_right": _spec(),
    "daily_already_wrong": _spec(),
    "daily_come_back": _spec(),
    "daily_streak": _spec("streak"),
    "daily_tally": _spec("tally", "day"),
    "daily_not_started": _spec("day"),
    "daily_over": _spec("tally", "days"),
    "daily_finished": _spec("tally", "days"),
    "daily_invitation": _spec(),
    "daily_skipped": _spec(),
    # Reminders and the prize draw (issue 12): add their sentences here.
    "help_reminders": _spec(),
    "help_draw": _spec("prize"),
    "reminder_offer_release_day": _spec("time", "day", asks=True),
    "reminder_reprompt_release_day": _spec("time", "day", asks=True),
    "reminder_set_release_day": _spec("time", "day"),
    "reminder_already_set_release_day": _spec("time", "day"),
    "reminder_too_late_release_day": _spec(),
    "reminder_offer_daily": _spec("time", "day", asks=True),
    "reminder_reprompt_daily": _spec("time", "day", asks=True),
    "reminder_set_daily": _spec("time", "day"),
    "reminder_already_set_daily": _spec(),
    "reminder_how_to_cancel": _spec(),
    "reminder_not_offered": _spec(),
    "reminder_declined": _spec(),
    "reminder_consent_denied": _spec(),
    "reminder_consent_not_answered": _spec(),
    "reminder_failed": _spec(),
    "reminder_unsupported": _spec(),
    "reminder_cancelled": _spec("reminders"),
    "reminder_nothing_to_cancel": _spec(),
    "reminder_cancel_failed": _spec(),
    "reminder_name_release_day": _spec(),
    "reminder_name_daily": _spec(),
    "time_am": _spec("hour"),
    "time_am_minutes": _spec("hour", "minutes"),
    "time_pm": _spec("hour"),
    "time_pm_minutes": _spec("hour", "minutes"),
    "time_noon": _spec(),
    "time_midnight": _spec(),
    "draw_invite": _spec("prize", "day"),
    "draw_offer": _spec("prize", asks=True),
    "draw_reprompt": _spec("prize", asks=True),
    "draw_entered": _spec("prize", "day"),
    "draw_already_entered": _spec("prize"),
    "draw_not_eligible": _spec("prize"),
    "draw_closed": _spec("prize", "day"),
    "draw_not_running": _spec(),
    "draw_declined": _spec(),
    "draw_consent_denied": _spec("prize"),
    "draw_consent_not_answered": _spec("prize"),
    "draw_no_email": _spec(),
    "draw_failed": _spec(),
    "draw_card_title": _spec("prize"),
    # Screens (issue 13): add their sentences here.
    # Long-form episodes (issue 14).
    "episode_intro": _spec("title", "member", "section", section=True),
    "episode_resume_intro": _spec("title", "section", section=True),
    "episode_untitled": _spec("number", "section", section=True),
    "episode_needs_player": _spec("title", "section", section=True),
    "episode_first": _spec("section", section=True),
    "episode_last": _spec("section", section=True),
    "episode_track_unknown": _spec("track", "section", section=True),
    "episode_track_later": _spec("track", "day", "section", section=True),
    "episode_nothing_to_resume": _spec(),
    "episode_no_loop_shuffle": _spec("section", section=True),
    "help_long_form": _spec("section", section=True),
    # Words shown on Echo Show and Fire TV screens (short: a screen shows them, Alexa never says them).
    "screen_days_to_go": _spec("days"),
    "screen_hours_to_go": _spec("hours"),
    "screen_last_hour": _spec(),
    "screen_release_day": _spec(),
    "screen_out_now": _spec(),
    "screen_whats_new": _spec(),
    "screen_band": _spec(),
    "screen_band_hint_touch": _spec(),
    "screen_band_hint_voice": _spec("member"),
    "screen_unlocked": _spec(),
    "screen_unlocks": _spec(),
    "screen_unlocks_none": _spec(),
    "screen_still_locked": _spec("count"),
    "screen_quiz_position": _spec("position", "round"),
    "screen_quiz_score": _spec("score"),
    "screen_quiz_result": _spec("score", "round"),
    "screen_daily_day": _spec("day"),
    "screen_daily_streak": _spec("streak"),
    "screen_answer_hint_touch": _spec(),
    "screen_answer_hint_voice": _spec(),
    # Calendar words, for "New stories arrive on Thursday" and "on Friday 15 January".
    **{f"day_{name}": _spec() for name in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                           "saturday", "sunday")},
    **{f"month_{name}": _spec() for name in ("january", "february", "march", "april", "may", "june", "july",
                                             "august", "september", "october", "november", "december")},
    "date_spoken": _spec("weekday", "day", "month"),
}
SENTENCE_NAMES.update(SENTENCES)
#: Placeholders every sentence and transcript may use.
COMMON_PLACEHOLDERS = frozenset({"artist", "album"})
#: Prefix of the sentences a tips section says by default (`tips_choice` for `choice`...).
TIPS_PREFIX = "tips_"
WEEKDAYS = tuple(name for name in SENTENCES if name.startswith("day_"))
MONTHS = tuple(name for name in SENTENCES if name.startswith("month_"))


class Sentences(NamedTuple):
    """A table of sentences: `default` and per-locale tables, with the package's default wording
    beneath (for a campaign's table; a section's table has none)."""

    tables: Mapping[str, Mapping[str, Sentence]] = MappingProxyType({})
    defaults: Mapping[str, Mapping[str, Sentence]] | None = None

    def lookup(self, name: str, locale: str | None, day: date | None = None) -> Sentence | None:
        """The sentence from this table alone (locale, then default), or None."""
        for table in (locale or "", DEFAULT):
            found = self.tables.get(table, {}).get(name)
            if found is not None and found.in_force(day):
                return found
        return None

    def get(self, name: str, locale: str | None, day: date | None = None) -> Sentence:
        """The sentence `name` for `locale`, in the order the module docstring gives.

        Raises:
            KeyError: `name` is not a sentence (a bug, not a content problem).
        """
        language = (locale or BASE_LANGUAGE).split("-")[0]
        defaults = self.defaults if self.defaults is not None else {}
        tables = [self.tables.get(locale or "", {})]
        tables += ([self.tables.get(DEFAULT, {}), defaults.get(language, {})] if language == BASE_LANGUAGE
                   else [defaults.get(language, {}), self.tables.get(DEFAULT, {})])
        tables.append(defaults.get(BASE_LANGUAGE, {}))
        found = [sentence for table in tables if (sentence := table.get(name)) is not None]
        for sentence in found:
            if sentence.in_force(day):
                return sentence
        if found:
            return found[-1]
        raise KeyError(name)

    def own_sentences(self) -> Iterator[Sentence]:
        """The sentences this table gives itself (not the package's defaults)."""
        for table in self.tables.values():
            yield from table.values()

    def all_sentences(self) -> Iterator[Sentence]:
        """This table's sentences, then the defaults beneath it."""
        yield from self.own_sentences()
        for table in (self.defaults or {}).values():
            yield from table.values()

    def left_at_default(self, names: Mapping[str, object] | None = None) -> tuple[str, ...]:
        """The sentence names this campaign says with the package's default wording."""
        own = set(self.tables.get(DEFAULT, {}))
        return tuple(name for name in (names or SENTENCES) if name not in own)


def default_table_files() -> dict[str, Path]:
    """The package's default wording, one JSON file per language: language -> file."""
    return {path.stem: path for path in sorted(_TABLES.glob("*.json"))}


@lru_cache(maxsize=1)
def default_wording() -> Mapping[str, Mapping[str, object]]:
    """The package's default wording as loaded: language -> sentence name -> value as written."""
    return {language: json.loads(path.read_text(encoding="utf-8"))
            for language, path in default_table_files().items()}
