"""Login, logout and sessions."""

import re

import pytest
from flask import session
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD, log_in


def test_login_page_has_email_and_password_fields(client):
    body = client.get("/fr/login").get_data(as_text=True)
    assert 'name="email"' in body
    assert 'name="password"' in body
    assert 'for="email"' in body


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("directorate", "DREAL Pays de la Loire"),
        ("cvrh", "CVRH de Nantes"),
        ("project_team", 'data-testid="team-work"'),
        ("admin", "Reference data"),
    ],
)
def test_each_role_lands_on_its_home(client, personas, persona, expected):
    user = personas[persona]
    response = log_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/fr/home")
    home = client.get("/fr/home" if persona != "admin" else "/en/home")
    assert home.status_code == 200
    assert expected in home.get_data(as_text=True)


def test_email_is_case_insensitive(client, directorate_user):
    response = log_in(client, "  Chloe.BERNARD@Example.org ")
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_message(client, directorate_user):
    wrong = log_in(client, directorate_user, "not the password")
    unknown = log_in(client, "nobody@example.org", "whatever it is")
    assert wrong.status_code == unknown.status_code == 200
    message = "Adresse électronique ou mot de passe incorrect"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_english_error_message(client, directorate_user):
    response = log_in(client, directorate_user, "not the password", lang="en")
    assert "Incorrect e-mail address or password." in response.get_data(as_text=True)


def test_empty_fields_get_messages_on_the_fields(client):
    body = client.post("/fr/login", data={"email": "", "password": ""}).get_data(as_text=True)
    assert "Saisissez votre adresse électronique." in body
    assert "Saisissez votre mot de passe." in body
    assert "fr-input-group--error" in body


def test_deactivated_user_cannot_log_in(client, directorate_user):
    directorate_user.active = False
    db.session.commit()
    response = log_in(client, directorate_user)
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.get_data(as_text=True)


def test_next_is_followed_only_within_the_site(client, directorate_user):
    response = client.post(
        "/fr/login?next=/fr/directorates/DREAL-PDL",
        data={"email": directorate_user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/fr/directorates/DREAL-PDL"
    client.post("/fr/logout")
    response = client.post(
        "/fr/login?next=https://evil.example.com/",
        data={"email": directorate_user.email, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/fr/home")


def test_a_next_address_that_cannot_be_parsed_is_ignored(client, directorate_user):
    # An unclosed IPv6 address made urlsplit raise: the login page was a server error.
    assert client.get("/fr/login?next=http://[::1").status_code == 200
    response = client.post(
        "/fr/login?next=http://[::1",
        data={"email": directorate_user.email, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/fr/home")


def test_login_records_the_time(client, directorate_user):
    assert directorate_user.last_login_at is None
    log_in(client, directorate_user)
    db.session.refresh(directorate_user)
    assert directorate_user.last_login_at is not None


def test_logout_ends_every_session_even_a_copied_cookie(app, directorate_user):
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user)
    log_in(second, directorate_user)
    stolen = first.get_cookie("session").value
    assert first.get("/fr/home").status_code == 200
    assert second.get("/fr/home").status_code == 200

    first.post("/fr/logout")
    assert first.get("/fr/home").status_code == 302
    assert second.get("/fr/home").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/fr/home").status_code == 302


def test_deactivation_ends_the_sessions(app, client, directorate_user):
    log_in(client, directorate_user)
    assert client.get("/fr/home").status_code == 200
    from app.auth.services import set_active

    set_active(db.session.get(User, directorate_user.id), False)
    assert client.get("/fr/home").status_code == 302


def test_session_stores_the_rotating_token_not_the_id(client, directorate_user):
    with client:
        log_in(client, directorate_user)
        assert session["_user_id"] == directorate_user.session_token
        assert session["_user_id"] != str(directorate_user.id)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_csrf_is_required_on_login_and_logout(client, directorate_user):
    refused = client.post("/fr/login", data={"email": directorate_user.email, "password": PASSWORD})
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)

    page = client.get("/fr/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/fr/login",
        data={"email": directorate_user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert client.post("/fr/logout").status_code == 400
    assert client.get("/fr/home").status_code == 200


def test_user_ids_are_not_reused_as_session_tokens(app, directorate_user, other_directorate_user):
    tokens = db.session.scalars(select(User.session_token)).all()
    assert len(set(tokens)) == len(tokens)
