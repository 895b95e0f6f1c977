"""The reference for `benchmarks/run.py`: the simplest skill one could write on dropday's stack.

Written the way Amazon's Python samples are (Cake Time, the hosted-skill templates): one module,
`ask-sdk-core`'s `CustomSkillBuilder`, the ASK `DynamoDbAdapter` with `create_table=False` and a
module-level `boto3.resource("dynamodb")`, handlers of the simplest kind, and a single tip rotation
over a list of tip ids kept in persistent attributes. It answers the same requests as dropday
(LaunchRequest, TipIntent, CountdownIntent, Help, Stop, Cancel, Fallback, SessionEndedRequest) and
stores state in the same table layout (`id` = the Alexa user id, `attributes` = a map), so the two
can be driven by the same envelopes against the same kind of table.

What it deliberately does not do (dropday does): no manifest (the tips are a Python list), no
locales, no SSML escaping, no time zones (the countdown counts UTC days), no visit count or "new
since your last visit", no skipping of unchanged writes (it has nothing to skip: only TipIntent
touches state), no TTL, no tolerance of malformed requests.

Environment: `SKILL_STATE_TABLE` (default `baseline-state`); `BASELINE_TIPS_JSON` replaces the 12
demo tips with the `[id, text]` pairs of a JSON file (the benchmark's "big manifest" scale run, where
it serves the same 500 tips as dropday).
"""

import json
import logging
import os
import random
from datetime import date, datetime, timezone

import boto3
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_dynamodb.adapter import DynamoDbAdapter

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)

RELEASE_DATE = date(2027, 1, 15)
ALBUM = "Small Hours Harbour"

#: (tip id, what Alexa says): the demo campaign's tips, as a sample would hard-code them.
TIPS = [
    ("ada-humming-warmup", "Before every show I hum the first line of each song with my mouth closed."),
    ("ada-lyric-notebook", "Keep a notebook by your bed. Half the lyrics were written at three in the morning."),
    ("ada-title-track", "Listen for the foghorn in the title track."),
    ("rui-open-tuning", "Try tuning your guitar to open D."),
    ("rui-old-strings", "Don't change your strings before a session."),
    ("rui-first-take", "Always record the first take."),
    ("noor-play-less", "Play fewer notes than you think."),
    ("noor-listen-to-the-kick", "Lock in with the kick drum first, then worry about the melody."),
    ("noor-secret-track", "Keep listening after the last song."),
    ("tomasz-metronome", "Practise with a metronome at half speed."),
    ("tomasz-brushes", "Swap sticks for brushes on quiet songs."),
    ("tomasz-tea", "Bring a flask of tea to the studio."),
]
if os.environ.get("BASELINE_TIPS_JSON"):
    with open(os.environ["BASELINE_TIPS_JSON"], encoding="utf-8") as tips_file:
        TIPS = [(tip_id, text) for tip_id, text in json.load(tips_file)]
TIP_TEXT = dict(TIPS)

ddb_resource = boto3.resource("dynamodb")
dynamodb_adapter = DynamoDbAdapter(table_name=os.environ.get("SKILL_STATE_TABLE", "baseline-state"),
                                   create_table=False, dynamodb_resource=ddb_resource)


class LaunchRequestHandler(AbstractRequestHandler):
    """Handler for Skill Launch."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speak_output = "Welcome to The Lantern Foxes! Would you like a tip from the band, or the countdown?"
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class TipIntentHandler(AbstractRequestHandler):
    """Handler for TipIntent: the next tip the listener has not heard in this rotation."""

    def can_handle(self, handler_input):
        return is_intent_name("TipIntent")(handler_input)

    def handle(self, handler_input):
        attributes_manager = handler_input.attributes_manager
        attributes = attributes_manager.persistent_attributes
        heard = attributes.get("heard", [])
        heard_set = set(heard)
        unheard = [tip_id for tip_id, _ in TIPS if tip_id not in heard_set]
        if not unheard:
            heard, unheard = [], [tip_id for tip_id, _ in TIPS]
        tip_id = random.choice(unheard)
        attributes["heard"] = heard + [tip_id]
        attributes_manager.persistent_attributes = attributes
        attributes_manager.save_persistent_attributes()
        speak_output = TIP_TEXT[tip_id] + " Want another tip?"
        return handler_input.response_builder.speak(speak_output).ask("Want another tip?").response


class CountdownIntentHandler(AbstractRequestHandler):
    """Handler for CountdownIntent: days until the release date (UTC)."""

    def can_handle(self, handler_input):
        return is_intent_name("CountdownIntent")(handler_input)

    def handle(self, handler_input):
        days = (RELEASE_DATE - datetime.now(timezone.utc).date()).days
        if days > 0:
            speak_output = f"There are {days} days to go until {ALBUM} comes out. Would you like a tip?"
        else:
            speak_output = f"{ALBUM} is out now. Would you like a tip?"
        return handler_input.response_builder.speak(speak_output).ask("Would you like a tip?").response


class HelpIntentHandler(AbstractRequestHandler):
    """Handler for Help Intent."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        speak_output = "You can say give me a tip, or how long until the album comes out. What would you like?"
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


class CancelOrStopIntentHandler(AbstractRequestHandler):
    """Single handler for Cancel and Stop Intent."""

    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.CancelIntent")(handler_input) or
                is_intent_name("AMAZON.StopIntent")(handler_input))

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Goodbye!").set_should_end_session(True).response


class FallbackIntentHandler(AbstractRequestHandler):
    """Handler for Fallback Intent (and any other intent)."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Sorry, I didn't get that. You can ask for a tip or the countdown."
        return handler_input.response_builder.speak(speech).ask(speech).response


class SessionEndedRequestHandler(AbstractRequestHandler):
    """Handler for Session End."""

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Generic error handling to capture any syntax or routing errors."""

    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.error(exception, exc_info=True)
        speak_output = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speak_output).ask(speak_output).response


sb = CustomSkillBuilder(persistence_adapter=dynamodb_adapter)
sb.add_request_handler(LaunchRequestHandler())
sb.add_request_handler(TipIntentHandler())
sb.add_request_handler(CountdownIntentHandler())
sb.add_request_handler(HelpIntentHandler())
sb.add_request_handler(CancelOrStopIntentHandler())
sb.add_request_handler(FallbackIntentHandler())
sb.add_request_handler(SessionEndedRequestHandler())
sb.add_exception_handler(CatchAllExceptionHandler())

lambda_handler = sb.lambda_handler()
