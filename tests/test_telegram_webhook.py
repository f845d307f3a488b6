"""Webhook mode and the `briefbot telegram` entry point.

Webhook: the real Application with our receiver on loopback; requests without the right
secret header are rejected and nothing reaches a chat. Entry point: argument and settings
errors exit 2 with one line; a real process polls the stand-in, answers, and stops cleanly
on SIGTERM (as under systemd) without the token in its output.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli import telegram_main
from support.botapi_standin import BotAPIStandin, private_chat
from support.loopback_proxy import LoopbackProxy
from support.telegram_harness import RunningBot

SECRET = "s3cret_token-XYZ"
CHAT = 101


@pytest.fixture
def webhook_bot(api: BotAPIStandin, engine: Any) -> Iterator[RunningBot]:
    with RunningBot(api, engine, webhook=True, allowed_chats=frozenset({CHAT}),
                    webhook_url="https://bot.example.org/tg/hook", webhook_secret=SECRET,
                    webhook_listen="127.0.0.1", webhook_port=0) as running:
        yield running


def post(bot: RunningBot, body: bytes, headers: dict[str, str], method: str = "POST",
         path: str = "/tg/hook") -> int:
    port = bot.app.bot_data["webhook_receiver"].port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": "application/json", **headers})
        return conn.getresponse().status
    finally:
        conn.close()


def announce_huge_body(bot: RunningBot) -> int:
    """Headers promising a 3 MB body: refused before any of it is read."""
    port = bot.app.bot_data["webhook_receiver"].port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("POST", "/tg/hook")
        conn.putheader("X-Telegram-Bot-Api-Secret-Token", SECRET)
        conn.putheader("Content-Length", str(3 << 20))
        conn.endheaders()
        return conn.getresponse().status
    finally:
        conn.close()


def start_update(api: BotAPIStandin, update_id: int = 1) -> bytes:
    message = {"message_id": api.next_message_id(CHAT), "date": int(time.time()), "chat": private_chat(CHAT),
               "from": {"id": CHAT, "is_bot": False, "first_name": "Ada"}, "text": "/start",
               "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}
    return json.dumps({"update_id": update_id, "message": message}).encode()


def test_webhook_is_registered_with_secret_and_polling_is_off(api: BotAPIStandin, webhook_bot: RunningBot) -> None:
    (call,) = api.calls("setWebhook")
    assert call.params["url"] == "https://bot.example.org/tg/hook"
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
    assert not api.calls("getUpdates")


def test_webhook_rejects_requests_without_the_secret(api: BotAPIStandin, webhook_bot: RunningBot) -> None:
    body = start_update(api)
    assert post(webhook_bot, body, {}) == 403
    assert post(webhook_bot, body, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
    assert post(webhook_bot, body, {"X-Telegram-Bot-Api-Secret-Token": SECRET[:-1]}) == 403
    assert post(webhook_bot, body, {"X-Telegram-Bot-Api-Secret-Token": SECRET}, path="/other") == 404
    assert post(webhook_bot, b"", {"X-Telegram-Bot-Api-Secret-Token": SECRET}, method="GET") == 405
    assert post(webhook_bot, b"{not json", {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 400
    assert announce_huge_body(webhook_bot) == 413
    # A later update with the secret is answered: everything posted before it has been decided.
    assert post(webhook_bot, start_update(api, update_id=2), {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
    (welcome,) = api.wait_for_messages(CHAT, 1)
    assert "Hello" in welcome
    assert len(api.calls("sendMessage")) == 1
    receiver = webhook_bot.app.bot_data["webhook_receiver"]
    assert (receiver.rejected, receiver.accepted) == (6, 1)


def test_webhook_update_with_secret_is_answered(api: BotAPIStandin, webhook_bot: RunningBot) -> None:
    assert post(webhook_bot, start_update(api), {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
    (welcome,) = api.wait_for_messages(CHAT, 1)
    assert "Hello" in welcome


def test_an_answer_waits_out_a_network_outage_and_is_delivered_once(api: BotAPIStandin, engine: Any,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    # Webhook mode, so the update arrives while the way to Telegram is down (polling could not fetch it).
    with LoopbackProxy(api.port) as network, \
            RunningBot(api, engine, webhook=True, allowed_chats=frozenset({CHAT}), api_base_url=network.base_url,
                       webhook_url="https://bot.example.org/tg/hook", webhook_secret=SECRET,
                       webhook_listen="127.0.0.1", webhook_port=0) as running:
        network.go_down()
        assert post(running, start_update(api), {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
        # Refused three times, past the 1.5 s after which the answer used to be dropped.
        assert api.wait_for(lambda: caplog.text.count("was not delivered") >= 3, 15), caplog.text
        assert not api.calls("sendMessage", CHAT)
        network.come_up()
        (welcome,) = api.wait_for_messages(CHAT, 1, timeout=15)
        assert "Hello" in welcome
    assert len(api.calls("sendMessage", CHAT)) == 1
    assert "ConnectError" in caplog.text and "may not have completed" not in caplog.text


def test_an_answer_refused_past_the_retry_window_is_logged_as_not_delivered(
        api: BotAPIStandin, engine: Any, caplog: pytest.LogCaptureFixture) -> None:
    with LoopbackProxy(api.port) as network, \
            RunningBot(api, engine, webhook=True, allowed_chats=frozenset({CHAT}), api_base_url=network.base_url,
                       webhook_url="https://bot.example.org/tg/hook", webhook_secret=SECRET,
                       webhook_listen="127.0.0.1", webhook_port=0, send_retry_window=2.0) as running:
        network.go_down()
        assert post(running, start_update(api), {"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
        assert api.wait_for(lambda: "gave up retrying" in caplog.text, 15), caplog.text
        network.come_up()
    assert not api.calls("sendMessage", CHAT)
    assert "may not have completed" not in caplog.text


# --- the entry point -----------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "BRIEFBOT_ALLOWED")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


@pytest.mark.parametrize(("env", "argv", "needle"), [
    ({}, [], "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "BRIEFBOT_ALLOWED_CHATS": "x"}, [], "BRIEFBOT_ALLOWED_CHATS"),
    ({"TELEGRAM_BOT_TOKEN": "1:a"}, ["--webhook"], "--webhook needs TELEGRAM_WEBHOOK_URL"),
    ({"TELEGRAM_BOT_TOKEN": "1:a"}, ["--webhook", "--url", "http://x.org/h"], "https://"),
    ({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_PORT": "nope"}, [], "TELEGRAM_WEBHOOK_PORT"),
])
def test_configuration_errors_exit_2_with_one_line(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], env: dict[str, str],
                                                   argv: list[str], needle: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert telegram_main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_help_explains_modes_and_variables(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        telegram_main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for word in ("--webhook", "--listen", "--port", "--url", "TELEGRAM_BOT_TOKEN", "BRIEFBOT_ALLOWED_CHATS",
                 "long polling"):
        assert word in out


@pytest.mark.slow
def test_real_process_polls_answers_and_stops_on_sigterm(api: BotAPIStandin, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BRIEFBOT_"))}
    env.update({"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
                "BRIEFBOT_ALLOWED_CHATS": str(CHAT), "BRIEFBOT_DATA_DIR": str(tmp_path / "data"),
                "TELEGRAM_POLL_TIMEOUT": "1"})
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from bot.cli import telegram_main; "
                             "sys.exit(telegram_main())"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert api.wait_for(lambda: api.calls("getUpdates"), 60), "bot never polled"
        api.send_text(private_chat(CHAT), "/start")
        assert api.wait_for_messages(CHAT, 1, timeout=15)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "bot running (long polling)" in err and "Traceback" not in err
    assert api.token not in err
