"""The `briefbot` command end to end, as a user runs it: real processes, real model, real Chroma."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = Path(__file__).resolve().parent / "corpus_questions.jsonl"


def briefbot(*args: str, data_dir: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled once by `briefbot ingest` for the whole module."""
    path = tmp_path_factory.mktemp("cli-data")
    done = briefbot("ingest", "seeds", "tests/corpus", data_dir=path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ingested 11 documents"), done.stdout
    assert "10 new" in done.stdout and "1 duplicates" in done.stdout and "3 skipped" in done.stdout
    assert "skipped tests/corpus/feed.jsonl:5: no publication date" in done.stderr
    return path


def test_help_explains_every_command(tmp_path: Path) -> None:
    top = briefbot("--help", data_dir=tmp_path)
    assert top.returncode == 0
    for command in ("ingest", "ask", "repl", "eval", "stats", "telegram"):
        assert command in top.stdout
    ask = briefbot("ask", "--help", data_dir=tmp_path)
    assert "--since" in ask.stdout and "--batch" in ask.stdout and "--json" in ask.stdout


def test_ask_json_has_the_contract_fields(data_dir: Path) -> None:
    done = briefbot("ask", "Who did General Tchiani appoint as prime minister?", "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert not answer["abstained"] and "Zeine" in answer["answer"]
    assert answer["citations"][0]["url"] == "https://news.example.net/world/zeine-pm"
    assert answer["citations"][0]["date"] == "2023-08-08"
    assert answer["elapsed_ms"] > 0 and len(answer["retrieved"]) <= 10


def test_ask_prints_sources_for_people(data_dir: Path) -> None:
    done = briefbot("ask", "What did Algeria propose?", data_dir=data_dir)
    assert done.returncode == 0
    assert "[1]" in done.stdout and "Sources:" in done.stdout and "sahel.example.org" in done.stdout
    assert "DEBUG" not in done.stderr and "INFO" not in done.stderr  # libraries stay quiet


def test_batch_echoes_ids_and_reports_bad_lines(data_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "q-food", "question": "How many people face acute food insecurity?"}),
        "What did Lula say about the coup in Niger?",
        json.dumps({"id": "q-window", "question": "What did France decide about its troops?",
                    "since": "2023-09-01", "until": "2023-09-30"}),
        "{broken json",
        json.dumps({"id": "q-empty", "question": "  "}),
    ]) + "\n")
    done = briefbot("ask", "--batch", str(batch), "--json", data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert list(by_id) == ["q-food", "2", "q-window", "4", "q-empty"]
    assert "3.3 million" in by_id["q-food"]["answer"]
    assert by_id["2"]["abstained"] is True
    assert all(r["date"] >= "2023-09-01" for r in by_id["q-window"]["retrieved"])
    assert "malformed JSON" in by_id["4"]["error"] and "empty" in by_id["q-empty"]["error"]


def test_eval_prints_the_metrics(data_dir: Path) -> None:
    done = briefbot("eval", str(QUESTIONS), data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    metrics = json.loads(done.stdout.splitlines()[-1])
    assert metrics["answerable"] == 2 and metrics["unanswerable"] == 1
    assert metrics["hit@5"] == 1.0 and metrics["answer_acc"] == 1.0 and metrics["abstain_rate"] == 1.0


def test_stats(data_dir: Path) -> None:
    done = briefbot("stats", data_dir=data_dir)
    assert done.returncode == 0
    assert "documents:  10" in done.stdout and "2023-07-29 to 2023-10-20" in done.stdout and "pl 1" in done.stdout


@pytest.mark.parametrize("args, code, message", [
    (("ask", ""), 2, "what is the question?"),
    (("ask", "   "), 1, "the question is empty"),
    (("ask", "x" * 700), 1, "too long"),
    (("ask", "anything", "--since", "yesterday"), 2, "not a date"),
    (("ask", "anything", "--since", "2023-09-02", "--until", "2023-09-01"), 1, "after it ends"),
    (("ask", "--batch", "/nonexistent/file.jsonl"), 2, "cannot read"),
    (("eval", "/nonexistent/file.jsonl"), 2, "cannot read"),
])
def test_errors_are_one_line_without_traceback(data_dir: Path, args: tuple[str, ...], code: int,
                                               message: str) -> None:
    done = briefbot(*args, data_dir=data_dir)
    assert done.returncode == code
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_ingest_reports_a_missing_path(tmp_path: Path) -> None:
    done = briefbot("ingest", "no/such/folder", data_dir=tmp_path / "d")
    assert done.returncode == 1
    assert "skipped no/such/folder: no such file or folder" in done.stderr and "Traceback" not in done.stderr


def test_ingest_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    import pty

    main_fd, terminal_fd = pty.openpty()
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(tmp_path / "d"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest", "tests/corpus"], stdout=subprocess.PIPE,
                          stderr=terminal_fd, env=env, cwd=ROOT, timeout=180)
    os.close(terminal_fd)
    shown = b""
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_fd)
    assert done.returncode == 0
    text = shown.decode("utf-8", "replace")
    assert "ingest:" in text and "docs" in text and "new=" in text  # the live progress line
    assert "skipped tests/corpus/feed.jsonl" in text


def test_bad_configuration_names_the_variable(tmp_path: Path) -> None:
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(tmp_path), "BRIEFBOT_BATCH_SIZE": "lots"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "stats"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("briefbot stats: bad configuration: BRIEFBOT_BATCH_SIZE:")


def test_non_utf8_bytes_in_a_question_or_topic_are_replaced(data_dir: Path) -> None:
    # Python hands bytes that are not UTF-8 in argv over as lone surrogates ("\udcff").
    question = "What did the EU suspend \udcff\udcfe after the coup?"
    runs = [briefbot(*args, data_dir=data_dir)
            for args in (("ask", question), ("ask", question, "--json"), ("brief", "France \udcff"))]
    for done in runs:
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert json.loads(runs[1].stdout)["question"] == "What did the EU suspend \ufffd\ufffd after the coup?"


def test_batch_lines_of_the_wrong_type_are_error_lines(data_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "since-number", "question": "What did France do?", "since": 20230901}),
        json.dumps({"id": "until-list", "question": "What did France do?", "until": ["2023-09-30"]}),
        json.dumps({"id": "null", "question": None}),
        json.dumps([1, 2, 3]),
        json.dumps({"id": "good", "question": "What did Algeria propose?"}),
    ]) + "\n")
    done = briefbot("ask", "--batch", str(batch), "--json", data_dir=data_dir)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    by_id = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert list(by_id) == ["since-number", "until-list", "null", "4", "good"]
    assert "since is not a date string" in by_id["since-number"]["error"]
    assert "until is not a date string" in by_id["until-list"]["error"]
    assert "no question" in by_id["null"]["error"] and "not a JSON object" in by_id["4"]["error"]
    assert all("resolved_question" in r for r in by_id.values())
    assert "error" not in by_id["good"] and by_id["good"]["citations"]


