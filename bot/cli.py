"""`briefbot`: the command line. Each subcommand parses, calls the engine, prints.

Every subcommand's arguments are parsed here, `briefbot telegram`'s included (its run logic is
`bot.telegram.run_bot`). Errors from the engine (`BriefbotError`) and bad arguments end the
command with one line on stderr and a non-zero exit; no tracebacks for things a user can fix.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError

from index.config import Settings
from index.errors import BriefbotError, EmptyStoreError
from index.types import IngestReport

from . import terminal
from .cli_desks import add_desks_parser, cmd_desks

if TYPE_CHECKING:
    from index.briefing import Briefing
    from index.conversation import Conversation
    from index.engine import Briefbot
    from index.types import Answer, Note, Problem

EXAMPLES = """examples:
  briefbot ingest                      # the shipped seeds/
  briefbot ingest feeds/ export.jsonl  # files and folders
  briefbot ingest sitrep.pdf memo.docx saved-page.html
  briefbot ingest https://example.org/story --urls links.txt   # web pages, PDFs, feeds by URL
  briefbot ask "What did the EU suspend after the coup?"
  briefbot ask "latest on French troops" --since 2023-09-01 --json
  briefbot ask --batch questions.jsonl --json
  briefbot ask "Who leads the junta?" --answerer llm   # a model writes, verified (BRIEFBOT_LLM_URL)
  briefbot brief "French troops in Niger" --since 2023-09-01
  briefbot timeline "Bazoum's detention" --json
  briefbot repl
  briefbot eval ../shared/eval/dev.jsonl
  briefbot desks add libya-floods --title "Libya floods, 2023"
  briefbot --desk libya-floods ingest reports/
