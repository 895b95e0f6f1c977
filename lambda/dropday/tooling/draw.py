"""Drawing a prize draw's winners: at random with a seed that is printed (so the draw can be run
again and audited), written to a CSV, and the entries deleted afterwards when asked.

Entries are read from the draw's table (template.yaml `DrawTable`: campaign, entrant, entered_at,
contact, expires_at) with the content team's credentials; the skill itself can only write them.
The winners are `random.Random(seed).sample` of the entries in the order of their entrant keys,
so the same entries and the same seed always give the same winners, whatever order DynamoDB
returns them in. The digest printed with them identifies the set of entries drawn from.
"""

from __future__ import annotations

import csv
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random


@dataclass(frozen=True)
class Entry:
    """One entry: its entrant key (a hash, not the listener), when it was made, and the contact."""

    entrant: str
    entered_at: str
    contact: str


def read_entries(table, campaign: str) -> list[Entry]:
    """Every entry of `campaign` in `table` (a boto3 DynamoDB Table), in entrant-key order."""
    from boto3.dynamodb.conditions import Key

    found: list[Entry] = []
    query = {"KeyConditionExpression": Key("campaign").eq(campaign), "ConsistentRead": True}
    while True:
        page = table.query(**query)
        found += [Entry(str(item["entrant"]), str(item.get("entered_at", "")), str(item.get("contact", "")))
                  for item in page.get("Items", [])]
        if "LastEvaluatedKey" not in page:
            break
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return sorted(found, key=lambda e: e.entrant)


def new_seed() -> int:
    """A fresh seed for a draw (printed, so the draw can be repeated)."""
    return secrets.randbelow(10 ** 9)


def pick_winners(entries: Sequence[Entry], winners: int, seed: int) -> list[Entry]:
    """`winners` entries (all of them when there are fewer) chosen at random with `seed`."""
    ordered = sorted(entries, key=lambda e: e.entrant)
    return Random(seed).sample(ordered, min(winners, len(ordered)))


def digest(entries: Iterable[Entry]) -> str:
    """A short fingerprint of the set of entries drawn from (their entrant keys)."""
    keys = "\n".join(sorted(e.entrant for e in entries))
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


def write_winners(path: Path, winners: Sequence[Entry]) -> None:
    """The winners as CSV: place, contact, when they entered."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["place", "contact", "entered_at"])
        for place, entry in enumerate(winners, start=1):
            writer.writerow([place, entry.contact, entry.entered_at])


def purge(table, campaign: str, entries: Iterable[Entry]) -> int:
    """Delete `entries` of `campaign` from `table`; returns how many were deleted."""
    count = 0
    with table.batch_writer() as batch:
        for entry in entries:
            batch.delete_item(Key={"campaign": campaign, "entrant": entry.entrant})
            count += 1
    return count
