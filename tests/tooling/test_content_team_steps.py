"""The README's recipes for the content team, done as they are written there, on a copy of the demo
campaign; after each, the suite's checks of any campaign (tests/campaign_checks.py) still pass, so an
edited campaign never turns `make test` red.

Each test pastes the YAML the recipe shows (read from the README, so a recipe whose YAML no longer
fits the manifest fails here), at the place the recipe says, with ids, names, days and clips of its
own filled in as a content-team member fills in theirs: the README's examples may well have been
added for real, and the demo's content is the content team's, so no test pins it. Counts are taken
from the copy before the edit.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
from datetime import date, timedelta
from pathlib import Path

import yaml

from campaign_checks import campaign_problems, fresh_listener_state
from dropday.content import campaign_files, read_manifest
from dropday.tooling.findings import locate
from dropday.tooling.model_sync import sync_command
from support import REPO
from tooling_helpers import DEMO_CAMPAIGN, manifest_file, models_dir

AUDIO = f"audio_manifest/audio/{DEMO_CAMPAIGN}"
TIPS = f"{AUDIO}/tips"
COUNTDOWN = f"{AUDIO}/countdown"
#: `dropday validate`'s last line when nothing is wrong (notes, which never fail, may be counted after it).
ALL_GOOD = re.compile(r": all good( \(\d+ notes? above\))?$")


# -- the README ----------------------------------------------------------------------------------------------


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


def yaml_blocks(heading: str) -> list[str]:
    """The YAML a recipe shows, block by block, as a person copies it: without the indentation of the
    numbered list the block sits in."""
    blocks = []
    for indent, body in re.findall(r"^( *)```yaml\n(.*?)^\1```", recipe(heading), re.M | re.S):
        lines = body.splitlines()
        assert all(line.startswith(indent) or not line.strip() for line in lines), body
        blocks.append("\n".join(line[len(indent):] for line in lines) + "\n")
    assert blocks, f"the README's recipe {heading!r} shows no YAML"
    return blocks


def filled(block: str, *values: tuple[str, str]) -> str:
    """`block` with the values of its keys replaced, in the order given, each at the next occurrence of
    its key after the one before (a block may have several `id:`; keys in comments do not count): what a
    content-team member types over the README's example. A value ends where YAML ends it: at a comment,
    at the end of the line, or in a flow mapping `{...}` at its next comma."""
    position = 0
    for key, value in values:
        found = re.compile(rf"(?:^[ \t]*(?:- )?|[{{,][ \t]*){re.escape(key)}: ", re.M).search(block, position)
        assert found, f"the README's YAML no longer has `{key}:` where the recipe needs it:\n{block}"
        start = found.end()
        end = _value_end(block, start)
        block = block[:start] + value + block[end:]
        position = start + len(value)
    return block


def _value_end(text: str, start: int) -> int:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    in_flow = before.count("{") + before.count("[") > before.count("}") + before.count("]")
    if text[start] in "{[\"'":
        closing = {"{": "}", "[": "]", '"': '"', "'": "'"}[text[start]]
        depth, i = 0, start
        while True:
            if text[i] == text[start] and closing not in "\"'":
                depth += 1
            elif text[i] == closing and (i > start or closing not in "\"'"):
                depth -= 1
                if depth <= 0 or closing in "\"'":
                    return i + 1
            i += 1
    end = start
    while end < len(text) and text[end] != "\n" and not text.startswith(" #", end) \
            and not (in_flow and text[end] in ",}]"):
        end += 1
    return end


# -- the manifest, edited as a person edits it ----------------------------------------------------------------


def entry_at(text: str, *steps: str | int) -> tuple[int, int]:
    """Where the YAML entry at `steps` (keys and list indexes, -1 for the last) starts: its 0-based line,
    and the column of what owns it (its `-` for a list item, its key for a mapping entry)."""
    node, owner = yaml.compose(text), None
    for step in steps:
        if isinstance(step, int):
            assert isinstance(node, yaml.SequenceNode), steps
            node = node.value[step]
            line = text.splitlines()[node.start_mark.line]
            owner = (node.start_mark.line, line.rindex("-", 0, node.start_mark.column + 1))
        else:
            assert isinstance(node, yaml.MappingNode), steps
            key, node = next((k, v) for k, v in node.value if k.value == step)
            owner = (key.start_mark.line, key.start_mark.column)
    assert owner is not None
    return owner


def line_of_entry(text: str, *steps: str | int) -> int:
    """The 0-based line where the YAML entry at `steps` starts."""
    return entry_at(text, *steps)[0]


def paste_after_entry(file: Path, block: str, *steps: str | int) -> None:
    """Paste `block` on the lines after the entry at `steps` (all of its lines), as a person adds an
    entry at the end of a list or of a block."""
    lines = file.read_text().splitlines(keepends=True)
    first, column = entry_at("".join(lines), *steps)
    last = first
    for number in range(first + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        if len(line) - len(line.lstrip(" ")) <= column:
            break
        last = number
    lines[last + 1:last + 1] = [block if block.endswith("\n") else block + "\n"]
    file.write_text("".join(lines))


def demo_file(root: Path) -> Path:
    return manifest_file(root, DEMO_CAMPAIGN)


def reread(root: Path):
    """The demo copy's campaign as it is now."""
    return read_manifest(demo_file(root))


