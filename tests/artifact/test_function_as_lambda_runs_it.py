"""The packed function run as Lambda runs it (awslambdaric on Python 3.12, a read-only code folder,
only the runtime's boto3 beside it): real envelopes, broken deployments and a DynamoDB that is gone."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timezone

import pytest

import lambda_stack
from artifact_support import make_read_only
from support import FIXTURES, SHARED_ALEXA_FIXTURES, free_port
from turn_checks import clips_in
from dropday.localdev import envelopes

CORPUS = sorted(SHARED_ALEXA_FIXTURES.glob("*.json")) if SHARED_ALEXA_FIXTURES.is_dir() else []
SPEAKING = ("LaunchRequest", "IntentRequest")
NOW = datetime(2027, 1, 8, 12, tzinfo=timezone.utc)
#: Modules that exist only in the development venv (or in tools that are never packed).
DEVELOPMENT_ONLY = ("yaml", "moto", "pytest", "jsonschema", "mutagen", "trustme", "samtranslator", "cfnlint",
                    "dropday.localdev", "dropday.cli", "dropday.tooling")


def a_listener_says(body: dict, api_endpoint: str, user: str = "amzn1.ask.account.ARTIFACT") -> dict:
    return envelopes.envelope(body, user_id=user, device_id=user.replace("account", "device"), locale="en-GB",
                              now=NOW, session_id=envelopes.new_session_id(), new_session=True, attributes={},
                              api_endpoint=api_endpoint, skill_id=lambda_stack.SKILL_ID)


def ssml_of(response: dict) -> str:
    return ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")


def run_in_the_runtime(function_process, *python_args: str, **environment: str) -> subprocess.CompletedProcess:
    """The function's interpreter, environment and code folder, running `python_args` instead of awslambdaric."""
    process = function_process(**environment)
    return subprocess.run([str(process.python), *python_args], cwd=process.code, env=process.env("127.0.0.1:9"),
                          capture_output=True, text=True, timeout=120)


def test_the_function_sees_only_its_code_the_runtime_and_the_standard_library(function_process, lambda_runtime,
                                                                              code_folder):
    probe = ("import importlib.util, json, sys; print(json.dumps([sys.path, [m for m in sys.argv[1:] "
             "if importlib.util.find_spec(m) is not None], sys.version_info[:2], sys.dont_write_bytecode]))")
    done = run_in_the_runtime(function_process, "-c", probe, *DEVELOPMENT_ONLY)
    assert done.returncode == 0, done.stderr
    path, importable, version, no_bytecode = json.loads(done.stdout)
    stdlib = subprocess.run([str(lambda_runtime.python), "-c", "import sys; print(sys.base_prefix)"],
                            capture_output=True, text=True, check=True).stdout.strip()
    venv = str(lambda_runtime.python.parent.parent)
    assert path[1:3] == [str(code_folder), str(lambda_runtime.folder)]
    assert [p for p in path[3:] if not p.startswith((stdlib, venv))] == []
    assert (importable, version, no_bytecode) == ([], [3, 12], True)


def test_the_function_loads_every_module_of_its_code_from_bytecode(function_process, code_folder):
    # WHEN the runtime imports the handler's module (the function's init), telling where each module comes from
    done = run_in_the_runtime(function_process, "-v", "-c", "import lambda_function")
    assert done.returncode == 0, done.stderr[-3000:]
    # THEN nothing under the code folder is compiled from source (a read-only folder would make
    # every cold start pay for that again)
    from_source = [line for line in done.stderr.splitlines()
                   if line.startswith("# code object from") and str(code_folder) in line and ".pyc" not in line]
    assert from_source == []
    assert f"{code_folder}/dropday/__pycache__/app.cpython-312.pyc" in done.stderr


@pytest.mark.skipif(not CORPUS, reason=f"the alexa-app corpus is not at {SHARED_ALEXA_FIXTURES} (only CI has ../shared)")
def test_every_real_envelope_gets_a_valid_answer_from_the_packed_function(start_function):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import ResponseEnvelope

    function = start_function()
    wrong = {}
    for path in CORPUS:
        # GIVEN a real envelope of another skill, addressed to ours
        event = json.loads(path.read_text())
        for application in ((event.get("session") or {}).get("application"),
                            ((event.get("context") or {}).get("System") or {}).get("application")):
            if isinstance(application, dict):
                application["applicationId"] = lambda_stack.SKILL_ID
        # WHEN the function gets it
        response = function.invoke(event)
        # THEN it answers with an envelope the SDK accepts: speech for a listener, nothing otherwise
        try:
            DefaultSerializer().deserialize(json.dumps(response), ResponseEnvelope)
            speech = ssml_of(response)
            if event["request"].get("type") in SPEAKING:
                ElementTree.fromstring(speech)
                assert speech.startswith("<speak>") and "Traceback" not in speech
                assert response["response"]["shouldEndSession"] in (True, False)
            else:
                assert not speech
        except Exception as exc:
            wrong[path.stem] = f"{exc!r}: {json.dumps(response)[:300]}"
    assert wrong == {}, function.output()[-3000:]
    assert len(CORPUS) == 22


