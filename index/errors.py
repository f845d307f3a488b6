"""One base error for the engine, small subclasses for what a caller may handle.

Surfaces (CLI, REPL, Telegram) catch `BriefbotError` and show its message as one line.
"""


class BriefbotError(Exception):
    """Base class: the message is fit to show a user as it is."""


class QuestionError(BriefbotError):
    """The question is empty, too long, or otherwise not a question we can search for."""


class StoreLockedError(BriefbotError):
    """Another process is writing to the same data directory."""


class StoreUnavailableError(BriefbotError):
    """The vector store cannot be reached (server down) or opened."""


class ModelMismatchError(BriefbotError):
    """The store was built with another embedding model (vector size or name differ)."""


class EmptyStoreError(BriefbotError):
    """Nothing has been ingested yet."""
