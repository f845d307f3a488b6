"""Write every briefing and timeline of bench/brief-topics.jsonl as JSON, for a judge to read.

    .venv/bin/python bench/brief_dump.py --niger-data DIR --maui-data DIR --out briefs.json

Each entry: the topic, its crisis, the kind, and the points (date, quoted text, the cited titles).
Checks the invariants a reader relies on and prints them: every point dated and cited, no source
under two points, "brief" newest first and "timeline" oldest first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--niger-data", type=Path, required=True)
    parser.add_argument("--maui-data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    from datetime import date

    from index import Briefbot, Settings

    engines = {crisis: Briefbot(Settings(data_dir=d, _env_file=None))  # type: ignore[call-arg]
               for crisis, d in (("niger", args.niger_data), ("maui", args.maui_data))}
    topics = [json.loads(line) for line in (ROOT / "bench/brief-topics.jsonl").read_text().splitlines() if line]
    out, points, dated, ordered, reused = [], 0, 0, 0, 0
    for t in topics:
        for kind in ("brief", "timeline"):
            since = date.fromisoformat(t["since"]) if t.get("since") else None
            until = date.fromisoformat(t["until"]) if t.get("until") else None
            b = engines[t["crisis"]].brief(t["topic"], since, until, kind=kind)
            dates = [p.date for p in b.points]
            ordered += dates == sorted(dates, reverse=kind == "brief")
            docs = [c.doc_id for p in b.points for c in p.citations]
            reused += len(docs) != len(set(docs))
            points += len(b.points)
            dated += sum(bool(p.date and p.citations) for p in b.points)
            out.append({"id": f"{t['id']}-{kind}", "crisis": t["crisis"], "topic": t["topic"], "kind": kind,
                        "abstained": b.abstained, "points": [{"date": p.date, "text": p.text,
                                                              "cited_titles": [c.title for c in p.citations]}
                                                             for p in b.points]})
    args.out.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(f"{len(out)} briefings, {points} points: {dated} dated and cited, {ordered}/{len(out)} in order, "
          f"{reused} with a source under two points")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
