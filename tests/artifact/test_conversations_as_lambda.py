"""Every demo campaign, talked through every kind of turn it has, with the packed function under the
Lambda runtime client: what listeners say goes through the real interaction models (`dropday chat`'s
simulator), each request through the Runtime API stub to the function, and each answer is checked
for what a listener would notice (tests/artifact/turn_checks.py)."""

from __future__ import annotations

import io
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import boto3
import pytest

import lambda_stack
from support import REPO
from turn_checks import EVENT_KINDS, Campaign, Turn, problems, read_script, required_kinds

SCRIPTS = Path(__file__).parent / "conversations"
CAMPAIGNS = sorted(p.stem for p in (REPO / "audio_manifest").glob("*.yaml"))


def script_of(campaign: str) -> Path:
    return SCRIPTS / f"{campaign}.txt"


def models_of(campaign: str) -> Path:
    """The campaign's interaction models: interaction_models/<campaign>/, or the shared folder."""
    own = REPO / "interaction_models" / campaign
    return own if own.is_dir() else REPO / "interaction_models"


def turn_events(log: str) -> list[dict]:
    """The turn events (docs/architecture.md) in a stretch of the function's log."""
    events = []
    for line in log.splitlines():
        try:
            data = json.loads(line[line.index("{"):])
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("event") == "turn":
            events.append(data)
    return events


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_each_campaign_has_a_script_covering_every_kind_of_turn_it_has(campaign):
    from dropday.content import read_manifest

    script = script_of(campaign)
    assert script.is_file(), (f"write {script.relative_to(REPO)}: what listeners say to {campaign}, each "
                              f"line `... => <kind of turn>` (see lantern-foxes.txt beside it)")
    features = getattr(read_manifest(REPO / "audio_manifest" / f"{campaign}.yaml"), "features", ())
    said = {line.kind for line in read_script(script) if line.kind}
    assert sorted(required_kinds(features) - said) == []


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_listeners_talk_through_every_kind_of_turn_with_the_packed_function(campaign, start_function, code_folder,
                                                                           settings_api, stack, cloudformation,
                                                                           moto_endpoint):
    from dropday.content import load_campaign
    from dropday.localdev.render import clip_paths_by_url
    from dropday.localdev.simulator import Clock, Simulator, listener_ids
    from dropday.localdev.skills import Skill

    if not script_of(campaign).is_file():
        pytest.skip(f"{campaign} has no conversation script yet (the test above says what to write)")
    # GIVEN the function serving the campaign, as deployed with `Campaign=<campaign>`
    code_before = files_in(code_folder)
    function = start_function(DROPDAY_CAMPAIGN=campaign)
    packed = code_folder / "audio_manifest"
    manifest = load_campaign(packed, campaign)
    base_url = stack.environment["AUDIO_BASE_URL"]
    known = Campaign.from_compiled(packed / f"{campaign}.manifest.json", clip_paths_by_url(manifest, base_url))
    logs: list[str] = []

    def through_lambda(event, context=None):
        before = len(function.output())
        response = function.invoke(event)
        logs.append(function.output()[before:])
        return response

    transcript = io.StringIO()
    skill = Skill(campaign, manifest, through_lambda, models_of(campaign), base_url, audio_dir=None,
                  skill_id=lambda_stack.SKILL_ID)
    simulator = Simulator([skill], zones=settings_api.zones, api_endpoint=settings_api.endpoint, out=transcript,
                          zone=manifest.album.default_time_zone, clock=Clock(datetime.now(timezone.utc), running=False))
    # WHEN listeners say the script's lines
    wrong, last_answer = [], {}
    for line in read_script(script_of(campaign)):
        if line.kind is None:
            simulator.command(line.text)
            continue
        exchange = simulator.say(line.text)
        if exchange.request is None:
            wrong.append(f"line {line.number} {line.text!r}: nothing was sent, the skill was closed")
            continue
        session = exchange.request.get("session", {}).get("sessionId")
        turn = Turn(line.kind, line.text, exchange.request, exchange.response, last_answer.get(session))
        found = problems(turn, known)
        logged = {event.get("kind") for event in turn_events(logs[-1])}
        if logged and not logged & EVENT_KINDS.get(line.kind, {line.kind}):
            found.append(f"the function logged a turn of kind {sorted(logged)}")
        if found:
            wrong.append(f"line {line.number} {line.text!r} ({line.kind}): " + "; ".join(found))
        last_answer[session] = exchange.response
    # THEN each turn is what the listener expects, nothing failed, and the code folder stayed as it was
    assert wrong == [], "\n".join(wrong) + "\n\nThe conversation:\n" + transcript.getvalue()
    log = function.output()
    assert "[ERROR]" not in log and "Traceback" not in log, log[-3000:]
    assert files_in(code_folder) == code_before, "something wrote into the read-only code folder"
    # AND the first listener's state is stored with the expiry the table's TTL reads
    ttl_attribute = cloudformation["Resources"]["StateTable"]["Properties"]["TimeToLiveSpecification"]["AttributeName"]
    item = boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=lambda_stack.REGION,
                        aws_access_key_id="local", aws_secret_access_key="local").get_item(
        TableName=stack.environment["SKILL_STATE_TABLE"], Key={"id": {"S": listener_ids("listener")[0]}}).get("Item")
    assert item is not None and "M" in item["attributes"]
    assert int(item[ttl_attribute]["N"]) > time.time()