"""


class CliError(Exception):
    """A problem with what the user typed; shown as one line."""


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes end with one line that says what is wrong and where the help is."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Exit 2 with `prog: message (see prog --help)`."""
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def parse_day(value: str) -> date:
    """An argparse type: YYYY-MM-DD as a date."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    """The `briefbot` parser with every subcommand (`telegram` has its own: `telegram_parser`)."""
    parser = OneLineParser(
        prog="briefbot", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Cited answers and daily digests from the documents you collect about a crisis. "
                    "Works offline; configuration comes from BRIEFBOT_* environment variables or .env.",
        epilog=EXAMPLES)
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    # The global options also after the command (`briefbot ask --desk niger ...`); SUPPRESS keeps a
    # value given before it when the command's parser does not see the option.
    global_options = OneLineParser(add_help=False)
    _add_global_options(global_options, default=argparse.SUPPRESS)
    original_add_parser = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if name != "telegram":
            kwargs["parents"] = [*kwargs.get("parents", []), global_options]
        return original_add_parser(name, **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign,assignment]

    p = sub.add_parser("ingest", help="add files, folders, feed exports and links to the store",
                       description="Load .txt/.md/.html/.pdf/.docx files, .jsonl/.json feed exports (also "
                                   ".jsonl.gz) and RSS/Atom .xml files; chunk, embed and store them. Unchanged "
                                   "documents are skipped, changed ones replaced; bad inputs are reported and "
                                   "skipped. A file with no date of its own is stored with the ingest date, "
                                   "and a note says so. "
                                   "http(s) links are fetched (BRIEFBOT_URL_TIMEOUT seconds each, at most "
                                   "BRIEFBOT_MAX_URL_MB, 5 redirects; links to private or loopback addresses "
                                   "only with BRIEFBOT_ALLOW_PRIVATE_URLS=1) and stored under their final URL: "
                                   "the same article from a feed and from its link is one document, and a "
                                   "feed's summary never replaces the article fetched from its link.")
    p.add_argument("paths", nargs="*", metavar="PATH_OR_URL",
                   help="files, folders or http(s) URLs, mixed (default: the shipped seeds/)")
    p.add_argument("--urls", type=Path, metavar="FILE",
                   help="also fetch the URLs listed in FILE, one per line (blank lines and # comments ignored)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only the summary")

    p = sub.add_parser("ask", help="answer a question with cited sources",
                       description="Answer from the documents, quoting them with numbered citations; "
                                   "says so plainly when they do not support an answer.")
    p.add_argument("question", nargs="?", help="the question (quote it)")
    p.add_argument("--since", type=parse_day, metavar="YYYY-MM-DD", help="only documents from this day on")
    p.add_argument("--until", type=parse_day, metavar="YYYY-MM-DD", help="only documents up to this day")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line with --batch)")
    p.add_argument("--batch", type=Path, metavar="FILE",
                   help="answer every question in FILE: one per line, or JSONL with id, question, since, until "
                        "and conversation (lines with the same conversation id are follow-ups, in file order)")
    _add_answerer_option(p)

    for name, order in (("brief", "newest first"), ("timeline", "oldest first")):
        p = sub.add_parser(name, help=f"a topic's developments, {order}, each dated and cited",
                           description=f"Search the documents broadly for TOPIC, group the reports into stories "
                                       f"and give 3-8 developments {order}: each a date, one quoted sentence and "
                                       f"its sources (each source cited once). Says so when nothing covers it.")
        p.add_argument("topic", help="a person, place, organisation or event (quote it)")
        p.add_argument("--since", type=parse_day, metavar="YYYY-MM-DD", help="only documents from this day on")
        p.add_argument("--until", type=parse_day, metavar="YYYY-MM-DD", help="only documents up to this day")
        p.add_argument("--json", action="store_true", help="print JSON: topic, kind, abstained, points, elapsed_ms")

    p = sub.add_parser("repl", help="ask questions interactively", description="An interactive session: type a "
                       "question, or :help for commands (date windows, showing a source's full text).")
    _add_answerer_option(p)

    p = sub.add_parser("eval", help="measure answer quality on a question file",
                       description="Run every question of a JSONL question set (as ../shared/eval/dev.jsonl) "
                                   "and print hit@5, mrr@10, answer_acc, citation_precision, abstain_rate, "
                                   "false_abstain.")
    p.add_argument("file", type=Path)
    p.add_argument("--rows", action="store_true", help="also print one line per question")
    p.add_argument("--answers", type=Path, metavar="OUT", help="write the answers as JSONL to OUT")
    _add_answerer_option(p)

    sub.add_parser("stats", help="what the store holds", description="Documents, chunks, languages, dates, outlets.")

    p = sub.add_parser("digest", help="the stories of a day, deduplicated and cited",
                       description="Group the items published in a window (a calendar day in BRIEFBOT_TIMEZONE "
                                   "by default, today) into stories, rank them by coverage and recency, and write "
                                   "each as a headline, a short quoted summary and its sources.")
    p.add_argument("--date", type=parse_day, metavar="YYYY-MM-DD", help="the day (default: today)")
    p.add_argument("--since", type=parse_day, metavar="YYYY-MM-DD", help="first day of a longer window")
    p.add_argument("--until", type=parse_day, metavar="YYYY-MM-DD", help="last day of a longer window")
    p.add_argument("--json", action="store_true",
                   help="print JSON: date_from, date_to, stories (headline, summary, citations), messages")
    p.add_argument("--chart", type=Path, metavar="FILE",
                   help="also write a PNG of items per day over the last 14 days, top story annotated")

    add_desks_parser(sub, [global_options])
    sub.add_parser("telegram", help="run the Telegram bot (see briefbot telegram --help)", add_help=False)
    return parser


GLOBAL_OPTIONS = ("--data-dir", "--desk")  # the global options that take a value (and -v, --verbose)


def _add_global_options(parser: argparse.ArgumentParser, default: Any = None) -> None:
    """`--data-dir`, `--desk` and `-v`, which every command takes before or after its name."""
    parser.add_argument("--data-dir", type=Path, default=default,
                        help="where the store lives (default: $BRIEFBOT_DATA_DIR or ./data)")
    parser.add_argument("--desk", metavar="NAME", default=default,
                        help="the desk (crisis) to work on (default: $BRIEFBOT_DESK or the default desk; "
                             "`briefbot desks` lists them)")
    parser.add_argument("-v", "--verbose", action="store_true", default=default or False,
                        help="log what the engine does")


def _telegram_args(argv: list[str]) -> list[str] | None:
    """The arguments of `briefbot [GLOBAL OPTIONS] telegram ...` (the global ones included, for the
    telegram parser to read), or None when the command is not `telegram`."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in ("-v", "--verbose") or token.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS)):
            i += 1
        elif token in GLOBAL_OPTIONS:
            i += 2
        else:
            break
    return argv[:i] + argv[i + 1:] if argv[i:i + 1] == ["telegram"] else None


