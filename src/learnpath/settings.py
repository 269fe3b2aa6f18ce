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
    rotation_time_limit_s: float = Field(
        default=1.5, gt=0, le=60, description="Seconds the solver may spend planning a station rotation."
    )
    rotation_workers: int = Field(
        default=2, ge=1, le=64, description="Solver threads for planning a station rotation."
    )
    # the class dashboard's needs-help alerts (issue 7)
    dashboard_inactive_days: int = Field(
        default=7, ge=1, le=365, description="Days without an answer before a learner shows as inactive."
    )
    dashboard_wrong_streak: int = Field(
        default=3,
        ge=2,
        le=50,
        description="Wrong answers in a row on one skill that raise a needs-help alert.",
    )
    dashboard_falling_drop: float = Field(
        default=0.2, gt=0, lt=1, description="Fall in P(mastery) from its recent peak that raises an alert."
    )
    dashboard_falling_days: int = Field(
        default=14, ge=1, le=365, description="Days back the dashboard looks for a fall in mastery."
    )
    # the family's weekly digest by email (issue 6); no host: digests are in-app only
    smtp_host: str = Field(default="", description="SMTP server for emails; empty: no email is sent.")
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_user: str = Field(default="", description="SMTP user name; empty: no login.")
    smtp_password: str = Field(default="", description="SMTP password (with smtp_user).")
    smtp_from: str = Field(default="", description="Sender address of emails, e.g. learnpath@school.example.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection with STARTTLS.")
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The app's address as people open it, for links in emails.",
    )
    # the portfolio of work (issue 6): files on disk under data_dir, or in S3-compatible storage
    portfolio_max_mb: int = Field(
        default=25, ge=1, le=2_000, description="Largest file a learner may add to their portfolio, in MB."
    )
    portfolio_max_items: int = Field(
        default=500, ge=1, le=100_000, description="Most pieces of work one learner's portfolio holds."
    )
    portfolio_storage: str = Field(
        default="disk", description="Where portfolio files are kept: disk (under data_dir) or s3."
    )
    s3_endpoint_url: str = Field(
        default="", description="S3-compatible endpoint (e.g. http://minio:9000); empty: AWS's own."
    )
    s3_bucket: str = Field(default="", description="Bucket for portfolio files (needed with s3 storage).")
    s3_prefix: str = Field(default="learnpath/portfolio/", description="Key prefix inside the bucket.")
    s3_region: str = Field(default="", description="S3 region; empty: the client's default.")
    s3_access_key_id: str = Field(default="", description="S3 access key; empty: the client's default chain.")
    s3_secret_access_key: str = Field(default="", description="S3 secret key (with s3_access_key_id).")

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in ("en", "es"):
            raise ValueError(f"must be 'en' or 'es', got {value!r}")
        return value

    @field_validator("portfolio_storage")
    @classmethod
    def _known_storage(cls, value: str) -> str:
        if value not in ("disk", "s3"):
            raise ValueError(f"must be 'disk' or 's3', got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(f"must start with sqlite:// or postgresql+psycopg://, got {value!r}")
        return value
