"""Alexa refuses a response over 24 KB: `dropday validate` measures the whole response the skill sends
(on a copy of the fixture campaign)."""

from __future__ import annotations

import re

from dropday.tooling.responses import MAX_RESPONSE_BYTES
from support import FIXTURE_CAMPAIGN
from tooling_helpers import edit, line_of, manifest_file

MANIFEST = f"audio_manifest/{FIXTURE_CAMPAIGN}.yaml"


def test_a_long_transcript_read_as_text_with_a_long_reprompt_is_reported_over_24_kb(dropday, workspace):
    # GIVEN a tip whose clip plays only in en-GB and en-IN, with a long transcript (read as text elsewhere) in
    # Hindi, three bytes a character, and a long reprompt: each under Alexa's 8,000 characters of SSML
    transcript = "हमने उस रात पूरा एक स्वर नीचे ट्यून किया और फिर कभी वापस नहीं किया। " * 100
    edit(manifest_file(workspace), "    transcript: Bring tea to the studio. Long nights make better records.",
         f"    transcript: {transcript.strip()}")
    edit(manifest_file(workspace), "reprompt_another_tip: Would you like another tip from the band?",
         "reprompt_another_tip: " + "Say yes for another tip, or say stop when you have heard enough. " * 110
         + "Would you like another tip from the band?")
    # WHEN the content team validates
    run = dropday("validate")
    # THEN the response where it is read as text is reported (the worst: a request without a locale), at the tip,
    # with its size and where the bytes go
    [problem] = [p for p in run.out if "bytes" in p]
    assert problem.startswith(f"{MANIFEST}:{line_of(manifest_file(workspace), '  - id: otto-tea')}: tip otto-tea: the "
                              "response for piece otto-tea is ")
    assert int(re.search(r" is (\d+) bytes", problem)[1]) > MAX_RESPONSE_BYTES
    assert f"Alexa refuses a response over 24 KB ({MAX_RESPONSE_BYTES} bytes)" in problem
    assert "of which" in problem and "are the session attributes the skill keeps" in problem
    assert problem.endswith("Fix: shorten the text, or record it: a clip is sent as a short <audio> tag")
    assert run.status == 1
