"""The SSML builder: escaping and Alexa's limits per response."""

from dropday.core.speech import MAX_SSML_CHARACTERS, Speech, clip, say


def test_text_from_content_is_escaped():
    assert say("Tips & <tricks> \"quoted\"").ssml() == '<speak>Tips &amp; &lt;tricks&gt; "quoted"</speak>'


def test_clip_urls_are_attribute_escaped():
    ssml = clip("https://cdn.example.com/a.mp3?x=1&y=2", "words").ssml()
    assert ssml == '<speak><audio src="https://cdn.example.com/a.mp3?x=1&amp;y=2"/></speak>'


def test_parts_are_joined_in_order():
    speech = say("Hello.") + clip("https://x/a.mp3", "A.") + say("Bye.")
    assert speech.ssml() == '<speak>Hello. <audio src="https://x/a.mp3"/> Bye.</speak>'
    assert speech.plain == "Hello. A. Bye."


def test_a_sixth_clip_is_spoken_as_its_transcript():
    speech = Speech()
    for i in range(6):
        speech += clip(f"https://x/{i}.mp3", f"Transcript {i}.")
    ssml = speech.ssml()
    assert ssml.count("<audio") == 5
    assert ssml.endswith("Transcript 5.</speak>")


def test_audio_past_240_seconds_is_spoken_as_text():
    speech = clip("https://x/a.mp3", "A.", 200.0) + clip("https://x/b.mp3", "B.", 50.0)
    assert speech.ssml() == '<speak><audio src="https://x/a.mp3"/> B.</speak>'


def test_reprompts_allow_only_90_seconds_of_audio():
    assert clip("https://x/a.mp3", "A.", 95.0).ssml(max_audio_seconds=90) == "<speak>A.</speak>"


def test_speech_never_exceeds_8000_characters():
    long = say("word " * 3000) + say("never heard")
    ssml = long.ssml()
    assert len(ssml) <= MAX_SSML_CHARACTERS
    assert ssml.startswith("<speak>word word") and ssml.endswith("word</speak>")
    assert "never heard" not in ssml


def test_a_cut_never_splits_an_escape():
    ssml = say("&" * 5000).ssml()
    assert len(ssml) <= MAX_SSML_CHARACTERS
    assert ssml.endswith("&amp;</speak>")


def test_characters_xml_forbids_are_dropped():
    assert say("bell\x07 and tab\t").ssml() == "<speak>bell and tab\t</speak>"


def test_a_quote_in_a_clip_url_cannot_break_out_of_the_attribute():
    assert clip('https://x/a".mp3', "A.").ssml() == '<speak><audio src="https://x/a&quot;.mp3"/></speak>'
