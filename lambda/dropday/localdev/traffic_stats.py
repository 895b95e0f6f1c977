"""What `dropday simulate` measures: latency per kind of turn, throughput, and whether the skill
kept every listener's state.

`Latencies` keeps the time each request took as the device waited for it (the handler call,
with its DynamoDB and Alexa API calls over loopback), by the kind of turn its event names, and
gives nearest-rank percentiles. `Ledger` follows, from the turn events, the pieces each listener
was served, the way the skill's rotations file them (a section's rotation starts over when a piece
comes round again; a long-form episode counts once the device says it played to its end), and
the unlocks announced; `Ledger.check` compares that with each listener's stored item.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..core.campaign import Manifest
from ..core.listener import ListenerState

#: Percentiles shown per kind of turn.
PERCENTILES = (50, 90, 99)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank `p`th percentile of `values` (sorted or not; 0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Latencies:
    """Milliseconds per request, by kind of turn."""

    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, ms: float) -> None:
        self.by_kind[kind].append(ms)

    @property
    def every(self) -> list[float]:
        return [ms for values in self.by_kind.values() for ms in values]

    def table(self) -> list[str]:
        """A table of turns, p50, p90, p99 and max per kind (busiest first), and all turns last."""
        header = f"  {'kind of turn':<16}{'turns':>7}" + "".join(f"{'p' + str(p):>9}" for p in PERCENTILES) + \
            f"{'max':>9}"
        rows = [header]
        kinds = sorted(self.by_kind, key=lambda k: (-len(self.by_kind[k]), k))
        for kind, values in [*((k, self.by_kind[k]) for k in kinds), ("all", self.every)]:
            rows.append(f"  {kind:<16}{len(values):>7}" + "".join(f"{percentile(values, p):>9.1f}"
                                                                  for p in PERCENTILES)
                        + f"{max(values, default=0.0):>9.1f}")
        return rows


@dataclass
class _Rotation:
    heard: list[str] = field(default_factory=list)
    rotation: int = 0


class Ledger:
    """What each listener was served, from the turn events of their requests (see the module docstring)."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self._long_form = {s.id for s in manifest.sections if s.long_form}
        self._sections: dict[str, dict[str, _Rotation]] = defaultdict(lambda: defaultdict(_Rotation))
        self._unlocked: dict[str, list[str]] = defaultdict(list)

    def served(self, user_id: str, event: Mapping[str, Any]) -> None:
        """Note what one turn event says a listener was served."""
        for played in event.get("played") or ():
            section, piece = played.get("section"), played.get("piece")
            progress = self._sections[user_id][section]
            if section in self._long_form:
                # an episode counts once it has played to its end (`finished`); starting a heard
                # one starts the section over
                if event.get("request") != "AudioPlayer.PlaybackFinished" and piece in progress.heard:
                    progress.heard, progress.rotation = [], progress.rotation + 1
            elif piece in progress.heard:       # a piece comes round again: a new rotation
                progress.heard, progress.rotation = [piece], progress.rotation + 1
            else:
                progress.heard.append(piece)
        for unlock in event.get("unlocked") or ():
            if unlock not in self._unlocked[user_id]:
                self._unlocked[user_id].append(unlock)

    def finished(self, user_id: str, section: str, episode: str) -> None:
        """Note that the listener's device played a long-form episode to its end (it said so with
        AudioPlayer.PlaybackFinished)."""
        progress = self._sections[user_id][section]
        if episode not in progress.heard:
            progress.heard.append(episode)

    def check(self, items: Iterable[tuple[int, str, Mapping[str, Any] | None]]) -> list[str]:
        """Compare stored items `(listener number, user id, item or None)` with what was served; one
        line per difference, naming the listener by their number in the run, never by their id.
        """
        problems = []
        for number, user_id, item in items:
            attributes = (item or {}).get("attributes") or {}
            state = ListenerState.from_dict(attributes).fitted(self.manifest)
            for section in self.manifest.sections:
                stored = {p.id for p in self.manifest.pieces_with_keys(state.progress(section.id).heard)}
                expected = self._sections.get(user_id, {}).get(section.id, _Rotation())
                if stored != set(expected.heard):
                    problems.append(f"listener {number}, {section.id}: stored {sorted(stored)}, served "
                                    f"{sorted(expected.heard)}")
                elif state.progress(section.id).rotation != expected.rotation:
                    problems.append(f"listener {number}, {section.id}: stored rotation "
                                    f"{state.progress(section.id).rotation}, served {expected.rotation}")
            unlocked = {u.id for u in self.manifest.unlockables if u.key in set(state.unlocked)}
            if unlocked != set(self._unlocked.get(user_id, ())):
                problems.append(f"listener {number}: stored unlocks {sorted(unlocked)}, announced "
                                f"{sorted(self._unlocked.get(user_id, ()))}")
        return problems


@dataclass
class TrafficResult:
    """What a run did and measured."""

    campaign: str
    first_day: date
    days: int
    listeners: int
    events: Path
    seed: int
    turns: int = 0
    sessions: int = 0
    visitors: set[int] = field(default_factory=set)
    requests: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    latencies: Latencies = field(default_factory=Latencies)
    seconds: float = 0.0
    reminders_set: int = 0
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    interrupted: bool = False

    @property
    def throughput(self) -> float:
        """Turns per second of wall time."""
        return self.turns / self.seconds if self.seconds else 0.0

    def summary(self) -> list[str]:
        """The lines `dropday simulate` prints at the end."""
        last = self.first_day + timedelta(days=self.days - 1)
        every = self.latencies.every
        lines = [f"simulated {self.campaign}: {self.listeners} listeners over {self.days} days "
                 f"({self.first_day} to {last}), seed {self.seed}",
                 f"  {len(self.visitors)} listeners came, in {self.sessions} sessions; {self.reminders_set} "
                 f"reminders set",
                 f"throughput: {self.turns} turns in {self.seconds:.1f} s, {self.throughput:.1f} turns/s "
                 f"(one request at a time, as one Lambda container serves them)",
                 f"latency: p50 {percentile(every, 50):.1f} ms, p90 {percentile(every, 90):.1f} ms, "
                 f"p99 {percentile(every, 99):.1f} ms; per kind of turn (ms, as the device waited):",
                 *self.latencies.table(),
                 "requests: " + ", ".join(f"{kind} {count}" for kind, count in self.requests.most_common())]
        if self.faults:
            lines.append("faults: " + ", ".join(f"{name} {count}" for name, count in sorted(self.faults.items())))
        if self.interrupted:
            lines.append("state: not checked (the run was interrupted)")
        elif self.problems:
            lines.append(f"state: {len(self.problems)} differences between stored state and what was served:")
            lines += [f"  {problem}" for problem in self.problems[:20]]
        else:
            lines.append(f"state: all {self.checked} listeners' stored pieces and unlocks match what they were served")
        lines.append(f"events: {self.turns} turn events in {self.events}")
        return lines
