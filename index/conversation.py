"""Conversation context: the turns of a chat, and the interface that resolves follow-ups.

A chat asks "who declared himself Niger's new leader?" and then "when did he become
leader?". The second question names no one; searched alone it finds anything. A
`Conversation` (a small immutable value: the last few turns) goes with each question, and a
`Rewriter` turns a follow-up into the standalone question that is actually searched:
"when did Abdourahamane Tchiani become leader?". Surfaces show that resolved question, so a
reader can see what was answered.

The deterministic rewriter is `index.rule_rewriter.RuleRewriter`; an LLM rewriter can
implement `Rewriter` too. A question that still has no subject after resolution (a first
message "when did he become leader?") is not searched: the answer asks which person or event
is meant (`NEEDS_SUBJECT`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from .types import Hit, Turn

MAX_TURNS = 4  # older turns are dropped: a chat's topic drifts

NEEDS_SUBJECT = ("I'm not sure who or what you mean. Ask again with a name or an event, for example "
                 "\"When did General Tchiani take power?\"")


@dataclass(frozen=True)
class Conversation:
    """The recent turns of one chat (newest last); immutable: `after` returns the next state."""

    turns: tuple[Turn, ...] = field(default_factory=tuple)

    @property
    def last(self) -> Turn | None:
        """The newest turn, if any."""
        return self.turns[-1] if self.turns else None

    def after(self, turn: Turn) -> Conversation:
        """The conversation with `turn` added (the oldest dropped past MAX_TURNS)."""
        return Conversation((*self.turns, turn)[-MAX_TURNS:])

    def expired(self, now: float, ttl: float) -> bool:
        """Whether the chat has been quiet for longer than `ttl` seconds."""
        last = self.last
        return last is None or now - last.at > ttl

    def fresh(self, now: float, ttl: float) -> Conversation:
        """This conversation, or an empty one when it has expired."""
        return Conversation() if self.turns and self.expired(now, ttl) else self


@dataclass(frozen=True)
class Resolution:
    """What a question becomes in its conversation.

    Attributes:
        question: the standalone question to search (the asked question when no context was used).
        used_context: whether anything was carried over from earlier turns.
        needs_subject: the question names no one and nothing, and the context does not either.
        subject: the names or topic the resolved question is about.
        topic: its trailing topic phrase, for the next follow-up.
        continues: the question carries on the conversation (it brings no new subject of its
            own), so the documents that answered the last turn are searched too.
    """

    question: str
    used_context: bool = False
    needs_subject: bool = False
    subject: str = ""
    topic: str = ""
    continues: bool = False


class Rewriter(ABC):
    """Turns a question and its conversation into a standalone question."""

    @abstractmethod
    def resolve(self, question: str, conversation: Conversation) -> Resolution:
        """The standalone form of `question` given the earlier turns."""


def turn_for(resolution: Resolution, question: str, answer_names: tuple[str, ...], at: float,
             sources: tuple[Hit, ...] = (), said: tuple[str, ...] = ()) -> Turn:
    """The turn to remember after answering `question` as resolved."""
    return Turn(question=question, resolved=resolution.question, subject=resolution.subject,
                answer_names=answer_names, topic=resolution.topic, at=at, sources=sources, said=said)


__all__ = ["NEEDS_SUBJECT", "Conversation", "Resolution", "Rewriter", "Turn", "turn_for"]
