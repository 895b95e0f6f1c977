"""A scripted conversation with a campaign, run locally: `make run` without a terminal,
`dropday chat --demo [--campaign NAME]`, or `python -m dropday.localdev.demo`.

The script is what a listener would type into `dropday chat`: every line is matched with the real
interaction model and sent through the skill's Lambda handler, with DynamoDB served by a moto
server on loopback and the Alexa Settings API by a stub, and the answers printed as Alexa says them.
It fits any campaign, showing each format the campaign uses and leaving out the lines of those it
does not (`Manifest.features`): `{name}` is the campaign's invocation name, `{member}` its first
member, `{section}` its first section of short pieces other than the tips, `{release}` its release
date and `{daily_start}` the first day of its daily question. With several campaigns in the folder,
`dropday chat --demo` plays the script for each, one after the other.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from datetime import date, timedelta

from ..core.campaign import Manifest

#: What the listeners say, and the simulator commands between their visits, each with what the
#: campaign needs for it to be said: features of `Manifest.features`, and `section` (a section of
#: short pieces besides the tips), `episode` (an episode out when the listener asks for one, three
#: days in), `daily_start` (a daily question on the calendar), or a locale.
SCRIPT: list[tuple[str, str]] = [
    ("", "# First visit"),
    ("", "Alexa, open {name}"),
    ("tips", "Give me a tip"),
    ("tips", "Yes"),
    ("tips members", "A tip from {member}"),
    ("section", "Play something from {section}"),
    ("members", "Who's in the band?"),
    ("members", "Tell me about {member}"),
    ("", "How long until the album comes out?"),
    ("", "Repeat that"),
    ("", "Help"),
    ("", "Stop"),
    ("", "# Three days later: what's new since the last visit, and what the listener has unlocked"),
    ("", "/time +3d"),
    ("", "Open {name}"),
    ("sections", "What's new?"),
    ("tips", "Tell me a tip"),
    ("unlockables", "What have I unlocked?"),
    ("", "Stop"),
    ("quiz", "# A round of the quiz, answered by letter, by position, and not at all"),
    ("quiz", "Ask {name} to start the quiz"),
    ("quiz", "A"),
    ("quiz", "The answer is B"),
    ("quiz", "Repeat the question"),
    ("quiz", "I don't know"),
    ("quiz", "The second one"),
    ("quiz", "Skip"),
    ("quiz", "Stop"),
    ("long_form", "# An episode, streamed with AudioPlayer: the skill ends its session to play it, and the "
                  "listener pauses and resumes it without naming the skill"),
    ("long_form", "Ask {name} to play the next episode"),
    ("episode", "/time +2m"),
    ("episode", "Pause"),
    ("episode", "/time +1h"),
    ("episode", "Resume"),
    ("episode", "Stop"),
    ("daily", "# The daily question, one a day in the listener's own time zone"),
    ("daily daily_start", "/time {daily_start}T18:00"),
    ("daily", "Ask {name} for today's question"),
    ("daily", "A"),
    ("daily", "/time +1d"),
    ("daily", "Ask {name} for today's question"),
    ("daily", "The second one"),
    ("", "# A listener in Auckland at half past midnight on release day there: still the eve in London"),
    ("", "/user kiwi"),
    ("en-AU", "/locale en-AU"),
    ("", "/tz Pacific/Auckland"),
    ("", "/time {release}T00:30"),
    ("", "Ask {name} how long until the album comes out"),
    ("", "Ask {name} to play the album"),
    ("", "# At the same moment in Los Angeles, it is half past three in the morning the day before"),
    ("", "/user sam"),
    ("en-US", "/locale en-US"),
    ("", "/tz America/Los_Angeles"),
    ("", "Ask {name} when does the album come out"),
    ("", "No"),
    ("reminders", "Stop"),   # the "no" was to the reminder the countdown offered; the skill asks what next
]


def script(invocation_name: str, manifest: Manifest, locales: Collection[str] | None = None,
           day: date | None = None) -> list[str]:
    """`SCRIPT` for one campaign: the lines it has what they need for (`locales`: the locales of its
    models, None keeps every locale line; `day`: the listener's first day, None takes an episode to
    be out), with its names and dates filled in."""
    member = manifest.members[0].name if manifest.members else None
    section = next((s for s in manifest.sections if s.answers is None and not s.long_form and s.pieces), None)
    daily_start = manifest.daily.start if manifest.daily is not None else None
    episode_day = day + timedelta(days=3) if day is not None else None  # the episode is asked for three days in
    episode = next((p for s in manifest.sections if s.long_form for p in s.pieces
                    if episode_day is None or p.available_on(episode_day)), None)
    has = set(manifest.features) | {name for name, value in (("section", section), ("daily_start", daily_start),
                                                             ("episode", episode)) if value is not None}

    def fits(need: str) -> bool:
        return (locales is None or need in locales) if "-" in need else need in has

    lines = []
    for needs, line in SCRIPT:
        if all(fits(need) for need in needs.split()):
            lines.append(line.format(name=invocation_name, member=member, section=section.name if section else None,
                                     release=manifest.album.release_date.isoformat(), daily_start=daily_start))
    return lines


def main() -> int:
    """Play the script and print what Alexa would say."""
    from .backend import ChatError
    from .chat import ChatOptions, chat

    try:
        return chat(ChatOptions(demo=True), sys.stdin, sys.stdout)
    except ChatError as exc:
        print(f"dropday demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