def test_batch_with_no_line_answered_exits_1(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    assert briefbot("ingest", str(tmp_path / "nothing"), data_dir=tmp_path / "d").returncode == 0  # an empty store
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "a", "question": "Who leads the junta?", "conversation": "c"}) + "\n"
                     + json.dumps({"id": "b", "question": "when did he become leader?", "conversation": "c"}) + "\n")
    done = briefbot("ask", "--batch", str(batch), "--json", data_dir=tmp_path / "d")
    assert done.returncode == 1, done.stderr[-2000:]
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert all("no documents" in r["error"] and r["resolved_question"] == r["question"] for r in rows)


def test_eval_skips_bad_lines_and_names_them(data_dir: Path, tmp_path: Path) -> None:
    questions = tmp_path / "set.jsonl"
    good = QUESTIONS.read_text().splitlines()
    questions.write_text("\n".join([
        json.dumps({"type": "answerable", "question": "Who leads?", "gold": [], "answer_all_of_any": [["x"]]}),
        json.dumps({"id": "no-gold", "type": "answerable", "question": "Who leads?", "answer_all_of_any": [["x"]]}),
        json.dumps({"id": "since", "type": "unanswerable", "question": "Who leads?", "since": 20230101}),
        "{bad", *good]) + "\n")
    done = briefbot("eval", str(questions), data_dir=data_dir)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert f"skipped {questions}:1: no id" in done.stderr and f"{questions}:2: an answerable question needs gold" \
        in done.stderr and f"{questions}:3: since is not a date" in done.stderr and f"{questions}:4: malformed" \
        in done.stderr
    metrics = json.loads(done.stdout.splitlines()[-1])
    assert metrics["answerable"] == 2 and metrics["unanswerable"] == 1 and metrics["answer_acc"] == 1.0


@pytest.mark.parametrize("args, code, message", [
    (("eval", str(QUESTIONS), "--answers", "/nonexistent/x.jsonl"), 2, "cannot write /nonexistent/x.jsonl"),
    (("eval", os.devnull), 1, "has no questions to score"),
])
def test_eval_refuses_a_bad_answers_path_or_an_empty_set(data_dir: Path, args: tuple[str, ...], code: int,
                                                          message: str) -> None:
    done = briefbot(*args, data_dir=data_dir)
    assert done.returncode == code and message in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and not done.stdout


def test_elapsed_ms_of_single_commands_leaves_the_model_load_out(data_dir: Path) -> None:
    # The model loads in seconds; a question on this store takes tens of milliseconds.
    for args in (("ask", "What did Algeria propose?"), ("timeline", "French troops")):
        done = briefbot(*args, "--json", data_dir=data_dir)
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout)["elapsed_ms"] < 2500