def _add_answerer_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--answerer", choices=("extractive", "llm"),
                        help="who writes answers: extractive (quotes, the default) or llm (a model on "
                             "BRIEFBOT_LLM_URL writes, every sentence verified; extractive when it fails) "
                             "(default: $BRIEFBOT_ANSWERER)")


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {"data_dir": args.data_dir} if args.data_dir else {}
    if getattr(args, "desk", None):
        overrides["desk"] = args.desk
    if getattr(args, "answerer", None):
        overrides["answerer"] = args.answerer
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:  # name the variable and the problem, not a traceback
        problems = "; ".join(f"BRIEFBOT_{'_'.join(str(p) for p in e['loc']).upper()}: "
                             f"{str(e.get('ctx', {}).get('error', '')) or e['msg']}" for e in exc.errors())
        raise CliError(f"bad configuration: {problems}") from None
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise CliError(f"the data dir {settings.data_dir} is a file, not a folder")
    return settings


def _engine(args: argparse.Namespace, reading: bool = True) -> Briefbot:
    """The engine over the desk the command works on, with the desk's own settings.

    A command that only reads (`reading`) needs a store to be there already: opening one would
    make a folder at a mistyped --data-dir and then report it empty.
    """
    from index.desks import Desks

    settings = _settings(args)
    if reading:
        _check_store_exists(settings)
    return Desks(settings).open()


def _check_store_exists(settings: Settings) -> None:
    """EmptyStoreError when there is no embedded store in the data dir (a server's store is always there)."""
    if settings.chroma_url or (settings.data_dir / "chroma").is_dir():
        return
    given = settings.data_dir
    make = "briefbot ingest" + (f" --data-dir {given}" if given != Settings.model_fields["data_dir"].default else "")
    raise EmptyStoreError(f"there is no store in {given} (nothing has been ingested there): "
                          f"check the data dir, or make one with `{make}`")


def cmd_ingest(args: argparse.Namespace) -> int:
    """`briefbot ingest`: load, embed and store files, folders, feed exports and links."""
    paths, urls = split_inputs(args.paths)
    if args.urls:
        from index.links import read_url_file

        try:
            urls += read_url_file(args.urls)
        except OSError as exc:
            raise CliError(f"cannot read {args.urls}: {exc.strerror or exc}") from None
    if not paths and not urls and not args.paths and not args.urls:
        paths = [_shipped_seeds()]
    engine = _engine(args, reading=False)
    started = time.perf_counter()
    bar = None
    if not args.quiet and sys.stderr.isatty():
        import shutil

        from tqdm import tqdm

        # A terminal that reports no size (some ptys, serial consoles) would get no bar at
        # all: tqdm hides bars below the last row, and the last row is then 0.
        size = shutil.get_terminal_size((100, 20))
        bar = tqdm(desc="ingest", unit=" docs", file=sys.stderr, ncols=size.columns or 100, nrows=size.lines or 20)

    done = IngestReport()  # the files' report while the links are ingested after them

    def progress(report: IngestReport) -> None:
        if bar is not None:
            report = done.plus(report)
            bar.n = report.seen
            bar.set_postfix(new=report.added, changed=report.updated, unchanged=report.unchanged,
                            skipped=len(report.problems))
            bar.refresh()

    def say(message: str) -> None:
        if bar is not None:
            bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def problem(p: Problem) -> None:
        say(f"skipped {terminal.safe(str(p))}")

    def note(n: Note) -> None:
        say(f"note {terminal.safe(str(n))}")

    try:
        # Files first, then links: either order stores the same (a link's article wins over a feed's
        # summary of it), and the files need no network.
        report = engine.ingest(paths, on_progress=progress, on_problem=problem, on_note=note) \
            if paths else IngestReport()
        if urls:
            done = report
            report = report.plus(engine.ingest_urls(urls, on_progress=progress, on_problem=problem, on_note=note))
    finally:
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - started
    print(f"ingested {report.seen} documents in {elapsed:.1f}s: {report.added} new, {report.updated} changed, "
          f"{report.unchanged} unchanged, {report.duplicates} duplicates; {report.chunks_embedded} chunks embedded"
          + (f" ({report.chunks_reused} of them repeats, encoded once)" if report.chunks_reused else "")
          + f"; {len(report.problems)} skipped"
          + (f"; {len(report.notes)} dated by ingest (no date of their own)" if report.notes else ""))
    return 0 if report.seen or not report.problems else 1


