"""Server mode on a real `chroma run` on loopback: several processes share one store.

One process ingests, another answers and sees what was ingested without restarting; the
server stops (a clear "unavailable" error, in the engine and in the CLI) and comes back
(the same engine answers again, no restart of its own).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from index import Briefbot, Settings, StoreUnavailableError

ROOT = Path(__file__).resolve().parent.parent
CHROMA = Path(sys.executable).parent / "chroma"
ALGERIA = "What did Algeria's president say about military intervention in Niger?"
FOOD = "How many people in Niger faced acute food insecurity according to the World Food Programme?"
FOOD_URL = "https://example.org/aid-food-niamey"


class ChromaServer:
    """`chroma run --path DIR --host 127.0.0.1 --port P`, stoppable and restartable on the same port."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("chroma run did not answer its heartbeat within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def server(tmp_path: Path):
    if not CHROMA.exists():
        pytest.skip(f"no chroma CLI at {CHROMA}")
    srv = ChromaServer(tmp_path / "server-store")
    srv.start()
    yield srv
    srv.stop()


def briefbot(args: list[str], url: str, data_dir: Path) -> subprocess.CompletedProcess:
    """`briefbot ARGS` as a separate process pointed at the server."""
    env = {**os.environ, "BRIEFBOT_CHROMA_URL": url, "BRIEFBOT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_ingest_in_one_process_answer_in_another_and_survive_a_server_restart(server: ChromaServer,
                                                                               tmp_path: Path) -> None:
    done = briefbot(["ingest", "-q", "seeds"], server.url, tmp_path / "writer")
    assert done.returncode == 0, done.stderr[-2000:]
    reader = Briefbot(Settings(chroma_url=server.url, data_dir=tmp_path / "reader", _env_file=None))
    before = reader.ask(ALGERIA)
    assert not before.abstained and "Algeria" in before.answer

    # Another process ingests more; this one finds it without a restart (dense at once, keyword on refresh).
    done = briefbot(["ingest", "-q", str(ROOT / "tests" / "corpus")], server.url, tmp_path / "writer2")
    assert done.returncode == 0, done.stderr[-2000:]
    deadline = time.monotonic() + 30
    while True:
        reader.keywords.get()
        reader.keywords.wait_refreshed()
        index = reader.keywords.get()
        found = [h.url for h in reader.search(FOOD)]
        if FOOD_URL in found and index.count == reader.store.count():
            break
        assert time.monotonic() < deadline, f"new documents not seen: {found}, {index.count} chunks indexed"
        time.sleep(0.5)
    answer = reader.ask(FOOD)
    assert "3.3 million" in answer.answer and answer.citations[0].url == FOOD_URL

    server.stop()
    with pytest.raises(StoreUnavailableError, match=r"unavailable|cannot open"):
        reader.ask(ALGERIA)
    down = briefbot(["ask", ALGERIA], server.url, tmp_path / "cli")
    assert down.returncode == 1
    assert down.stderr.count("\n") == 1 and "Traceback" not in down.stderr
    assert f"briefbot ask: the store at {server.url} is unavailable" in down.stderr \
        or f"briefbot ask: cannot open the store at {server.url}" in down.stderr, down.stderr

    server.start()
    after = reader.ask(ALGERIA)  # the same engine object: no restart of the bot
    assert after.answer == before.answer
    assert reader.stats().documents == 10
    print(f"\nserver mode: ingest in 2 processes, answers in a third; restart on {server.url} survived")


def test_a_hung_server_gives_unavailable_within_the_timeout_and_recovers(server: ChromaServer,
                                                                          tmp_path: Path) -> None:
    """SIGSTOP leaves the port accepting connections but nothing answers: the question must not hang."""
    done = briefbot(["ingest", "-q", "seeds"], server.url, tmp_path / "writer")
    assert done.returncode == 0, done.stderr[-2000:]
    reader = Briefbot(Settings(chroma_url=server.url, data_dir=tmp_path / "reader", chroma_timeout=1.5,
                               _env_file=None))
    before = reader.ask(ALGERIA)
    assert not before.abstained
    assert server.proc is not None
    os.kill(server.proc.pid, signal.SIGSTOP)
    outcome: list[BaseException | object] = []

    def ask() -> None:
        try:
            outcome.append(reader.ask(ALGERIA))
        except BaseException as exc:  # handed to the test thread
            outcome.append(exc)

    try:
        started = time.monotonic()
        asking = threading.Thread(target=ask, daemon=True)  # a hang must fail the test, not stall the suite
        asking.start()
        asking.join(30)
        waited = time.monotonic() - started
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    assert not asking.is_alive(), "the question still hangs after 30 s"
    assert isinstance(outcome[0], StoreUnavailableError), outcome
    assert re.search(r"unavailable|cannot open", str(outcome[0]))
    # One try, one reconnect and retry: about two timeouts, never an endless wait.
    assert waited < 10, f"waited {waited:.1f} s for a hung server"
    assert reader.ask(ALGERIA).answer == before.answer
    print(f"\nhung server: 'unavailable' after {waited:.1f} s with a 1.5 s timeout; answers again after SIGCONT")
