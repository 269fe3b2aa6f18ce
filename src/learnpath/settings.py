"""Settings from the environment (``LEARNPATH_*``) or a ``.env`` file; built by callers, never at import."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_database_url"]


def default_database_url() -> str:
    """SQLite file under the user's data directory (created on first use)."""
    return f"sqlite:///{Path(user_data_dir('learnpath')) / 'learnpath.db'}"


class Settings(BaseSettings):
    """Every setting learnpath reads. Each has a help string; ``docs/settings.md`` lists them (tested)."""

    model_config = SettingsConfigDict(env_prefix="LEARNPATH_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL: sqlite:///path (default: learnpath.db in the user data directory) "
        "or postgresql+psycopg://user:pass@host/db.",
    )
    secret_key: str = Field(
        default="",
        description="Secret for signing; empty means a random one per process (sessions are stored "
        "server-side, so this only affects CSRF tokens of open forms).",
    )
    demo: bool = Field(default=False, description="Show the demo banner (set by `learnpath demo`).")
    session_days: int = Field(default=14, ge=1, le=365, description="Days a login stays valid.")
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure (turn on when served over HTTPS)."
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed logins per username and address before a pause."
    )
    login_window_s: int = Field(default=300, ge=1, description="Window (seconds) for counting failures.")
    default_locale: str = Field(default="en", description="UI language when none is chosen: en or es.")
    model: str = Field(default="bkt", description="Learner model family used when none is stored yet.")
    data_dir: str = Field(
        default_factory=lambda: user_data_dir("learnpath"),
        description="Folder for uploaded files (videos go under media/videos); default: the user data folder.",
    )
    video_max_mb: int = Field(default=200, ge=1, le=10_000, description="Largest video upload, in MB.")

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("en", "es"):
            raise ValueError(f"must be 'en' or 'es', got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(f"must start with sqlite:// or postgresql+psycopg://, got {value!r}")
        return value
