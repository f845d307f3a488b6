"""Embedding precision (bf16 where the CPU has it, fp32 otherwise, never silently) and texts encoded once."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from index import Briefbot, Settings
from index.embedder import Embedder, cpu_has_native_bf16

pytestmark = pytest.mark.slow
TEXTS = ["Niger's junta closed the country's airspace on Sunday.", "ECOWAS ordered a standby force.",
         "Exports of uranium to France were suspended."]


def test_fp32_when_asked() -> None:
    embedder = Embedder(precision="fp32")
    vectors = embedder.encode(TEXTS)
    assert embedder.dtype_name == "fp32" and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.skipif(not cpu_has_native_bf16(), reason="this CPU has no native bfloat16 (avx512_bf16/amx_bf16)")
def test_auto_takes_bf16_where_the_cpu_has_it_and_agrees_with_fp32() -> None:
    auto, exact = Embedder(precision="auto"), Embedder(precision="fp32")
    fast, slow = auto.encode(TEXTS), exact.encode(TEXTS)
    assert auto.dtype_name == "bf16" and fast.dtype == np.float32
    assert float(np.min(np.sum(fast * slow, axis=1))) >= 0.999
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    query = np.asarray(auto.encode_query(TEXTS[0]), dtype=np.float32)
    assert float(query @ slow[0]) >= 0.999


def test_a_cpu_without_bf16_gets_fp32_and_one_line_saying_why(monkeypatch, caplog) -> None:
    monkeypatch.setattr(Embedder, "native_bf16", lambda self: False)
    with caplog.at_level(logging.INFO, logger="index.embedder"):
        embedder = Embedder(precision="auto")
        embedder.encode(TEXTS)
        embedder.encode(TEXTS)
    assert embedder.dtype_name == "fp32"
    lines = [r.getMessage() for r in caplog.records if "fp32" in r.getMessage()]
    assert len(lines) == 1 and "no native bfloat16" in lines[0]


def test_a_probe_that_disagrees_keeps_fp32(monkeypatch, caplog) -> None:
    monkeypatch.setattr(Embedder, "native_bf16", lambda self: True)
    monkeypatch.setattr(Embedder, "_probe", lambda self, model, dtype: 0.9)
    with caplog.at_level(logging.WARNING, logger="index.embedder"):
        embedder = Embedder(precision="auto")
        embedder.encode(TEXTS)
    assert embedder.dtype_name == "fp32"
    assert any("disagreed with fp32" in r.getMessage() for r in caplog.records)


def test_syndicated_copies_are_encoded_once(tmp_path) -> None:
    text = "The junta said it had foiled an attempt by the deposed president to escape from detention."
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({
        "title": "Deposed president tried to escape, junta says", "description": text,
        "link": f"https://outlet{i}.example.org/escape", "date_published": "2023-10-20T08:00:00+00:00",
        "source": f"outlet{i}", "language": "en"}) for i in range(5)) + "\n")
    engine = Briefbot(Settings(data_dir=tmp_path / "data", _env_file=None))  # type: ignore[call-arg]
    report = engine.ingest([feed])
    assert report.added == 5 and report.chunks_embedded == 5 and report.chunks_reused == 4
    answer = engine.ask("What did the junta say the deposed president tried to do?")
    assert not answer.abstained and "escape" in answer.answer
