"""The Telegram tests' corpus: a few news items, each the one answer to a key question.

`write_corpus(folder)` writes them as a JSON feed (with links, so citations are linked) plus
one plain-text note without a URL. The key documents answer `QUESTIONS` one each; the market
reports are long and alike, so a question about markets retrieves many of them.
"""

from __future__ import annotations

import json
from pathlib import Path

BASE = "https://news.example.org"
# (title, slug, date, body): each key question below is answered by exactly one of these.
KEY_DOCS = [
    ("ECOWAS gives Niger junta a seven-day ultimatum", "ecowas-ultimatum", "2023-07-30",
     "Leaders of the Economic Community of West African States met in Abuja and gave the military junta in Niger "
     "seven days to reinstate President Mohamed Bazoum. The bloc said it would not rule out the use of force if the "
     "deadline passed. It also closed borders and suspended commercial transactions with Niger."),
    ("France begins evacuating its citizens from Niamey", "france-evacuation", "2023-08-01",
     "France began evacuating its citizens and other Europeans from Niger on Tuesday after protesters attacked the "
     "French embassy in Niamey. Military aircraft flew the evacuees to Paris. Italy and Spain also organised flights "
     "for their nationals."),
    ("World Bank pauses disbursements to Niger", "world-bank-pause", "2023-08-03",
     "The World Bank said it had paused disbursements for its operations in Niger until further notice. The lender "
     "had committed about 1.5 billion dollars to the country. Private sector transactions would continue under "
     "strict monitoring."),
    ("Junta names Ali Lamine Zeine as prime minister", "zeine-pm", "2023-08-08",
     "The military rulers of Niger appointed economist Ali Lamine Zeine as the new prime minister. Zeine previously "
     "served as finance minister and worked at the African Development Bank. The announcement was read on national "
     "television."),
    ("Uranium exports face disruption after coup", "uranium", "2023-08-05",
     "Niger supplies about five percent of the world's uranium, much of it mined by the French company Orano near "
     "Arlit. Analysts said the coup could disrupt shipments that pass through Benin. Orano said its operations were "
     "continuing."),
]
QUESTIONS = [
    ("How many days did ECOWAS give the junta?", "ecowas-ultimatum"),
    ("Where did the French evacuation flights go?", "france-evacuation"),
    ("What did the World Bank pause?", "world-bank-pause"),
    ("Who was appointed prime minister by the junta?", "zeine-pm"),
    ("What share of the world's uranium does Niger supply?", "uranium"),
]
MARKETS = ["Zinder", "Maradi", "Tahoua", "Dosso", "Agadez", "Tillaberi", "Diffa", "Niamey"]


def _market_body(town: str) -> str:
    # Long, distinct bodies: the long-form answer quotes them all (well past 4,096 characters).
    lines = [
        f"Traders in the {town} market said the price of a sack of rice rose sharply after the borders closed.",
        f"Millet and sorghum sellers in {town} reported that trucks from Benin and Nigeria had stopped arriving.",
        f"Shop owners in {town} described queues for cooking oil and said fuel prices had doubled in a week.",
        f"Aid workers in {town} warned that households were cutting meals as food prices kept climbing.",
        f"Local officials in {town} promised price controls but traders said stocks would run out within weeks.",
    ]
    return " ".join(lines)


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "feed.jsonl", "w", encoding="utf-8") as fh:
        for title, slug, day, body in KEY_DOCS:
            fh.write(json.dumps({"title": title, "description": body, "link": f"{BASE}/{slug}",
                                 "date_published": day, "source": "Example News", "language": "en"}) + "\n")
        for i, town in enumerate(MARKETS):
            fh.write(json.dumps({"title": f"Market prices climb in {town}", "description": _market_body(town),
                                 "link": f"{BASE}/markets-{town.lower()}", "date_published": f"2023-08-1{i}",
                                 "source": "Example News", "language": "en"}) + "\n")
    # The plain-text seed format too (no URL: its citation is shown without a link).
    (folder / "notes.txt").write_text(
        " date 2023-08-02 Title: Niamey rally backs the junta\n\nThousands rallied in Niamey in support of the "
        "military government, waving Russian flags outside the national assembly.\n", encoding="utf-8")
    return folder
