"""Desks: one installation, several crises, each in its own Chroma collection.

A desk is a name (`niger`, `libya-floods`), a title and a one-paragraph description that
the surfaces introduce it with, and optionally its own languages, feeds, digest time zone
and time, and the Telegram chats that may use it. The store keeps what a desk is: the
profile lives in its collection's metadata, so it works the same with an embedded store
and with a Chroma server, and a desk's documents and its description cannot drift apart.

    from index.desks import Desks
    desks = Desks(Settings())
    desks.create("libya-floods", title="Libya floods", description="Storm Daniel and Derna, Sept 2023")
    engine = desks.open("libya-floods")          # a Briefbot that only sees this desk

The default desk is the collection `BRIEFBOT_COLLECTION` itself, so a data dir from before
desks existed answers as the default desk with no migration. Desk NAME lives in the
collection "<BRIEFBOT_COLLECTION>-NAME".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .config import DEFAULT_DESK, Settings, check_desk_name, desk_collection, desk_name
from .desk_profile import PREFIX, Desk, check_profile
from .errors import DeskError, StoreUnavailableError

if TYPE_CHECKING:
    from .embedder import Embedder
    from .engine import Briefbot

@dataclass(frozen=True)
class DeskCount:
    """A desk with what it holds."""

    desk: Desk
    documents: int
    chunks: int


class Desks:
    """The desks of an installation: list, look up, create, edit, and open one as an engine.

    Args:
        settings: the installation's settings (data dir or Chroma server, collection prefix).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Any = None

    def _connect(self) -> Any:
        if self._client is None:
            from .store import open_client

            self._client = open_client(self.settings)
        return self._client

    def _collections(self) -> dict[str, Any]:
        """Collection name -> collection, for every collection of this installation."""
        try:
            return {c.name: c for c in self._connect().list_collections()}
        except StoreUnavailableError:
            raise
        except Exception as exc:
            raise StoreUnavailableError(f"cannot list the desks: {exc}") from exc

    def names(self) -> list[str]:
        """Every desk's name: the default desk first, then the others in order."""
        prefix = self.settings.collection + "-"
        others = []
        for name, col in self._collections().items():
            meta = col.metadata or {}
            if name.startswith(prefix) and meta.get(PREFIX + "name") == name[len(prefix):]:
                others.append(name[len(prefix):])
        return [DEFAULT_DESK, *sorted(others)]

    def get(self, name: str | None = None) -> Desk:
        """The desk called `name` (default: the one the settings select).

        Raises:
            DeskError: there is no such desk (the message lists the desks there are).
        """
        name = (name or desk_name(self.settings)).strip().lower()
        check_desk_name(name)
        collection = desk_collection(self.settings, name)
        cols = self._collections()
        if collection not in cols:
            if name == DEFAULT_DESK:  # a fresh data dir: the default desk exists before its first document
                return Desk(DEFAULT_DESK)
            raise DeskError(f"unknown desk {name!r} (desks: {', '.join(self.names())}); "
                            f"create it with: briefbot desks add {name} --title \"...\"")
        desk = Desk.from_metadata(name, cols[collection].metadata)
        if name != DEFAULT_DESK and (cols[collection].metadata or {}).get(PREFIX + "name") != name:
            raise DeskError(f"collection {collection!r} exists but is not a desk")
        return desk

    def all(self) -> list[Desk]:
        """Every desk, the default first."""
        return [self.get(name) for name in self.names()]

    def for_chat(self, chat_id: int) -> list[Desk]:
        """The desks Telegram chat `chat_id` may use, the default first."""
        return [d for d in self.all() if d.allows_chat(chat_id)]

    def counts(self) -> list[DeskCount]:
        """Every desk with its document and chunk counts."""
        cols = self._collections()
        out = []
        for desk in self.all():
            col = cols.get(desk_collection(self.settings, desk.name))
            if col is None:
                out.append(DeskCount(desk, 0, 0))
                continue
            chunks = col.count()
            documents = len(col.get(where={"chunk": 0}, include=[])["ids"]) if chunks else 0
            out.append(DeskCount(desk, documents, chunks))
        return out

    def create(self, desk: Desk) -> Desk:
        """Make a new desk with this profile.

        Raises:
            DeskError: the name is taken or a field is bad.
        """
        desk = check_profile(desk)
        if desk.name == DEFAULT_DESK:
            raise DeskError(f"the {DEFAULT_DESK!r} desk always exists; edit it with: briefbot desks edit default")
        if desk.name in self.names():
            raise DeskError(f"desk {desk.name!r} exists; change it with: briefbot desks edit {desk.name}")
        from .store import create_collection

        create_collection(self._connect(), desk_collection(self.settings, desk.name),
                          {**desk.to_metadata(), "generation": 0})
        return desk

    def update(self, name: str, changes: dict[str, Any]) -> Desk:
        """Change some fields of desk `name` (None values are left as they are); returns the new profile."""
        desk = self.get(name)
        new = check_profile(replace(desk, **{k: v for k, v in changes.items() if v is not None}))
        client = self._connect()
        collection = desk_collection(self.settings, desk.name)
        if desk.name == DEFAULT_DESK:
            from .store import create_collection

            create_collection(client, collection, {"generation": 0})  # a fresh data dir: make it first
        col = client.get_collection(collection, embedding_function=None)
        # Merge with the metadata as stored now: the store's own keys (model, change marker) stay.
        col.modify(metadata={**(col.metadata or {}), **new.to_metadata()})
        return new

    def open(self, name: str | None = None, embedder: Embedder | None = None) -> Briefbot:
        """An engine over desk `name` only, with the desk's own settings (shares `embedder` if given)."""
        from .engine import Briefbot

        desk = self.get(name)
        return Briefbot(desk.settings(self.settings), embedder=embedder, desk=desk)
