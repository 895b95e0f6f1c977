"""No Alexa id of a listener, device or session in any line the skill writes, even at DEBUG."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from dropday.config import ConfigError, Settings
from dropday.metrics import PlayedPiece, Telemetry, envelope_fields, fault, pseudonymous_key, session_key
from support import SHARED_ALEXA_FIXTURES
from telemetry_helpers import DEVICE_ID, SECRET, SESSION_ID, USER_ID, emitted, tip_request

RAW_IDS = (USER_ID, DEVICE_ID, SESSION_ID)
CORPUS = [p for folder in (SHARED_ALEXA_FIXTURES, SHARED_ALEXA_FIXTURES.parent / "alexa-more") if folder.is_dir()
          for p in sorted(folder.glob("*.json"))]


@pytest.fixture
def debug_everywhere(caplog):
    """The root logger at DEBUG, as Lambda's application log level can set it; every record kept."""
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_listener_key_is_stable_under_one_secret_and_unlinkable_without_it():
    key = pseudonymous_key(USER_ID, SECRET)
    assert re.fullmatch(r"[0-9a-f]{16}", key)
    assert pseudonymous_key(USER_ID, SECRET) == key                          # counts returning listeners
    assert pseudonymous_key(USER_ID + "X", SECRET) != key                     # tells listeners apart
    assert pseudonymous_key(USER_ID, SECRET + "rotated") != key               # a new secret: new keys
    assert key not in hashlib.sha256(USER_ID.encode()).hexdigest()           # not a plain hash anyone can compute
    assert session_key(SESSION_ID, SECRET) != session_key(SESSION_ID, SECRET + "rotated")


def test_the_common_fields_read_the_same_from_lambdas_json_and_from_the_sdks_model():
    # GIVEN one request as Lambda hands it over, and as the ASK SDK's model gives it back
    raw = tip_request()
    model = DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope).to_dict()
    # THEN both give the same fields, with the ids hashed
    expected = {"at": "2027-01-02T10:00:00Z", "listener": pseudonymous_key(USER_ID, SECRET),
                "session": session_key(SESSION_ID, SECRET), "locale": "en-GB", "request": "IntentRequest",
                "intent": "TipIntent", "new_session": True}
    assert envelope_fields(raw, SECRET) == expected
    assert envelope_fields(model, SECRET) == expected


def test_malformed_envelopes_give_the_fields_they_can_and_never_raise():
    assert envelope_fields({}, SECRET) == {}
    assert envelope_fields({"request": "nonsense", "session": [], "context": {"System": 7}}, SECRET) == {}
    assert envelope_fields({"request": {"type": "LaunchRequest", "locale": "klingon", "timestamp": "yesterday"}},
                           SECRET) == {"request": "LaunchRequest"}


@pytest.mark.skipif(not CORPUS, reason=f"the real Alexa envelopes are not at {SHARED_ALEXA_FIXTURES} "
                                       "(only CI has ../shared)")
def test_no_id_of_any_real_alexa_envelope_survives_into_its_turn_event(telemetry, capsys):
    for path in CORPUS:
        envelope = json.loads(path.read_text())
        ids = _ids_in(envelope)
        telemetry.begin(envelope)
        telemetry.record(telemetry.event("fallback"))
        line = capsys.readouterr().out
        leaked = [i for i in ids if i in line]
        assert not leaked, f"{path.name}: {leaked}"


def test_nothing_telemetry_writes_names_the_listener_even_at_debug(telemetry, capsys, debug_everywhere):
    # GIVEN every logger at DEBUG
    # WHEN a turn with a fault is recorded
    telemetry.begin(tip_request())
    fault("dynamodb_degraded")
    telemetry.record(telemetry.event("tip", played=(PlayedPiece("tips", "ada-warmup"),)))
    # THEN neither stdout (event line, EMF blob) nor any log record holds a raw id
    written = capsys.readouterr()
    everything = written.out + written.err + "\n".join(r.getMessage() for r in debug_everywhere.records)
    assert emitted(written.out)[0], "the turn event was written"
    assert not [i for i in RAW_IDS if i in everything]


def test_the_secret_comes_from_the_environment_and_never_shows_in_settings():
    settings = Settings.from_env({"LISTENER_KEY_SECRET": SECRET, "LISTENER_KEY_ID": "2027-01",
                                  "POWERTOOLS_METRICS_NAMESPACE": "Dropday", "POWERTOOLS_SERVICE_NAME": "prod"})
    assert (settings.listener_key_secret, settings.listener_key_id) == (SECRET, "2027-01")
    assert (settings.metrics_namespace, settings.service_name) == ("Dropday", "prod")
    assert SECRET not in repr(settings)


def test_a_short_secret_is_refused_with_the_variable_named():
    with pytest.raises(ConfigError, match="LISTENER_KEY_SECRET must be at least 16 characters"):
        Settings.from_env({"LISTENER_KEY_SECRET": "short"})


def test_rotating_the_secret_gives_new_keys_and_says_which_secret_made_them(capsys):
    # GIVEN the same listener before and after a rotation (new secret, new key id)
    for secret, key_id in ((SECRET, "1"), (SECRET + "-rotated", "2")):
        telemetry = Telemetry.from_settings(Settings(listener_key_secret=secret, listener_key_id=key_id),
                                            "lantern-foxes")
        telemetry.begin(tip_request())
        telemetry.record(telemetry.event("tip"))
    before, after = emitted(capsys.readouterr().out)[0]
    assert before["listener"] != after["listener"]
    assert (before["key_id"], after["key_id"]) == ("1", "2")


def test_without_a_secret_keys_are_random_per_container_and_a_warning_says_so(capsys, caplog, monkeypatch):
    import dropday.metrics
    events = []
    for _container in range(2):   # each container (process) makes its own random secret, once
        monkeypatch.setattr(dropday.metrics, "_CONTAINER_SECRET", [])
        for telemetry in (Telemetry("lantern-foxes", None), Telemetry("lantern-foxes", "")):
            telemetry.begin(tip_request())
            telemetry.record(telemetry.event("tip"))
        events += emitted(capsys.readouterr().out)[0]
    # THEN one container keeps one key per listener, and another container gives another
    assert events[0]["listener"] == events[1]["listener"] != events[2]["listener"] == events[3]["listener"]
    assert caplog.text.count("LISTENER_KEY_SECRET is not set") == 2


def _ids_in(envelope: dict) -> list[str]:
    """The user, device, person and session ids an envelope holds (at any depth)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ("userId", "deviceId", "personId", "sessionId") and isinstance(inner, str) and len(inner) > 8:
                    found.append(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
    walk(envelope)
    return found