@pytest.mark.skipif(not CORPUS, reason=f"the alexa-app corpus is not at {SHARED_ALEXA_FIXTURES} (only CI has ../shared)")
def test_a_request_for_another_skill_is_refused_with_an_empty_answer(start_function):
    launch = json.loads((SHARED_ALEXA_FIXTURES / "intent_request_launch.json").read_text())
    assert start_function().invoke(launch) == {"version": "1.0", "response": {}}


def compiled_fixture_campaign(code, tmp_path):
    """A copy of the code folder that serves tests/fixtures/campaign.yaml instead of the shipped campaigns,
    packed as the build packs a manifest (the fixture has no clips, so the build's `dropday validate`
    step, tested on its own, is not run here)."""
    from dropday.content import compile_manifest

    shutil.copytree(code, tmp_path / "task")
    manifests = tmp_path / "task" / "audio_manifest"
    for packed in manifests.iterdir():
        packed.unlink()
    return tmp_path / "task", compile_manifest(FIXTURES / "campaign.yaml", manifests)


def an_impossible_release_date(code, tmp_path):
    folder, compiled = compiled_fixture_campaign(code, tmp_path)
    data = json.loads(compiled.read_text())
    data["album"]["release_date"] = "2027-02-30"
    compiled.write_text(json.dumps(data))
    return folder, {"DROPDAY_CAMPAIGN": "campaign"}, [str(compiled), "album.release_date"]


def a_clip_added_after_the_last_publish(code, tmp_path):
    from dropday.content import published_index, read_manifest

    folder, compiled = compiled_fixture_campaign(code, tmp_path)
    manifest = read_manifest(compiled)
    first, *others = manifest.audio_paths
    index = published_index(compiled.parent, manifest.campaign)
    index.write_text(json.dumps({"clips": {path: f"{manifest.campaign}/{n:04d}.mp3" for n, path in enumerate(others)}}))
    return folder, {"DROPDAY_CAMPAIGN": "campaign"}, [str(index), first, "is missing"]


def a_campaign_that_is_not_packed(code, tmp_path):
    return code, {"DROPDAY_CAMPAIGN": "no-such-campaign"}, ["no-such-campaign", str(code / "audio_manifest")]


@pytest.mark.parametrize("broken", [an_impossible_release_date, a_clip_added_after_the_last_publish,
                                    a_campaign_that_is_not_packed], ids=lambda f: f.__name__)
def test_a_broken_deployment_stops_the_init_naming_the_file_and_the_problem(start_function, code_folder, tmp_path,
                                                                           settings_api, broken):
    # GIVEN a function whose campaign cannot be served
    code, environment, named = broken(code_folder, tmp_path)
    if code is not code_folder:
        make_read_only(code)
    function = start_function(code, **environment)
    waiting = function.api.submit(a_listener_says(envelopes.launch(), settings_api.endpoint))
    # WHEN Lambda starts it
    error = function.api.wait_for_init_error(timeout_s=60)
    # THEN the Runtime API hears why, in the words dropday validate would use, and nobody is answered
    assert error is not None, function.output()[-3000:]
    assert error["errorType"] == "ManifestError"
    assert [text for text in named if text not in error["errorMessage"]] == [], error["errorMessage"]
    assert function.process.process.wait(30) != 0
    assert not waiting.done
    assert "refusing to start" in function.output()


def test_a_dynamodb_that_refuses_connections_still_gets_the_listener_a_tip(start_function, settings_api, stack,
                                                                          code_folder):
    from dropday.content import load_campaign
    from dropday.localdev.render import clip_paths_by_url

    # GIVEN the function with DynamoDB's endpoint on a port where nothing listens
    function = start_function(AWS_ENDPOINT_URL_DYNAMODB=f"http://127.0.0.1:{free_port()}")
    # WHEN a listener opens the skill and asks for a tip (each answered within the function's timeout)
    welcome = function.invoke(a_listener_says(envelopes.launch(), settings_api.endpoint))
    tip = function.invoke(a_listener_says(envelopes.intent("TipIntent"), settings_api.endpoint))
    # THEN they are welcomed and hear one of the campaign's clips, and the fault is a warning in the log
    assert ssml_of(welcome).startswith("<speak>") and welcome["response"]["shouldEndSession"] is False
    campaign = load_campaign(code_folder / "audio_manifest", stack.environment["DROPDAY_CAMPAIGN"])
    known = set(clip_paths_by_url(campaign, stack.environment["AUDIO_BASE_URL"]))
    assert clips_in(ssml_of(tip)) and set(clips_in(ssml_of(tip))) <= known
    log = function.output()
    assert "[WARNING]" in log and "[ERROR]" not in log and "Traceback" not in log, log[-3000:]
