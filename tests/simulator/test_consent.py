"""Permissions by voice through `dropday chat`: Alexa's consent question, the listener's answer, and the
reminders a listener has, on the opt-in fixture campaign (The Opt-In Owls, "Yes Means Yes" out Friday
15 January 2027, a release-day reminder at 9 AM)."""

from __future__ import annotations

import re

import pytest

from transcripts import after, alexa, blocks, json_documents, turn

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
QUESTION = "Alexa (consent): The Opt-In Owls would like to create reminders. Is that okay?"
SET = "Done. I'll remind you at 9 AM on Friday 15 January, release day."


@pytest.fixture
def owls(say, optins_workspace):
    """`owls(lines, *options) -> output`: a chat with the opt-in campaign on 2 January 2027, 10:00 local."""

    def talk(lines, *options: str) -> str:
        return say(lines, "--manifest", str(optins_workspace / "audio_manifest"), "--at", "2027-01-02T10:00",
                   *options)

    return talk


def test_yes_to_the_reminder_after_the_countdown_asks_by_voice_then_sets_it_in_the_listeners_zone(owls):
    # GIVEN a listener in Auckland who hears the countdown and says yes to the reminder it offers
    output = owls(["ask opt in owls how long until the album comes out", "yes", "/consent yes", "/reminders",
                   "stop", "/user sam", "/reminders"], "--tz", "Pacific/Auckland", "--json")
    countdown, yes = (turn(block) for block in blocks(output)[:2])
    assert alexa(countdown).endswith("I can remind you at 9 AM on Friday 15 January, release day. Shall I?")
    # THEN the skill says nothing itself: Alexa asks the question, and waits for the answer in the session
    assert QUESTION in yes and not alexa(yes)
    assert "(session ended)" not in yes
    # WHEN the listener allows it
    consented = after(output, "/consent yes")
    # THEN Alexa sends the skill the answer, and the reminder is set, restated
    assert consented.startswith(f"Heard: Connections.Response AskFor ACCEPTED ({REMINDERS_SCOPE})")
    assert re.search(rf"^Alexa: {re.escape(SET)}", consented, re.M)
    # AND /reminders shows it at 9 AM in the listener's own zone, with what Alexa will say
    assert after(output, "/reminders").startswith(
        '(1 reminder for listener "listener" from The Opt-In Owls)\n'
        '  Fri 2027-01-15 09:00 Pacific/Auckland, once: "Yes Means Yes by The Opt-In Owls is out today!"')
    # AND another listener has none of it
    assert output.rstrip().endswith('(no reminders for listener "sam" from The Opt-In Owls)')
    # AND the answer is a Connections.Response in the same session, echoing the AskFor token, and it and every
    # later request say the listener granted the permission
    responses = json_documents(output, "response")
    requests = json_documents(output, "request")
    [directive] = responses[1]["response"]["directives"]
    assert directive["type"] == "Connections.SendRequest" and directive["name"] == "AskFor"
    answer = requests[2]
    assert answer["request"]["type"] == "Connections.Response"
    assert answer["request"]["name"] == "AskFor" and answer["request"]["status"]["code"] == "200"
    assert answer["request"]["token"] == directive["token"]
    assert answer["request"]["payload"] == {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"}
    assert answer["session"]["sessionId"] == requests[1]["session"]["sessionId"] and not answer["session"]["new"]
    assert "permissions" not in requests[1]["context"]["System"]["user"]
    for later in requests[2:4]:
        permissions = later["context"]["System"]["user"]["permissions"]
        assert permissions["consentToken"]
        assert permissions["scopes"] == {REMINDERS_SCOPE: {"status": "GRANTED"}}


def test_no_to_alexas_question_is_answered_kindly_with_the_card_and_no_reminder(owls):
    output = owls(["ask opt in owls to remind me when the album comes out", "yes", "/consent no", "/reminders"])
    assert QUESTION in turn(blocks(output)[1])
    refused = after(output, "/consent no")
    assert refused.startswith(f"Heard: Connections.Response AskFor DENIED ({REMINDERS_SCOPE})")
    assert re.search(r"^Alexa: Okay, I haven't set a reminder\.", refused, re.M)
    assert f"[card in the Alexa app: allow {REMINDERS_SCOPE}]" in refused
    assert after(output, "/reminders") == '(no reminders for listener "listener" from The Opt-In Owls)'


def test_a_spoken_yes_or_no_answers_alexas_question_and_other_words_are_not_an_answer(owls):
    output = owls(["ask opt in owls to remind me when the album comes out", "yes", "give me a tip", "yeah",
                   "/reminders"])
    _, _, other, spoken = (turn(block) for block in blocks(output))
    # words that are not an answer reach nobody: Alexa is still waiting
    assert other == ("You:   give me a tip\n(Alexa is waiting for the answer to its question, nothing was sent: "
                     'say "yes" or "no", or /consent yes|no|ignore)')
    # "yeah" is a yes, as the locale's built-in yes
    assert "Heard: Connections.Response AskFor ACCEPTED" in spoken and SET in alexa(spoken)
    assert "09:00 Europe/London, once" in after(output, "/reminders")


def test_a_command_that_ends_the_session_leaves_alexas_question_unanswered(owls):
    output = owls(["/consent yes", "ask opt in owls to remind me when the album comes out", "yes", "/time +1m",
                   "/consent yes"], "--json")
    # /consent before any question says there is none
    assert after(output, "/consent yes").startswith("(no permission question is waiting")
    # the listener goes quiet: the skill hears NOT_ANSWERED, then the session ends
    quiet = after(output, "/time +1m")
    assert quiet.index("Heard: Connections.Response AskFor NOT_ANSWERED") \
        < quiet.index("(session ended: SessionEndedRequest, reason EXCEEDED_MAX_REPROMPTS)")
    assert re.search(r"^Alexa: I didn't catch an answer, so I haven't set a reminder\.", quiet, re.M)
    kinds = [r["request"]["type"] for r in json_documents(output, "request")]
    assert kinds == ["IntentRequest", "IntentRequest", "Connections.Response", "SessionEndedRequest"]
    assert output.rstrip().endswith("(no permission question is waiting: Alexa asks one when a skill sends AskFor)")
