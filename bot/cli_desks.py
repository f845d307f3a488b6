"""`briefbot desks`: list the desks of an installation, make one, change one.

    briefbot desks                                   # name, title, documents, chunks
    briefbot desks add libya-floods --title "Libya floods, 2023" --description "Storm Daniel ..."
    briefbot desks edit default --title "Niger coup, 2023" --timezone Africa/Niamey
    briefbot --desk libya-floods ingest reports/     # every command takes --desk NAME

The profile is kept in the store (see `index.desks`), so every process sees the same desks.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from index.config import Settings
from index.desk_profile import Desk, parse_chats
from index.desks import Desks

from . import terminal

PROFILE_HELP = {
    "title": "a short title, shown in /start, /help and digests",
    "description": "one paragraph on what the desk follows",
    "languages": "comma list of language codes answers draw on (default: BRIEFBOT_LANGUAGES)",
    "feeds": "RSS/Atom URLs this desk polls, comma or space separated",
    "timezone": "IANA time zone of its digest days (default: BRIEFBOT_TIMEZONE)",
    "digest_time": "HH:MM of its daily digest by default (default: BRIEFBOT_DIGEST_TIME)",
    "chats": "Telegram chat ids that may use this desk (default: every chat the bot allows)",
}


def add_desks_parser(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register `desks` (with `list`, `add`, `edit`) on the main parser's subcommands; `parents` give
    the global options, which each action takes after its name too."""
    p = sub.add_parser("desks", help="list, add or edit desks (one per crisis)",
                       description="A desk is one crisis: its own documents, title, description, languages, "
                                   "feeds and digest time zone. Every command takes --desk NAME "
                                   "(or BRIEFBOT_DESK); the default desk needs no setup.")
    p.add_argument("--json", action="store_true", help="print the desks as JSON")
    actions = p.add_subparsers(dest="desks_action", metavar="ACTION")
    actions.add_parser("list", help="every desk with its counts (the default action)", parents=list(parents))
    for action, verb in (("add", "make a new desk"), ("edit", "change a desk's profile")):
        q = actions.add_parser(action, help=verb, description=f"{verb.capitalize()}; "
                               "fields not given are left as they are.", parents=list(parents))
        q.add_argument("name", help="lower-case letters, digits and hyphens (e.g. libya-floods)")
        for field, text in PROFILE_HELP.items():
            q.add_argument("--" + field.replace("_", "-"), dest=field, metavar=field.upper(), help=text)


def cmd_desks(args: argparse.Namespace, settings: Settings) -> int:
    """Run `briefbot desks [list|add|edit]`."""
    desks = Desks(settings)
    action = getattr(args, "desks_action", None) or "list"
    if action == "list":
        counts = desks.counts()
        if args.json:
            print(json.dumps([{**c.desk.to_json(), "documents": c.documents, "chunks": c.chunks} for c in counts],
                             ensure_ascii=False))
            return 0
        width = max(len(c.desk.name) for c in counts)
        for c in counts:
            print(f"{c.desk.name:<{width}}  {c.documents:>7} docs  {c.chunks:>7} chunks  "
                  f"{terminal.safe(c.desk.display_title)}")
        return 0
    changes: dict[str, Any] = {f: getattr(args, f) for f in PROFILE_HELP if f != "chats"}
    if args.chats is not None:
        changes["chats"] = parse_chats([args.chats])
    if action == "add":
        desk = desks.create(replace(Desk(args.name), **{k: v for k, v in changes.items() if v is not None}))
        print(f"desk {desk.name} added; fill it with: briefbot --desk {desk.name} ingest FILES")
    else:
        desk = desks.update(args.name, changes)
        print(f"desk {desk.name} updated")
    return 0
