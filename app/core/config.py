"""Settings: one class, read from ``STEPWISE_*`` environment variables, failing fast.

A bad value (an unknown database scheme, a short secret in production, a port
out of range) stops the process at start-up with a message naming the
variable, instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-insecure-secret-change-me-0123456789"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEPWISE_", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'stepwise.db'}"
    rubrics_dir: Path = PROJECT_ROOT / "rubrics"
    templates_dir: Path = PROJECT_ROOT / "templates"
    static_dir: Path = PROJECT_ROOT / "app" / "static"
    var_dir: Path = PROJECT_ROOT / "var"
    secret_key: str = DEV_SECRET
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: Serve over HTTPS: cookies get ``Secure`` and the ``__Host-`` prefix.
    https: bool = False
    sqlite_busy_timeout_ms: int = Field(default=30000, ge=0)
    #: Connections each process keeps open, and how many more it may open under a
    #: burst (those are closed again when returned). A request holds its
    #: connection from its first query to its commit, so the pool should cover
    #: the requests one process has in flight: too small a pool means opening
    #: and closing a connection per request (docs/benchmarks.md). On PostgreSQL,
    #: workers * (size + overflow) must stay below the server's max_connections.
    database_pool_size: int = Field(default=20, ge=1, le=500)
    database_max_overflow: int = Field(default=20, ge=0, le=500)
    session_ttl_hours: int = Field(default=12, ge=1)
    token_ttl_hours: int = Field(default=24, ge=1)
    invitation_ttl_hours: int = Field(default=72, ge=1)
    password_min_length: int = Field(default=10, ge=8)
    #: Failed logins allowed per account / per client address in ``login_window_seconds``.
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=10)
    report_workers: int = Field(default=2, ge=1, le=16)
    report_timeout_seconds: float = Field(default=60.0, gt=0)
    #: How long a render may wait for a free worker before the request gets 503.
    report_queue_timeout_seconds: float = Field(default=30.0, gt=0)
    #: Renders one user may have in flight at once (across all server processes).
    report_renders_per_user: int = Field(default=2, ge=1, le=16)
    report_max_renders_per_worker: int = Field(default=50, ge=1)
    report_cache_dir: Path | None = None
    #: ``/metrics`` (Prometheus) answers only with ``Authorization: Bearer <token>``;
    #: unset, it is absent (404). The directory the processes share their samples in
    #: (default ``<var>/metrics``; one per machine, emptied by ``stepwise serve``).
    metrics_token: SecretStr | None = None
    metrics_dir: Path | None = None
    #: ``json``: one JSON object per log line, with the request id; ``text``: for terminals.
    log_format: Literal["text", "json"] = "text"
    #: Largest request body accepted, in bytes: JSON (and any body that is not a
    #: form) and forms (url-encoded or multipart). Bigger answers 413 before the
    #: app reads it (``app.core.limits``); docs/security.md has the sizes.
    max_json_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_form_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: Largest rubric file an admin may upload at /admin/rubrics/upload (YAML, XLSX,
    #: a zip of CSV files or CASE JSON), in bytes; that route's multipart body may
    #: be this plus 64 KiB of form overhead (docs/rubric-admin.md).
    rubric_upload_max_bytes: int = Field(default=2_097_152, ge=1024, le=10_485_760)
    #: How long an uploaded rubric waits for its confirmation before it is dropped.
    rubric_upload_ttl_minutes: int = Field(default=60, ge=1, le=1440)
    #: Absolute address of the app, for links in emails. Unset: from HTTPS, HOST and PORT.
    base_url: str | None = None
    #: Outgoing mail. Without a host (the development default) mail is written to the
    #: log and kept in the outbox that admins read at /admin/mail.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    mail_from: str = "Stepwise <stepwise@localhost>"
    #: Background jobs on SQLite run inside the server (a polling loop in the lifespan);
    #: turn it off to run them with ``stepwise worker`` instead.
    jobs_in_process: bool = True
    jobs_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    #: A job "running" for longer than this is taken to belong to a dead process and is
    #: run again (SQLite runner; procrastinate has its own stalled-worker check).
    jobs_stale_after_seconds: int = Field(default=600, ge=10)
    #: Concurrent jobs per ``stepwise worker`` process.
    worker_concurrency: int = Field(default=2, ge=1, le=64)
    #: PostgreSQL: a worker silent (no heartbeat) this long is dead; its jobs are re-queued.
    worker_stalled_after_seconds: int = Field(default=60, ge=20)
    #: Webhook endpoints may point at private, loopback, link-local and other
    #: non-public addresses (and use plain http). Off by default: an admin could
    #: otherwise make the server call its own network (SSRF). For tests and
    #: closed networks only (docs/webhooks.md).
    webhooks_allow_private: bool = False
    #: Plan-action reminders: the first goes this many days before the due date
    #: (the second once the action is overdue).
    reminder_days_before: int = Field(default=3, ge=0, le=60)
    #: Multi-rater feedback (docs/feedback.md). The rater groups, in display order:
    #: comma-separated ``key`` or ``key=Label`` (keys: lower-case letters, digits,
    #: ``_``); a key without a label is shown capitalised with ``_`` as spaces.
    feedback_groups: str = (
        "manager=Manager,peers=Peers,direct_reports=Direct reports,stakeholders=Stakeholders"
    )
    #: Fewest raters of a group whose answers may be shown (never fewer than 3).
    feedback_min_raters: int = Field(default=3, ge=3, le=50)
    #: Show the ``manager`` group even below the threshold; the form tells manager raters.
    feedback_show_manager: bool = False
    #: Days a rater's link stays valid after it is sent (or sent again).
    feedback_link_days: int = Field(default=30, ge=1, le=365)
    #: Raters who have not submitted get one reminder this many days before the due date.
    feedback_reminder_days_before: int = Field(default=2, ge=0, le=60)
    password_reset_ttl_minutes: int = Field(default=60, ge=5)
    #: Reset requests allowed per email address / per client address per hour.
    password_reset_max_per_account: int = Field(default=3, ge=1)
    password_reset_max_per_client: int = Field(default=10, ge=1)
    #: Team insights: a programme lead (aggregates only) sees no group smaller
    #: than this, and no distribution cell under it (docs/security.md).
    min_group_size: int = Field(default=5, ge=2, le=1000)
    #: Rubric health (docs/rubric-health.md): a behavior's figures are shown only
    #: when at least this many respondents answered all its items.
    health_min_n: int = Field(default=30, ge=2, le=100_000)
    #: Single sign-on with OpenID Connect (docs/security.md "Single sign-on"): the
    #: issuer (its ``/.well-known/openid-configuration`` is read), the client
    #: registered there, and what to do with people it vouches for. All three of
    #: issuer, id and secret, or none.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    #: The label of the sign-in button ("Sign in with <name>").
    oidc_display_name: str = Field(default="single sign-on", min_length=1, max_length=60)
    #: The role given to someone created on their first SSO sign-in.
    oidc_default_role: Literal["participant", "coach", "admin"] = "participant"
    #: Create an account on the first SSO sign-in of someone unknown (else: refused).
    oidc_create_users: bool = False
    #: Off: people linked to SSO can no longer sign in with a password.
    oidc_password_login: bool = True
    #: How long a started SSO sign-in may take at the provider.
    oidc_login_ttl_seconds: int = Field(default=600, ge=30, le=3600)
    oidc_http_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    #: The language of a page when neither the person's profile nor their browser
    #: asks for one we have (docs/i18n.md). A locale code such as ``en`` or ``de``.
    default_locale: str = Field(default="en", min_length=2, max_length=12)
    #: The message catalogs: ``<locale>/LC_MESSAGES/messages.po`` (docs/i18n.md).
    locales_dir: Path = PROJECT_ROOT / "app" / "locale"

    #: Data subject rights (docs/privacy.md). Delete assessments (with their
    #: reviews, plans, feedback and reports) not changed for this many months,
    #: through the daily ``privacy.retention`` job; 0 keeps everything.
    retention_months: int = Field(default=0, ge=0, le=1200)
    #: Most report PDFs one data export renders (newest first); the rest are
    #: listed in data.json and downloadable one by one.
    export_max_reports: int = Field(default=20, ge=0, le=200)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://")):
            raise ValueError(
                "STEPWISE_DATABASE_URL must start with sqlite://, postgresql:// or "
                f"postgresql+psycopg://, got {value.split(':', 1)[0]!r}"
            )
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("STEPWISE_BASE_URL must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value):
            raise ValueError("STEPWISE_DEFAULT_LOCALE must be a locale code such as en or de")
        return value.replace("-", "_")

    @field_validator("feedback_groups")
    @classmethod
    def _feedback_groups(cls, value: str) -> str:
        parse_feedback_groups(value)  # raises ValueError naming the problem
        return value

    @property
    def feedback_group_labels(self) -> dict[str, str]:
        """The configured rater groups, key -> display label, in display order."""
        return parse_feedback_groups(self.feedback_groups)

    @model_validator(mode="after")
    def _production_secret(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key == DEV_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "STEPWISE_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        return self

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        names = {
            "STEPWISE_OIDC_ISSUER": self.oidc_issuer,
            "STEPWISE_OIDC_CLIENT_ID": self.oidc_client_id,
            "STEPWISE_OIDC_CLIENT_SECRET": self.oidc_client_secret,
        }
        missing = [name for name, value in names.items() if not value]
        if 0 < len(missing) < len(names):
            raise ValueError(
                "single sign-on needs all of STEPWISE_OIDC_ISSUER, STEPWISE_OIDC_CLIENT_ID and "
                f"STEPWISE_OIDC_CLIENT_SECRET; missing: {', '.join(missing)}"
            )
        if self.oidc_issuer and not self.oidc_issuer.startswith(("https://", "http://")):
            raise ValueError("STEPWISE_OIDC_ISSUER must start with https:// (or http://)")
        if self.oidc_issuer:
            self.oidc_issuer = self.oidc_issuer.rstrip("/")
        return self

    @property
    def oidc_enabled(self) -> bool:
        """Single sign-on is configured (the validator makes it all or nothing)."""
        return bool(self.oidc_issuer)

    @property
    def public_url(self) -> str:
        """Where people reach the app: ``STEPWISE_BASE_URL``, else built from HOST and PORT."""
        if self.base_url:
            return self.base_url
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


_GROUP_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
#: Most rater groups that may be configured, and the longest label.
MAX_FEEDBACK_GROUPS = 12
MAX_GROUP_LABEL = 40


def parse_feedback_groups(value: str) -> dict[str, str]:
    """``"manager=Manager,peers"`` -> ``{"manager": "Manager", "peers": "Peers"}``.

    Raises :class:`ValueError` (a start-up error naming the variable) on an
    empty list, a bad or repeated key, or a label too long.
    """
    groups: dict[str, str] = {}
    for part in value.split(","):
        key, _, label = part.partition("=")
        key, label = key.strip(), " ".join(label.split())
        if not _GROUP_KEY.match(key):
            raise ValueError(
                "STEPWISE_FEEDBACK_GROUPS: each group key is 1-32 lower-case letters, digits "
                "or _, starting with a letter"
            )
        if key in groups:
            raise ValueError(f"STEPWISE_FEEDBACK_GROUPS: the group {key!r} is listed twice")
        if len(label) > MAX_GROUP_LABEL:
            raise ValueError(
                f"STEPWISE_FEEDBACK_GROUPS: label of {key!r} over {MAX_GROUP_LABEL} characters"
            )
        groups[key] = label or key.replace("_", " ").capitalize()
    if len(groups) > MAX_FEEDBACK_GROUPS:
        raise ValueError(f"STEPWISE_FEEDBACK_GROUPS: at most {MAX_FEEDBACK_GROUPS} groups")
    return groups


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
