"""A scripted conversation with a campaign, run locally: `make run` without a terminal,
`dropday chat --demo [--campaign NAME]`, or `python -m dropday.localdev.demo`.

The script is what a listener would type into `dropday chat`: every line is matched with the real
interaction model and sent through the skill's Lambda handler, with DynamoDB served by a moto
server on loopback and the Alexa Settings API by a stub, and the answers printed as Alexa says them.
It fits any campaign: `{name}` is the campaign's invocation name, `{member}` its first member
(lines naming a member are left out when it has none) and `{release}` its release date.
"""

from __future__ import annotations

import sys

from ..core.manifest import Manifest

#: What the listeners say, and the simulator commands between their visits.
SCRIPT = [
    "# First visit",
    "Alexa, open {name}",
    "Give me a tip",
    "Yes",
    "A tip from {member}",
    "How long until the album comes out?",
    "Repeat that",
    "Help",
    "Stop",
    "# Three days later",
    "/time +3d",
    "Open {name}",
    "Tell me a tip",
    "Stop",
    "# A listener in Auckland at half past midnight on release day there: still the eve in London",
    "/user kiwi",
    "/locale en-AU",
    "/tz Pacific/Auckland",
    "/time {release}T00:30",
    "Ask {name} how long until the album comes out",
    "No",
    "# At the same moment in Los Angeles, it is half past three in the morning the day before",
    "/user sam",
    "/locale en-US",
    "/tz America/Los_Angeles",
    "Ask {name} when does the album come out",
    "No",
]


def script(invocation_name: str, manifest: Manifest) -> list[str]:
    """`SCRIPT` for one campaign: its invocation name, first member and release date filled in."""
    member = manifest.members[0].name if manifest.members else None
    return [line.format(name=invocation_name, member=member, release=manifest.album.release_date.isoformat())
            for line in SCRIPT if member is not None or "{member}" not in line]


def main() -> int:
    """Play the script and print what Alexa would say."""
    from .backend import ChatError
    from .simulator import ChatOptions, chat

    try:
        return chat(ChatOptions(demo=True), sys.stdin, sys.stdout)
    except ChatError as exc:
        print(f"dropday demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
