"""The countdown in the listener's own time zone, read from the device through the Settings API."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dropday.localdev.conversation import Conversation

# The test album is out on 2027-03-20. At 11:30 UTC on 19 March:
# Auckland (UTC+13) is at 00:30 on the 20th, London (GMT) at 11:30 on the 19th, Los Angeles (PDT) at 04:30.
THE_EVE = datetime(2027, 3, 19, 11, 30, tzinfo=timezone.utc)
RELEASE_CLIP = '<audio src="https://cdn.test/test-band/countdown/release.mp3"/>'


def device_in(zone, skill, settings_api, now=THE_EVE, device="amzn1.ask.device.D1", user="amzn1.ask.account.U1"):
    settings_api.zones[device] = zone
    return Conversation(skill, now=now, device_id=device, user_id=user, api_endpoint=settings_api.endpoint)


@pytest.mark.parametrize(("zone", "expected"), [
    # in Auckland it is release day, which unlocks the test campaign's release surprise
    ("Pacific/Auckland", f"<speak>{RELEASE_CLIP} You've unlocked the release surprise! A surprise for release day. "
                         "Want a tip from the band?</speak>"),
    ("Europe/London", "<speak>13 hours until Night &lt;Shift&gt;. Want a tip while you wait?</speak>"),
    ("America/Los_Angeles", "<speak>20 hours until Night &lt;Shift&gt;. Want a tip while you wait?</speak>"),
    ("Asia/Kolkata", "<speak>7 hours until Night &lt;Shift&gt;. Want a tip while you wait?</speak>"),
])
def test_one_moment_sounds_different_in_each_zone(skill, settings_api, zone, expected):
    assert device_in(zone, skill, settings_api).ask("CountdownIntent").speech == expected


def test_release_day_then_out_now_in_auckland(skill, settings_api):
    listener = device_in("Pacific/Auckland", skill, settings_api, now=datetime(2027, 3, 19, 10, 59, tzinfo=timezone.utc))
    assert listener.ask("CountdownIntent").speech.startswith("<speak>Under an hour until Night &lt;Shift&gt;.")
    listener.wait(minutes=1)
    assert listener.ask("CountdownIntent").speech.startswith(f"<speak>{RELEASE_CLIP}")
    listener.wait(days=1)
    # the day after, the third day with a visit, brings how to listen and the thank-you for three visit days
    assert listener.ask("CountdownIntent").speech == (
        "<speak>Night &lt;Shift&gt; is out now. Say play Night &lt;Shift&gt;. You've unlocked a thank-you! "
        "Thank you for coming back, from all of us. Want a tip from the band?</speak>")


def test_the_time_zone_is_read_once_a_day_and_cached_in_the_listeners_state(skill, settings_api, stored_item):
    listener = device_in("America/Los_Angeles", skill, settings_api)
    listener.ask("CountdownIntent")
    listener.ask("CountdownIntent")
    assert settings_api.calls == 1
    assert stored_item("amzn1.ask.account.U1")["attributes"]["tz"] == "America/Los_Angeles"
    listener.wait(days=1)
    listener.ask("CountdownIntent")
    assert settings_api.calls == 2


def test_a_failing_settings_api_falls_back_to_the_campaigns_zone_and_caches_nothing(skill, settings_api, stored_item):
    settings_api.status = 500
    listener = device_in("Pacific/Auckland", skill, settings_api)
    assert listener.ask("CountdownIntent").speech.startswith("<speak>13 hours until")   # London, the default
    assert "tz" not in stored_item("amzn1.ask.account.U1")["attributes"]


def test_a_slow_settings_api_falls_back_to_the_campaigns_zone(skill, settings_api):
    settings_api.delay = 3.0
    listener = device_in("Pacific/Auckland", skill, settings_api)
    assert listener.ask("CountdownIntent").speech.startswith("<speak>13 hours until")


def test_tips_use_the_cached_zone_for_the_listeners_date(skill, settings_api):
    # GIVEN an Auckland listener whose zone is cached, at 00:30 on 1 March in Auckland (11:30 UTC on 28 Feb)
    listener = device_in("Pacific/Auckland", skill, settings_api, now=datetime(2027, 2, 28, 11, 30, tzinfo=timezone.utc))
    listener.ask("CountdownIntent")
    # WHEN they ask for Ivy's tips in that session
    from dropday.localdev.envelopes import slot
    ivy = slot("member", "ivy", "ivy", "Ivy")
    heard = " ".join(listener.ask("TipIntent", member=ivy).speech for _ in range(3))
    # THEN the tip released on 1 March is among them: it is already March in Auckland
    assert "ivy-march.mp3" in heard


def test_a_closed_settings_api_port_falls_back_to_the_campaigns_zone(skill):
    from support import free_port
    listener = Conversation(skill, now=THE_EVE, api_endpoint=f"https://127.0.0.1:{free_port()}")
    assert listener.ask("CountdownIntent").speech.startswith("<speak>13 hours until")