def said(manifest, name: str, locale: str) -> set[str]:
    """The wordings of sentence `name` a listener in `locale` may hear."""
    return {v.recording.transcript.get(locale) for v in manifest.sentence(name, locale).variants}


def summary(root: Path, pieces: int = 0, clips: int = 0, sections: int = 0) -> str:
    """`validate`'s all-good counts for the copy at `root` (every campaign of it), with `pieces`, `clips`
    and `sections` more than it has now, as the manifests and model files count them."""
    manifests = [read_manifest(path) for path in campaign_files(root / "audio_manifest")]
    episodes = [{p.recording.audio for s in m.sections if s.long_form for p in s.pieces} for m in manifests]
    clip_count = sum(len(set(m.audio_paths) - streams) for m, streams in zip(manifests, episodes))
    models = sum(len(list(models_dir(root, m.campaign).glob("*-*.json"))) for m in manifests)
    counted = [(len(manifests), "campaign"), (sum(len(m.sections) for m in manifests) + sections, "section"),
               (sum(len(m.pieces) for m in manifests) + pieces, "piece"), (clip_count + clips, "clip"),
               (models, "locale model")]
    return "audio_manifest: " + ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counted) + ": all good"


def all_good(run) -> bool:
    return run.status == 0 and bool(ALL_GOOD.search(run.out[-1]))


def schedule_days(schedule) -> dict[str, list[str]]:
    """`dropday schedule`'s table by day: 'YYYY-MM-DD' -> the day's row and the lines under it."""
    days: dict[str, list[str]] = {}
    current = None
    for line in schedule.out:
        if re.match(r"\d{4}-\d{2}-\d{2} \w{3} ", line):
            current = line[:10]
            days.setdefault(current, []).append(line)
        elif current and line.startswith(" "):
            days[current].append(line)
        else:
            current = None
    return days


def section_counts(manifest, day: date, more: dict[str, int] | None = None) -> str:
    """How a schedule row counts each section's pieces on `day` (with `more` added to some)."""
    return "  ".join(f"{s.id} {len(s.available(day)) + (more or {}).get(s.id, 0)}" for s in manifest.sections)


def chat(root: Path, at: date, *utterances: str) -> str:
    """A conversation with the demo copy's skill on `at`, as `dropday chat` shows it."""
    from dropday.cli.__main__ import build_parser
    from dropday.cli.chat import run

    args = build_parser(["chat"]).parse_args(["chat", "--manifest", str(root / "audio_manifest"),
                                              "--campaign", DEMO_CAMPAIGN, "--at", f"{at}T12:00", "--seed", "1"])
    out = io.StringIO()
    with fresh_listener_state():
        status = run(args, stdin=io.StringIO("".join(f"{u}\n" for u in utterances)), stdout=out)
    assert status == 0, out.getvalue()
    return out.getvalue()


def run_the_fix(run, root: Path) -> str:
    """Run the command a finding's `Fix: run `...`` gives, as the user would; the command."""
    [command] = {re.search(r"Fix: run `([^`]+)`", line).group(1) for line in run.out if "Fix: run `" in line}
    subprocess.run(shlex.split(command), check=True, capture_output=True, cwd=root)
    return command


# -- the section and its recipes -------------------------------------------------------------------------------


