"""briefbot's engine: documents in, cited answers and digests out. Never imports telegram."""

from .config import Settings
from .engine import Briefbot, CorpusStats
from .errors import BriefbotError, EmptyStoreError, QuestionError, StoreLockedError, StoreUnavailableError
from .types import Answer, Citation, Document, Hit, IngestReport, Note, Problem

__all__ = [
    "Answer",
    "Briefbot",
    "BriefbotError",
    "Citation",
    "CorpusStats",
    "Document",
    "EmptyStoreError",
    "Hit",
    "IngestReport",
    "Note",
    "Problem",
    "QuestionError",
    "Settings",
    "StoreLockedError",
    "StoreUnavailableError",
]
