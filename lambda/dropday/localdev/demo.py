"""A scripted conversation with the demo campaign, run locally: `make run` without a terminal,
`dropday chat --demo`, or `python -m dropday.localdev.demo`.

The script is what a listener would type into `dropday chat`: every line is matched with the real
interaction model and sent through the skill's Lambda handler, with DynamoDB served by a moto
server on loopback and the Alexa Settings API by a stub, and the answers printed as Alexa says them.
"""

from __future__ import annotations

import sys

#: What the listeners say, and the simulator commands between their visits.
SCRIPT = [
    "# First visit",
    "Alexa, open lantern foxes",
    "Give me a tip",
    "Yes",
    "A tip from Noor",
    "How long until the album comes out?",
    "Repeat that",
    "Help",
    "Stop",
    "# Three days later",
    "/time +3d",
    "Open lantern foxes",
    "Tell me a tip",
    "Stop",
    "# A listener in Auckland at half past midnight on release day there: still the eve in London",
    "/user kiwi",
    "/locale en-AU",
    "/tz Pacific/Auckland",
    "/time 2027-01-15T00:30",
    "Ask lantern foxes how long until the album comes out",
    "No",
    "# At the same moment in Los Angeles, it is half past three in the morning the day before",
    "/user sam",
    "/locale en-US",
    "/tz America/Los_Angeles",
    "Ask lantern foxes when does the album come out",
    "No",
]


def main() -> int:
    """Play the script and print what Alexa would say."""
    from .simulator import ChatError, ChatOptions, chat

    try:
        return chat(ChatOptions(lines=list(SCRIPT)), sys.stdin, sys.stdout)
    except ChatError as exc:
        print(f"dropday demo: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
