"""The Lambda cold start: a valid manifest starts the skill, an invalid one stops it with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from support import FIXTURE_CAMPAIGN, FIXTURE_WORKSPACE, FIXTURES, REPO

FIXTURE_MANIFEST = FIXTURE_WORKSPACE / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml"

IMPORT_HANDLER = "import lambda_function; print(lambda_function.lambda_handler.__name__)"
#: The same, and then whether the garbage collector runs again, and how much it has left to watch.
IMPORT_HANDLER_GC = IMPORT_HANDLER + "; import gc; print(gc.isenabled(), len(gc.get_objects()) < 5000)"


def cold_start(env_overrides: dict[str, str], code: str = IMPORT_HANDLER) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MANIFEST_DIR", "DROPDAY_CAMPAIGN", "AUDIO_BASE_URL")}
    env.update({"PYTHONPATH": str(REPO / "lambda"), **env_overrides})
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=REPO / "lambda", timeout=60)


SHIPPED = sorted(p.stem for p in (REPO / "audio_manifest").glob("*.yaml"))


@pytest.mark.parametrize("campaign", SHIPPED)
def test_every_shipped_campaign_starts_the_skill(campaign):
    result = cold_start({"DROPDAY_CAMPAIGN": campaign})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "lambda_handler"


def test_the_cold_start_leaves_the_garbage_collector_running_with_what_it_made_frozen():
    # The entry pauses the collector while it imports the skill (benchmarks/README.md); it must
    # run again afterwards, watching only what later requests make, not the 70,000 objects of the import.
    result = cold_start({"DROPDAY_CAMPAIGN": SHIPPED[0]}, IMPORT_HANDLER_GC)
    assert result.stdout.split() == ["lambda_handler", "True", "True"], result.stderr


def test_a_folder_of_several_campaigns_without_one_named_refuses_to_start_and_names_them():
    result = cold_start({})
    assert result.returncode != 0
    assert f"found {len(SHIPPED)} campaigns ({', '.join(SHIPPED)})" in result.stderr
    assert "set DROPDAY_CAMPAIGN to the one to serve" in result.stderr


def test_an_invalid_manifest_stops_the_cold_start_naming_file_line_and_fix(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((FIXTURES / "campaign.yaml").read_text().replace("member: ivy\n        audio: tips/ivy-one",
                                                                       "member: ivyy\n        audio: tips/ivy-one"))
    result = cold_start({"MANIFEST_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert f"{broken}: line 36: sections[0].pieces[0].member: `ivyy` is not a member id. Fix: use one of: ivy, max" \
        in result.stderr
    assert "refusing to start" in result.stderr


def test_an_http_audio_url_stops_the_cold_start(tmp_path):
    result = cold_start({"AUDIO_BASE_URL": "http://cdn.example.com"})
    assert result.returncode != 0
    assert "AUDIO_BASE_URL must start with https://" in result.stderr


def test_a_named_campaign_is_served_from_a_folder_of_several(tmp_path):
    shutil.copy(FIXTURES / "campaign.yaml", tmp_path / "test-band.yaml")
    shutil.copy(FIXTURE_MANIFEST, tmp_path / f"{FIXTURE_CAMPAIGN}.yaml")
    assert cold_start({"MANIFEST_DIR": str(tmp_path)}).returncode != 0
    result = cold_start({"MANIFEST_DIR": str(tmp_path), "DROPDAY_CAMPAIGN": "test-band"})
    assert result.returncode == 0, result.stderr


def test_a_packed_campaign_starts_without_importing_a_yaml_parser_or_the_manifest_parser(fixture_workspace, tmp_path):
    # GIVEN the manifests as sam build packs them (scripts/compile_manifests.py), from a campaign with its
    # clips and models (the build validates them)
    packed = tmp_path / "artifact"
    compiled = subprocess.run([sys.executable, str(REPO / "scripts" / "compile_manifests.py"), str(packed),
                               str(fixture_workspace / "audio_manifest" / f"{FIXTURE_CAMPAIGN}.yaml")],
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    assert sorted(p.name for p in packed.iterdir()) == [f"{FIXTURE_CAMPAIGN}.manifest.json",
                                                        f"{FIXTURE_CAMPAIGN}.manifest.pickle"]
    # WHEN a container starts on them
    env = {**os.environ, "PYTHONPATH": str(REPO / "lambda"), "MANIFEST_DIR": str(packed)}
    env.pop("DROPDAY_CAMPAIGN", None)
    result = subprocess.run([sys.executable, "-c", "import sys, lambda_function; from dropday.app import MANIFEST; "
                             "print(MANIFEST.campaign, 'yaml' in sys.modules, 'dropday.core.campaign.parse' in sys.modules)"],
                            env=env, capture_output=True, text=True, cwd=REPO / "lambda", timeout=60)
    # THEN it serves the campaign, never loaded PyYAML, and took the parsed campaign from its snapshot
    assert result.stdout.split() == [FIXTURE_CAMPAIGN, "False", "False"], result.stderr


def test_the_build_refuses_an_invalid_manifest(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text((FIXTURES / "campaign.yaml").read_text().replace("release_date: 2027-03-20",
                                                                       "release_date: 2027-02-30"))
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "compile_manifests.py"), str(tmp_path / "out"),
                             str(broken)], capture_output=True, text=True)
    assert result.returncode == 1
    finding = f"{broken}:17: has a date that does not exist (2027-02-30). Fix: write a real calendar date"
    assert finding in result.stderr
    assert result.stderr.rstrip().endswith("nothing is packed") and not (tmp_path / "out").exists()
    # as `dropday validate` shows it: the build runs its checks
    validate = subprocess.run([str(REPO / ".venv" / "bin" / "dropday"), "validate", str(tmp_path)],
                              capture_output=True, text=True)
    assert validate.returncode == 1 and finding in validate.stdout + validate.stderr


def test_an_unknown_log_level_stops_the_cold_start_naming_the_variable():
    result = cold_start({"LOG_LEVEL": "VERBOSE"})
    assert result.returncode != 0
    assert "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got 'VERBOSE'" in result.stderr
