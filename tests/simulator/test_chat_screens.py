"""Devices with screens through `dropday chat --screen PROFILE`: the requests such a device sends, a line per
answer for what its screen shows, and `/touch N` sending the UserEvent of the N-th button."""

from __future__ import annotations

import re

import pytest

from dropday.localdev.screens import SCREEN_DEVICES
from transcripts import CLIP, after, alexa, blocks, json_documents, turn

SCREEN = re.compile(r"^\[screen: (?P<token>\w+), document (?P<document>\S+) \((?P<templates>[^)]*)\): (?P<texts>.*)\]$",
                    re.M)
ECHO_SHOW_8 = SCREEN_DEVICES["hub-landscape-medium"]


def screens(block: str) -> list[re.Match]:
    return list(SCREEN.finditer(block))


def test_a_device_with_a_screen_shows_what_the_launch_and_a_tip_put_on_it(say):
    # GIVEN a listener on an Echo Show 8, 45 days before Moth Light comes out
    output = say(["open night owls", "give me a tip"], "--screen", "hub-landscape-medium", "--at", "2026-12-01T12:00",
                 "--json")
    launch, tip = (turn(block) for block in blocks(output))
    # THEN each request says what the device is: APL with its runtime's version, and its viewport
    for request in json_documents(output, "request"):
        interfaces = request["context"]["System"]["device"]["supportedInterfaces"]
        assert interfaces["Alexa.Presentation.APL"]["runtime"]["maxVersion"]
        assert request["context"]["Viewport"]["pixelWidth"] == ECHO_SHOW_8.width
        assert request["context"]["Viewport"]["pixelHeight"] == ECHO_SHOW_8.height
    # AND each answer says, in a line, which document the screen gets and what it shows
    [home] = screens(launch)
    assert home["token"] == "home" and "AlexaHeadline" in home["templates"]
    for shown in ("The Night Owls", "45 days to go", "Moth Light"):   # the band, the countdown, the album
        assert f'"{shown}"' in home["texts"]
    [piece] = screens(tip)
    assert piece["token"] == "piece"
    caption = CLIP.search(alexa(tip))["words"]   # the transcript of the clip, as a caption (shortened in the line)
    assert f'"{caption[:40]}' in piece["texts"]
    # AND the line names the document the skill sent, whose data the JSON shows in full
    [render] = [d for d in json_documents(output, "response")[1]["response"]["directives"]
                if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
    assert render["token"] == "piece" and render["datasources"]["screen"]["view"] == "piece"


def test_a_device_without_a_screen_gets_no_document_and_shows_none(say):
    output = say(["open night owls", "give me a tip"], "--at", "2026-12-01T12:00", "--json")
    assert "[screen:" not in output
    for request in json_documents(output, "request"):
        assert "Alexa.Presentation.APL" not in request["context"]["System"]["device"]["supportedInterfaces"]
        assert "Viewport" not in request["context"]
    for response in json_documents(output, "response"):
        assert not [d for d in response["response"].get("directives", []) if "APL" in d["type"]]


@pytest.fixture
def quiz(say, formats_workspace):
    """`quiz(lines, *options) -> output`: the quiz campaign (The Quiz Kids) on an Echo Show 8, seeded."""

    def talk(lines, *options: str) -> str:
        return say(lines, "--manifest", str(formats_workspace / "audio_manifest"), "--campaign", "quiz-band",
                   "--at", "2027-02-01T12:00", "--seed", "7", "--screen", "hub-landscape-medium", *options)

    return talk


def test_touching_the_second_choice_answers_the_quiz_as_saying_b_does(quiz):
    # GIVEN two listeners with identical skills, on the first question of the same round
    toucher = quiz(["ask quiz kids to start the quiz", "/touch 2"], "--user", "toucher", "--json")
    speaker = quiz(["ask quiz kids to start the quiz", "B"], "--user", "speaker")
    asked, spoken = (turn(block) for block in blocks(speaker))
    assert alexa(blocks(toucher)[0]) == alexa(asked)
    # THEN the question's screen lists its buttons, numbered for /touch
    assert re.search(r'^\[touch: 1 ".*" · 2 ".*"', asked, re.M)
    # WHEN one touches the second button and the other says "B"
    touched = after(toucher, "/touch 2")
    # THEN the touch is the UserEvent the button sends, and both hear the same answer and see the same screen
    assert "Heard: Alexa.Presentation.APL.UserEvent quiz_question" in touched
    assert "Heard: AnswerIntent" in spoken
    assert re.search(r"^Alexa: (.*)$", touched, re.M)[1] == alexa(spoken)
    assert [m[0] for m in screens(touched)] == [m[0] for m in screens(spoken)]
    # AND the event carries the screen's token and the arguments its second button's SendEvent binds
    requests, responses = json_documents(toucher, "request"), json_documents(toucher, "response")
    [shown] = [d for d in responses[0]["response"]["directives"] if d["type"].endswith("RenderDocument")]
    second = shown["datasources"]["screen"]["items"][1]
    event = requests[1]["request"]
    assert event["type"] == "Alexa.Presentation.APL.UserEvent"
    assert event["token"] == shown["token"] and event["arguments"] == [second["action"], second["value"]]
    assert requests[1]["session"]["sessionId"] == requests[0]["session"]["sessionId"]


def test_touch_and_screen_commands_say_what_they_cannot_do(quiz):
    output = quiz(["/touch 1", "ask quiz kids for a tip", "/touch 1", "start the quiz", "/touch 99", "stop",
                   "/touch 2", "/screen", "/screen tv-landscape-xlarge", "/screen none", "open quiz kids", "/touch 1"])
    tip, question, stop, opened = blocks(output)
    assert output.split("\nYou: ")[0].rstrip().endswith(
        "\n/touch 1\n(no screen of the skill is showing (it comes with the skill's answers while its session is open))")
    assert "\n/touch 1\n(nothing on this screen can be touched)" in tip
    assert re.search(r"\n/touch 99\n\(/touch N takes a button's number, 1 to \d\)", question)
    assert "(session ended)" in turn(stop) and "\n/touch 2\n(no screen of the skill is showing" in stop
    assert "(the device has Echo Show 8 (hub-landscape-medium, 1280x800); /screen PROFILE or /screen none" in stop
    assert "(device with Fire TV (tv-landscape-xlarge, 1920x1080))" in stop
    assert "(device with no screen)" in stop
    assert "[screen:" not in opened
    assert "\n/touch 1\n(this device has no screen: start the chat with --screen PROFILE" in opened


def test_an_unknown_screen_stops_before_the_conversation_naming_the_profiles(chat, capsys):
    status, output = chat(["open night owls"], "--screen", "hub-landscape-enormous")
    assert status == 2 and output == ""
    error = capsys.readouterr().err
    assert "unknown screen 'hub-landscape-enormous'" in error
    for profile in SCREEN_DEVICES:
        assert profile in error