def test_the_readme_has_a_section_for_the_content_team_with_each_step():
    section = readme_section()
    for heading in ("### Add a tip", "### Schedule a drop", "### Add a section", "### Add an unlockable",
                    "### Record a welcome variant", "### Add a member", "### Add a countdown line",
                    "### Add a long-form section", "### Add a quiz question or a daily question",
                    "### Add a locale", "### Publish the clips"):
        assert heading in section
    for command in ("dropday validate", "dropday audio convert", "dropday schedule", "dropday audio publish",
                    "dropday models sync", "--dry-run", "--endpoint"):
        assert command in section


def test_each_recipe_says_which_files_to_commit():
    for heading in ("Add a tip", "Schedule a drop", "Add a section", "Add an unlockable", "Record a welcome variant",
                    "Add a member", "Add a countdown line", "Add a locale", "Add a long-form section",
                    "Add a quiz question"):
        assert "commit" in recipe(heading).lower(), heading
    for heading in ("Add a member", "Add a section", "Add a long-form section", "Add a quiz question"):
        assert "interaction_models/lantern-foxes/*.json" in recipe(heading), heading


def test_add_a_tip(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    tips = before.tips_section
    expected = summary(demo, pieces=1, clips=1)
    # 1. convert the studio recording into the campaign's tips folder
    convert = dropday("audio", "convert", str(studio.take_wav), "--out", TIPS)
    assert convert.status == 0
    assert convert.out[0].startswith(f"[1/1] {TIPS}/ada-warm-up-take-3.mp3 ")
    # 2. add it at the end of the tips section's pieces, as the README shows it
    member, arrives = before.members[0].id, before.album.release_date - timedelta(days=7)
    [piece] = yaml_blocks("Add a tip")
    paste_after_entry(manifest, filled(
        piece, ("id", "recipe-warm-up"), ("member", member), ("audio", "tips/ada-warm-up-take-3.mp3"),
        ("transcript", "Sing a scale on a straw before the show. It warms the voice without straining it."),
        ("from", str(arrives))), "sections", before.sections.index(tips), "pieces", -1)
    # 3. validate until all good, and see it arrive in the schedule
    run = dropday("validate")
    assert all_good(run) and run.out[-1].split(" (")[0] == expected, run.text
    assert reread(demo).tips_section.pieces[-1].id == "recipe-warm-up"
    schedule = dropday("schedule", "--campaign", DEMO_CAMPAIGN,
                       "--from", str(arrives - timedelta(days=1)), "--to", str(arrives + timedelta(days=1)))
    [listed] = [line for line in schedule_days(schedule)[str(arrives)] if line.strip().startswith(f"{tips.id}:")]
    assert "*recipe-warm-up" in listed
    assert "recipe-warm-up" not in "\n".join(schedule_days(schedule)[str(arrives - timedelta(days=1))])
    # AND the campaign still passes every check the suite makes of a campaign
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_schedule_a_drop(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    section = next((s for s in before.sections if not s.long_form and s.answers is None), before.tips_section)
    folder = (section.pieces[0].recording.audio or f"{section.id}/").rsplit("/", 1)[0]
    # the drop: a Monday before release on which nothing of the section arrives yet
    day = before.album.release_date - timedelta(days=before.album.release_date.weekday() or 7)
    while any(p.window.start == day for p in section.pieces):
        day -= timedelta(days=7)
    # GIVEN two recordings converted into the section's folder
    assert dropday("audio", "convert", str(studio.take_wav), str(studio.take_flac), "--out",
                   f"{AUDIO}/{folder}").status == 0
    # WHEN each gets the same `available: {from: DATE}`, as the README shows a piece of a drop
    [piece] = yaml_blocks("Schedule a drop")
    drop = "".join(filled(piece, ("id", piece_id), ("member", before.members[-1].id), ("audio", f"{folder}/{clip}"),
                          ("transcript", transcript), ("from", str(day)))
                   for piece_id, clip, transcript in (
                       ("recipe-drop-warm-up", "ada-warm-up-take-3.mp3", "We warmed up in the car park."),
                       ("recipe-drop-bass", "noor-bass.mp3", "The bass went missing in the ferry queue.")))
    paste_after_entry(manifest, drop, "sections", before.sections.index(section), "pieces", -1)
    assert all_good(dropday("validate"))
    # THEN the schedule shows the section's count going up on the day, with the new pieces marked
    schedule = schedule_days(dropday("schedule", "--campaign", DEMO_CAMPAIGN, "--from", str(day - timedelta(days=1)),
                                     "--to", str(day)))
    assert f" {section_counts(before, day - timedelta(days=1))}  " in schedule[str(day - timedelta(days=1))][0]
    assert f" {section_counts(before, day, {section.id: 2})}  " in schedule[str(day)][0]
    [listed] = [line for line in schedule[str(day)] if line.strip().startswith(f"{section.id}:")]
    assert "*recipe-drop-warm-up" in listed and "*recipe-drop-bass" in listed
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_a_section(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    expected = summary(demo, pieces=1, clips=1, sections=1)
    # 1. its recordings in a folder of their own
    assert dropday("audio", "convert", str(studio.take_wav), "--out", f"{AUDIO}/recipe-talks").status == 0
    # 2. the section at the end of `sections:`, as the README shows it
    [section] = yaml_blocks("Add a section")
    paste_after_entry(manifest, filled(
        section, ("id", "recipe-talks"), ("name", "the recipe talks"), ("synonyms", "[recipe talks, a recipe talk]"),
        ("choice", "a recipe talk"), ("offer_another_piece", "Want another recipe talk?"),
        ("id", "recipe-talk-lyrics"), ("member", before.members[0].id),
        ("audio", "recipe-talks/ada-warm-up-take-3.mp3"), ("transcript", "We wrote the chorus in the lift.")),
        "sections", -1)
    # 3. update the models, then validate
    sync = dropday("models", "sync")
    assert sync.status == 0, sync.text
    run = dropday("validate")
    assert all_good(run) and run.out[-1].split(" (")[0] == expected, run.text
    model = json.loads((models_dir(demo, DEMO_CAMPAIGN) / "en-GB.json").read_text())
    [sections] = [t for t in model["interactionModel"]["languageModel"]["types"] if t["name"] == "SECTION"]
    assert "recipe-talks" in {v["id"] for v in sections["values"]}
    # THEN listeners can ask for it by its name
    heard = chat(demo, before.album.release_date, f"open {before.invocation_name or before.artist}",
                 "play something from the recipe talks")
    assert "[clip: recipe-talks/ada-warm-up-take-3.mp3" in heard, heard
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_an_unlockable(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    # GIVEN the recording converted into the unlocks folder
    assert dropday("audio", "convert", str(studio.take_flac), "--out", f"{AUDIO}/unlocks").status == 0
    # WHEN it is added under `unlockables:` as the README shows it (the entry, after the others)
    [block] = yaml_blocks("Add an unlockable")
    assert block.startswith("unlockables:\n")
    entry = filled(block.split("\n", 1)[1], ("id", "recipe-secret"), ("name", "a recipe secret"),
                   ("audio", "unlocks/noor-bass.mp3"), ("transcript", "The hidden track is a kazoo solo."))
    if before.unlockables:
        paste_after_entry(manifest, entry, "unlockables", -1)
    else:
        manifest.write_text(manifest.read_text() + "\n" + block.split("\n", 1)[0] + "\n" + entry)
    # THEN it validates, and a listener who comes every day has it by some day of the campaign
    assert all_good(dropday("validate"))
    assert reread(demo).unlockables[-1].id == "recipe-secret"
    release = before.album.release_date
    schedule = dropday("schedule", "--campaign", DEMO_CAMPAIGN, "--from", str(release - timedelta(days=30)),
                       "--to", str(release))
    assert any(line.strip().startswith("unlocked by a daily listener:") and "recipe-secret" in line
               for line in schedule.out), schedule.text
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_record_a_welcome_variant(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    day = before.album.release_date - timedelta(days=10)
    # GIVEN the recording converted into the welcomes folder
    assert dropday("audio", "convert", str(studio.take_m4a), "--out", f"{AUDIO}/welcomes").status == 0
    # WHEN it is added to `welcome_back` under `sentences: default:`, as the README shows a variant with a window
    [block] = yaml_blocks("Record a welcome variant")
    [variant] = [line for line in block.splitlines() if line.strip().startswith("- {audio:") and "available" in line]
    variant = filled(variant + "\n", ("audio", "welcomes/rui-riff.mp3"),
                     ("transcript", '"Recipe here. Ten days to go, and counting."'), ("from", str(day)))
    data = yaml.safe_load(manifest.read_text())
    welcome_back = data.get("sentences", {}).get("default", {}).get("welcome_back")
    if isinstance(welcome_back, list):
        paste_after_entry(manifest, variant, "sentences", "default", "welcome_back", -1)
    else:   # one wording (it becomes the first of the list), or none yet (the default wording is used)
        lines = manifest.read_text().splitlines(keepends=True)
        line, column = entry_at("".join(lines), "sentences", "default", *(["welcome_back"] if welcome_back else []))
        indent = " " * (column if welcome_back else column + 2)
        first = [f"{indent}  - {lines[line].split(':', 1)[1].strip()}\n"] if welcome_back else []
        lines[line:line + 1] = ([] if welcome_back else [lines[line]]) + \
            [f"{indent}welcome_back:\n", *first, f"{indent}  {variant.strip()}\n"]
        manifest.write_text("".join(lines))
    # THEN it validates, and the schedule shows it among the welcomes from its first day, not before
    assert all_good(dropday("validate"))
    schedule = schedule_days(dropday("schedule", "--campaign", DEMO_CAMPAIGN,
                                     "--from", str(day - timedelta(days=2)), "--to", str(day)))
    [welcomes] = [line for line in schedule[str(day)] if line.strip().startswith("welcome back:")]
    assert "Recipe here. Ten days to go, and counting." in welcomes
    assert not any("Recipe here" in line for when, lines in schedule.items() if when < str(day) for line in lines)
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_a_member(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    # 1. add the member under `members:`, with a recorded introduction (converted into the band folder)
    assert dropday("audio", "convert", str(studio.take_flac), "--out", f"{AUDIO}/band").status == 0
    [member] = yaml_blocks("Add a member")
    paste_after_entry(manifest, filled(
        member, ("id", "recipe-zora"), ("name", "Zora"), ("synonyms", "[zora recipe, the theremin player]"),
        ("audio", "band/noor-bass.mp3"), ("transcript", '"I\'m Zora, I play the theremin."')), "members", -1)
    # validate says, in one line, that the interaction models do not know her yet, and how to fix it
    forgot = dropday("validate")
    assert forgot.status == 1
    [problem] = [line for line in forgot.out[:-1] if ": note: " not in line]
    assert "lack member `recipe-zora` ('the theremin player', 'zora', 'zora recipe'). Fix: run `" in problem
    # 2. run the command the README gives, which is the one the fix gives
    command = run_the_fix(forgot, demo)
    assert command.endswith("dropday models sync")
    run = dropday("validate")
    assert all_good(run), run.text
    # 3. add a piece of hers, as in "Add a tip"
    assert dropday("audio", "convert", str(studio.take_m4a), "--out", TIPS).status == 0
    [piece] = yaml_blocks("Add a tip")
    tips = before.tips_section
    paste_after_entry(manifest, filled(piece, ("id", "recipe-zora-riff"), ("member", "recipe-zora"),
                                       ("audio", "tips/rui-riff.mp3"),
                                       ("transcript", "Play the riff with your eyes closed."),
                                       ("from", str(before.album.release_date - timedelta(days=20)))),
                      "sections", before.sections.index(tips), "pieces", -1)
    # THEN all is good, the models know her, she introduces herself, and the campaign passes every check
    after = dropday("validate")
    assert all_good(after), after.text
    assert not any(": note: " in line and "recipe-zora" in line for line in after.out), after.text
    model = json.loads((models_dir(demo, DEMO_CAMPAIGN) / "en-GB.json").read_text())
    [members] = [t for t in model["interactionModel"]["languageModel"]["types"] if t["name"] == "BAND_MEMBER"]
    assert "recipe-zora" in {v["id"] for v in members["values"]}
    heard = chat(demo, before.album.release_date, f"open {before.invocation_name or before.artist}",
                 "tell me about zora")
    assert "[clip: band/noor-bass.mp3" in heard, heard
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_the_sync_command_the_readme_gives_is_the_one_validate_suggests_in_the_repository(monkeypatch):
    monkeypatch.chdir(REPO)
    command = sync_command(locate())
    assert command == ".venv/bin/dropday models sync"
    assert f"   {command}\n" in recipe("Add a member")


def test_add_a_countdown_line(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    days = next(d for d in range(13, 365) if d not in before.countdown_lines)  # a day without a line yet
    day = before.album.release_date - timedelta(days=days)
    # 1. convert the recording into the countdown folder
    assert dropday("audio", "convert", str(studio.take_flac), "--out", COUNTDOWN).status == 0
    # 2. add it under `countdown:` -> `lines:`, as the README shows it
    [line] = yaml_blocks("Add a countdown line")
    paste_after_entry(manifest, filled(line, ("days_to_go", str(days)), ("audio", "countdown/noor-bass.mp3"),
                                       ("transcript", "Not long to go now!")), "countdown", "lines", -1)
    # 3. validate, and see it on its day in the schedule, with its clip
    assert all_good(dropday("validate"))
    schedule = schedule_days(dropday("schedule", "--campaign", DEMO_CAMPAIGN, "--from", str(day), "--to", str(day)))
    row = schedule[str(day)][0]
    assert row.startswith(f"{day:%Y-%m-%d %a} {section_counts(before, day)}  Not long to go now! ")
    assert "[clip: countdown/noor-bass.mp3]" in row
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_a_long_form_section(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    expected = summary(demo, pieces=1, sections=1)      # an episode is streamed: not a clip
    track = next(n for n in range(1, 100) if n not in {p.track for p in before.pieces})
    # 1. the studio take (over 240 s: too long for a clip) converted into a stream file
    convert = dropday("audio", "convert", "--long-form", str(studio.long_take), "--out", f"{AUDIO}/recipe-commentary")
    assert convert.status == 0, convert.text
    [episode] = [p.name for p in (demo / AUDIO / "recipe-commentary").iterdir()]
    # 2. the section, as the README shows it, at the end of `sections:`
    [section] = yaml_blocks("Add a long-form section (track-by-track, interviews)")
    paste_after_entry(manifest, filled(
        section, ("id", "recipe-commentary"), ("name", "the recipe commentary"), ("id", "recipe-episode"),
        ("track", str(track)), ("member", before.members[0].id), ("title", f"track {track}, Recipe Song"),
        ("audio", f"recipe-commentary/{episode}"), ("transcript", "Here is how the recipe song came about.")),
        "sections", -1)
    # 3. validate: a new section's name is a word Alexa listens for, so (as for any section) validate asks
    # for the models to be synced, and gives the command; then all is good
    forgot = dropday("validate")
    assert forgot.status == 1
    assert run_the_fix(forgot, demo).endswith("dropday models sync"), forgot.text
    run = dropday("validate")
    assert all_good(run) and run.out[-1].split(" (")[0] == expected, run.text
    # the schedule lists the episode among the drops
    schedule = dropday("schedule", "--campaign", DEMO_CAMPAIGN, "--from", str(before.album.release_date),
                       "--to", str(before.album.release_date))
    assert any(f"recipe-commentary/recipe-episode (track {track})" in line for line in schedule.out), schedule.text
    # AND the campaign checks hold the episode to AudioPlayer's stream rules, not to those of clips
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_a_quiz_question(dropday, demo, studio):
    manifest = demo_file(demo)
    before = read_manifest(manifest)
    day = before.album.release_date - timedelta(days=5)
    # GIVEN the question and the reaction recorded and converted into the quiz folder
    convert = dropday("audio", "convert", str(studio.take_wav), str(studio.take_flac), "--out", f"{AUDIO}/quiz")
    assert convert.status == 0
    # WHEN the question is added as the README shows one (with choices), after the others
    [block] = yaml_blocks("Add a quiz question or a daily question")
    lines = block.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.lstrip().startswith("- id: ")]
    question = "".join(lines[starts[0]:starts[1]])
    question = filled(
        question, ("id", "q-recipe"),
        ("question", '{audio: quiz/ada-warm-up-take-3.mp3, transcript: "What did Zora bring to the studio?"}'),
        ("choices", "[a theremin, a tuba, {words: a harp, synonyms: [the harp]}]"), ("answer", "a theremin"),
        ("right", '{audio: quiz/noor-bass.mp3, transcript: "Yes! It wailed all night."}'),
        ("fact", "It was borrowed from a museum."), ("from", str(day)))
    if before.quiz:
        paste_after_entry(manifest, question, "quiz", "questions", -1)
    else:
        manifest.write_text(manifest.read_text() + "\n" + "".join(lines[:starts[0]]) + question)
    # THEN its answers are words Alexa must listen for: validate asks for the models to be synced, and gives
    # the command; then all is good
    forgot = dropday("validate")
    assert forgot.status == 1
    assert run_the_fix(forgot, demo).endswith("dropday models sync"), forgot.text
    assert all_good(dropday("validate"))
    # and the schedule has it among the quiz questions from its day, not before
    schedule = dropday("schedule", "--campaign", DEMO_CAMPAIGN, "--from", str(day - timedelta(days=1)),
                       "--to", str(day))
    quiz_lines = [line for line in schedule.out if re.match(r"\d{4}-\d{2}-\d{2} \w{3} quiz: ", line)]
    assert any(line.startswith(str(day)) and "q-recipe" in line for line in quiz_lines), schedule.text
    assert not any(line < str(day) and "q-recipe" in line for line in quiz_lines), schedule.text
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_add_sentences_for_a_locale(dropday, demo):
    manifest = demo_file(demo)
    skill = json.loads((models_dir(demo, DEMO_CAMPAIGN) / "skill.json").read_text())
    locale = sorted(skill["manifest"]["publishingInformation"]["locales"])[0]
    # a sentence said differently in one locale: its own line under the locale's section of `sentences:`
    sentence = "nothing_to_repeat: I haven't said a thing yet, mate."
    data = yaml.safe_load(manifest.read_text())
    sentences = data.get("sentences") or {}
    if locale in sentences:
        assert "nothing_to_repeat" not in sentences[locale]
        text = manifest.read_text().splitlines(keepends=True)
        line, column = entry_at("".join(text), "sentences", locale)
        text.insert(line + 1, f"{' ' * (column + 2)}{sentence}\n")
        manifest.write_text("".join(text))
    else:
        paste_after_entry(manifest, f"  {locale}:\n    {sentence}\n", "sentences", "default")
    assert all_good(dropday("validate"))
    assert said(reread(demo), "nothing_to_repeat", locale) == {"I haven't said a thing yet, mate."}
    assert "I haven't said a thing yet, mate." not in said(reread(demo), "nothing_to_repeat", "en-XX")
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []
    # a locale the campaign does not run in: nobody would hear it, and validate says so
    paste_after_entry(manifest, "  en-NZ:\n    goodbye: Chur!\n", "sentences", "default")
    run = dropday("validate")
    assert run.status == 1
    assert "sentences.en-NZ: names the locale en-NZ, which has no interaction model" in run.text


def test_add_an_english_locale(dropday, demo):
    # GIVEN the demo without one of its locales that the manifest does not mention (its publishing entry and
    # its model removed)
    skill_file = models_dir(demo, DEMO_CAMPAIGN) / "skill.json"
    skill = json.loads(skill_file.read_text())
    locales = skill["manifest"]["publishingInformation"]["locales"]
    text = "\n".join(line.split("#")[0] for line in demo_file(demo).read_text().splitlines())
    locale = next(code for code in locales if code not in text and code != "en-GB")
    entry = locales.pop(locale)
    skill_file.write_text(json.dumps(skill, indent=2))
    (models_dir(demo, DEMO_CAMPAIGN) / f"{locale}.json").unlink()
    assert all_good(dropday("validate"))
    # 1. add its publishing entry under publishingInformation.locales in skill.json
    locales[locale] = entry
    skill_file.write_text(json.dumps(skill, indent=2))
    assert f"has no model for {locale}, which skill.json publishes" in dropday("validate").text
    # 2. the sync writes its model
    sync = dropday("models", "sync")
    assert f"wrote interaction_models/{DEMO_CAMPAIGN}/{locale}.json" in sync.out
    # 3. validate: all good, and the campaign passes every check
    assert all_good(dropday("validate"))
    assert campaign_problems(demo, DEMO_CAMPAIGN) == []


def test_the_command_runs_as_the_installed_console_script(demo):
    script = REPO / ".venv" / "bin" / "dropday"
    result = subprocess.run([str(script), "validate"], capture_output=True, text=True, cwd=demo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("\n") and ALL_GOOD.search(result.stdout.splitlines()[-1]), result.stdout
