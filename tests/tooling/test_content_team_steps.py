"""The README's recipes for the content team, done as they are written there, on a copy of the demo
campaign; after each, the suite's checks of any campaign (tests/campaign_checks.py) still pass, so an
edited campaign never turns `make test` red. Counts are taken from the copy before the edit, and the
entries added have ids and days of their own (not the README's examples, which the content team may
well have added for real): the demo's content is the content team's, and no test pins it."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from datetime import timedelta

from campaign_checks import campaign_problems
from dropday.content import read_manifest
from dropday.tooling.findings import locate
from dropday.tooling.model_sync import sync_command
from support import REPO
from tooling_helpers import DEMO_CAMPAIGN, edit, manifest_file, models_dir

TIPS = f"audio_manifest/audio/{DEMO_CAMPAIGN}/tips"
COUNTDOWN = f"audio_manifest/audio/{DEMO_CAMPAIGN}/countdown"


def readme_section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## For the content team")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def recipe(heading: str) -> str:
    section = readme_section()
    start = section.index(f"### {heading}")
    end = section.find("\n### ", start + 1)
    return section[start:end if end > 0 else None]


def summary(root, tips: int = 0, clips: int = 0) -> str:
    """`validate`'s all-good line for the demo copy at `root`, with `tips` and `clips` more than it has now."""
    manifest = read_manifest(manifest_file(root, DEMO_CAMPAIGN))
    models = len(list(models_dir(root, DEMO_CAMPAIGN).glob("*-*.json")))
    return (f"audio_manifest: 1 campaign, {len(manifest.tips) + tips} tips, {len(manifest.audio_paths) + clips} clips, "
            f"{models} locale models: all good")


def test_the_readme_has_a_section_for_the_content_team_with_each_step():
    section = readme_section()
    for heading in ("### Add a tip", "### Add a member", "### Add a countdown line", "### Add a locale",
                    "### Publish the clips"):
        assert heading in section
    for command in ("dropday validate", "dropday audio convert", "dropday schedule", "dropday audio publish",
                    "dropday models sync", "--dry-run", "--endpoint"):
        assert command in section


def test_each_recipe_says_which_files_to_commit():
    for heading in ("Add a tip", "Add a member", "Add a countdown line", "Add a locale"):
        assert "commit" in recipe(heading).lower(), heading
    assert "interaction_models/lantern-foxes/*.json" in recipe("Add a member")


def test_add_a_tip(dropday, demo, studio):
    expected = summary(demo, tips=1, clips=1)
    # 1. convert the studio recording into the campaign's tips folder
    convert = dropday("audio", "convert", str(studio.take_wav), "--out", TIPS)
    assert convert.status == 0
    assert convert.out[0].startswith(f"[1/1] {TIPS}/ada-warm-up-take-3.mp3 ")
    # 2. add the tip to the manifest, after the last one, as the README shows it
    manifest = read_manifest(manifest_file(demo, DEMO_CAMPAIGN))
    member, arrives = manifest.members[0].id, manifest.album.release_date - timedelta(days=7)
    edit(manifest_file(demo, DEMO_CAMPAIGN), "\ncountdown:\n", f"""  - id: recipe-warm-up
    member: {member}
    audio: tips/ada-warm-up-take-3.mp3
    transcript: Sing a scale on a straw before the show. It warms the voice without straining it.
    available: {{from: {arrives}}}   # optional: the first day it can be heard (and `until:` the last)

countdown:
""")
    # 3. validate, and see it arrive in the schedule
    run = dropday("validate")
    assert run.status == 0 and run.out[-1].split(" (")[0] == expected, run.text
    schedule = dropday("schedule", "--from", str(arrives - timedelta(days=1)), "--to", str(arrives + timedelta(days=1)))
    assert "*recipe-warm-up" in schedule.text
    # AND the campaign still passes every check the suite makes of a campaign
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_a_member(dropday, demo, studio):
    # 1. add the member
    edit(manifest_file(demo, DEMO_CAMPAIGN), "\nalbum:\n", """  - id: recipe-zora
    name: Zora
    synonyms: [zora recipe, the theremin player]

album:
""")
    # validate says, in one line, that the interaction models do not know her yet, and how to fix it
    before = dropday("validate")
    assert before.status == 1
    [problem] = [line for line in before.out[:-1] if ": note: " not in line]
    assert "lack member `recipe-zora` ('the theremin player', 'zora', 'zora recipe'). Fix: run `" in problem
    # 2. run the command the README gives, which is the one the fix gives
    command = re.search(r"Fix: run `([^`]+)`", problem).group(1)
    assert command.endswith("dropday models sync")
    subprocess.run(shlex.split(command), check=True, capture_output=True, cwd=demo)
    assert dropday("validate").status == 0
    # 3. add a tip of hers, as the README says
    assert dropday("audio", "convert", str(studio.take_m4a), "--out", TIPS).status == 0
    edit(manifest_file(demo, DEMO_CAMPAIGN), "\ncountdown:\n", """  - id: recipe-zora-riff
    member: recipe-zora
    audio: tips/rui-riff.mp3
    transcript: Play the riff with your eyes closed.

countdown:
""")
    # THEN all is good, the models know her, and the campaign passes every check
    after = dropday("validate")
    assert after.status == 0, after.text
    model = json.loads((models_dir(demo, DEMO_CAMPAIGN) / "en-GB.json").read_text())
    assert "recipe-zora" in {v["id"] for v in model["interactionModel"]["languageModel"]["types"][0]["values"]}
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_the_sync_command_the_readme_gives_is_the_one_validate_suggests_in_the_repository(monkeypatch):
    monkeypatch.chdir(REPO)
    command = sync_command(locate())
    assert command == ".venv/bin/dropday models sync"
    assert f"   {command}\n" in recipe("Add a member")


