"""Settings, read from the environment (and `.env`) when a command starts, not at import.

Every field maps to one `BRIEFBOT_*` variable; `.env.example` lists them all with defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Nothing may be fetched at run time: the model ships in a package, and Chroma's
# telemetry would try to phone home. Set before chromadb / huggingface are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Settings(BaseSettings):
    """Engine settings; see `.env.example` for the documented list."""

    model_config = SettingsConfigDict(env_prefix="BRIEFBOT_", env_file=".env", extra="ignore")

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
    # 16 measured fastest on 2 CPU cores (less padding per batch than 32 or 64).
    batch_size: int = Field(default=16, ge=1, le=4096)

    # Corpus rules
    languages: str = Field(default="en", description="comma list of language codes answers draw on; * = all")
    max_file_mb: float = Field(default=20.0, gt=0)
    timezone: str = Field(default="UTC")

    # Questions
    max_question_chars: int = Field(default=500, ge=10)

    @field_validator("languages")
    @classmethod
    def _normalise_languages(cls, value: str) -> str:
        return ",".join(part.strip().lower() for part in value.split(",") if part.strip()) or "en"

    @property
    def language_list(self) -> list[str]:
        """Language codes answers may draw on; empty list means every language."""
        return [] if self.languages == "*" else self.languages.split(",")
