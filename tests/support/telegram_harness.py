"""Run the real Telegram `Application` in a background thread against the Bot API stand-in.

Tests stay synchronous: they push updates into the stand-in, then wait for what the bot
sent. The bot runs `bot.telegram.serve` (the same code `briefbot telegram` runs) on its
own event loop; `stop()` shuts it down the way SIGTERM does and re-raises anything it raised.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

from bot.telegram import TelegramFrontEnd, TelegramSettings, build_application, serve
from support.botapi_standin import BotAPIStandin


class RunningBot:
    """The bot, serving until stopped; use as a context manager."""

    def __init__(self, api: BotAPIStandin, engine: Any, *, webhook: bool = False, **overrides: Any) -> None:
        options: dict[str, Any] = {
            "bot_token": api.token, "api_base_url": api.base_url,
            # Short long-polls and timeouts keep start/stop and fault tests quick.
            "poll_timeout": 1, "read_timeout": 5, **overrides,
        }
        self.settings = TelegramSettings(_env_file=None, **options)  # type: ignore[call-arg]
        self.app = build_application(self.settings, engine)
        self.front: TelegramFrontEnd = self.app.bot_data["front_end"]
        self.webhook = webhook
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="telegram-bot", daemon=True)

    def _main(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await serve(self.app, self.settings, webhook=self.webhook, stop=self._stop)

        try:
            asyncio.run(main())
        except BaseException as exc:  # surfaced in stop()
            self._error = exc

    def start(self, timeout: float = 30.0) -> RunningBot:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.app.running:
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError("bot failed to start") from self._error
            if time.monotonic() > deadline:
                raise TimeoutError("bot did not start")
            time.sleep(0.02)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("bot did not stop")
        if self._error is not None:
            raise self._error

    def __enter__(self) -> RunningBot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def guarded_bot(api: BotAPIStandin, engine: Any, **options: Any) -> Iterator[RunningBot]:
    """A RunningBot that, whatever the test did, checks on exit that the token never reached a chat."""
    with RunningBot(api, engine, **options) as running:
        yield running
    for call in api.calls():
        assert api.token not in json.dumps(call.params)
