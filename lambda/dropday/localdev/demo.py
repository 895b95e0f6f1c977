"""A scripted conversation with the demo campaign, run locally: `make run` (or `python -m dropday.localdev.demo`).

Everything runs in this process: DynamoDB is moto, the Alexa Settings API is a stub on loopback,
and each turn goes through `lambda_function.lambda_handler` exactly as Lambda would call it.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone

from .conversation import Conversation
from .envelopes import slot
from .render import describe

#: (what the listener says, intent or "launch", slots); None marks the end of a visit.
SCRIPT = [
    ("Alexa, open lantern foxes", "launch", {}),
    ("Give me a tip", "TipIntent", {}),
    ("Yes", "AMAZON.YesIntent", {}),
    ("A tip from Noor", "TipIntent", {"member": ("noor", "noor", "Noor")}),
    ("How long until the album comes out?", "CountdownIntent", {}),
    ("Repeat that", "AMAZON.RepeatIntent", {}),
    ("Help", "AMAZON.HelpIntent", {}),
    ("Stop", "AMAZON.StopIntent", {}),
]


def main() -> int:
    """Run the scripted visits and print what Alexa would say."""
    for name, value in (("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"),
                        ("AWS_DEFAULT_REGION", "eu-west-1")):
        os.environ.setdefault(name, value)
    import boto3
    from moto import mock_aws

    from .settings_api import SettingsApiStub

    with mock_aws(), SettingsApiStub() as settings_api:
        os.environ["REQUESTS_CA_BUNDLE"] = str(settings_api.ca_bundle)
        from dropday.app import MANIFEST, SETTINGS
        from lambda_function import lambda_handler

        _create_table(boto3.resource("dynamodb"), SETTINGS.state_table)
        audio_dir = SETTINGS.manifest_dir / "audio" / MANIFEST.campaign
        now = datetime.now(timezone.utc).replace(microsecond=0)

        def visit(title: str, listener: Conversation, script) -> None:
            print(f"\n--- {title} ({listener.now:%Y-%m-%d %H:%M} UTC, device in "
                  f"{settings_api.zones.get(listener.device_id, settings_api.default_zone)}) ---")
            for said, intent, slots in script:
                print(f"You:   {said}")
                filled = {name: slot(name, *values) for name, values in slots.items()}
                answer = listener.launch() if intent == "launch" else listener.ask(intent, **filled)
                text = describe(answer.speech, MANIFEST, SETTINGS.audio_base_url, audio_dir, listener.locale)
                print(f"Alexa: {text}" + ("   (session ends)" if answer.ends_session else ""))

        print(f"dropday demo: {MANIFEST.artist}, \"{MANIFEST.album.title}\" out {MANIFEST.album.release_date}")
        fan = Conversation(lambda_handler, now=now, api_endpoint=settings_api.endpoint)
        visit("First visit", fan, SCRIPT)
        fan.wait(days=3)
        visit("Three days later", fan, [SCRIPT[0], ("Tell me a tip", "TipIntent", {}), SCRIPT[-1]])

        release = MANIFEST.album.release_date
        auckland_eve = datetime(release.year, release.month, release.day, tzinfo=timezone.utc) - timedelta(hours=12)
        settings_api.zones["amzn1.ask.device.KIWI"] = "Pacific/Auckland"
        kiwi = Conversation(lambda_handler, user_id="amzn1.ask.account.KIWI", device_id="amzn1.ask.device.KIWI",
                            locale="en-AU", now=auckland_eve, api_endpoint=settings_api.endpoint)
        visit("A listener in Auckland, release day there, the eve in London", kiwi,
              [SCRIPT[4], ("No", "AMAZON.NoIntent", {})])
    return 0


def _create_table(dynamodb, name: str) -> None:
    """The state table as template.yaml declares it (moto starts empty)."""
    dynamodb.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")


if __name__ == "__main__":
    sys.exit(main())
