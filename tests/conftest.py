"""Shared fixtures: offline guard, temp data dirs, the small corpus, one engine per session.

Every test runs with the network closed: a connect to anything but loopback fails the
test. Engines use the real bundled model and a real Chroma store in a temp folder.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SHARED = ROOT.parent / "shared"
NIGER_FEED = SHARED / "data" / "niger-2023-rss.jsonl"
DEV_SET = SHARED / "eval" / "dev.jsonl"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else ""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):  # type: ignore[no-untyped-def]
    if not _is_local(address):
        raise AssertionError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):  # type: ignore[no-untyped-def]
    if not _is_local(address):
        raise AssertionError(f"test tried to reach the network: {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No network but loopback; a stray default data dir lands in the test's temp folder."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setenv("BRIEFBOT_DATA_DIR", str(tmp_path / "default-data"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory):
    """One engine over seeds/ + tests/corpus/, shared by the read-only tests of the session."""
    from index import Briefbot, Settings

    data_dir = tmp_path_factory.mktemp("engine-data")
    bb = Briefbot(Settings(data_dir=data_dir, _env_file=None))
    report = bb.ingest([ROOT / "seeds", CORPUS])
    assert report.added >= 9, report
    return bb


@pytest.fixture(scope="session")
def niger_engine(tmp_path_factory: pytest.TempPathFactory):
    """An engine over seeds/ + the shared Niger feed (skips when ../shared is absent)."""
    if not NIGER_FEED.exists():
        pytest.skip(f"shared data not found at {NIGER_FEED}")
    from index import Briefbot, Settings

    bb = Briefbot(Settings(data_dir=tmp_path_factory.mktemp("niger-data"), _env_file=None))
    bb.ingest([ROOT / "seeds", NIGER_FEED])
    return bb


@pytest.fixture
def fresh_corpus(tmp_path: Path) -> Path:
    """A writable copy of tests/corpus for tests that change files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def api():
    """A stand-in Telegram Bot API on loopback (the real PTB client is pointed at it)."""
    from support.botapi_standin import BotAPIStandin

    with BotAPIStandin() as standin:
        yield standin
