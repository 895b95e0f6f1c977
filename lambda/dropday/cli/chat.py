"""`dropday chat`: talk to the skill locally, as a listener would (see `dropday.localdev.simulator`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXAMPLES = """\
examples:
  dropday chat                                   type at the prompt; say "open lantern foxes" first (a folder
                                                 of several campaigns puts each one's skill on the device)
  dropday chat --tz Pacific/Auckland --at 2027-01-14T23:30
  printf 'open lantern foxes\\ngive me a tip\\nstop\\n' | dropday chat
  dropday chat --replay dialog.json --json       an `ask dialog --replay` file, showing every request and response
  dropday chat --demo                            the scripted demo of each campaign (what `make run` plays)
  dropday chat --campaign NAME                   only that campaign of audio_manifest/ (and its interaction models)

  dropday chat --screen hub-landscape-medium     an Echo Show 8: each answer's screen in a line, /touch N presses

In the conversation: /time +3d, /time 2026-12-01T23:30, /tz ZONE, /locale en-US, /user NAME, /new, /pause,
/resume, /consent yes|no|ignore, /reminders, /screen PROFILE|none, /touch N, /status, /help. An episode plays
on the device's player as the clock moves ("pause", "resume" and "next" reach it without the skill's name).
When a skill asks for a permission, Alexa's question is shown and "yes" or "no" answers it. State lives in a
moto DynamoDB server on loopback for the life of the command (--endpoint for another), the Alexa APIs
(Settings, Reminders, customer profile) in stubs on loopback."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `chat` command."""
    from ..localdev.chat import DEFAULT_LOCALE, DEFAULT_USER
    from ..localdev.screens import SCREEN_DEVICES

    parser = subparsers.add_parser(
        "chat", help="talk to the skill locally: typed utterances in, what Alexa says out",
        description="Talk to the skill as a listener would. Each utterance is matched to an intent with the "
                    "locale's interaction model, sent through the skill's Lambda handler in a full request "
                    "envelope, and answered with what Alexa would say, clips shown as [clip: file 3.2 s "
                    "\"transcript\"]. Reads one utterance per line when standard input is not a terminal.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locale", help=f"the device's locale (default {DEFAULT_LOCALE}, or the replay file's)")
    parser.add_argument("--tz", metavar="ZONE", help="the device's time zone, as the Alexa Settings API answers it "
                                                     "(default: the campaign's default time zone; with several, "
                                                     "the first one's)")
    parser.add_argument("--at", metavar="TIME", help="when the conversation happens: ISO 8601, local to --tz "
                                                     "unless it has an offset (2027-01-14T23:30), or +3d/-2h from "
                                                     "now (default: now); the clock runs from there")
    parser.add_argument("--user", default=DEFAULT_USER, metavar="NAME",
                        help=f"the listener (each keeps their own state; default {DEFAULT_USER})")
    parser.add_argument("--manifest", type=Path, metavar="PATH",
                        help="a campaign manifest file, or a folder of them (default: MANIFEST_DIR, with the "
                             "campaign DROPDAY_CAMPAIGN names, else the repository's audio_manifest/); a folder "
                             "of one campaign serves it whatever DROPDAY_CAMPAIGN says")
    parser.add_argument("--campaign", metavar="NAME",
                        help="the campaign, when the manifest folder holds several (default: the one "
                             "DROPDAY_CAMPAIGN names if the folder has it, else all of them, each its own skill "
                             "on the device)")
    parser.add_argument("--models", type=Path, metavar="DIR",
                        help="the interaction models, one folder per campaign: DIR/<campaign>/<locale>.json "
                             "(default: interaction_models/ beside the manifest folder)")
    parser.add_argument("--endpoint", metavar="URL",
                        help="keep listener state in the DynamoDB at URL (DynamoDB Local, a moto server), or "
                             "'aws' for real AWS with your usual configuration and SKILL_STATE_TABLE; default: "
                             "a moto server on loopback, for the life of this command")
    parser.add_argument("--play", action="store_true", help="play the clips too, where this machine can")
    parser.add_argument("--json", action="store_true", dest="show_json",
                        help="show each request and response, and the turn event the skill logged")
    parser.add_argument("--replay", type=Path, metavar="FILE",
                        help="play an ASK CLI dialog replay file ({skillId, locale, type: text, userInput: [...]})")
    parser.add_argument("--demo", action="store_true",
                        help="play the scripted demo conversation, for each campaign on a device of its own")
    parser.add_argument("--screen", metavar="PROFILE",
                        help="a device with a screen: a viewport profile (" + ", ".join(SCREEN_DEVICES) + "); "
                             "each answer shows the APL document the screen gets, and /touch N presses its "
                             "buttons (default: an Echo without a screen)")
    parser.add_argument("--seed", type=int, help="seed the tip order, for a repeatable conversation")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, stdin=None, stdout=None, backend=None) -> int:
    """Run the chat; 2 when it cannot start (the reason on standard error)."""
    from ..localdev.backend import ChatError
    from ..localdev.chat import ChatOptions, chat

    options = ChatOptions(locale=args.locale, tz=args.tz, at=args.at, user=args.user, manifest=args.manifest,
                          campaign=args.campaign, models=args.models, endpoint=args.endpoint, play=args.play,
                          show_json=args.show_json, replay=args.replay, seed=args.seed, demo=args.demo,
                          screen=args.screen)
    try:
        return chat(options, stdin or sys.stdin, stdout or sys.stdout, backend)
    except ChatError as exc:
        print(f"dropday chat: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`dropday chat ... | head`): stop quietly
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
