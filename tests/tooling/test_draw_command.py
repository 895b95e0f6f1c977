"""`dropday draw`: winners at random with a printed seed, a CSV, a purge, against a moto server."""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta, timezone

import pytest

from dropday.aws import DrawEntries, entrant_key
from dropday.cli.__main__ import main
from dropday.localdev.dynamodb_server import LocalDynamoDB, dynamodb_client, dynamodb_resource

TABLE = "dropday-draw"


@pytest.fixture(scope="module")
def server():
    with LocalDynamoDB() as local:
        yield local.endpoint


@pytest.fixture
def table(server):
    """The draw's table as template.yaml declares it, with entries the skill wrote: 12 for
    optin-band, 2 for another campaign."""
    name = f"{TABLE}-{datetime.now().timestamp():.0f}-{id(object())}"
    resource = dynamodb_resource(server)
    resource.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "campaign", "KeyType": "HASH"},
                                     {"AttributeName": "entrant", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "campaign", "AttributeType": "S"},
                                                {"AttributeName": "entrant", "AttributeType": "S"}])
    writer = DrawEntries(name, dynamodb_client(server), grace_days=30)
    start = datetime(2027, 1, 20, 18, tzinfo=timezone.utc)
    for n in range(12):
        writer.enter("optin-band", entrant_key("optin-band", f"user-{n}"), f"fan{n}@example.com",
                     start + timedelta(minutes=n), 1_900_000_000)
    for n in range(2):
        writer.enter("other-band", entrant_key("other-band", f"user-{n}"), f"other{n}@example.com", start, 1_900_000_000)
    return resource.Table(name)


def draw(capsys, server, table, *extra: str) -> tuple[int, str]:
    status = main(["draw", "--campaign", "optin-band", "--table", table.name, "--endpoint", server, *extra])
    return status, capsys.readouterr().out


def winners_in(path) -> list[dict]:
    with path.open(encoding="utf-8") as rows:
        return list(csv.DictReader(rows))


def test_winners_are_drawn_with_a_printed_seed_and_written_to_a_csv(capsys, server, table, tmp_path):
    # WHEN the content team draws 3 winners
    status, out = draw(capsys, server, table, "--winners", "3", "--out", str(tmp_path / "winners.csv"))
    # THEN the command says how many entries there were, the seed, and where the winners are
    assert status == 0
    assert re.search(r"^12 entries for optin-band in dropday-draw\S* \(entries digest [0-9a-f]{16}\)$", out, re.M)
    seed = re.search(r"^seed (\d+): run again with --seed \1", out, re.M)
    assert seed and "3 winners written to" in out
    rows = winners_in(tmp_path / "winners.csv")
    assert [r["place"] for r in rows] == ["1", "2", "3"]
    assert len({r["contact"] for r in rows}) == 3 and all(r["contact"].startswith("fan") for r in rows)
    assert all(r["entered_at"].startswith("2027-01-20T18:") for r in rows)
    # AND the same seed picks the same winners again (the draw is auditable)
    again = tmp_path / "again.csv"
    draw(capsys, server, table, "--winners", "3", "--seed", seed[1], "--out", str(again))
    assert winners_in(again) == rows


def test_different_seeds_pick_different_winners(capsys, server, table, tmp_path):
    picks = set()
    for seed in range(6):
        out = tmp_path / f"w{seed}.csv"
        draw(capsys, server, table, "--winners", "2", "--seed", str(seed), "--out", str(out))
        picks.add(tuple(r["contact"] for r in winners_in(out)))
    assert len(picks) > 3


def test_more_winners_than_entries_makes_everyone_a_winner_and_says_so(capsys, server, table, tmp_path):
    status, out = draw(capsys, server, table, "--winners", "20", "--seed", "1", "--out", str(tmp_path / "w.csv"))
    assert status == 0 and "only 12 entries, so every one wins" in out
    assert len(winners_in(tmp_path / "w.csv")) == 12


def test_purge_deletes_every_entry_of_the_campaign_once_the_csv_is_written(capsys, server, table, tmp_path):
    status, out = draw(capsys, server, table, "--winners", "1", "--out", str(tmp_path / "w.csv"), "--purge")
    assert status == 0 and "purged 12 entries of optin-band" in out
    assert len(winners_in(tmp_path / "w.csv")) == 1
    left = table.scan()["Items"]
    assert {item["campaign"] for item in left} == {"other-band"} and len(left) == 2


def test_a_csv_that_cannot_be_written_purges_nothing(capsys, server, table, tmp_path):
    status = main(["draw", "--campaign", "optin-band", "--table", table.name, "--endpoint", server, "--winners", "1",
                   "--out", str(tmp_path / "missing" / "w.csv"), "--purge"])
    assert status == 1 and "nothing was purged" in capsys.readouterr().err
    assert len(table.scan()["Items"]) == 14


def test_a_table_that_does_not_exist_is_a_clear_error(capsys, server):
    status = main(["draw", "--campaign", "optin-band", "--table", "no-such-table", "--endpoint", server,
                   "--winners", "1"])
    assert status == 1 and "cannot read the entries in no-such-table" in capsys.readouterr().err


def test_a_campaign_without_entries_draws_nobody(capsys, server, table, tmp_path):
    status = main(["draw", "--campaign", "quiet-band", "--table", table.name, "--endpoint", server, "--winners", "2",
                   "--out", str(tmp_path / "w.csv")])
    assert status == 0 and "0 entries for quiet-band" in capsys.readouterr().out
    assert winners_in(tmp_path / "w.csv") == []
