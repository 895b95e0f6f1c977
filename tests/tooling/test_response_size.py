"""Alexa refuses a response over 24 KB: `dropday validate` measures the whole response the skill sends."""

from __future__ import annotations

from dropday.tooling.responses import MAX_RESPONSE_BYTES
from tooling_helpers import edit, line_of, manifest_file

MANIFEST = "audio_manifest/lantern-foxes.yaml"


def test_a_long_transcript_read_as_text_with_a_long_reprompt_is_reported_over_24_kb(dropday, demo):
    # GIVEN a tip whose clip plays only in en-GB and en-IN, with a long transcript (read as text elsewhere),
    # and a long reprompt: each under Alexa's 8,000 characters of SSML
    transcript = "We tuned down a whole step that night and never tuned back. " * 125
    edit(manifest_file(demo), "    transcript: Bring a flask of tea to the studio. Long nights make better records "
         "and tea makes better drummers.",
         f"    transcript: {transcript.strip()}")
    edit(manifest_file(demo), "reprompt_another_tip: Would you like another tip from the band?",
         "reprompt_another_tip: " + "Say yes for another tip, or say stop when you have heard enough. " * 70
         + "Would you like another tip from the band?")
    # WHEN the content team validates
    run = dropday("validate")
    # THEN the response where it is read as text is reported (the worst: a request without a locale), with its
    # size and where the bytes go
    [problem] = [p for p in run.out if "bytes" in p]
    assert problem.startswith(f"{MANIFEST}:{line_of(manifest_file(demo), '  - id: tomasz-tea')}: tips[11]: the "
                              "response for tip tomasz-tea is 24")
    assert f"Alexa refuses a response over 24 KB ({MAX_RESPONSE_BYTES} bytes)" in problem
    assert "of which" in problem and "are the session attributes the skill keeps" in problem
    assert problem.endswith("Fix: shorten the text, or record it: a clip is sent as a short <audio> tag")
    assert run.status == 1
