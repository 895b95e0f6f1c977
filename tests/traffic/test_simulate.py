"""`dropday simulate`: simulated listeners over simulated days, what the skill keeps of them, and
what the label's report and the developers' load test make of the run."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from dropday.content import read_manifest
from dropday.core.listener import ListenerState
from dropday.metrics import pseudonymous_key
from dropday.tooling.report.events import read_files
from traffic_support import CAMPAIGN, SECRET

LISTENERS, DAYS, FIRST_DAY = 20, 10, "2027-01-08"
ALEXA_IDS = re.compile(r"amzn1\.(ask\.)?(account|device|person|user)\.|amzn1\.echo-api\.session\.")


@pytest.fixture(scope="module")
def campaign_run(simulate):
    """20 listeners over the ten days around release day (8 to 17 January 2027)."""
    return simulate("--listeners", str(LISTENERS), "--days", str(DAYS), "--start", FIRST_DAY, "--seed", "7")


@pytest.fixture(scope="module")
def manifest(harbour_workspace):
    return read_manifest(harbour_workspace / "audio_manifest" / f"{CAMPAIGN}.yaml")


@pytest.fixture(scope="module")
def stored(campaign_run, backend):
    """Every listener's stored item after the run, by their Alexa user id."""
    items = backend.dynamodb.Table(campaign_run.table).scan()["Items"]
    return {item["id"]: item for item in items}


def test_the_run_says_what_it_simulated_and_succeeds(campaign_run):
    assert campaign_run.status == 0, campaign_run.out + campaign_run.err
    assert f"simulated {CAMPAIGN}: {LISTENERS} listeners over {DAYS} days (2027-01-08 to 2027-01-17), seed 7" \
        in campaign_run.out


def test_a_line_per_simulated_day_shows_the_progress(campaign_run):
    days = [line for line in campaign_run.err.splitlines() if line.startswith("day ")]
    assert [line.split(":")[0] for line in days] == [f"day {n}/{DAYS} 2027-01-{7 + n:02d}" for n in range(1, DAYS + 1)]
    assert all(re.search(r"\d+ sessions, \d+ turns; \d+ turns in all, \d+ turns/s$", line) for line in days)


def test_the_summary_names_the_throughput_and_the_latency_percentiles_per_kind_of_turn(campaign_run):
    out = campaign_run.out
    turns, seconds, rate = re.search(r"throughput: (\d+) turns in ([\d.]+) s, ([\d.]+) turns/s", out).groups()
    assert int(turns) == len(campaign_run.event_lines()) and float(rate) > 0
    assert re.search(r"latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms", out)
    header = next(line for line in out.splitlines() if line.strip().startswith("kind of turn"))
    assert header.split() == ["kind", "of", "turn", "turns", "p50", "p90", "p99", "max"]
    rows = {line.split()[0]: line.split() for line in out.splitlines() if re.match(r"^  [a-z_]+ +\d+ ", line)}
    kinds = {event["kind"] for event in campaign_run.events_read()}
    assert set(rows) == kinds | {"all"}
    assert int(rows["all"][1]) == int(turns)
    assert sum(int(row[1]) for kind, row in rows.items() if kind != "all") == int(turns)
    for row in rows.values():
        p50, p90, p99, most = map(float, row[2:6])
        assert 0 < p50 <= p90 <= p99 <= most


def test_every_listener_keeps_the_pieces_they_were_served(campaign_run, stored, manifest):
    """Per listener and section of clips, the stored pieces are those the turn events say were played
    since the section last started over (a piece came round again); every unlock announced is stored.
    Episodes count once they have played to the end, which the device knows: the run's own check
    covers them (and the clips, and the unlocks) and says so."""
    checked = f"state: all {LISTENERS} listeners' stored pieces and unlocks match what they were served"
    assert checked in campaign_run.out
    played, unlocked = defaultdict(lambda: defaultdict(list)), defaultdict(set)
    for event in campaign_run.events_read():
        for piece in event.get("played", ()):
            played[event["listener"]][piece["section"]].append(piece["piece"])
        unlocked[event["listener"]] |= set(event.get("unlocked", ()))
    clip_sections = [s for s in manifest.sections if not s.long_form]
    assert len(stored) == len({event["listener"] for event in campaign_run.events_read()}) > LISTENERS // 2
    for user_id, item in stored.items():
        key = pseudonymous_key(user_id, SECRET)
        state = ListenerState.from_dict(item["attributes"]).fitted(manifest)
        for section in clip_sections:
            heard = {p.id for p in manifest.pieces_with_keys(state.progress(section.id).heard)}
            assert heard == heard_this_rotation(played[key][section.id]), (key, section.id)
        assert {u.id for u in manifest.unlockables if u.key in state.unlocked} == unlocked[key], key


