"""Layout, legal pages, security headers and health check."""

import pytest
from sqlalchemy.exc import OperationalError

from app.core.statement import AUDITED_PAGES
from app.extensions import db
from tests.conftest import log_in


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", ["", "accessibility", "legal-notice", "personal-data", "login"])
def test_public_pages_have_the_dsfr_layout(client, lang, page):
    response = client.get(f"/{lang}/{page}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="fr-header"' in body
    assert 'class="fr-footer"' in body
    assert 'class="fr-skiplinks"' in body
    assert 'id="content"' in body
    for link in ("accessibility", "legal-notice", "personal-data"):
        assert f'href="/{lang}/{link}"' in body
    assert "vendor/dsfr/dsfr.min.css" in body


def test_accessibility_statement_gives_the_status(client):
    assert "non conforme" in client.get("/fr/accessibility").get_data(as_text=True)
    assert "not compliant" in client.get("/en/accessibility").get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "date", "pages"),
    [("fr", "7 décembre 2026", f"{AUDITED_PAGES} pages en tout"),
     ("en", "December 7, 2026", f"{AUDITED_PAGES} pages in all")],
)  # fmt: skip
def test_accessibility_statement_has_the_parts_of_the_rgaa_model(client, lang, date, pages):
    body = client.get(f"/{lang}/accessibility").get_data(as_text=True)
    for part in ("status", "results", "not-accessible", "manual", "plan", "drawn-up", "contact",
                 "remedies"):  # fmt: skip
        assert f'<h2 id="{part}">' in body
    assert date in body and pages in body
    assert "mailto:projet-pix@example.org" in body
    assert "Libre réponse 71120" in body


def test_header_shows_the_account_menu_once_logged_in(client, login, directorate_user):
    assert "Se connecter" in client.get("/fr/").get_data(as_text=True)
    login(directorate_user)
    body = client.get("/fr/").get_data(as_text=True)
    assert directorate_user.full_name in body
    assert 'action="/fr/logout"' in body


def test_security_headers_on_every_response(client):
    for url in ("/fr/", "/healthz", "/fr/nothing-here"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_carry_no_inline_script(client, login, admin_user):
    login(admin_user)
    for url in ("/fr/", "/fr/home", "/fr/admin/users", "/fr/account"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body
        assert " onclick=" not in body
        assert " style=" not in body


def test_session_cookie_flags(client, directorate_user):
    response = log_in(client, directorate_user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


@pytest.mark.app_config(SESSION_COOKIE_SECURE=True)
def test_session_cookie_is_secure_when_configured(client, directorate_user):
    response = log_in(client, directorate_user)
    assert "Secure" in response.headers["Set-Cookie"]


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_database_failure(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
