"""The prize draw through the Lambda handler: the invitation, the email permission by voice, the
entry in the draw's own table, and a listener who disables the skill."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from optins_support import *  # noqa: F403 (the opt-in fixtures and helpers)
from optins_support import EMAIL_SCOPE, REMINDERS_SCOPE, USER, answer_consent, ask_for_directive, card, listener_at, spoken

FIRST_VISIT = datetime(2027, 1, 20, 18, 0, tzinfo=timezone.utc)
SECOND_DAY = datetime(2027, 1, 21, 18, 0, tzinfo=timezone.utc)
INVITATION = ("You can now enter our prize draw to win a signed print. It closes on Sunday 28 February. UK residents "
              "18 and over. One entry each. Closes 28 February 2027. To contact you if you win, I'll ask Alexa for "
              "your email address. Would you like to enter?")


@pytest.fixture
def returning(optin_skill, alexa_api):
    """A listener in London who visited on 20 January and opens the skill again on the 21st."""
    conversation, account = listener_at(optin_skill, alexa_api, FIRST_VISIT)
    conversation.launch()
    conversation.wait(days=1)
    return conversation, account


def entries(draw_table) -> list[dict]:
    return draw_table.scan()["Items"]


def test_an_eligible_listener_is_invited_enters_by_voice_and_only_their_contact_goes_to_the_draw(
        returning, alexa_api, draw_table, stored_item):
    conversation, account = returning
    # WHEN they open the skill on their second day
    welcome = conversation.launch()
    # THEN the welcome ends on the invitation: prize, closing day, terms, and why the email is needed
    assert spoken(welcome).endswith(INVITATION)
    # WHEN they say yes: Alexa asks for their email address on the skill's behalf
    asked = conversation.ask("AMAZON.YesIntent")
    assert ask_for_directive(asked)["payload"]["permissionScope"] == EMAIL_SCOPE
    assert alexa_api.profile.calls == 0 and entries(draw_table) == []
    # WHEN they allow it
    entered = answer_consent(conversation, asked, "ACCEPTED", account)
    # THEN they are in, hear it, and get the terms card with the link
    assert spoken(entered).startswith("You're in the draw for a signed print! If you win, we'll email you after it "
                                      "closes on Sunday 28 February.")
    assert card(entered) == {"type": "Simple", "title": "Prize draw: a signed print",
                             "content": "UK residents 18 and over. One entry each. Closes 28 February 2027.\n"
                                        "https://owls.example/draw-terms"}
    # AND the draw's table holds the campaign, the entry time and the contact, and nothing else of theirs
    [entry] = entries(draw_table)
    assert set(entry) == {"campaign", "entrant", "entered_at", "contact", "expires_at"}
    assert (entry["campaign"], entry["contact"], entry["entered_at"]) == ("optin-band", "listener@example.com",
                                                                          "2027-01-21T18:00:00Z")
    assert USER not in str(entry)
    assert datetime.fromtimestamp(int(entry["expires_at"]), timezone.utc) == datetime(2027, 3, 31, 12, tzinfo=timezone.utc)
    # AND the listener's own item records only that they entered
    attributes = stored_item(USER)["attributes"]
    assert attributes["draw"] == {"invited": True, "entered": True} and "@" not in str(attributes)
    assert alexa_api.profile.calls == 1


def test_a_listener_who_allowed_their_email_before_enters_on_their_yes(returning, alexa_api, draw_table):
    conversation, account = returning
    account.allow(EMAIL_SCOPE)
    conversation.launch()
    entered = conversation.ask("AMAZON.YesIntent")
    assert ask_for_directive(entered) is None and spoken(entered).startswith("You're in the draw")
    assert len(entries(draw_table)) == 1


def test_a_listener_who_allowed_only_reminders_is_asked_for_their_email_when_they_enter(returning, alexa_api,
                                                                                        draw_table):
    # GIVEN a listener who allowed reminders, so their requests carry a consent token, but not their email:
    # the skill cannot tell from the request, asks the profile API, and it answers 403
    conversation, account = returning
    account.allow(REMINDERS_SCOPE)
    conversation.launch()
    # WHEN they say yes to the invitation
    asked = conversation.ask("AMAZON.YesIntent")
    # THEN Alexa is asked for their email address, as for any listener who has not allowed it
    assert ask_for_directive(asked)["payload"]["permissionScope"] == EMAIL_SCOPE
    assert alexa_api.profile.calls == 1 and entries(draw_table) == []
    # AND once they allow it, they are in
    entered = answer_consent(conversation, asked, "ACCEPTED", account)
    assert spoken(entered).startswith("You're in the draw")
    assert len(entries(draw_table)) == 1


def test_the_invitation_comes_once_and_asking_to_enter_again_says_they_are_in(returning, draw_table):
    conversation, account = returning
    account.allow(EMAIL_SCOPE)
    conversation.launch()
    conversation.ask("AMAZON.YesIntent")
    conversation.wait(days=1)
    assert "prize draw" not in spoken(conversation.launch())
    assert spoken(conversation.ask("EnterDrawIntent")).startswith("You're already in the draw for a signed print.")
    assert len(entries(draw_table)) == 1


@pytest.mark.parametrize("answer", ["DENIED", "NOT_ANSWERED"])
def test_a_listener_who_does_not_share_their_email_is_not_entered_and_gets_the_card(returning, alexa_api, draw_table,
                                                                                    stored_item, answer):
    conversation, account = returning
    conversation.launch()
    refused = answer_consent(conversation, conversation.ask("AMAZON.YesIntent"), answer, account)
    assert "I haven't entered you" in spoken(refused) and refused.ends_session is False
    assert card(refused) == {"type": "AskForPermissionsConsent", "permissions": [EMAIL_SCOPE]}
    assert entries(draw_table) == [] and alexa_api.profile.calls == 0
    assert stored_item(USER)["attributes"]["draw"] == {"invited": True}


def test_no_to_the_invitation_passes_and_it_is_not_repeated(returning, draw_table):
    conversation, _ = returning
    conversation.launch()
    declined = conversation.ask("AMAZON.NoIntent")
    assert spoken(declined).startswith("Okay, no problem. Would you like") and declined.ends_session is False
    conversation.wait(days=1)
    assert "prize draw" not in spoken(conversation.launch())


def test_an_account_without_an_email_address_is_told_so(returning, alexa_api, draw_table):
    conversation, account = returning
    account.allow(EMAIL_SCOPE)
    alexa_api.profile.email = None                     # the API answers 204
    conversation.launch()
    answer = conversation.ask("AMAZON.YesIntent")
    assert spoken(answer).startswith("Your Amazon account has no email address I can use")
    assert entries(draw_table) == []


@pytest.mark.parametrize("failure", ["profile API 500", "profile API slow", "draw table gone"])
def test_a_failing_entry_gets_a_kind_sentence_one_log_line_and_no_false_state(returning, alexa_api, draw_table,
                                                                              stored_item, caplog, failure):
    conversation, account = returning
    account.allow(EMAIL_SCOPE)
    if failure == "profile API 500":
        alexa_api.profile.status = 500
    elif failure == "profile API slow":
        alexa_api.profile.delay = 3.0
    else:
        draw_table.delete()
    conversation.launch()
    with caplog.at_level(logging.WARNING, logger="dropday"):
        answer = conversation.ask("AMAZON.YesIntent")
    assert spoken(answer).startswith("Sorry, I couldn't enter you in the draw just now.")
    assert stored_item(USER)["attributes"]["draw"] == {"invited": True}
    lines = [r.getMessage() for r in caplog.records if r.name != "dropday.turns"   # not the turn's event line
             and ("draw" in r.getMessage() or "profile" in r.getMessage())]
    assert len(lines) == 1 and "listener@example.com" not in lines[0]


def test_the_draw_is_never_mentioned_outside_its_markets(optin_skill, alexa_api):
    conversation, _ = listener_at(optin_skill, alexa_api, FIRST_VISIT, locale="en-US")
    conversation.launch()
    conversation.wait(days=1)
    assert "prize draw" not in spoken(conversation.launch())
    assert "prize draw" not in spoken(conversation.ask("AMAZON.HelpIntent"))
    assert spoken(conversation.ask("EnterDrawIntent")).startswith("There's no prize draw running here right now.")


def test_asking_to_enter_before_being_eligible_says_how_to_become_eligible(optin_skill, alexa_api):
    conversation, _ = listener_at(optin_skill, alexa_api, FIRST_VISIT)
    answer = conversation.ask("EnterDrawIntent")
    assert spoken(answer).startswith("You can't enter the draw for a signed print just yet. Come back on another day "
                                     "to enter.")


def test_disabling_the_skill_deletes_the_draw_entry_too(returning, draw_table, stored_item):
    conversation, account = returning
    account.allow(EMAIL_SCOPE)
    conversation.launch()
    conversation.ask("AMAZON.YesIntent")
    assert len(entries(draw_table)) == 1
    # WHEN the listener disables the skill
    conversation.send({"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2027-01-22T10:00:00Z",
                       "eventPublishingTime": "2027-01-22T10:00:00Z"})
    # THEN their item and their entry are gone
    assert stored_item(USER) is None and entries(draw_table) == []
