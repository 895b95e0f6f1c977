"""Helpers for the telemetry tests (importable as `telemetry_helpers`)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from dropday.localdev import envelopes

SECRET = "a-test-secret-of-the-campaign-0001"
USER_ID = "amzn1.ask.account.AHH544XEWB5AMF26NHZEQUL7JG5M2LKW5AM4VC72UTIVC2C5ZQ4W5LR3YNDACHBZLZ"
DEVICE_ID = "amzn1.ask.device.AEBJ5WYMB3GSNJSRW7ZUXPWOVNT4WRPI2MQDYPS3M6LZLTKDALHM5JCT3R"
SESSION_ID = "amzn1.echo-api.session.abeee1a7-aee0-41e6-8192-e6faaed9f5ef"


def tip_request(new_session: bool = True) -> dict:
    """"Alexa, ask lantern foxes for a tip" as Alexa sends it."""
    return envelopes.envelope(envelopes.intent("TipIntent"), user_id=USER_ID, device_id=DEVICE_ID, locale="en-GB",
                              now=datetime(2027, 1, 2, 10, 0, tzinfo=timezone.utc), session_id=SESSION_ID,
                              new_session=new_session, attributes={})


def emitted(text: str) -> tuple[list[dict], list[dict]]:
    """The turn events and the EMF blobs among the lines written to stdout."""
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [x for x in lines if x.get("event") == "turn"], [x for x in lines if "_aws" in x]


def metrics_of(blob: dict) -> dict[str, float]:
    """Metric name -> value of one EMF blob, read as CloudWatch reads it (the directive's names)."""
    [directive] = blob["_aws"]["CloudWatchMetrics"]
    return {m["Name"]: sum(blob[m["Name"]]) if isinstance(blob[m["Name"]], list) else blob[m["Name"]]
            for m in directive["Metrics"]}
