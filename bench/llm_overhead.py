"""What a model answer costs beyond the model's own time, measured against the loopback stand-in.

    PYTHONPATH=. .venv/bin/python bench/llm_overhead.py [--rounds 5]

Builds a store of seeds/ + tests/corpus/ + tests/injection/injected.jsonl in a temp folder,
then asks each question of `tests/support/llm_cases.py` with its good sentences as the
scripted reply (1-5 sentences). The stand-in answers in about a millisecond, so what is left
is briefbot's own work: choosing and numbering passages, the prompt, HTTP and JSON, and the
sentence-by-sentence verification (MiniLM embeddings of the reply and the cited passages).
Prints p50/p95 of each part, and the whole `ask` with the model against the extractive one.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from index import Briefbot, Settings  # noqa: E402
from index.llm_answer import LLMAnswerer  # noqa: E402
from index.llm_client import ChatReply  # noqa: E402
from index.sentence_check import SentenceChecker, Verdict  # noqa: E402
from support.llm_cases import GOOD, QUESTIONS  # noqa: E402
from support.openai_standin import OpenAIStandin, Reply  # noqa: E402


class TimedChecker(SentenceChecker):
    """The real checker, timing each call."""

    times: list[float]

    def check(self, reply, passages, question, score_all=False) -> list[Verdict]:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return super().check(reply, passages, question, score_all)
        finally:
            self.times.append(time.perf_counter() - started)


def pct(values: list[float], q: float) -> float:
    return float(np.quantile(values, q)) * 1000 if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    replies: dict[str, list[str]] = {}
    for key, sentence in GOOD:
        replies.setdefault(key, []).append(sentence)
    with OpenAIStandin() as standin:
        settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="llm-overhead-")), answerer="llm",
                            llm_url=standin.url, llm_model=standin.model, llm_timeout=10, _env_file=None)
        engine = Briefbot(settings)
        engine.ingest([ROOT / "seeds", ROOT / "tests" / "corpus", ROOT / "tests" / "injection" / "injected.jsonl"])
        engine.warm_up()
        answerer = engine.answerer
        assert isinstance(answerer, LLMAnswerer)
        checker = TimedChecker(engine.embedder.encode_few)
        checker.times = []
        answerer.checker = checker
        model_times: list[float] = []
        complete = answerer.client.complete

        def timed_complete(messages, max_tokens=400) -> ChatReply:  # type: ignore[no-untyped-def]
            reply = complete(messages, max_tokens)
            model_times.append(reply.elapsed_s)
            return reply

        answerer.client.complete = timed_complete  # type: ignore[method-assign]
        llm_total, llm_answer, extractive_total, extractive_answer, sentences = [], [], [], [], []
        cold = []
        for round_no in range(args.rounds):
            for key, good in replies.items():
                question = QUESTIONS[key]
                hits = engine.search(question)
                text = " ".join(good[:5])
                standin.script(Reply(text))
                if round_no == 0:
                    checker._cache.clear()  # the first round embeds every sentence afresh
                started = time.perf_counter()
                answer = answerer.answer(question, hits)
                llm_answer.append(time.perf_counter() - started)
                cold.append(round_no == 0)
                assert answer.answerer == "llm", answer.fallback_reason
                started = time.perf_counter()
                answerer.fallback.answer(question, hits)
                extractive_answer.append(time.perf_counter() - started)
                sentences.append(len(good[:5]))
                standin.script(Reply(text))
                llm_total.append(engine.ask(question).elapsed_ms / 1000)
                engine.answerer = answerer.fallback
                extractive_total.append(engine.ask(question).elapsed_ms / 1000)
                engine.answerer = answerer
        # model_times holds both the direct and the ask() calls; each answer() made exactly one.
        direct_model = model_times[0::2]
        overhead = [a - m for a, m in zip(llm_answer, direct_model, strict=True)]
        checks = checker.times[0::2]
        cold_checks = [t for t, c in zip(checks, cold, strict=True) if c]
        warm_checks = [t for t, c in zip(checks, cold, strict=True) if not c]
        cold_overhead = [t for t, c in zip(overhead, cold, strict=True) if c]
        print(f"{len(llm_answer)} model answers ({args.rounds} rounds x {len(replies)} questions, "
              f"{min(sentences)}-{max(sentences)} sentences each), stand-in on loopback\n")
        print("| part | p50 ms | p95 ms |")
        print("|---|---|---|")
        rows = [
            ("model's own time (request to parsed reply, stand-in)", direct_model),
            ("LLMAnswerer.answer, whole", llm_answer),
            ("  of which beyond the model's time", overhead),
            ("  of which beyond the model's time, first round (no cached sentence vectors)", cold_overhead),
            ("  of which sentence verification, first round", cold_checks),
            ("  of which sentence verification, later rounds (source vectors cached)", warm_checks),
            ("ExtractiveAnswerer.answer, same hits", extractive_answer),
            ("ask() with the model (elapsed_ms)", llm_total),
            ("ask() extractive (elapsed_ms)", extractive_total),
        ]
        for name, values in rows:
            print(f"| {name} | {pct(values, 0.5):.0f} | {pct(values, 0.95):.0f} |")


if __name__ == "__main__":
    main()
