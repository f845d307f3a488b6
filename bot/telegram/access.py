"""Who may use the bot, and which updates are addressed to it.

Default deny: only chat ids on the allow list get anything from the documents. Every path
that sends (handlers, callbacks, scheduled jobs) asks the same `AccessGate`.

In groups the bot speaks only when addressed: a command for it (`/ask`, `/ask@thisbot`), a
mention of it, or a reply to one of its messages. Everything else in a group is ignored,
including the refusal notice in groups that are not allowed (so adding the bot to a group
does not make it chatter).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

# An unknown chat that keeps writing gets the "private bot" notice at most this often.
REFUSAL_INTERVAL_S = 300.0


class AccessGate:
    """The allow list, plus the memory of when each unknown chat was last told it is refused."""

    def __init__(self, allowed_chats: Iterable[int], clock: Callable[[], float] = time.monotonic) -> None:
        self._allowed = frozenset(allowed_chats)
        self._clock = clock
        self._refused_at: dict[int, float] = {}

    @property
    def allowed_chats(self) -> frozenset[int]:
        """The chat ids on the allow list."""
        return self._allowed

    def allows(self, chat_id: int) -> bool:
        """True if `chat_id` may receive document content."""
        return chat_id in self._allowed

    def should_notify_refusal(self, chat_id: int) -> bool:
        """True if this refused chat should be told (once per `REFUSAL_INTERVAL_S`)."""
        now = self._clock()
        last = self._refused_at.get(chat_id)
        if last is not None and now - last < REFUSAL_INTERVAL_S:
            return False
        if len(self._refused_at) > 10_000:
            # Bounded memory against a flood of distinct chats; forgetting only means one more notice.
            self._refused_at.clear()
        self._refused_at[chat_id] = now
        return True


def refusal_text(chat_id: int) -> str:
    """The one short reply an unknown chat gets: no document content, just its chat id."""
    return (
        "This is a private briefing bot. "
        f"To get access, ask its administrator to add this chat id: {chat_id}"
    )


def _entities(message: Message) -> list[tuple[MessageEntity, str]]:
    """Entities of the text or caption, each with the text it covers."""
    if message.text is not None:
        return list(message.parse_entities().items())
    if message.caption is not None:
        return list(message.parse_caption_entities().items())
    return []


def command_target(message: Message) -> tuple[str, str] | None:
    """(command, @username or "") if the message starts with a bot command, else None."""
    for entity, text in _entities(message):
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            name, _, target = text[1:].partition("@")
            return name.lower(), target.lower()
    return None


def mentions_bot(message: Message, username: str, bot_id: int) -> bool:
    """True if the text or caption mentions the bot by @username or as a text mention."""
    for entity, text in _entities(message):
        if entity.type == MessageEntity.MENTION and text[1:].lower() == username.lower():
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def is_addressed(message: Message, username: str, bot_id: int, commands: Iterable[str]) -> bool:
    """True if the bot should react to this message at all.

    Private chats: always. Groups: a command for this bot (`/cmd@thisbot`, or a bare `/cmd`
    that is one of ours), a mention, or a reply to the bot's own message.
    """
    if message.chat.type == ChatType.PRIVATE:
        return True
    if message.chat.type == ChatType.CHANNEL:
        return False
    target = command_target(message)
    if target is not None:
        name, at = target
        if at:
            return at == username.lower()
        return name in {c.lower() for c in commands}
    if mentions_bot(message, username, bot_id):
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def strip_mention(text: str, username: str) -> str:
    """The question without the leading/trailing `@botname` a group user addressed it with."""
    handle = f"@{username}".lower()
    words = [w for w in text.split() if w.lower().rstrip(",:;!?") != handle]
    return " ".join(words)


def update_chat_id(update: Update) -> int | None:
    """The chat an update belongs to (for callbacks: the chat of the message with the button)."""
    chat = update.effective_chat
    return chat.id if chat else None


def is_channel_update(update: Update) -> bool:
    """Posts in channels (and their edits): the bot never answers into a channel."""
    if update.channel_post or update.edited_channel_post:
        return True
    chat = update.effective_chat
    return bool(chat and chat.type == ChatType.CHANNEL)
