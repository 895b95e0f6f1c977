"""The README's steps for the content team work, done as they are written there, on a copy of the demo."""

from __future__ import annotations

import re
import shlex
import subprocess

from dropday.tooling.models import sync_command
from support import REPO
from tooling_helpers import edit, manifest_file

TIPS = "audio_manifest/audio/lantern-foxes/tips"
COUNTDOWN = "audio_manifest/audio/lantern-foxes/countdown"


def readme_section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## For the content team")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_the_readme_has_a_section_for_the_content_team_with_each_step():
    section = readme_section()
    for heading in ("### Add a tip", "### Add a member", "### Add a countdown line", "### Add a locale",
                    "### Publish the clips"):
        assert heading in section
    for command in ("dropday validate", "dropday audio convert", "dropday schedule", "dropday audio publish",
                    "scripts/sync_interaction_models.py"):
        assert command in section


def test_add_a_tip(dropday, demo, studio):
    # 1. convert the studio recording into the campaign's tips folder
    convert = dropday("audio", "convert", str(studio.take_wav), "--out", TIPS)
    assert convert.status == 0
    assert convert.out[0].startswith(f"[1/1] {TIPS}/ada-warm-up-take-3.mp3 ")
    # 2. add the tip to the manifest, after the last one
    edit(manifest_file(demo), "\ncountdown:\n", """  - id: ada-warm-up
    member: ada
    audio: tips/ada-warm-up-take-3.mp3
    transcript: Sing a scale on a straw before the show. It warms the voice without straining it.
    available: {from: 2027-01-08}

countdown:
""")
    # 3. validate, and see it arrive in the schedule
    run = dropday("validate")
    assert run.status == 0, run.text
    assert run.out == ["audio_manifest: 1 campaign, 13 tips, 17 clips, 5 locale models: all good"]
    schedule = dropday("schedule", "--from", "2027-01-07", "--to", "2027-01-08")
    assert "*ada-warm-up" in schedule.text


def test_add_a_member(dropday, demo):
    # 1. add the member
    edit(manifest_file(demo), "\nalbum:\n", """  - id: lena
    name: Lena
    synonyms: [lena park, the keyboard player, keys]

album:
""")
    # validate says the interaction models do not know her yet, and how to fix it
    before = dropday("validate")
    assert before.status == 1
    assert len(before.out) == 6
    assert all("lacks member `lena` ('keys', 'lena', 'lena park', 'the keyboard player'). Fix: run `" in line
               for line in before.out[:-1])
    # 2. run the command the fix gives
    command = re.search(r"Fix: run `([^`]+)`", before.out[0]).group(1)
    subprocess.run(shlex.split(command), check=True, capture_output=True, cwd=demo)
    # 3. validate: all good
    after = dropday("validate")
    assert after.status == 0, after.text


def test_the_sync_command_the_readme_gives_is_the_one_validate_suggests_in_the_repository(monkeypatch):
    monkeypatch.chdir(REPO)
    command = sync_command(REPO / "audio_manifest" / "lantern-foxes.yaml", REPO / "interaction_models")
    assert command == ".venv/bin/python scripts/sync_interaction_models.py"
    assert f"   {command}\n" in readme_section()


def test_add_a_countdown_line(dropday, demo, studio):
    # 1. convert the recording into the countdown folder
    assert dropday("audio", "convert", str(studio.take_flac), "--out", COUNTDOWN).status == 0
    # 2. add the line for two weeks before release
    edit(manifest_file(demo), "  lines:\n", """  lines:
    - days_to_go: 14
      audio: countdown/noor-bass.mp3
      transcript: Two weeks to go until Small Hours Harbour!
""")
    # 3. validate, and see it on its day in the schedule
    assert dropday("validate").status == 0
    schedule = dropday("schedule", "--from", "2027-01-01", "--to", "2027-01-01")
    assert schedule.out[2].startswith("2027-01-01 Fri  11 tips  Two weeks to go until Small Hours Harbour! ")
    assert "[clip: countdown/noor-bass.mp3]" in schedule.out[2]


def test_add_sentences_for_a_locale(dropday, demo):
    edit(manifest_file(demo), "  en-AU:\n", "  en-AU:\n    goodbye: Cheers for listening. See you on release day!\n")
    assert dropday("validate").status == 0
    edit(manifest_file(demo), "  en-AU:\n", "  en-NZ:\n    goodbye: Chur!\n  en-AU:\n")
    run = dropday("validate")
    assert run.status == 1
    assert "speech.en-NZ: names the locale en-NZ, which has no interaction model" in run.text


def test_the_command_runs_as_the_installed_console_script(demo):
    script = REPO / ".venv" / "bin" / "dropday"
    result = subprocess.run([str(script), "validate"], capture_output=True, text=True, cwd=demo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("all good\n")
