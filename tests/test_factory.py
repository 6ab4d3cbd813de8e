"""Application factory and configuration."""

import pytest

from app import ConfigurationError, create_app
from app.config import DEFAULT_SECRET_KEY, from_environment


@pytest.mark.parametrize("key", [None, "", DEFAULT_SECRET_KEY, "too-short"])
def test_production_refuses_a_missing_or_default_secret_key(monkeypatch, key):
    monkeypatch.setenv("PORTAL_ENV", "production")
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_defaults(monkeypatch):
    for name in ("PORTAL_ENV", "SECRET_KEY", "DATABASE_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    config = from_environment("/srv/instance")
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/instance/portal.sqlite3"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["MAIL_SERVER"] == ""


@pytest.mark.parametrize(
    "url", ["postgres://u:p@db/pix", "postgresql://u:p@db/pix", "postgresql+psycopg://u:p@db/pix"]
)
def test_postgresql_urls_use_psycopg(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert from_environment("/x")["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/pix"


def test_mail_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    config = from_environment("/x")
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.example.org",
        587,
        True,
    )


def test_wsgi_exposes_the_app():
    import wsgi

    assert wsgi.app.name == "app"
