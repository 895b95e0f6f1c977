"""Several devices of one listener at once: no lost updates, no tip served twice in a rotation."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone
from random import Random

import boto3
from botocore.config import Config
import pytest
import yaml

from support import free_port
from dropday.app import create_lambda_handler
from dropday.config import Settings
from dropday.core.campaign import parse_manifest
from dropday.localdev.conversation import Conversation
from support import FIXTURES, heard_tips

USER = "amzn1.ask.account.FAMILY"
#: This test is about concurrent writers, not slowness: a moto server on a busy 2-core machine can
#: take longer than the production timeouts, so the devices here wait patiently.
PATIENT = Config(connect_timeout=5, read_timeout=10, retries={"total_max_attempts": 1})
CLIP = re.compile(r"/tips/(tip-\d+)\.mp3")


@pytest.fixture(scope="module")
def big_campaign():
    """The test campaign with 400 tips, so that hundreds of turns stay inside one rotation."""
    data = yaml.safe_load((FIXTURES / "campaign.yaml").read_text())
    data["sections"] = [{"id": "tips", "name": "tips", "answers": "tips",
                         "pieces": [{"id": f"tip-{i}", "member": "ivy" if i % 2 else "max", "audio": f"tips/tip-{i}.mp3",
                                     "transcript": f"Tip {i}."} for i in range(400)]}]
    data.pop("unlockables")
    return parse_manifest(data)


def devices_take_turns(moto_server, table, campaign, devices: int, turns: int, intent: str):
    """Each device (its own Lambda container: own handler, own boto3 resource) asks `turns` times."""
    served: list[list[str]] = [[] for _ in range(devices)]
    errors: list[BaseException] = []
    start = threading.Barrier(devices)

    def device(number: int) -> None:
        try:
            skill = create_lambda_handler(Settings(state_table=table, audio_base_url="https://cdn.test"), campaign,
                                          boto3.client("dynamodb", endpoint_url=moto_server, config=PATIENT),
                                          Random(number))
            listener = Conversation(skill, user_id=USER, device_id=f"amzn1.ask.device.{number}",
                                    now=datetime(2027, 2, 1, tzinfo=timezone.utc),
                                    api_endpoint=f"https://127.0.0.1:{free_port()}")
            pause = Random(number + 100)
            start.wait()
            for _ in range(turns):
                time.sleep(pause.random() * 0.02)          # devices interleave, with no real think time
                answer = listener.launch() if intent == "LaunchRequest" else listener.ask(intent)
                served[number].extend(CLIP.findall(answer.speech))
                listener.ask("AMAZON.StopIntent")
        except BaseException as exc:  # surfaced by the test
            errors.append(exc)

    threads = [threading.Thread(target=device, args=(n,)) for n in range(devices)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return [tip for tips in served for tip in tips]


def stored(moto_server, table):
    return boto3.resource("dynamodb", endpoint_url=moto_server).Table(table).get_item(Key={"id": USER})["Item"]


def test_tips_served_to_four_devices_at_once_are_all_remembered_and_never_repeated(moto_server, state_table,
                                                                                   big_campaign):
    served = devices_take_turns(moto_server, state_table, big_campaign, devices=4, turns=60, intent="TipIntent")
    assert len(served) == 240
    assert len(set(served)) == len(served), "a tip was served twice inside one rotation"
    item = stored(moto_server, state_table)
    assert heard_tips(big_campaign, item["attributes"]) == sorted(served)
    assert "rotation" not in item["attributes"]        # still the first rotation


def test_visits_from_several_devices_add_up(moto_server, state_table, big_campaign):
    devices_take_turns(moto_server, state_table, big_campaign, devices=3, turns=20, intent="LaunchRequest")
    assert stored(moto_server, state_table)["attributes"]["visits"] == 60