ANSWER_FIELDS = {"id", "question", "resolved_question", "answer", "abstained", "answerer", "citations", "retrieved",
                 "elapsed_ms"}


def test_a_question_routed_to_a_briefing_keeps_the_answer_fields(data_dir: Path, tmp_path: Path) -> None:
    question = "What's the latest on French troops?"
    single = json.loads(briefbot("ask", question, "--json", data_dir=data_dir).stdout)
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "latest", "question": question}) + "\nWho did Tchiani appoint?\n")
    lines = [json.loads(line) for line in briefbot("ask", "--batch", str(batch), "--json",
                                                   data_dir=data_dir).stdout.splitlines()]
    for reply in (single, lines[0]):
        assert set(reply) >= ANSWER_FIELDS and {"kind", "points", "topic"} <= set(reply), sorted(reply)
        assert reply["question"] == reply["resolved_question"] == question and not reply["abstained"]
        assert "French troops" in reply["answer"] and "[1]" in reply["answer"]
        assert [c["n"] for c in reply["citations"]] == list(range(1, len(reply["citations"]) + 1))
    assert single["id"] is None and lines[0]["id"] == "latest"
    assert set(lines[1]) >= ANSWER_FIELDS  # a plain answer, for comparison


def test_global_options_go_before_or_after_every_command(data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "not-used"
    for args in (("stats", "--data-dir", str(data_dir), "-v"), ("-v", "--desk", "default", "stats"),
                 ("desks", "list", "--data-dir", str(data_dir))):
        done = briefbot(*args, data_dir=data_dir if "--data-dir" not in args else elsewhere)
        assert done.returncode == 0 and "10" in done.stdout, (args, done.stderr[-2000:])
    done = briefbot("brief", "--data-dir", str(data_dir), "French troops", data_dir=elsewhere)
    assert done.returncode == 0 and "Last French troops leave Niger" in done.stdout, done.stderr[-2000:]
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "", "HF_HUB_OFFLINE": "1"}
    for args in (("--data-dir", str(tmp_path), "telegram"), ("--desk", "default", "telegram"), ("-v", "telegram"),
                 ("telegram", "--data-dir", str(tmp_path), "-v")):
        done = subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env,
                              cwd=ROOT, timeout=120)
        # The bot's own parser took the options: it gets as far as asking for its token.
        assert done.returncode == 2 and "TELEGRAM_BOT_TOKEN is not set" in done.stderr, (args, done.stderr)


def test_plain_batch_prints_each_answers_sources(data_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch.txt"
    batch.write_text("What did Algeria propose?\nWhat's the latest on French troops?\n")
    done = briefbot("ask", "--batch", str(batch), data_dir=data_dir)
    assert done.returncode == 0, done.stderr[-2000:]
    answer, briefing = done.stdout.split("[2] What's the latest")
    assert answer.startswith("[1] What did Algeria propose?") and "[1]" in answer and "Sources:" in answer
    assert "sahel.example.org" in answer and "Sources:" in briefing and "example.com/last-troops" in briefing


def test_ingest_with_no_arguments_finds_the_shipped_seeds_from_any_folder(tmp_path: Path) -> None:
    env = {**os.environ, "BRIEFBOT_DATA_DIR": str(tmp_path / "d"), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ingest"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ingested 1 documents") and "1 new" in done.stdout and "skipped" not in done.stderr


def test_a_mistyped_or_file_data_dir_is_named_and_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "dta"
    for args in (("stats",), ("ask", "Who leads the junta?")):
        done = briefbot(*args, data_dir=typo)
        assert done.returncode == 1 and f"there is no store in {typo}" in done.stderr, done.stderr[-2000:]
        assert f"briefbot ingest --data-dir {typo}" in done.stderr and not typo.exists()
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    done = briefbot("stats", data_dir=afile)
    assert done.returncode == 2
    assert done.stderr.strip() == f"briefbot stats: the data dir {afile} is a file, not a folder"


def test_an_empty_desk_says_which_desk_and_how_to_fill_it(tmp_path: Path) -> None:
    assert briefbot("desks", "add", "floods", data_dir=tmp_path).returncode == 0
    done = briefbot("--desk", "floods", "ask", "How many were killed in Derna?", data_dir=tmp_path)
    assert done.returncode == 1 and "no documents in desk floods" in done.stderr, done.stderr[-2000:]
    assert "run `briefbot --desk floods ingest` first" in done.stderr


def test_a_bad_telegram_option_is_one_line(tmp_path: Path) -> None:
    done = briefbot("telegram", "--bogus", data_dir=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "briefbot telegram: unrecognized arguments: --bogus (see briefbot telegram --help)\n"
