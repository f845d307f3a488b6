"""What searching a named outlet's own reports costs: the same questions with and without the outlet.

    .venv/bin/python bench/outlet_latency.py --data-dir /tmp/s23k [--rounds 5]

Each question is asked twice per round, once naming an outlet the store holds ("according to the
Guardian") and once naming one it does not ("according to Der Spiegel" on a store without
spiegel.de), so both take the same path but for the outlet's own search. Prints p50 / p95 of
`Briefbot.search` and `Briefbot.ask` for each, and how often the outlet's report was in the top 6.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = (
    "What did {o} report about the junta's closure of Niger's airspace?",
    "How many French troops were in Niger, according to {o}?",
    "What did {o} say about ECOWAS's threat of military intervention in Niger?",
    "According to {o}, who declared himself Niger's new leader?",
    "What did {o} report on the evacuation of Europeans from Niamey?",
    "What did {o} say about uranium exports from Niger after the coup?",
    "According to {o}, what happened to Mohamed Bazoum after the coup?",
    "What did {o} report about protests outside the French embassy in Niamey?",
)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--named", default="the Guardian", help="an outlet the store holds")
    parser.add_argument("--site", default="theguardian.com", help="that outlet's site")
    parser.add_argument("--absent", default="Der Spiegel", help="an outlet the store does not hold")
    args = parser.parse_args()

    from index import Briefbot, Settings

    engine = Briefbot(Settings(data_dir=args.data_dir, _env_file=None))
    engine.ask(QUESTIONS[0].format(o=args.named))  # warm-up: model, keyword index, the sources list
    from index.outlets import named_sources
    from index.questions import profile_question

    index = engine.keywords.get()
    for outlet, held in ((args.named, True), (args.absent, False)):
        sites = named_sources(profile_question(QUESTIONS[0].format(o=outlet), index).key_names, set(index.sources))
        if bool(sites) != held:
            print(f"{outlet!r} is {'not ' if held else ''}an outlet of this store ({sorted(sites)}): pick another")
            return 2
    timings: dict[str, dict[str, list[float]]] = {k: {"search": [], "ask": []} for k in ("named", "absent")}
    found = {"named": 0, "absent": 0}
    for _ in range(args.rounds):
        for template in QUESTIONS:
            for kind, outlet in (("named", args.named), ("absent", args.absent)):
                question = template.format(o=outlet)
                start = time.perf_counter()
                hits = engine.search(question, k=6)
                timings[kind]["search"].append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                engine.ask(question)
                timings[kind]["ask"].append((time.perf_counter() - start) * 1000)
                found[kind] += any(args.site in h.url for h in hits)
    asked = args.rounds * len(QUESTIONS)
    print(f"| {asked} questions each | search p50 / p95 ms | ask p50 / p95 ms | {args.site} report in top 6 |")
    print("|---|---|---|---|")
    for kind, outlet in (("named", args.named), ("absent", args.absent)):
        t = timings[kind]
        print(f"| naming {outlet} | {statistics.median(t['search']):.1f} / {_p(t['search'], 0.95):.1f} "
              f"| {statistics.median(t['ask']):.1f} / {_p(t['ask'], 0.95):.1f} | {found[kind]}/{asked} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
