"""Screens: what Echo Show and Fire TV get with each answer, and what a touch on them does.

Every request goes through lambda_handler on moto, as a device with (or without) a screen sends it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from dropday.content import with_published_keys
from dropday.localdev import envelopes
from dropday.localdev.conversation import Conversation
from dropday.localdev.screens import SCREEN_DEVICES
from dropday.skill import touch
from dropday.skill.screens import FALLBACK_DOCUMENT, VIEW_DOCUMENTS, documents
from dropday.tooling.apl import missing_bindings
from screens_support import only_render_document, render_documents, screens_manifest

FEB_12 = datetime(2027, 2, 12, 12, 0, tzinfo=timezone.utc)
ECHO_SHOW = SCREEN_DEVICES["hub-landscape-medium"]


def member(name: str, member_id: str | None = None) -> dict:
    return envelopes.slot("member", name, member_id)


def section(name: str, section_id: str | None = None) -> dict:
    return envelopes.slot("section", name, section_id, slot_type="SECTION")


#: (what the listener does, the view the screen shows, how the device asks).
ANSWERS = [
    ("opens the skill", "home", lambda c: c.launch()),
    ("asks for a tip", "piece", lambda c: c.ask("TipIntent")),
    ("asks for a tip from Ivy", "piece", lambda c: c.ask("TipIntent", member=member("ivy", "ivy"))),
    ("asks for a backstage story", "piece", lambda c: c.ask("SectionIntent", section=section("backstage", "backstage"))),
    ("asks what's new", "piece", lambda c: c.ask("WhatsNewIntent")),
    ("asks for the countdown", "countdown", lambda c: c.ask("CountdownIntent")),
    ("asks how to listen before release", "countdown", lambda c: c.ask("ListenIntent")),
    ("asks who's in the band", "band", lambda c: c.ask("BandIntent")),
    ("asks about Max", "member", lambda c: c.ask("MemberIntroIntent", member=member("max", "max"))),
    ("asks what they have unlocked", "unlocks", lambda c: c.ask("UnlockedIntent")),
    ("says yes to the launch question", "piece", lambda c: (c.launch(), c.ask("AMAZON.YesIntent"))[1]),
    ("asks for help", "home", lambda c: c.ask("AMAZON.HelpIntent")),
    ("says something the skill does not know", "home", lambda c: c.ask("AMAZON.FallbackIntent")),
    ("says stop", "home", lambda c: c.ask("AMAZON.StopIntent")),
]
WITHOUT_APL = {
    "no interfaces at all": {},
    "AudioPlayer only (an Echo Dot)": {"AudioPlayer": {}},
    "Display without APL": {"AudioPlayer": {}, "Display": {"templateVersion": "1.0", "markupVersion": "1.0"}},
}


@pytest.fixture(scope="module")
def campaign():
    return screens_manifest()


@pytest.fixture
def device(make_skill, campaign, settings_api):
    """A listener on a device, each with a skill of its own seeded alike (so that two listeners
    asking the same thing hear the same): `device(profile_or_interfaces, now=..., viewport=...)`."""

    def on(interfaces=ECHO_SHOW, now: datetime = FEB_12, viewport: dict | None | str = "profile",
           user_id: str = "amzn1.ask.account.LISTENER") -> Conversation:
        if isinstance(interfaces, dict):
            supported, shown = interfaces, None
        else:
            supported, shown = interfaces.supported_interfaces(), interfaces.viewport()
        return Conversation(make_skill(campaign), user_id=user_id, now=now, api_endpoint=settings_api.endpoint,
                            supported_interfaces=supported, viewport=shown if viewport == "profile" else viewport)

    return on


@pytest.mark.parametrize("does, view, ask", ANSWERS, ids=[a[0] for a in ANSWERS])
def test_every_answer_on_an_echo_show_draws_its_screen_with_every_value_its_document_binds(device, does, view, ask):
    # GIVEN a listener on an Echo Show 8
    listener = device()
    # WHEN they ask
    answer = ask(listener)
    # THEN the answer still speaks, and carries one RenderDocument naming its screen
    assert answer.speech.startswith("<speak>")
    directive = only_render_document(answer)
    assert directive["token"] == view
    # AND the document is the view's own, with everything it binds in the datasource
    assert directive["document"] == documents()[VIEW_DOCUMENTS[view]]
    assert missing_bindings(directive["document"], directive["datasources"]) == []


@pytest.mark.parametrize("device_kind", WITHOUT_APL)
@pytest.mark.parametrize("does, view, ask", ANSWERS, ids=[a[0] for a in ANSWERS])
def test_a_device_without_apl_gets_the_same_words_and_no_directive(device, device_kind, does, view, ask):
    # GIVEN the same listener on a device whose request does not list Alexa.Presentation.APL
    with_screen, without = device(user_id="amzn1.ask.account.A"), device(WITHOUT_APL[device_kind],
                                                                         user_id="amzn1.ask.account.B")
    # WHEN they ask the same thing
    shown, heard = ask(with_screen), ask(without)
    # THEN they hear exactly what a screen device's listener hears, and no directive is sent
    assert heard.speech == shown.speech
    assert heard.directives == []


def test_the_piece_screen_shows_the_members_photo_their_name_the_section_and_the_transcript(device):
    # GIVEN a listener on an Echo Show, in February when the ferry story is out
    listener = device()
    # WHEN they ask for a tip from Ivy (who has a photo)
    screen = only_render_document(listener.ask("TipIntent", member=member("ivy", "ivy")))["datasources"]["screen"]
    # THEN the screen shows Ivy's photo, her name, the tips section, and what she says as the caption
    assert screen["image"] == {"url": "https://cdn.test/test-band/images/ivy.png", "description": "Ivy at the microphone."}
    assert screen["primaryText"] == "Ivy"
    assert screen["secondaryText"] == "tips"
    assert screen["bodyText"] in {"Ivy tip one.", "Ivy tip two."}
    # AND the album's cover behind it
    assert screen["background"]["url"] == "https://cdn.test/test-band/images/cover.jpg"


def test_a_member_without_a_photo_is_shown_with_the_cover(device):
    # GIVEN Max, who has no photo
    listener = device()
    # WHEN a listener asks about him
    screen = only_render_document(listener.ask("MemberIntroIntent", member=member("max", "max")))["datasources"]["screen"]
    # THEN the cover stands in for his photo, described as the cover
    assert screen["primaryText"] == "Max"
    assert screen["image"] == {"url": "https://cdn.test/test-band/images/cover.jpg",
                               "description": "A neon sign saying Night Shift."}


def test_the_band_screen_shows_each_member_as_a_touchable_photo(device):
    # GIVEN a listener on an Echo Show
    listener = device()
    # WHEN they ask who is in the band
    screen = only_render_document(listener.ask("BandIntent"))["datasources"]["screen"]
    # THEN each member is on screen with a photo (the cover for Max), and touching one sends their id
    assert [(i["primaryText"], i["imageSource"].rsplit("/", 1)[-1], i["action"], i["value"]) for i in screen["items"]] \
        == [("Ivy", "ivy.png", "member", "ivy"), ("Max", "cover.jpg", "member", "max")]
    assert screen["hint"] == "Touch a photo to meet them"


def test_touching_a_member_answers_as_asking_about_them_would(make_skill, campaign, settings_api):
    # GIVEN two listeners on two Echo Shows, in identical skills, both looking at the band screen
    def listener(user: str) -> Conversation:
        conversation = Conversation(make_skill(campaign, seed=11), user_id=user, now=FEB_12,
                                    api_endpoint=settings_api.endpoint,
                                    supported_interfaces=ECHO_SHOW.supported_interfaces(), viewport=ECHO_SHOW.viewport())
        conversation.ask("BandIntent")
        return conversation

    toucher, speaker = listener("amzn1.ask.account.T"), listener("amzn1.ask.account.S")
    band = only_render_document(toucher.history[-1][1])
    ivy = next(i for i in band["datasources"]["screen"]["items"] if i["primaryText"] == "Ivy")
    # WHEN one touches Ivy's photo (the event the band screen sends, from the screen it came from)
    touched = toucher.touch(band["token"], [ivy["action"], ivy["value"]])
    # AND the other says "tell me about Ivy"
    spoken = speaker.ask("MemberIntroIntent", member=member("ivy", "ivy"))
    # THEN both hear the same answer, see the same screen, and the session goes on
    assert touched.speech == spoken.speech
    assert "https://cdn.test/test-band/band/ivy.mp3" in touched.speech   # her recorded introduction
    assert only_render_document(touched)["datasources"] == only_render_document(spoken)["datasources"]
    assert touched.ends_session is False
    assert toucher.attributes["offer"] == speaker.attributes["offer"] == {"kind": "piece", "member": "ivy"}


def test_touching_an_answer_of_a_question_calls_the_answer_its_format_registered(device, campaign, monkeypatch):
    # GIVEN a quiz format that answers choices (a stand-in with the quiz's screen data)
    from dropday.core.screens import screen_for
    from dropday.core.turns import Reply

    answered = []

    def quiz_answer(turn, choice: int) -> Reply:
        answered.append(choice)
        return Reply(turn.say("fallback"), turn.say("ask_help"), turn.started_state(),
                     screen={"view": "quiz_question", "question": "Which city did the van break down in?",
                             "choices": ["Leeds", "York", "Hull"], "position": 4, "count": 5, "score": 3})

    monkeypatch.setitem(touch.ANSWERS, "quiz_question", quiz_answer)
    listener = device()
    listener.launch()
    # AND the question on screen, as the quiz puts it on Reply.screen
    question = {"view": "quiz_question", "question": "Who plays the drums?", "choices": ["Ivy", "Max"],
                "position": 3, "count": 5, "score": 2}
    turn_stub = _turn(campaign)
    shown = screen_for(turn_stub, Reply(turn_stub.say("fallback"), None, turn_stub.state, screen=question))
    second = shown.fields["items"][1]
    # WHEN the listener touches the second choice (the event its button sends, with the screen's token)
    answer = listener.touch(shown.view, [second["action"], second["value"]])
    # THEN the quiz's answer function got choice 2, and the next question is on screen, touchable
    assert answered == [2]
    directive = only_render_document(answer)
    assert directive["token"] == "quiz_question"
    assert directive["document"] == documents()["question"]
    screen = directive["datasources"]["screen"]
    assert screen["primaryText"] == "Which city did the van break down in?"
    assert screen["secondaryText"] == "Question 4 of 5"
    assert [(i["primaryText"], i["action"], i["value"]) for i in screen["items"]] == \
        [("Leeds", "answer", 1), ("York", "answer", 2), ("Hull", "answer", 3)]
    assert missing_bindings(directive["document"], directive["datasources"]) == []


@pytest.mark.parametrize("token, arguments", [
    ("quiz_question", ["answer", 2]),          # no quiz in this campaign's skill
    ("band", ["member", "nobody"]),            # a member who is not in the campaign
    ("triviaPager", ["answer", 2]),            # another skill's screen
    ("band", []),                              # nothing sent
    ("band", [{"itemId": "salmon"}]),          # not what our screens send
])
def test_a_touch_the_skill_cannot_place_is_answered_like_words_it_did_not_understand(device, token, arguments):
    # GIVEN a listener on an Echo Show
    listener = device()
    listener.launch()
    # WHEN a touch event arrives that no screen of this campaign sends
    answer = listener.touch(token, arguments)
    # THEN they hear the fallback and what they can do, the session stays open, and the screen is redrawn
    assert "Fallback line." in answer.speech
    assert answer.ends_session is False
    assert only_render_document(answer)["token"] == "home"


@pytest.mark.parametrize("profile", sorted(SCREEN_DEVICES))
def test_every_viewport_profile_gets_the_screen_and_a_hint_it_can_follow(device, profile):
    # GIVEN a listener on each kind of screen, from a round Echo Spot to a Fire TV
    screen_device = SCREEN_DEVICES[profile]
    listener = device(screen_device)
    # WHEN they open the skill and ask who is in the band
    home, band = listener.launch(), listener.ask("BandIntent")
    # THEN both answers are drawn, with the responsive documents (alexa-layouts decide the layout on the device)
    assert only_render_document(home)["document"] == documents()["headline"]
    directive = only_render_document(band)
    assert directive["document"] == documents()["gallery"]
    # AND a TV, which has a remote and no touch screen, is told to say the name instead of touching a photo
    hint = directive["datasources"]["screen"]["hint"]
    assert hint == ("Say: tell me about Ivy" if screen_device.mode == "TV" else "Touch a photo to meet them")


def test_a_device_with_apl_but_no_viewport_in_its_request_still_gets_the_screen(device):
    # GIVEN a device that lists APL but sends no context.Viewport
    listener = device(ECHO_SHOW, viewport=None)
    # WHEN the listener asks for the band
    directive = only_render_document(listener.ask("BandIntent"))
    # THEN the band screen is drawn, with the touch hint
    assert directive["token"] == "band"
    assert directive["datasources"]["screen"]["hint"] == "Touch a photo to meet them"


@pytest.mark.parametrize("max_version, document", [
    ("2024.3", "gallery"), ("2023.3", "gallery"), ("2023.2", FALLBACK_DOCUMENT), ("1.8", FALLBACK_DOCUMENT),
    ("1.1", FALLBACK_DOCUMENT), (None, FALLBACK_DOCUMENT), ("APL_WEB_RENDERER", FALLBACK_DOCUMENT),
])
def test_a_device_never_gets_a_document_newer_than_its_apl_runtime(device, max_version, document):
    # GIVEN a device whose APL runtime goes up to `max_version` (None: it does not say)
    runtime = {"runtime": {"maxVersion": max_version}} if max_version else {}
    listener = device({"Alexa.Presentation.APL": runtime}, viewport=ECHO_SHOW.viewport())
    # WHEN the listener asks for the band
    directive = only_render_document(listener.ask("BandIntent"))
    # THEN it gets the newest document its runtime can draw (the primitives-only one for older runtimes)
    assert directive["document"] == documents()[document]
    assert missing_bindings(directive["document"], directive["datasources"]) == []


def test_a_runtime_older_than_every_document_gets_no_screen_but_the_answer(device):
    # GIVEN a device whose APL runtime is 1.0, older than even the primitives-only document
    listener = device({"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.0"}}})
    # WHEN the listener opens the skill
    answer = listener.launch()
    # THEN it hears the welcome, and no directive it could not draw is sent
    assert "First welcome" in answer.speech
    assert answer.directives == []


def test_release_day_celebrates_and_the_day_after_says_out_now(device):
    # GIVEN a listener in London on release day, then one the day after
    on_the_day = device(now=datetime(2027, 3, 20, 9, 0, tzinfo=timezone.utc), user_id="amzn1.ask.account.D")
    after = device(now=datetime(2027, 3, 21, 9, 0, tzinfo=timezone.utc), user_id="amzn1.ask.account.E")
    # WHEN each opens the skill: the release surprise unlocks, and its reveal card is what they see
    assert only_render_document(on_the_day.launch())["datasources"]["screen"]["secondaryText"] == \
        "the release surprise"
    after.launch()
    # AND then asks for the countdown
    day = only_render_document(on_the_day.ask("CountdownIntent"))["datasources"]["screen"]
    later = only_render_document(after.ask("CountdownIntent"))["datasources"]["screen"]
    # THEN release day shows "Out today!" with confetti, and the day after "Out now" without
    assert (day["primaryText"], day["celebrate"]) == ("Out today!", True)
    assert (later["primaryText"], later["celebrate"]) == ("Out now", False)
    # AND before release the screen counts the days, as Alexa does
    early = only_render_document(device(user_id="amzn1.ask.account.F").ask("CountdownIntent"))
    assert early["datasources"]["screen"]["primaryText"] == "36 days to go"


def test_hearing_every_backstage_story_shows_the_reveal_card_of_what_it_unlocked(device):
    # GIVEN a listener who has heard two of the three backstage stories
    listener = device()
    for _ in range(2):
        listener.ask("SectionIntent", section=section("backstage", "backstage"))
    # WHEN they hear the third
    answer = listener.ask("SectionIntent", section=section("backstage", "backstage"))
    # THEN the screen is the reveal card of the secret track title, with what it says
    directive = only_render_document(answer)
    assert directive["token"] == "unlock"
    assert directive["document"] == documents()["reveal"]
    screen = directive["datasources"]["screen"]
    assert (screen["primaryText"], screen["secondaryText"]) == ("Unlocked!", "a secret track title")
    assert screen["bodyText"] == "Track nine is called Lantern Light."
    # AND the list of what they unlocked names it afterwards, with how many are still to find
    unlocks = only_render_document(listener.ask("UnlockedIntent"))["datasources"]["screen"]
    assert [i["primaryText"] for i in unlocks["items"]] == ["a secret track title"]
    assert unlocks["secondaryText"] == "Still to find: 2"


def test_published_images_are_shown_from_their_content_hashed_keys(make_skill, campaign, tmp_path, settings_api):
    # GIVEN a campaign published with its images (the index records their hashed keys)
    index = {"campaign": "test-band", "clips": {p: f"test-band/{p}.h" for p in campaign.audio_paths},
             "images": {p: f"test-band/{p.rsplit('.', 1)[0]}.0123456789ab.{p.rsplit('.', 1)[1]}"
                        for p in campaign.image_paths}}
    (tmp_path / "test-band.published.json").write_text(json.dumps(index))
    published = with_published_keys(campaign, tmp_path)
    listener = Conversation(make_skill(published), now=FEB_12, api_endpoint=settings_api.endpoint,
                            supported_interfaces=ECHO_SHOW.supported_interfaces(), viewport=ECHO_SHOW.viewport())
    # WHEN a listener opens the skill on an Echo Show
    screen = only_render_document(listener.launch())["datasources"]["screen"]
    # THEN the cover comes from its published key, over https
    assert screen["background"]["url"] == "https://cdn.test/test-band/images/cover.0123456789ab.jpg"


def test_the_largest_answers_stay_well_under_alexas_120_kb(make_skill, settings_api):
    # GIVEN a campaign at its limits: 40 members with photos and long names, and a piece whose
    # transcript is as long as Alexa may speak
    from screens_support import campaign_data_with_images
    from dropday.core.campaign import parse_manifest

    data = campaign_data_with_images()
    data["members"] = [{"id": f"m{i:02d}", "name": f"Member {i:02d} " + "x" * 100,
                        "photo": {"image": f"images/member-{i:02d}-with-a-long-file-name.jpg",
                                  "description": "A long description of the photo, " * 6}} for i in range(40)]
    for s in data["sections"]:
        for piece in s["pieces"]:
            piece.pop("member", None)
            piece["transcript"] = "word " * 1400
    campaign = parse_manifest(data)
    listener = Conversation(make_skill(campaign), now=FEB_12, api_endpoint=settings_api.endpoint,
                            supported_interfaces=ECHO_SHOW.supported_interfaces(), viewport=ECHO_SHOW.viewport())
    # WHEN they hear the band and a piece
    answers = [listener.ask("BandIntent"), listener.ask("TipIntent")]
    # THEN each response, as Lambda returns it, is under half of Alexa's 120 KB limit
    sizes = [len(json.dumps(a.response).encode()) for a in answers]
    assert all(size < 60_000 for size in sizes), sizes
    assert all(render_documents(a) for a in answers)


def _turn(campaign):
    """A turn on `campaign` in February (to build a screen outside a request)."""
    from random import Random
    from zoneinfo import ZoneInfo

    from dropday.core.listener import ListenerState
    from dropday.core.session import SessionState
    from dropday.core.turns import Turn

    return Turn(campaign, "en-GB", FEB_12, ZoneInfo("Europe/London"), ListenerState(), SessionState(), True,
                "https://cdn.test", Random(1))
