"""How likely an extractive answer is right: a small trained model over how its quote was chosen.

The extractive answerer ranks candidate sentences by hand-set weights (share of the question's
terms, the report's rank, whether the sentence gives the kind of thing asked). Ranking is what
those weights do well; a learned ranker over the same signals, validated one crisis out at a time,
did no better (README, "Measured"). What the score cannot say is when even the best sentence is a
near miss: "A helicopter has crashed" for "What type of helicopter crashed?", a report on the
right story that never gives what is asked. Its evidence then looks thin in a recognisable way: it
comes from a report ranked lower, holding less of the question and less close to it in meaning, and
it stands barely above the next candidate.

`answer_confidence` reads those signals of the chosen sentence (a `QuoteEvidence`) and gives the
chance that the quote answers the question, from a logistic model trained by
`bench/train_confidence.py` on the bench question sets of 19 crises (answerable and unanswerable
questions, each written blind by a helper). Below `ABSTAIN_BELOW` the answerer abstains. The model
reads evidence, never the question's wording or crisis: a question of a kind that is often
unanswerable in the training sets is not, by that alone, doubted.
"""

from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields


@dataclass(frozen=True)
class QuoteEvidence:
    """What the answerer knew of its best candidate sentence when it chose it.

    Attributes:
        coverage: idf-weighted share of the question's terms in the sentence. Not the score's own share,
            whose weights are cut by how many retrieved reports hold each term: with one or two reports
            retrieved (a narrow date window) every term is in all of them, and that share says nothing.
        doc_coverage: share of the question's terms anywhere in the sentence's report.
        rank_prior: 1 / (1 + 0.35 * the report's retrieval rank).
        kind_bonus: the score's bonus (or penalty) for giving the kind of thing asked.
        similarity: cosine of the question and the report's closest chunk.
        score: the sentence's score, with `coverage` in place of the cut share it ranks by.
        margin: how far the sentence's ranking score stands above the next candidate's.
        log_candidates: log(1 + candidate sentences left after the answer-kind filters).
        log_reports: log(1 + reports those candidates come from).
        one_report_leads: 1.0 when the five best candidates all come from one report.
    """

    coverage: float
    doc_coverage: float
    rank_prior: float
    kind_bonus: float
    similarity: float
    score: float
    margin: float
    log_candidates: float
    log_reports: float
    one_report_leads: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The feature names, in the order `vector` gives them."""
        return tuple(f.name for f in fields(cls))

    def vector(self) -> tuple[float, ...]:
        """The features as numbers, in `names` order."""
        return astuple(self)


# Trained by bench/train_confidence.py (L2 = 1.0 on standardised features; see the README for the
# data and the leave-one-crisis-out numbers). Regenerate with that script rather than editing by hand.
FEATURE_MEAN: tuple[float, ...] = (0.563, 0.742, 0.927, 0.168, 0.675, 1.760, 0.599, 1.609, 1.149, 0.412)
FEATURE_SCALE: tuple[float, ...] = (0.223, 0.185, 0.160, 0.153, 0.107, 0.424, 0.629, 0.665, 0.440, 0.492)
WEIGHTS: tuple[float, ...] = (0.034, 0.418, 0.633, 0.322, 0.351, 0.196, 0.704, 0.166, 0.155, 0.187)
BIAS = 2.039
# Below this chance the answer is withheld. Chosen on the leave-one-crisis-out predictions:
# each answer withheld there that was right cost one, each unanswerable question asked back gained one.
ABSTAIN_BELOW = 0.25


def answer_confidence(evidence: QuoteEvidence) -> float:
    """The model's chance (0-1) that the sentence behind `evidence` answers the question."""
    z = BIAS + sum(w * (x - m) / s for w, x, m, s in zip(WEIGHTS, evidence.vector(), FEATURE_MEAN, FEATURE_SCALE,
                                                       strict=True))
    return 1.0 / (1.0 + math.exp(-z))