# The project's own seeds/, beside the packages (installed editable, as `make demo` does).
SHIPPED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _shipped_seeds() -> Path:
    """What a bare `briefbot ingest` loads: the shipped seeds/, from whatever folder it is run in.

    Not the current folder's seeds/: the help promises the shipped ones, and one command should not
    load different documents in different folders; a folder of one's own is one argument away.
    """
    if not SHIPPED_SEEDS.is_dir():
        raise CliError(f"the shipped seeds/ folder is not at {SHIPPED_SEEDS} (an install without it): "
                       "name the files or folders to ingest")
    return SHIPPED_SEEDS


def split_inputs(values: list[str]) -> tuple[list[Path], list[str]]:
    """`ingest` arguments as (paths, URLs): anything with a scheme (`https://`, `ftp://`, `javascript:`)
    that is not an existing file is a URL; refused schemes are reported by the fetcher, by name."""
    paths: list[Path] = []
    urls: list[str] = []
    for value in values:
        if not Path(value).exists() and re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", value):
            urls.append(value)
        else:
            paths.append(Path(value))
    return paths, urls


def _batch_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Questions of a batch file: plain lines, or JSON objects with id/question/since/until."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if line:
            yield _batch_item(number, line)


def _batch_item(number: int, line: str) -> dict[str, Any]:
    """One batch line as an item to answer, or as an error item (`id`, `error`) when it cannot be."""
    if not line.startswith(("{", "[")):
        return {"id": str(number), "question": line}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        if line.startswith("["):  # "[Update] Who ...?" is a question, not broken JSON
            return {"id": str(number), "question": line}
        return {"id": str(number), "error": f"line {number}: malformed JSON ({exc.msg})"}
    if not isinstance(item, dict):
        return {"id": str(number), "error": f"line {number}: not a JSON object"}
    key = str(item.get("id", number))
    question = item.get("question")
    if not isinstance(question, str):
        # str(None) would be searched as the question "None".
        what = "no question" if question is None else "the question is not a string"
        return {"id": key, "error": f"line {number}: {what}"}
    for field in ("since", "until"):
        if item.get(field) is not None and not isinstance(item[field], str):
            return {"id": key, "question": question,
                    "error": f"line {number}: {field} is not a date string: {item[field]!r} (use \"YYYY-MM-DD\")"}
    return {"id": key, "question": question, "since": item.get("since"), "until": item.get("until"),
            "conversation": str(item.get("conversation") or "")}


def _answer_item(engine: Briefbot, item: dict[str, Any],
                 conversations: dict[str, Conversation]) -> Answer | Briefing | str:
    """One batch line answered, or the error that kept it from being; lines sharing a conversation id
    carry context, in file order."""
    from index.conversation import Conversation
    from index.types import Answer

    if "error" in item:
        return str(item["error"])
    key = item.get("conversation") or ""
    try:
        since = parse_day(item["since"]) if item.get("since") else None
        until = parse_day(item["until"]) if item.get("until") else None
        reply = engine.respond(item["question"], since, until, conversations.get(key) if key else None)
    except (argparse.ArgumentTypeError, BriefbotError) as exc:
        return str(exc)
    if key and isinstance(reply, Answer) and reply.turn is not None:
        conversations[key] = conversations.get(key, Conversation()).after(reply.turn)
    return reply


def _batch_text(item: dict[str, Any], reply: Answer | Briefing | str) -> str:
    """One batch line as terminal text: its id and question, then the reply with its sources (as a single ask)."""
    if isinstance(reply, str):
        return f"[{item['id']}] error: {terminal.safe(reply)}\n"
    return f"[{item['id']}] {terminal.safe(item['question'])}\n{terminal.render_reply(reply)}\n"


