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


def test_a_long_list_is_encoded_by_workers_and_matches_one_pass() -> None:
    import torch

    embedder = Embedder(precision="fp32")
    texts = [f"Report {i}: {' '.join(['the junta'] * (i % 7 + 1))} said talks with the bloc would go on."
             for i in range(80)]
    embedder.encode(TEXTS)  # loads the model, which fixes the cores encoding may use
    assert embedder._workers_for(len(texts)) == min(torch.get_num_threads(), 8)
    threads_before = torch.get_num_threads()
    vectors = embedder.encode(texts)
    one_pass = embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True)
    assert vectors.shape == (80, embedder.dimension)
    assert float(np.max(np.abs(vectors - one_pass))) < 1e-5  # same batches, same padding, same rows
    assert torch.get_num_threads() == threads_before


def test_a_question_encoded_during_a_long_encode_leaves_torch_threads_as_they_were() -> None:
    import threading

    import torch

    embedder = Embedder(precision="fp32")
    embedder.encode(TEXTS)  # load the model first
    threads_before = torch.get_num_threads()
    texts = [f"Item {i} about the uranium exports and the border closure." for i in range(200)]
    results: dict[str, object] = {}
    bulk = threading.Thread(target=lambda: results.setdefault("bulk", embedder.encode(texts)))
    bulk.start()
    questions = [embedder.encode_query(TEXTS[i % 3]) for i in range(20)]
    bulk.join(timeout=120)
    assert not bulk.is_alive(), "the bulk encode did not finish"
    assert len(questions) == 20 and results["bulk"].shape == (200, embedder.dimension)  # type: ignore[union-attr]
    assert torch.get_num_threads() == threads_before


def test_a_failure_in_an_encoder_worker_reaches_the_caller(monkeypatch) -> None:
    embedder = Embedder(precision="fp32")
    embedder.encode(TEXTS)

    def broken(texts, **kwargs):
        raise RuntimeError("tokenizer exploded")

    monkeypatch.setattr(embedder.model, "preprocess", broken)
    with pytest.raises(RuntimeError, match="tokenizer exploded"):
        embedder.encode([f"text {i}" for i in range(100)])


def test_a_gpu_takes_bigger_batches_without_being_told() -> None:
    assert Embedder(device="cpu").batch_size == 16
    assert Embedder(device="cuda").batch_size == 128  # nothing loads until the first encode
    assert Embedder(device="cuda", batch_size=64).batch_size == 64
    assert Settings(_env_file=None, batch_size="").batch_size is None  # type: ignore[call-arg, arg-type]


def _cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


@pytest.mark.skipif(not _cuda_available(), reason="no CUDA device here: the GPU path (fp16, batch 128) needs one")
def test_auto_on_a_gpu_encodes_in_fp16_close_to_fp32() -> None:
    gpu, exact = Embedder(device="cuda", precision="auto"), Embedder(precision="fp32")
    fast, slow = gpu.encode(TEXTS), exact.encode(TEXTS)
    assert gpu.dtype_name == "fp16" and fast.dtype == np.float32
    assert float(np.min(np.sum(fast * slow, axis=1))) >= 0.999


@pytest.mark.parametrize("user_setting", [None, "64"])
def test_the_model_load_caps_the_onednn_caches_unless_the_user_set_them(user_setting) -> None:
    # A fresh process: the caps must be in place before torch builds its first primitive, and a
    # user's own setting is left as it is. (oneDNN's primitive cache and torch's cache in front of it.)
    import os
    import subprocess
    import sys

    names = ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "LRU_CACHE_CAPACITY")
    env = {k: v for k, v in os.environ.items() if k not in names}
    if user_setting:
        env.update(dict.fromkeys(names, user_setting))
    code = ("import os; from index.embedder import Embedder; e = Embedder(); e.encode(['a short text']); "
            f"print(*(os.environ[n] for n in {names!r}))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    from index.embedder import ONEDNN_PRIMITIVE_CACHE, TORCH_ONEDNN_CACHE

    expected = [user_setting] * 2 if user_setting else [str(ONEDNN_PRIMITIVE_CACHE), str(TORCH_ONEDNN_CACHE)]
    assert done.stdout.split()[-2:] == expected
