"""The engine's one settings object, read from the environment (and `.env`) when a command starts.

Every field maps to one `BRIEFBOT_*` variable; `.env.example` lists them all with defaults.
The Telegram front end's own settings (`TELEGRAM_*`, the allow-list) live in `bot.telegram.config`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .answer_confidence import ABSTAIN_BELOW
from .dates import parse_time, zone
from .errors import DeskError

# Nothing may be fetched at run time: the model ships in a package, and Chroma's
# telemetry would try to phone home. Set before chromadb / huggingface are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Settings(BaseSettings):
    """Engine settings; see `.env.example` for the documented list."""

    model_config = SettingsConfigDict(env_prefix="BRIEFBOT_", env_file=".env", extra="ignore")

    # Desks: one installation serves several crises, each its own collection (index.desks).
    desk: str = Field(default="", description="the desk commands work on; empty = the default desk")

    # Storage
    data_dir: Path = Field(default=Path("./data"), description="where the embedded store, lock and caches live")
    chroma_url: str = Field(default="", description="http://host:port of a Chroma server; empty = embedded store")
    collection: str = Field(default="briefbot", min_length=3, max_length=512)
    # A hung (not stopped) server must not block a question forever; a write of one batch of
    # 512 documents takes a few seconds, so this leaves a wide margin.
    chroma_timeout: float = Field(default=30.0, gt=0, le=3600, description="seconds one Chroma server request may take")

    # Model
    embed_model: str = Field(default="", description="sentence-transformers path or name; empty = bundled MiniLM")
    device: str = Field(default="cpu")
    # Empty: 16 on a CPU (measured fastest on 2 cores: less padding per batch than 32 or 64),
    # 128 on a GPU (one kernel launch per batch; more texts per launch keep it busy).
    batch_size: int | None = Field(default=None, ge=1, le=4096, description="texts per forward pass; empty = by device")
    precision: Literal["auto", "fp32", "bf16"] = Field(
        default="auto", description="auto: bf16 where the CPU has it natively and a probe agrees with fp32")

    # Corpus rules
    languages: str = Field(default="en", description="comma list of language codes answers draw on; * = all")
    max_file_mb: float = Field(default=20.0, gt=0)

    # Links (`briefbot ingest https://...`)
    url_timeout: float = Field(default=20.0, gt=0, le=600,
                               description="seconds one URL may take in all: redirects, connect and body")
    max_url_mb: float | None = Field(default=None, gt=0, description="largest body fetched; empty = max_file_mb")
    # Off: a link to 127.0.0.1 or 10.x could read the desk's own services (server-side request forgery).
    allow_private_urls: bool = Field(default=False, description="fetch links to loopback/private addresses too")
    # Dense report pages embed at 1-3 pages/s on 2 cores (bench/pdf_loaders.py --mode ingest): 500 pages is
    # minutes of ingest already; a longer PDF is a book, not a document.
    max_pdf_pages: int = Field(default=500, ge=1, description="PDFs with more pages are skipped")
    # Word's XML compresses 5-20x, so 100 MB unzipped is a docx far larger than any report.
    max_unzipped_mb: float = Field(default=100.0, gt=0, description="a .docx inflating past this is refused")
    timezone: str = Field(default="UTC", description="IANA time zone of digest days (Area/City or UTC)")

    # Feeds and digests
    feeds: str = Field(default="", description="RSS/Atom URLs to poll, separated by commas, spaces or newlines")
    feed_interval: float = Field(default=900.0, ge=10.0, description="seconds between polls of one feed")
    feed_timeout: float = Field(default=20.0, gt=0, le=300, description="seconds one feed fetch may take")
    digest_time: str = Field(default="08:00", description="local time (HH:MM) of a daily digest by default")

    # Questions
    max_question_chars: int = Field(default=500, ge=10)
    conversation_minutes: float = Field(default=30.0, gt=0, le=7 * 24 * 60,
                                        description="a chat's follow-up context expires after this quiet time")
    # The answer-confidence model's bar (index.answer_confidence): a desk that would rather see a near
    # miss than an abstention lowers it; 0 keeps every answer the rules find.
    min_confidence: float = Field(default=ABSTAIN_BELOW, ge=0, lt=1,
                                  description="least confidence an extractive answer needs; below it, abstain")

    # Optional model answers (index.llm_answer): an OpenAI-compatible server the desk runs. Off by default.
    answerer: Literal["extractive", "llm"] = Field(
        default="extractive", description="extractive (default, no model) or llm (a model writes, verification checks)")
    llm_url: str = Field(default="", validate_default=True,
                         description="OpenAI-compatible base URL ending in /v1 (Ollama: http://127.0.0.1:11434/v1)")
    llm_model: str = Field(default="", validate_default=True, description="the model's name on that server")
    llm_api_key: SecretStr = Field(default=SecretStr(""), description="Bearer token, for servers that want one")
    llm_timeout: float = Field(default=30.0, gt=0, le=600,
                               description="seconds a model reply may take; past it the answer is extractive")

    @field_validator("answerer", mode="before")
    @classmethod
    def _lower_answerer(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("llm_url")
    @classmethod
    def _check_llm_url(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(f"not an http(s) URL: {value!r} (e.g. http://127.0.0.1:11434/v1)")
        if not value and info.data.get("answerer") == "llm":
            raise ValueError("required with BRIEFBOT_ANSWERER=llm (e.g. http://127.0.0.1:11434/v1 for Ollama)")
        return value

    @field_validator("llm_model")
    @classmethod
    def _check_llm_model(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        if not value and info.data.get("answerer") == "llm":
            raise ValueError("required with BRIEFBOT_ANSWERER=llm (the model's name on the server, e.g. llama3.1:8b)")
        return value

    @field_validator("languages")
    @classmethod
    def _normalise_languages(cls, value: str) -> str:
        return ",".join(part.strip().lower() for part in value.split(",") if part.strip()) or "en"

    @field_validator("desk")
    @classmethod
    def _check_desk(cls, value: str) -> str:
        value = value.strip().lower()
        return check_desk_name(value) if value else ""

    @field_validator("max_url_mb", "batch_size", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        zone(value)  # DateError is a ValueError: pydantic reports it with the variable's name
        return value.strip()

    @field_validator("digest_time")
    @classmethod
    def _check_digest_time(cls, value: str) -> str:
        parse_time(value)
        return value.strip()

    @field_validator("feeds")
    @classmethod
    def _check_feed_urls(cls, value: str) -> str:
        for url in split_urls(value):
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) feed URL: {url!r}")
        return value

    @property
    def feed_urls(self) -> list[str]:
        """The feeds to poll, in order, without repeats."""
        return split_urls(self.feeds)

    @property
    def url_max_bytes(self) -> int:
        """The size cap of one fetched URL in bytes (`max_url_mb`, else `max_file_mb`)."""
        return int((self.max_url_mb or self.max_file_mb) * 1_000_000)

    @property
    def language_list(self) -> list[str]:
        """Language codes answers may draw on; empty list means every language."""
        return [] if self.languages == "*" else self.languages.split(",")


DEFAULT_DESK = "default"
# Lower-case letters, digits and inner hyphens: it becomes part of a Chroma collection name
# (3-512 characters of [a-zA-Z0-9._-]) and is typed in Telegram as `/desk NAME`.
_DESK_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def check_desk_name(name: str) -> str:
    """A desk name as given, or DeskError saying what a name may be."""
    if not _DESK_NAME.match(name):
        raise DeskError(f"bad desk name {name!r}: use 1-40 lower-case letters, digits and inner hyphens "
                        "(e.g. niger, libya-floods)")
    return name


def desk_name(settings: Settings) -> str:
    """The desk `settings` select (`BRIEFBOT_DESK`, empty = the default desk)."""
    return settings.desk or DEFAULT_DESK


def desk_collection(settings: Settings, name: str | None = None) -> str:
    """The Chroma collection of desk `name` (default: the desk `settings` select)."""
    name = name or desk_name(settings)
    return settings.collection if name == DEFAULT_DESK else f"{settings.collection}-{name}"


def split_urls(value: str) -> list[str]:
    """URLs from a comma/space/newline separated list, in order, without repeats."""
    parts = value.replace(",", " ").split()
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))