def _reply_json(reply: Answer | Briefing, id: str | None) -> dict[str, Any]:
    """An ask's JSON: an answer's fields, also when the question was routed to a briefing."""
    from index.briefing import Briefing

    out = reply.to_answer_json(id=id) if isinstance(reply, Briefing) else reply.to_json(id=id)
    return {"id": id, **out}


def _error_line(item: dict[str, Any], error: str) -> dict[str, Any]:
    """A batch line that got no answer: `id` and `error`, with the question as given (every line has
    `resolved_question`; nothing was resolved, so it is the question)."""
    question = item.get("question") or ""
    return {"id": item["id"], "question": question, "resolved_question": question, "error": error}


def cmd_ask(args: argparse.Namespace) -> int:
    """`briefbot ask`: one question, or a batch file of them."""
    if args.batch and args.question:
        raise CliError("give either a question or --batch FILE, not both")
    if not args.batch and not args.question:
        raise CliError('what is the question? briefbot ask "..." (or --batch FILE)')
    engine = _engine(args)
    if args.batch:
        items = list(_batch_lines(args.batch))  # a missing file fails before the model loads
        engine.warm_up()  # elapsed_ms then measures each question, not the one-time model load
        answered = 0  # lines answered or abstained on
        conversations: dict[str, Conversation] = {}
        for item in items:
            if args.since and not item.get("since"):
                item["since"] = args.since.isoformat()
            if args.until and not item.get("until"):
                item["until"] = args.until.isoformat()
            reply = _answer_item(engine, item, conversations)
            answered += not isinstance(reply, str)
            if args.json:
                line = _error_line(item, reply) if isinstance(reply, str) else _reply_json(reply, item["id"])
                print(json.dumps(line, ensure_ascii=False), flush=True)
            else:
                print(_batch_text(item, reply), flush=True)
        # Exit 1 when no line could be answered (an empty store, a file of bad lines): a script
        # must not read a batch of errors as success.
        return 0 if answered else 1
    engine.check_question(args.question)  # a bad question fails before the model loads
    engine.warm_up()  # elapsed_ms then measures the question, not the one-time model load (as in --batch)
    reply = engine.respond(args.question, args.since, args.until)
    if args.json:
        # The README lists `id` among ask's fields; a single question has none to echo.
        print(json.dumps(_reply_json(reply, id=None), ensure_ascii=False))
    else:
        print(terminal.render_reply(reply))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """`briefbot brief` / `briefbot timeline`: a topic's dated, cited developments."""
    from index.briefing import check_topic

    check_topic(args.topic)  # a bad topic fails before the model loads
    engine = _engine(args)
    engine.warm_up()  # elapsed_ms then measures the briefing, not the one-time model load
    briefing = engine.brief(args.topic, args.since, args.until, kind=args.command)
    print(json.dumps(briefing.to_json(), ensure_ascii=False) if args.json else terminal.render_briefing(briefing))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """`briefbot eval`: answer a question set and print the quality metrics."""
    from index.evaluate import read_question_set, score

    try:
        questions, problems = read_question_set(args.file)
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    for problem in problems:  # bad lines are skipped, each named; the rest is scored
        print(f"briefbot eval: skipped {problem}", file=sys.stderr)
    if not questions:
        print(f"briefbot eval: {args.file} has no questions to score", file=sys.stderr)
        return 1
    try:  # before the model loads: a typo in the output path should not cost the wait
        out = open(args.answers, "w", encoding="utf-8") if args.answers else None
    except OSError as exc:
        raise CliError(f"cannot write {args.answers}: {exc.strerror or exc}") from None
    try:
        answers, elapsed = _eval_answers(args, questions, out)
    finally:
        if out:
            out.close()
    metrics, rows = score(questions, answers)
    if elapsed:
        ordered = sorted(elapsed)
        metrics["p50_ms"] = round(ordered[len(ordered) // 2], 1)
        metrics["p95_ms"] = round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)
    if args.rows:
        for row in rows:
            print(*row)
    width = max(len(k) for k in metrics)
    for key, value in metrics.items():
        print(f"{key:<{width}}  {value}")
    print(json.dumps(metrics))
    return 0


def _eval_answers(args: argparse.Namespace, questions: list[dict[str, Any]],
                  out: TextIO | None) -> tuple[dict[str, dict[str, Any]], list[float]]:
    """Every question of a set asked (none routed to a briefing: eval measures answers), with the
    answers by id and their elapsed_ms; each answer also written to `out`."""
    engine = _engine(args)
    engine.check_not_empty()  # every question would fail alike: say it once
    engine.warm_up()
    answers: dict[str, dict[str, Any]] = {}
    elapsed: list[float] = []
    for q in questions:
        try:
            since, until = (parse_day(q[k]) if q.get(k) else None for k in ("since", "until"))
            result = engine.ask(q["question"], since, until).to_json(id=q["id"])
        except (argparse.ArgumentTypeError, BriefbotError) as exc:
            result = {"id": q["id"], "question": q["question"], "error": str(exc)}
        answers[q["id"]] = result
        elapsed.append(result.get("elapsed_ms", 0.0))
        if out:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return answers, elapsed


def cmd_digest(args: argparse.Namespace) -> int:
    """`briefbot digest`: the stories of a day or window, as text or JSON, with an optional chart."""
    from datetime import datetime

    from index.dates import DigestWindow, zone
    from index.digest import build_digest

    from .telegram.render import render_digest_telegram
    from .terminal import render_digest_text

    if args.date and (args.since or args.until):
        raise CliError("give either --date or --since/--until, not both")
    engine = _engine(args)
    settings = engine.settings  # the desk's time zone
    today = datetime.now(zone(settings.timezone)).date()
    first = args.date or args.since or args.until or today
    last = args.date or args.until or (today if args.since else first)
    if first > last:
        raise CliError(f"--since {first} is after --until {last}")
    window = DigestWindow.for_days(first, last, settings.timezone)
    window.check_not_future()  # before the model loads
    if args.chart and args.chart.is_dir():
        raise CliError(f"--chart {args.chart} is a folder; give a file name such as coverage.png")
    if engine.store.count() == 0:
        raise EmptyStoreError(engine.empty_store_message())
    digest = build_digest(engine, window, chart_days=14 if args.chart else 0)
    if args.chart:
        from .chart import coverage_chart

        png = coverage_chart(digest.per_day, f"Coverage, 14 days to {window.date_to}")
        try:
            args.chart.write_bytes(png)
        except OSError as exc:
            raise CliError(f"cannot write {args.chart}: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps({**digest.to_json(), "messages": render_digest_telegram(digest)}, ensure_ascii=False))
    else:
        print(render_digest_text(digest))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """`briefbot stats`: what the store holds."""
    print(terminal.render_stats(_engine(args).stats()))
    return 0


def cmd_repl(args: argparse.Namespace) -> int:
    """`briefbot repl`: the interactive session."""
    from .repl import run_repl

    return run_repl(_engine(args))


TELEGRAM_EPILOG = """\
environment (or .env):
  TELEGRAM_BOT_TOKEN        token from @BotFather (required)
  BRIEFBOT_ALLOWED_CHATS    comma-separated chat ids allowed to use the bot (default: none;
                            a refused chat is told its id)
  BRIEFBOT_EDITORS          comma-separated user ids who may add documents by sending
                            files or links (default: nobody)
  BRIEFBOT_DESK             the desk chats get until they pick one with /desk NAME
  TELEGRAM_API_BASE_URL     Bot API server (default https://api.telegram.org)
  TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_LISTEN, TELEGRAM_WEBHOOK_PORT
                            webhook mode; see docs/telegram-setup.md for the rest
  BRIEFBOT_*                engine settings (data dir, languages), as for every command

Long polling needs no inbound connection and is the default. Webhook mode needs a public
https URL (a reverse proxy terminating TLS in front of --listen/--port).
"""


def telegram_parser() -> argparse.ArgumentParser:
    """The parser of `briefbot telegram` (a parser of its own, with its own --help)."""
    parser = OneLineParser(
        prog="briefbot telegram",
        description="Run the briefing bot on Telegram (long polling by default).",
        epilog=TELEGRAM_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--webhook", action="store_true",
                        help="receive updates by webhook instead of long polling "
                             "(needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET)")
    parser.add_argument("--listen", metavar="ADDR", help="webhook: address to bind (TELEGRAM_WEBHOOK_LISTEN)")
    parser.add_argument("--port", type=int, metavar="N", help="webhook: port to bind (TELEGRAM_WEBHOOK_PORT)")
    parser.add_argument("--url", metavar="URL", help="webhook: public https URL (TELEGRAM_WEBHOOK_URL)")
    parser.add_argument("--drop-pending", action="store_true",
                        help="skip messages sent while the bot was down (default: answer them)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="default: INFO (DEBUG with -v)")
    _add_global_options(parser)
    return parser


def telegram_main(argv: list[str] | None = None) -> int:
    """`briefbot telegram`: run the bot until SIGTERM; returns the exit code.

    Exit codes: 0 stopped, 1 Telegram or the engine could not be reached (or the token was
    refused), 2 a bad or missing setting.
    """
    args = telegram_parser().parse_args(argv)
    # The bot reads its engine settings from the environment wherever it opens a desk: the global
    # options are given to it as the variables they stand for.
    if args.data_dir:
        os.environ["BRIEFBOT_DATA_DIR"] = str(args.data_dir)
    if args.desk:
        os.environ["BRIEFBOT_DESK"] = args.desk
    log_level = args.log_level or ("DEBUG" if args.verbose else "INFO")
    # Imported here: python-telegram-bot is only needed by this subcommand.
    from bot import telegram

    overrides: dict[str, object] = {}
    for field, value in (("webhook_listen", args.listen), ("webhook_port", args.port), ("webhook_url", args.url)):
        if value is not None:
            overrides[field] = value
    if args.drop_pending:
        overrides["drop_pending_updates"] = True
    try:
        settings = telegram.load_settings(overrides)
        if args.webhook and not settings.webhook_ready:
            raise CliError("--webhook needs TELEGRAM_WEBHOOK_URL (or --url) and TELEGRAM_WEBHOOK_SECRET")
        telegram.run_bot(settings, webhook=args.webhook, log_level=log_level)
    except (telegram.BotConfigError, CliError) as exc:
        print(f"briefbot telegram: {exc}", file=sys.stderr)
        return 2
    except (telegram.BotStartError, BriefbotError) as exc:
        print(f"briefbot telegram: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    """The `briefbot` command; returns the exit code."""
    try:
        return _run(argv)
    finally:
        # The process ends next: frozen objects are left to the OS instead of being walked by the
        # interpreter's final collections (2 s at the end of every command that loaded the model).
        gc.freeze()


def _run(argv: list[str] | None) -> int:
    """`main` without the exit-time bookkeeping."""
    argv = sys.argv[1:] if argv is None else argv
    telegram_args = _telegram_args(argv)
    if telegram_args is not None:
        return telegram_main(telegram_args)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        _quiet_libraries()
    handlers = {"desks": _desks,
                "ingest": cmd_ingest, "ask": cmd_ask, "brief": cmd_brief, "timeline": cmd_brief, "repl": cmd_repl,
                "eval": cmd_eval, "stats": cmd_stats, "digest": cmd_digest}
    if args.command not in handlers:
        parser.print_help()
        return 2
    try:
        return handlers[args.command](args)
    except CliError as exc:
        print(f"briefbot {args.command}: {exc}", file=sys.stderr)
        return 2
    except BriefbotError as exc:
        print(f"briefbot {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"briefbot {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _desks(args: argparse.Namespace) -> int:
    """`briefbot desks`: listing reads an existing store; `add` and `edit` may make one."""
    settings = _settings(args)
    if getattr(args, "desks_action", None) in (None, "list"):
        _check_store_exists(settings)
    return cmd_desks(args, settings)


def _quiet_libraries() -> None:
    """Model-loading progress bars and library warnings are noise for a CLI user."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import warnings

    warnings.filterwarnings("ignore")
    for name in ("chromadb", "sentence_transformers", "transformers", "httpx", "bm25s"):
        logging.getLogger(name).setLevel(logging.ERROR)


if __name__ == "__main__":
    sys.exit(main())
