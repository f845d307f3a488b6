"""What a desk is: its profile, checked, and how it maps onto settings and collection metadata.

Pure values, no store: `index.desks` reads and writes profiles in the store, and the engine
only needs to know which desk it serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import Any

from .config import DEFAULT_DESK, Settings, check_desk_name, split_urls
from .dates import parse_time, zone
from .errors import DeskError

PREFIX = "desk_"  # collection-metadata keys of the profile; the store's own keys have no prefix
MAX_TITLE = 120
MAX_DESCRIPTION = 1000


@dataclass(frozen=True)
class Desk:
    """What a desk is. Empty optional fields fall back to the installation's settings.

    Attributes:
        name: the desk's name, typed in `--desk NAME` and `/desk NAME`.
        title: a short title ("Niger coup, 2023").
        description: one paragraph, shown by `/start`, `/help` and digests.
        languages: comma list of language codes answers draw on ("" = BRIEFBOT_LANGUAGES).
        feeds: RSS/Atom URLs this desk polls ("" = BRIEFBOT_FEEDS for the default desk, none for others).
        timezone: IANA zone of its digest days ("" = BRIEFBOT_TIMEZONE).
        digest_time: HH:MM of its daily digest by default ("" = BRIEFBOT_DIGEST_TIME).
        chats: Telegram chat ids that may use it (empty = every chat the bot allows).
    """

    name: str
    title: str = ""
    description: str = ""
    languages: str = ""
    feeds: str = ""
    timezone: str = ""
    digest_time: str = ""
    chats: tuple[int, ...] = ()

    @property
    def display_title(self) -> str:
        """The title, or the desk's name when it has none."""
        return self.title or self.name

    def settings(self, base: Settings) -> Settings:
        """`base` with this desk selected and its own values in place of the installation's."""
        update: dict[str, Any] = {"desk": "" if self.name == DEFAULT_DESK else self.name}
        for field in ("languages", "timezone", "digest_time"):
            if getattr(self, field):
                update[field] = getattr(self, field)
        if self.feeds or self.name != DEFAULT_DESK:
            # Feeds belong to a desk: another desk never polls the installation's BRIEFBOT_FEEDS.
            update["feeds"] = self.feeds
        # model_validate re-runs the validators, so a bad stored value is caught, not used.
        return Settings.model_validate({**base.model_dump(), **update})

    def allows_chat(self, chat_id: int) -> bool:
        """Whether Telegram chat `chat_id` may use this desk."""
        return not self.chats or chat_id in self.chats

    def to_json(self) -> dict[str, Any]:
        """The profile as JSON (chats as a list)."""
        return {f.name: list(self.chats) if f.name == "chats" else getattr(self, f.name) for f in fields(self)}

    def to_metadata(self) -> dict[str, str]:
        """The profile as collection metadata (Chroma keeps strings, numbers and booleans only)."""
        values = self.to_json()
        values["chats"] = ",".join(str(c) for c in self.chats)
        return {PREFIX + k: str(v) for k, v in values.items()}

    @classmethod
    def from_metadata(cls, name: str, meta: dict[str, Any] | None) -> Desk:
        """The profile stored in a collection's metadata (missing keys: empty)."""
        meta = meta or {}
        values = {f.name: str(meta.get(PREFIX + f.name, "") or "") for f in fields(cls) if f.name != "name"}
        chats = tuple(int(c) for c in values.pop("chats").split(",") if c.strip().lstrip("-").isdigit())
        return cls(name=name, chats=chats, **values)


def check_profile(desk: Desk) -> Desk:
    """`desk` with its fields trimmed, or DeskError naming the first bad one."""
    check_desk_name(desk.name)
    title = " ".join(desk.title.split())
    description = " ".join(desk.description.split())
    if len(title) > MAX_TITLE:
        raise DeskError(f"desk title too long ({len(title)} > {MAX_TITLE} characters)")
    if len(description) > MAX_DESCRIPTION:
        raise DeskError(f"desk description too long ({len(description)} > {MAX_DESCRIPTION} characters)")
    try:
        if desk.timezone:
            zone(desk.timezone)
        if desk.digest_time:
            parse_time(desk.digest_time)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    feeds = split_urls(desk.feeds)
    for url in feeds:
        if not url.startswith(("http://", "https://")):
            raise DeskError(f"not an http(s) feed URL: {url!r}")
    languages = ",".join(p.strip().lower() for p in desk.languages.split(",") if p.strip())
    return replace(desk, title=title, description=description, feeds=" ".join(feeds), languages=languages,
                   timezone=desk.timezone.strip(), digest_time=desk.digest_time.strip())



def parse_chats(values: Iterable[str]) -> tuple[int, ...]:
    """Telegram chat ids from comma/space separated text, or DeskError."""
    out: list[int] = []
    for value in values:
        for part in value.replace(",", " ").split():
            try:
                out.append(int(part))
            except ValueError:
                raise DeskError(f"not a Telegram chat id: {part!r}") from None
    return tuple(dict.fromkeys(out))
