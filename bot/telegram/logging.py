"""Logging for the Telegram bot with secrets redacted.

The bot token is part of every Bot API URL, and httpx logs each request URL at INFO; an
exception message or traceback can carry it too. `RedactingFilter` replaces the token (and
the webhook secret) in the message, its arguments and the formatted traceback of every
record that reaches a handler it is installed on, and httpx is quieted to WARNING.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "<redacted>"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_NOISY = ("httpx", "httpcore", "apscheduler")


class RedactingFilter(logging.Filter):
    """Replace secrets in log records (message, args, exception and stack text)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms: set[str] = set()
        for secret in secrets:
            if secret:
                # URL-encoded too: a token's ":" may appear as %3A in a logged URL.
                forms.update({secret, quote(secret, safe="")})
        # Longest first, so a secret containing another is replaced whole.
        self._secrets = sorted(forms, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced by `REDACTED`."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; always True (records are cleaned, never dropped)."""
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still gets logged, just unformatted
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so the redacted text is what handlers print.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(secrets: Iterable[str], logger: logging.Logger | None = None) -> RedactingFilter:
    """Put a `RedactingFilter` on every handler of `logger` (default: root) and quiet httpx.

    Filters go on handlers, not loggers: a logger's filters do not see records propagated
    from child loggers such as `httpx` or `telegram.ext`.
    """
    target = logger or logging.getLogger()
    redactor = RedactingFilter(secrets)
    for handler in target.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
    return redactor


def configure_logging(level: str | int, secrets: Iterable[str]) -> RedactingFilter:
    """Log to stderr (journald picks it up under systemd) with secrets redacted."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    return install_redaction(secrets)
