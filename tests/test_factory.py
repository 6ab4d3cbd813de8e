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


@pytest.mark.parametrize(
    "address", [None, "", "pix.example.org", "ftp://pix.example.org", "https://"]
)
def test_production_refuses_to_start_without_the_public_address(monkeypatch, tmp_path, address):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/prod.sqlite3")
    if address is None:
        monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("PORTAL_BASE_URL", address)
    with pytest.raises(ConfigurationError, match="PORTAL_BASE_URL"):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://pix.example.org")
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


def _without_base_url(monkeypatch, **environment) -> None:
    for name in ("PORTAL_ENV", "PORTAL_BASE_URL", "PORT", "FLASK_RUN_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "5101"}, "http://127.0.0.1:5101"),
        ({"FLASK_RUN_PORT": "5202"}, "http://127.0.0.1:5202"),
        ({"PORT": "5101", "FLASK_RUN_PORT": "5202"}, "http://127.0.0.1:5101"),
        ({"PORT": "not-a-port"}, "http://127.0.0.1:5000"),
        (
            {"PORT": "5101", "PORTAL_BASE_URL": "https://pix.example.org/"},
            "https://pix.example.org",
        ),
        # In production the port the process listens on says nothing of the public address:
        # nothing, and the app refuses to start (test_production_refuses_to_start_without...).
        ({"PORTAL_ENV": "production", "PORT": "8000"}, ""),
        (
            {"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://pix.example.org"},
            "https://pix.example.org",
        ),
    ],
)
def test_the_base_address_follows_the_development_port(monkeypatch, environment, expected):
    _without_base_url(monkeypatch, **environment)
    assert from_environment("/x")["PORTAL_BASE_URL"] == expected


def test_an_invitation_sent_on_another_port_links_to_that_port(monkeypatch, database_url):
    """`PORT=5101 make run`: the e-mailed link opens the portal that sent it."""
    from sqlalchemy import select

    from app.auth.models import Role
    from app.extensions import db
    from app.mail import OutboxMessage
    from tests.conftest import log_in, make_user, portal

    _without_base_url(monkeypatch, PORT="5101")
    base = from_environment("/x")["PORTAL_BASE_URL"]
    with portal(database_url, {"PORTAL_BASE_URL": base}) as app:
        admin = make_user("alice.martin@example.org", Role.ADMIN)
        client = app.test_client()
        log_in(client, admin)
        response = client.post(
            "/fr/admin/users/new",
            data={"email": "nouveau@example.org", "role": "project_team", "language": "fr"},
        )
        assert response.status_code == 302
        [invitation] = db.session.scalars(select(OutboxMessage)).all()
        assert "http://127.0.0.1:5101/fr/" in invitation.body
        assert ":5000" not in invitation.body
