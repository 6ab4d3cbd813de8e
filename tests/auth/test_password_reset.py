"""Password reset by an e-mailed, time-limited, single-use link."""

import re

import pytest

from app.auth import services
from tests.conftest import PASSWORD, log_in, outbox

NEW_PASSWORD = "a brand new long password"


def _link(message) -> str:
    return re.search(r"http://portal\.test(/\S+)", message.body).group(1)


def test_reset_sends_a_link_in_the_user_language(client, admin_user):
    response = client.post("/fr/password/forgotten", data={"email": "ALICE.MARTIN@example.org"})
    assert response.status_code == 302
    [message] = outbox()
    assert message.recipients == admin_user.email
    assert message.language == "en"
    assert message.subject == "PIX deployment portal: choose a new password"
    assert _link(message).startswith("/en/password/reset/")


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(
        "/fr/password/forgotten", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert outbox() == []


def test_invalid_address_gets_a_message_on_the_field(client):
    body = client.post("/en/password/forgotten", data={"email": "not-an-address"}).get_data(
        as_text=True
    )
    assert "Enter a valid e-mail address" in body
    assert outbox() == []


def test_link_sets_a_new_password_once(client, directorate_user):
    client.post("/fr/password/forgotten", data={"email": directorate_user.email})
    link = _link(outbox()[0])
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert log_in(client, directorate_user, PASSWORD).status_code == 200
    assert log_in(client, directorate_user, NEW_PASSWORD).status_code == 302
    client.post("/fr/logout")
    again = client.post(
        link, data={"password": "yet another password", "confirm": "yet another password"}
    )
    assert again.status_code == 400


def test_reset_ends_existing_sessions(app, client, directorate_user):
    other = app.test_client()
    log_in(other, directorate_user)
    client.post("/fr/password/forgotten", data={"email": directorate_user.email})
    client.post(_link(outbox()[0]), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert other.get("/fr/home").status_code == 302


def test_expired_link_is_refused(app, client, directorate_user):
    token = services.make_token(directorate_user, services.RESET_SALT)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(f"/fr/password/reset/{token}")
    assert response.status_code == 400
    assert "Ce lien ne fonctionne plus" in response.get_data(as_text=True)


def test_tampered_link_is_refused(client, directorate_user):
    token = services.make_token(directorate_user, services.RESET_SALT)
    assert client.get(f"/fr/password/reset/{token}x").status_code == 400
    invitation = services.make_token(directorate_user, services.INVITATION_SALT)
    assert client.get(f"/fr/password/reset/{invitation}").status_code == 400


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "The password must have at least 12 characters."),
        (NEW_PASSWORD, "something else entirely", "The two passwords differ."),
        ("", "", "Enter a password."),
    ],
)
def test_bad_new_password_gets_a_message(client, directorate_user, password, confirm, message):
    token = services.make_token(directorate_user, services.RESET_SALT)
    body = client.post(
        f"/en/password/reset/{token}", data={"password": password, "confirm": confirm}
    ).get_data(as_text=True)
    assert message in body
    assert log_in(client, directorate_user, PASSWORD).status_code == 302


def test_change_password_keeps_this_session_and_ends_the_others(
    app, client, login, directorate_user
):
    other = app.test_client()
    log_in(other, directorate_user)
    login(directorate_user)
    response = client.post(
        "/fr/account",
        data={
            "password-current_password": PASSWORD,
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
            "password-submit": "1",
        },
    )
    assert response.status_code == 302
    assert client.get("/fr/home").status_code == 200
    assert other.get("/fr/home").status_code == 302


def test_change_password_needs_the_current_one(client, login, directorate_user):
    login(directorate_user)
    body = client.post(
        "/en/account",
        data={
            "password-current_password": "not it at all",
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
            "password-submit": "1",
        },
    ).get_data(as_text=True)
    assert "The current password is incorrect." in body
    assert log_in(client, directorate_user, PASSWORD).status_code == 302


def test_profile_changes_name_and_language(client, login, directorate_user):
    login(directorate_user)
    response = client.post(
        "/fr/account",
        data={
            "profile-full_name": " Chloé Bernard-Roy ",
            "profile-language": "en",
            "profile-submit": "1",
        },
    )
    assert response.status_code == 302
    assert directorate_user.full_name == "Chloé Bernard-Roy"
    assert directorate_user.language == "en"
