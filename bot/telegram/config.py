"""Telegram front-end settings, read from the environment (and `.env`) when the bot starts.

Every `TELEGRAM_*` variable is a field here (and `BRIEFBOT_ALLOWED_CHATS` and `BRIEFBOT_EDITORS`,
which only the bot reads); engine settings, the digest time and time zone included, stay in `index.config`.
Each field maps to the variable named in its alias; `.env.example` lists them with
defaults. Secrets are `SecretStr` so that printing the settings never shows them.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram delivers webhooks only to these ports (behind a reverse proxy any local port works).
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)


def _env(name: str) -> AliasChoices:
    # Accept both the variable name (environment) and the field name (constructing in code).
    return AliasChoices(name)


class TelegramSettings(BaseSettings):
    """How the Telegram bot connects, who may use it and how hard it may be pushed."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Connection
    bot_token: SecretStr = Field(default=SecretStr(""), validation_alias=_env("TELEGRAM_BOT_TOKEN"),
                                 description="token from @BotFather; required")
    api_base_url: str = Field(default="https://api.telegram.org", validation_alias=_env("TELEGRAM_API_BASE_URL"),
                              description="Bot API server; a local telegram-bot-api server or a test stand-in")
    file_base_url: str = Field(default="", validation_alias=_env("TELEGRAM_FILE_BASE_URL"),
                               description="where files are downloaded from (the token is appended); "
                                           "empty = TELEGRAM_API_BASE_URL + /file/bot")
    poll_timeout: float = Field(default=30.0, ge=0, le=50, validation_alias=_env("TELEGRAM_POLL_TIMEOUT"),
                                description="seconds one getUpdates long poll may wait")
    max_download_mb: float = Field(
        default=20.0, gt=0, le=2000, validation_alias=_env("TELEGRAM_MAX_DOWNLOAD_MB"),
        description="largest file the Bot API lets the bot download (getFile): 20 on Telegram's servers, "
                    "up to 2000 with a local telegram-bot-api server; caps BRIEFBOT_MAX_FILE_MB for uploads")
    read_timeout: float = Field(default=10.0, gt=0, validation_alias=_env("TELEGRAM_READ_TIMEOUT"),
                                description="seconds to wait for Telegram's reply to a send")
    send_retry_window: float = Field(
        default=120.0, ge=0, le=3600, validation_alias=_env("TELEGRAM_SEND_RETRY_WINDOW"),
        description="seconds a send that provably did not reach Telegram (no connection, a 5xx reply) "
                    "is retried with backoff before it is logged as not delivered")
    drop_pending_updates: bool = Field(default=False, validation_alias=_env("TELEGRAM_DROP_PENDING_UPDATES"),
                                       description="skip messages that arrived while the bot was down")

    # Access
    allowed_chats: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias=_env("BRIEFBOT_ALLOWED_CHATS"),
        description="comma-separated chat ids that may use the bot; empty = nobody")
    editors: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias=_env("BRIEFBOT_EDITORS"),
        description="comma-separated user ids that may add documents (files, links); empty = nobody")

    # Webhook mode (polling is the default)
    webhook_url: str = Field(default="", validation_alias=_env("TELEGRAM_WEBHOOK_URL"),
                             description="public https URL Telegram posts updates to")
    webhook_secret: SecretStr = Field(default=SecretStr(""), validation_alias=_env("TELEGRAM_WEBHOOK_SECRET"),
                                      description="secret_token Telegram echoes in X-Telegram-Bot-Api-Secret-Token")
    webhook_listen: str = Field(default="127.0.0.1", validation_alias=_env("TELEGRAM_WEBHOOK_LISTEN"),
                                description="local address the webhook receiver binds")
    webhook_port: int = Field(default=8443, ge=0, le=65535, validation_alias=_env("TELEGRAM_WEBHOOK_PORT"),
                              description="local port the webhook receiver binds; 0 = any free port")

    # Load and limits
    chat_rate_limit: int = Field(default=6, ge=1, validation_alias=_env("TELEGRAM_CHAT_RATE_LIMIT"),
                                 description="requests one chat may make per window")
    chat_rate_window: float = Field(default=60.0, gt=0, validation_alias=_env("TELEGRAM_CHAT_RATE_WINDOW"),
                                    description="seconds of the per-chat window")
    workers: int = Field(default=4, ge=1, le=64, validation_alias=_env("TELEGRAM_WORKERS"),
                         description="threads answering questions (engine work runs off the event loop)")
    concurrent_updates: int = Field(default=64, ge=1, le=1024, validation_alias=_env("TELEGRAM_CONCURRENT_UPDATES"))
    send_retries: int = Field(default=3, ge=0, le=10, validation_alias=_env("TELEGRAM_SEND_RETRIES"),
                              description="times a send is retried after 429 Too Many Requests")
    global_send_rate: float = Field(default=25.0, gt=0, validation_alias=_env("TELEGRAM_GLOBAL_SEND_RATE"),
                                    description="messages per second over all chats (Telegram allows ~30)")
    group_send_rate: float = Field(default=18.0, gt=0, validation_alias=_env("TELEGRAM_GROUP_SEND_RATE"),
                                   description="messages per minute into one group (Telegram allows 20)")
    chat_send_rate: float = Field(default=1.0, gt=0, validation_alias=_env("TELEGRAM_CHAT_SEND_RATE"),
                                  description="messages per second into one private chat (Telegram: ~1)")

    # Scheduled digests (their default time and zone are the engine's BRIEFBOT_DIGEST_TIME and BRIEFBOT_TIMEZONE)
    digest_misfire_grace: float = Field(default=300.0, ge=1.0, validation_alias=_env("TELEGRAM_DIGEST_MISFIRE_GRACE"),
                                        description="seconds a daily digest job may start late and still run")
    digest_catch_up: float = Field(default=300.0, ge=5.0, validation_alias=_env("TELEGRAM_DIGEST_CATCH_UP"),
                                   description="seconds between passes that send digests whose time has passed")

    @field_validator("allowed_chats", mode="before")
    @classmethod
    def _parse_chat_ids(cls, value: object) -> object:
        return _parse_ids(value, r"-?\d+", "not a chat id: {!r} (use numbers like 123456789 or -1001234567890)")

    @field_validator("editors", mode="before")
    @classmethod
    def _parse_user_ids(cls, value: object) -> object:
        # User ids are positive; a group's id here would be a mistake worth naming.
        return _parse_ids(value, r"\d+", "not a user id: {!r} (use Telegram user ids like 123456789)")

    @field_validator("api_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        # Accept the Bot API's own spelling ".../bot" too; the "/bot" is added when connecting.
        value = value.removesuffix("/bot")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"TELEGRAM_API_BASE_URL must be an http(s) URL, got {value!r}")
        return value

    @field_validator("file_base_url")
    @classmethod
    def _check_file_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"TELEGRAM_FILE_BASE_URL must be an http(s) URL, got {value!r}")
        # The Bot API's spelling ends in /file/bot (the token follows); a bare server URL gets it added.
        return value if value.endswith("/bot") else value + "/file/bot"

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str) -> str:
        value = value.strip()
        if value and urlsplit(value).scheme != "https":
            raise ValueError("TELEGRAM_WEBHOOK_URL must start with https:// (Telegram requires TLS)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret and not _SECRET_TOKEN.fullmatch(secret):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -")
        return value

    @model_validator(mode="after")
    def _token_has_no_separators(self) -> TelegramSettings:
        token = self.bot_token.get_secret_value()
        # The token becomes part of every URL path; whitespace or slashes would mis-route calls.
        if token and not re.fullmatch(r"[A-Za-z0-9:_-]+", token):
            raise ValueError("TELEGRAM_BOT_TOKEN has unexpected characters (expected digits:letters)")
        return self

    @property
    def token(self) -> str:
        """The bot token in clear, for the HTTP client only."""
        return self.bot_token.get_secret_value()

    @property
    def files_url(self) -> str:
        """Where the client downloads files from (PTB's `base_file_url`; the token is appended)."""
        return self.file_base_url or f"{self.api_base_url}/file/bot"

    @property
    def webhook_ready(self) -> bool:
        """True if webhook mode has what it needs: a public URL and a secret token."""
        return bool(self.webhook_url and self.webhook_secret.get_secret_value())

    @property
    def webhook_path(self) -> str:
        """The URL path the webhook receiver answers on (the path of the public URL)."""
        return urlsplit(self.webhook_url).path or "/"


def _parse_ids(value: object, pattern: str, message: str) -> object:
    """A comma- (or semicolon-) separated list of ids as a frozenset; `message` names a bad one."""
    if isinstance(value, str):
        ids = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        bad = [part for part in ids if not re.fullmatch(pattern, part)]
        if bad:
            raise ValueError(message.format(bad[0]))
        return frozenset(int(part) for part in ids)
    return value


def one_line(exc: ValidationError, prefix: str = "") -> str:
    """The first problem of a settings error as "VARIABLE: message".

    Telegram settings report their variable names already; engine settings report field
    names, which `prefix` ("BRIEFBOT_") turns into the variable a user sets.
    """
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err.get("loc", ()))
    if where and prefix and not where.isupper():
        where = prefix + where.upper()
    return f"{where or 'settings'}: {err.get('msg', 'invalid value')}"
