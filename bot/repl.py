"""`briefbot repl`: ask questions in a loop, with date windows and source viewing.

History persists across sessions in the data dir (readline). Commands start with
a colon so that any other line is a question.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from index.briefing import Briefing, Kind
from index.conversation import Conversation
from index.dates import check_window
from index.engine import Briefbot
from index.errors import BriefbotError
from index.types import Answer, Citation, Hit

from . import terminal as render

HELP = """Type a question and press Enter; follow-ups ("when did he ...?", "what about X?") use the
conversation so far. Commands:
  :since YYYY-MM-DD   only documents from this day on      (:since   alone clears it)
  :until YYYY-MM-DD   only documents up to this day        (:until   alone clears it)
  :window             show the current date window
  :show N             full text of source N of the last answer
  :brief TOPIC        the topic's developments, newest first, each dated and cited
  :timeline TOPIC     the same, oldest first
  :new                forget the conversation (follow-ups start afresh)
  :why                who wrote the last answer, why the model's was not used, what verification dropped
  :latest [N]         the N newest documents (default 10)
  :stats              what the store holds
  :help               this text
  :quit               leave (or Ctrl-D)"""


class Session:
    """REPL state: the date window, the conversation and the last answer (for :show). Returns text to print."""

    def __init__(self, engine: Briefbot) -> None:
        self.engine = engine
        self.since: date | None = None
        self.until: date | None = None
        self.last: Answer | None = None
        self.sources: dict[int, Citation | Hit] = {}  # the last reply's numbered sources, for :show
        self.conversation = Conversation()

    def handle(self, line: str) -> str | None:
        """Output for one input line; None means quit."""
        line = line.strip()
        if not line:
            return ""
        if not line.startswith(":"):
            try:
                reply = self.engine.respond(line, self.since, self.until, self.conversation)
            except BriefbotError as exc:
                return f"! {exc}"
            if isinstance(reply, Answer):
                self.last = reply
                if reply.turn is not None:
                    self.conversation = self.conversation.after(reply.turn)
            self.sources = numbered_sources(reply)
            return render.render_reply(reply)
        command, _, arg = line[1:].partition(" ")
        arg = arg.strip()
        command = command.lower()
        if command in ("q", "quit", "exit"):
            return None
        if command in ("h", "help", "?"):
            return HELP
        if command in ("since", "until"):
            return self.set_window(command, arg)
        if command == "window":
            return self.window()
        if command == "show":
            return self.show(arg)
        if command == "latest":
            limit = int(arg) if arg.isdigit() else 10
            return render.render_hits(self.engine.latest(max(1, min(limit, 100)), self.since, self.until))
        if command == "stats":
            return render.render_stats(self.engine.stats())
        if command == "why":
            return self.why()
        if command == "new":
            self.conversation = Conversation()
            return "(new conversation: follow-ups start afresh)"
        if command in ("brief", "timeline"):
            if not arg:
                return f"! usage: :{command} TOPIC"
            try:
                kind: Kind = "brief" if command == "brief" else "timeline"
                briefing = self.engine.brief(arg, self.since, self.until, kind=kind)
            except BriefbotError as exc:
                return f"! {exc}"
            self.sources = numbered_sources(briefing)
            return render.render_briefing(briefing)
        return f"! unknown command :{command} (try :help)"

    def why(self) -> str:
        """Which answerer wrote the last answer, why the model's answer was not used, and what was dropped."""
        if self.last is None:
            return "! ask a question first"
        last = self.last
        lines = [f"answered by: {'the model, every sentence verified' if last.answerer == 'llm' else 'extractive'}"
                 f" ({last.answerer})"]
        if last.fallback_reason:
            lines.append(f"not the model's answer: {render.safe(last.fallback_reason)}")
        if last.used_context:
            lines.append(f"searched: {render.safe(last.searched)}")
        if last.dropped:
            lines.append(f"verification dropped {len(last.dropped)} of the model's sentences:")
            lines += [f"  - {render.safe(line)}" for line in last.dropped]
        return "\n".join(lines)

    def set_window(self, end: str, arg: str) -> str:
        """`:since`/`:until`: the window with that end set (or cleared), refused at once when it is
        not a date or would end before it starts."""
        try:
            value = date.fromisoformat(arg) if arg else None
        except ValueError:
            return f"! not a date: {arg!r} (use YYYY-MM-DD)"
        since, until = (value, self.until) if end == "since" else (self.since, value)
        try:
            check_window(since, until)
        except BriefbotError as exc:
            return f"! {exc} ({self.window()} is kept)"
        self.since, self.until = since, until
        return self.window()

    def window(self) -> str:
        """The current date window, as the REPL shows it."""
        if not self.since and not self.until:
            return "window: all dates"
        return f"window: {self.since or '…'} to {self.until or '…'}"

    def show(self, arg: str) -> str:
        """The full stored text of source N of the last answer or briefing (or of the closest documents)."""
        if not self.sources:
            return "! ask a question first"
        if not arg.isdigit():
            return "! usage: :show N (a source number from the last answer)"
        n = int(arg)
        source = self.sources.get(n)
        if source is None:
            return f"! no source [{n}] in the last answer"
        # By document id: two sources may share a title, and a file has no URL.
        text = self.engine.document_text(source.doc_id)
        if not text:
            return f"! source [{n}] is no longer in the store"
        header = render.source_line(n, source.title, source.source, source.date, date_source=source.date_source)
        return f"{header}\n{render.safe(source.url)}\n\n{render.safe(text)}"


def numbered_sources(reply: Answer | Briefing) -> dict[int, Citation | Hit]:
    """A reply's sources by the number it shows them with: the citations, or for an answer that
    abstained, the closest documents it lists."""
    if isinstance(reply, Briefing):
        return {c.n: c for point in reply.points for c in point.citations}
    if reply.citations:
        return {c.n: c for c in reply.citations}
    return dict(enumerate(reply.retrieved, start=1))


def _history_file(engine: Briefbot) -> Path:
    return engine.settings.data_dir / "repl_history"


def run_repl(engine: Briefbot, stdin=None, stdout=None) -> int:
    """Read questions until :quit or end of input."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if hasattr(stdin, "reconfigure"):
        # Bytes that are not UTF-8 (a Latin-1 terminal, a pasted binary) would end the session
        # with UnicodeDecodeError under a strict locale: they are read as U+FFFD instead.
        stdin.reconfigure(errors="replace")
    interactive = stdin.isatty()
    history = _history_file(engine)
    readline = None
    if interactive:
        try:
            import readline as _readline

            readline = _readline
            history.parent.mkdir(parents=True, exist_ok=True)
            if history.exists():
                readline.read_history_file(str(history))
            readline.set_history_length(1000)
        except (ImportError, OSError):
            readline = None
    session = Session(engine)
    print("briefbot: ask about the documents (:help for commands, :quit to leave)", file=stdout)
    try:
        while True:
            try:
                line = input("? ") if interactive else stdin.readline()
            except EOFError:
                break
            if not interactive and line == "":
                break
            out = session.handle(line)
            if out is None:
                break
            if out:
                print(out + "\n", file=stdout, flush=True)
    except KeyboardInterrupt:
        print(file=stdout)
    finally:
        if readline is not None:
            try:
                readline.write_history_file(str(history))
            except OSError:
                pass
    return 0