def heard_this_rotation(served: list[str]) -> set[str]:
    """The pieces of one section a listener heard since the section last started over for them."""
    heard: list[str] = []
    for piece in served:
        heard = [piece] if piece in heard else [*heard, piece]
    return set(heard)


def test_dropday_report_reads_every_turn_event_of_the_run(campaign_run, harbour_workspace, tmp_path, capsys):
    from dropday.cli.__main__ import main

    log = read_files([campaign_run.events])
    assert len(log.events) == log.lines == len(campaign_run.event_lines()) and log.skipped == 0
    came = int(re.search(r"(\d+) listeners came, in (\d+) sessions", campaign_run.out).group(1))
    status = main(["report", str(campaign_run.events), "--manifest", str(harbour_workspace / "audio_manifest"),
                   "--out", str(tmp_path / "report"), "--no-images"])
    said = capsys.readouterr().out
    assert status == 0, said
    assert f"read {log.lines} lines: {log.lines} turn events of {CAMPAIGN} ({came} listeners, " in said
    assert (tmp_path / "report" / "report.html").is_file()


def test_no_alexa_id_appears_in_any_event_or_log_line(campaign_run, stored):
    lines = campaign_run.event_lines() + campaign_run.log.read_text(encoding="utf-8").splitlines()
    assert len(lines) > len(campaign_run.event_lines()), "the run logged nothing at DEBUG"
    assert [line for line in lines if ALEXA_IDS.search(line)] == []
    assert not any(user_id in line for user_id in stored for line in lines)


def test_the_listeners_are_many_kinds_of_people(campaign_run, stored):
    """Several locales and time zones; some come back, quiz, answer the daily question, take a
    reminder, enter the draw, listen to episodes to the end."""
    events = campaign_run.events_read()
    assert len({e["locale"] for e in events}) >= 2
    assert len({item["attributes"].get("tz") for item in stored.values()}) >= 3
    assert any(e.get("first_visit") is False and e.get("new_session") for e in events)
    kinds = {e["kind"] for e in events}
    assert {"launch", "tip", "piece", "whats_new", "quiz_answer", "daily_answer", "playback", "goodbye"} <= kinds
    assert {e["reminder"]["step"] for e in events if "reminder" in e} >= {"offered", "declined"}
    assert any(e.get("request") == "AudioPlayer.PlaybackFinished" for e in events)
    assert any(e.get("request") == "Connections.Response" for e in events)


def test_the_same_seed_gives_the_same_run(simulate):
    def run(seed: str) -> list[dict]:
        simulated = simulate("--listeners", "4", "--days", "3", "--start", FIRST_DAY, "--seed", seed, "--quiet")
        assert simulated.status == 0, simulated.out
        return [{k: v for k, v in e.items() if k != "duration_ms"} for e in simulated.events_read()]

    first = run("3")
    assert run("3") == first
    assert run("4") != first


def test_by_default_the_run_covers_the_campaign_from_its_first_drop_to_a_week_after_release(simulate):
    """The first dated piece arrives on 20 December 2026; the last news is release day, 15 January 2027."""
    simulated = simulate("--listeners", "1", "--quiet")
    assert simulated.status == 0, simulated.out
    assert "1 listeners over 34 days (2026-12-20 to 2027-01-22)" in simulated.out


def test_a_campaign_that_does_not_exist_is_named_with_the_ones_that_do(simulate):
    simulated = simulate("--campaign", "no-such-band", "--quiet")
    assert simulated.status == 2
    assert "no-such-band" in simulated.err and CAMPAIGN in simulated.err
