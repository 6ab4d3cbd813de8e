"""Configuration: safe defaults, then environment variables."""

import os

DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _base_url(production: bool) -> str:
    """Return the portal's public address for e-mailed links.

    PORTAL_BASE_URL when set; in development the address `make run` serves, on the port it
    was given (PORT, or FLASK_RUN_PORT for `flask run`), so that links work on any port; in
    production nothing (the app refuses to start: every e-mailed link would be wrong).
    """
    configured = os.environ.get("PORTAL_BASE_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if production:
        return ""
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or ""
    return f"http://127.0.0.1:{port.strip() if port.strip().isdigit() else '5000'}"


def from_environment(instance_path: str) -> dict:
    """Return the settings read from the environment, with development defaults."""
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    sqlite_default = "sqlite:///" + os.path.join(instance_path, "portal.sqlite3")
    database_url = os.environ.get("DATABASE_URL") or sqlite_default
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    return {
        "PORTAL_ENV": "production" if production else "development",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "" if production else DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # SQLite: how long a writer waits for the lock before giving up (the page then says
        # the portal is busy, HTTP 503).
        "SQLITE_BUSY_TIMEOUT_MS": _int("SQLITE_BUSY_TIMEOUT_MS", 10000),
        "PORTAL_BASE_URL": _base_url(production),
        "PORTAL_PUBLISHER": os.environ.get(
            "PORTAL_PUBLISHER", "Ministère de la Transition écologique – Secrétariat général"
        ),
        "PORTAL_HOST": os.environ.get(
            "PORTAL_HOST", "Ministère de la Transition écologique – Direction du numérique"
        ),
        "PORTAL_CONTACT_EMAIL": os.environ.get("PORTAL_CONTACT_EMAIL", "projet-pix@example.org"),
        # Mail: every message goes to the outbox table; the delivery worker sends it through
        # SMTP when MAIL_SERVER is set, otherwise it stays there for admins to read.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "pix-portal@example.org"),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        # Delivery worker (flask mail worker): polling, retries with back-off, claim lease.
        "MAIL_WORKER_INTERVAL": _float("MAIL_WORKER_INTERVAL", 2.0),
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        "MAIL_RETRY_SECONDS": _int("MAIL_RETRY_SECONDS", 30),
        "MAIL_CLAIM_SECONDS": _int("MAIL_CLAIM_SECONDS", 300),
        # Sessions and security.
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int("SESSION_LIFETIME_SECONDS", 8 * 3600),
        "FORCE_HTTPS": _bool("FORCE_HTTPS", False),
        "PROXY_FIX_X_FOR": _int("PROXY_FIX_X_FOR", 0),
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_MIN_LENGTH": _int("PASSWORD_MIN_LENGTH", 12),
        "PASSWORD_RESET_MAX_AGE": _int("PASSWORD_RESET_MAX_AGE", 3600),
        "INVITATION_MAX_AGE": _int("INVITATION_MAX_AGE", 7 * 24 * 3600),
        # Links e-mailed to directorate contacts to claim an account (app/reach).
        "CLAIM_LINK_MAX_AGE": _int("CLAIM_LINK_MAX_AGE", 30 * 24 * 3600),
        # Personal links of the people invited to webinars (no account): days they work.
        "EVENT_LINK_MAX_AGE_DAYS": max(_int("EVENT_LINK_MAX_AGE_DAYS", 90), 1),
        # Throttling of failed logins; storage "memory://" or "redis://host:6379".
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        # Language and time.
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Europe/Paris"),
        "LANGUAGES": ("fr", "en"),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 10) * 1024 * 1024,
        # Files attached to content pages: where they are kept (outside the static folder).
        "ATTACHMENTS_DIR": os.environ.get(
            "ATTACHMENTS_DIR", os.path.join(instance_path, "attachments")
        ),
        "MAX_ATTACHMENT_MB": _float("MAX_ATTACHMENT_MB", 8),
        # Outside a directorate, follow-up figures resting on fewer participations are hidden.
        "FOLLOWUP_MIN_GROUP": max(_int("FOLLOWUP_MIN_GROUP", 5), 1),
    }
