"""A small webhook receiver on asyncio streams, for webhook mode.

PTB's own `run_webhook` needs tornado (the `[webhooks]` extra), which this project does not
install; this receiver does the same job in the standard library: it accepts Telegram's
POSTs on one path, rejects any request without the right `X-Telegram-Bot-Api-Secret-Token`
header (403), and puts each update on the application's update queue.

It speaks plain HTTP: run it behind a TLS-terminating reverse proxy (Telegram only posts to
https URLs) or on loopback behind a tunnel. See docs/telegram-setup.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from http import HTTPStatus

from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1 << 20  # updates are a few KB; anything near this is not Telegram
MAX_HEADER_LINES = 100
IDLE_TIMEOUT_S = 75.0  # Telegram keeps connections open between deliveries
SECRET_HEADER = "x-telegram-bot-api-secret-token"


class WebhookReceiver:
    """Receive Telegram updates over HTTP and feed them to `application.update_queue`."""

    def __init__(self, application: Application, *, path: str, secret: str, listen: str, port: int) -> None:
        if not secret:
            raise ValueError("a webhook needs a secret token (TELEGRAM_WEBHOOK_SECRET)")
        self.application = application
        self.path = path
        self._secret = secret.encode()
        self.listen = listen
        self.port = port
        self._server: asyncio.Server | None = None
        self.accepted = 0
        self.rejected = 0

    async def start(self) -> None:
        """Bind and start serving; `port` is updated to the bound port (so 0 works in tests)."""
        self._server = await asyncio.start_server(self._serve_connection, self.listen, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("webhook receiver listening on %s:%s%s", self.listen, self.port, self.path)

    async def stop(self) -> None:
        """Stop accepting connections."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    keep_alive = await asyncio.wait_for(self._serve_request(reader, writer), IDLE_TIMEOUT_S)
                except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                    break
                if not keep_alive:
                    break
        except Exception:
            log.exception("webhook connection failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Handle one request; returns whether the connection may be reused."""
        request_line = await reader.readline()
        if not request_line:
            return False
        parts = request_line.decode("latin-1").split()
        if len(parts) != 3:
            await self._respond(writer, HTTPStatus.BAD_REQUEST, keep_alive=False)
            return False
        method, target, _version = parts
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADER_LINES + 1):
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        else:
            await self._respond(writer, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, keep_alive=False)
            return False
        keep_alive = headers.get("connection", "").lower() != "close"
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES or "transfer-encoding" in headers:
            # Telegram always sends Content-Length; anything else is not worth parsing.
            await self._respond(writer, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, keep_alive=False)
            return False
        body = await reader.readexactly(length) if length else b""

        status = self._check(method, target.split("?", 1)[0], headers)
        if status is not HTTPStatus.OK:
            self.rejected += 1
            log.warning("webhook request rejected: %s %s -> %d", method, target.split("?", 1)[0], status)
            await self._respond(writer, status, keep_alive)
            return keep_alive
        try:
            data = json.loads(body)
            update = Update.de_json(data, self.application.bot)
        except Exception:
            self.rejected += 1
            log.warning("webhook body is not an update (%d bytes)", len(body))
            await self._respond(writer, HTTPStatus.BAD_REQUEST, keep_alive)
            return keep_alive
        if update is not None:
            await self.application.update_queue.put(update)
            self.accepted += 1
        await self._respond(writer, HTTPStatus.OK, keep_alive)
        return keep_alive

    def _check(self, method: str, path: str, headers: dict[str, str]) -> HTTPStatus:
        if path != self.path:
            return HTTPStatus.NOT_FOUND
        if method != "POST":
            return HTTPStatus.METHOD_NOT_ALLOWED
        # Constant-time comparison: the secret is the only thing keeping strangers from
        # injecting updates that look like they came from an allowed chat.
        given = headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return HTTPStatus.FORBIDDEN
        return HTTPStatus.OK

    @staticmethod
    async def _respond(writer: asyncio.StreamWriter, status: HTTPStatus, keep_alive: bool) -> None:
        body = b"" if status is HTTPStatus.OK else status.phrase.encode()
        head = (f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Length: {len(body)}\r\n"
                f"Content-Type: text/plain\r\nConnection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n")
        writer.write(head.encode() + body)
        await writer.drain()
