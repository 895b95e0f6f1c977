"""What the listeners of `dropday simulate` say (`traffic_model` says who they are).

A listener speaks in intents, as Alexa hands them to the skill (with slots resolved against the
locale's interaction model), and reads each answer as a device does: its session attributes (the
quiz or daily question being asked, what "yes" would accept), its directives (Alexa's permission
request) and whether the session ended. Their tastes weigh every choice: favourite sections, the
quiz and the daily question, reminders; they answer questions right as often as their quiz skill
says, and leave when they have had enough (saying stop, or just walking away).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..core.campaign.quiz import Question, word_id
from .traffic_model import MAX_TURNS, Campaign, Listener, Say, weighted


def opening(listener: Listener, campaign: Campaign, day: date) -> Say:
    """How a session starts: "open ..." mostly, sometimes a one-shot ("ask ... for a tip")."""
    if listener.rng.random() < 0.8:
        return Say(launch=True)
    return _free_choice(listener, campaign, day, first=True)


def next_say(listener: Listener, campaign: Campaign, day: date, attributes: dict[str, Any], turns: int) -> Say:
    """What the listener says to an answer that left the session open (`attributes`: its session
    attributes; `turns`: how many they have taken in this session)."""
    rng = listener.rng
    if turns >= MAX_TURNS or rng.random() < 0.03:
        return Say(walk_away=rng.choice(("EXCEEDED_MAX_REPROMPTS", "USER_INITIATED")))
    asking = attributes.get("asking")
    if isinstance(asking, dict):
        question = campaign.question(asking)
        if question is not None:
            return _answer(listener, campaign, question, asking.get("mode") == "quiz", day)
    offer = attributes.get("offer") if isinstance(attributes.get("offer"), dict) else {}
    kind = offer.get("kind")
    if kind in ("release_day_reminder", "daily_reminder", "draw"):
        yes = listener.consents if rng.random() < 0.9 else not listener.consents
        return campaign.said(listener.locale, "AMAZON.YesIntent" if yes else "AMAZON.NoIntent")
    if rng.random() < 1.0 / listener.talkative:
        return campaign.said(listener.locale, rng.choice(("AMAZON.StopIntent", "AMAZON.StopIntent",
                                                          "AMAZON.CancelIntent", "AMAZON.NoIntent")))
    accept = {"piece": 0.3 + 0.5 * listener.favourites.get(offer.get("section") or "", 0.3), "whats_new": 0.6,
              "quiz": listener.quiz_interest + 0.2, "unlocked": 0.5, "member": 0.5}.get(kind, 0.0)
    if rng.random() < accept:
        # "next" moves through episodes in a session about one; listeners say it only after a clip
        word = "AMAZON.NextIntent" if kind == "piece" and not attributes.get("episode") and rng.random() < 0.3 \
            else "AMAZON.YesIntent"
        return campaign.said(listener.locale, word)
    return _free_choice(listener, campaign, day, first=False)


def _answer(listener: Listener, campaign: Campaign, question: Question, quiz: bool, day: date) -> Say:
    rng, locale = listener.rng, listener.locale
    roll = rng.random()
    if roll < 0.05:
        return campaign.said(locale, "AMAZON.StopIntent")
    if roll < 0.09 and campaign.has(locale, "DontKnowIntent"):
        return campaign.said(locale, "DontKnowIntent")
    if quiz and roll < 0.12 and campaign.has(locale, "SkipIntent"):
        return campaign.said(locale, "SkipIntent")
    if not quiz:
        listener.answered_daily_on = day
    right = rng.random() < listener.quiz_skill
    if question.free:
        if right:
            words = rng.choice((question.answer.words, *question.answer.synonyms))
            return campaign.said(locale, "AnswerIntent", answer=(words.lower(), word_id(words)))
        return campaign.said(locale, "AnswerIntent", answer=("no idea really", None))
    choice = question.answer if right else rng.choice([c for c in question.choices if c != question.answer])
    if rng.random() < 0.4:
        return campaign.said(locale, "AnswerIntent", answer=(choice.letter.lower(), choice.letter))
    return campaign.said(locale, "AnswerIntent", answer=(choice.words.lower(), word_id(choice.words)))


def _free_choice(listener: Listener, campaign: Campaign, day: date, first: bool) -> Say:
    """Something the listener asks for of their own accord, weighted by their tastes."""
    rng, locale, manifest = listener.rng, listener.locale, campaign.manifest
    released = day >= campaign.release
    options: dict[tuple[str, str | None], float] = {}
    for section in manifest.sections:
        options[("section", section.id)] = 6.0 * listener.favourites[section.id]
    options[("WhatsNewIntent", None)] = 2.5 if day in campaign.drops else 1.0
    options[("CountdownIntent", None)] = 0.3 if released else 0.8
    options[("ListenIntent", None)] = 0.8 if released else 0.2
    if not first:
        options.update({("AMAZON.HelpIntent", None): 0.15, ("AMAZON.FallbackIntent", None): 0.12,
                        ("AMAZON.RepeatIntent", None): 0.08, ("BandIntent", None): 0.3,
                        ("MemberIntroIntent", None): 0.3, ("UnlockedIntent", None): 0.3,
                        ("CancelReminderIntent", None): 0.02})
    options[("QuizIntent", None)] = 3.0 * listener.quiz_interest
    if listener.answered_daily_on != day:
        options[("DailyQuestionIntent", None)] = 3.0 * listener.daily_interest
    if listener.consents and not released:
        options[("RemindMeIntent", None)] = 0.4
    usable = {key: weight for key, weight in options.items()
              if key[0] == "section" or campaign.has(locale, key[0])}
    intent, section_id = weighted(rng, usable)
    if intent == "section":
        return _section(listener, campaign, section_id)
    if intent == "MemberIntroIntent" and manifest.members:
        member = rng.choice(manifest.members)
        return campaign.said(locale, intent, member=(member.name.lower(), member.id))
    return campaign.said(locale, intent)


def _section(listener: Listener, campaign: Campaign, section_id: str | None) -> Say:
    section = campaign.manifest.section(section_id)
    rng, locale = listener.rng, listener.locale
    assert section is not None
    members = sorted({p.member for p in section.pieces if p.member})
    member = ()
    if members and not section.long_form and rng.random() < 0.1:
        chosen = campaign.manifest.member(rng.choice(members))
        member = ((chosen.name.lower(), chosen.id),) if chosen else ()
    if section.answers and campaign.has(locale, "TipIntent") and rng.random() < 0.7:
        return campaign.said(locale, "TipIntent", **({"member": member[0]} if member else {}))
    if not campaign.has(locale, "SectionIntent"):
        return campaign.said(locale, "TipIntent")
    return campaign.said(locale, "SectionIntent", section=(section.name.lower(), section.id),
                         **({"member": member[0]} if member else {}))


def consent_answer(listener: Listener, scope: str) -> str:
    """How the listener answers Alexa's question for a permission (granting it when they accept)."""
    if listener.grants:
        listener.allowed.add(scope)
        return "ACCEPTED"
    return "DENIED" if listener.rng.random() < 0.9 else "NOT_ANSWERED"
