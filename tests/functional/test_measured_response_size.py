"""validate's measure of a response is the size of the response the skill really sends."""

from __future__ import annotations

import json

from dropday.core import dialog
from dropday.localdev.conversation import Conversation
from dropday.tooling.responses import response_size


def test_the_size_measured_is_the_size_of_the_response_the_skill_sends(make_skill, test_campaign, monkeypatch):
    # GIVEN the skill, with its tip replies recorded as the dialog makes them
    made: list[dialog.Reply] = []
    real_tip = dialog.tip
    monkeypatch.setattr(dialog, "tip", lambda *args, **kwargs: made.append(real_tip(*args, **kwargs)) or made[-1])
    listener = Conversation(make_skill(test_campaign), api_endpoint="https://127.0.0.1:9")
    # WHEN a listener asks for a tip
    answer = listener.ask("TipIntent")
    # THEN validate's measure of that reply is the size of what the skill sent, as Lambda serialises it
    sent = len(json.dumps(answer.response, ensure_ascii=False).encode("utf-8"))
    [reply] = made
    assert response_size(reply).total == sent
