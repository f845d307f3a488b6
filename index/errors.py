"""Every error the engine raises on purpose: one base class, small subclasses a caller may handle.

Surfaces (CLI, REPL, Telegram) catch `BriefbotError` and show its message as one line, so
messages speak to whoever uses the engine (a notebook, a bot), never of a surface's flags.
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


class DateError(BriefbotError, ValueError):
    """A date, time of day, time zone or date window that cannot be used (reversed, unknown zone).

    Also a `ValueError`, so pydantic reports it against the setting that holds the bad value.
    """


class DigestError(DateError):
    """A digest was asked for a window that cannot have one (it starts in the future)."""


class SubscriptionError(BriefbotError, ValueError):
    """A digest subscription request that cannot be honoured; the message says why."""


class FeedError(BriefbotError):
    """One feed could not be fetched or read (a poll goes on with the other feeds)."""


class DeskError(BriefbotError, ValueError):
    """An unknown desk, a bad desk name, or a desk that already exists."""


class LinkError(BriefbotError):
    """One URL was refused or could not be fetched; the message is the reason (an ingest goes on)."""
