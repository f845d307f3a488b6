"""`EngineParts`: what the story builders (digest, briefing, clustering) need of an engine.

They take an engine but must not import `index.engine` (which imports them); this protocol
names the parts they use, and `Briefbot` has them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .config import Settings
    from .embedder import Embedder
    from .keyword import KeywordIndexCache
    from .search import HybridSearcher
    from .store import ChunkStore


class EngineParts(Protocol):
    """The settings, store, keyword index, embedder and searcher of an engine."""

    settings: Settings
    store: ChunkStore
    keywords: KeywordIndexCache
    embedder: Embedder
    searcher: HybridSearcher