def test_add_a_countdown_line(dropday, demo, studio):
    manifest = read_manifest(manifest_file(demo, DEMO_CAMPAIGN))
    days = next(d for d in range(13, 365) if d not in manifest.countdown_lines)  # a day without a line yet
    day = manifest.album.release_date - timedelta(days=days)
    tips_then = len(manifest.tips_available(day))
    # 1. convert the recording into the countdown folder
    assert dropday("audio", "convert", str(studio.take_flac), "--out", COUNTDOWN).status == 0
    # 2. add the line for two weeks before release
    edit(manifest_file(demo, DEMO_CAMPAIGN), "  lines:\n", f"""  lines:
    - days_to_go: {days}
      audio: countdown/noor-bass.mp3
      transcript: Not long to go now!
""")
    # 3. validate, and see it on its day in the schedule
    assert dropday("validate").status == 0
    schedule = dropday("schedule", "--from", day.isoformat(), "--to", day.isoformat())
    [row] = [line for line in schedule.out if line.startswith(day.isoformat())]
    assert row.startswith(f"{day:%Y-%m-%d %a} {tips_then:3} tips  Not long to go now! ")
    assert "[clip: countdown/noor-bass.mp3]" in row
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_sentences_for_a_locale(dropday, demo):
    edit(manifest_file(demo, DEMO_CAMPAIGN), "\n  en-AU:\n",
         "\n  en-AU:\n    nothing_to_repeat: I haven't said a thing yet, mate.\n")
    assert dropday("validate").status == 0
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []
    edit(manifest_file(demo, DEMO_CAMPAIGN), "\n  en-AU:\n", "\n  en-NZ:\n    goodbye: Chur!\n  en-AU:\n")
    run = dropday("validate")
    assert run.status == 1
    assert "speech.en-NZ: names the locale en-NZ, which has no interaction model" in run.text


def test_add_an_english_locale(dropday, demo):
    # GIVEN the demo without one of its locales that the manifest does not mention (its publishing entry and
    # its model removed)
    skill_file = models_dir(demo, DEMO_CAMPAIGN) / "skill.json"
    skill = json.loads(skill_file.read_text())
    locales = skill["manifest"]["publishingInformation"]["locales"]
    text = "\n".join(line.split("#")[0] for line in manifest_file(demo, DEMO_CAMPAIGN).read_text().splitlines())
    locale = next(code for code in locales if code not in text and code != "en-GB")
    entry = locales.pop(locale)
    skill_file.write_text(json.dumps(skill, indent=2))
    (models_dir(demo, DEMO_CAMPAIGN) / f"{locale}.json").unlink()
    assert dropday("validate").status == 0
    # 1. add its publishing entry under publishingInformation.locales in skill.json
    locales[locale] = entry
    skill_file.write_text(json.dumps(skill, indent=2))
    assert f"has no model for {locale}, which skill.json publishes" in dropday("validate").text
    # 2. the sync writes its model
    sync = dropday("models", "sync")
    assert f"wrote interaction_models/{DEMO_CAMPAIGN}/{locale}.json" in sync.out
    # 3. validate: all good, and the campaign passes every check
    assert dropday("validate").status == 0
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_the_command_runs_as_the_installed_console_script(demo):
    script = REPO / ".venv" / "bin" / "dropday"
    result = subprocess.run([str(script), "validate"], capture_output=True, text=True, cwd=demo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("all good\n")
