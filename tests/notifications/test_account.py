"""Choosing on one's account page how to be told of the project team's waiting work."""

import re

import pytest

from app.auth.models import Notifications
from app.extensions import db, utcnow
from tests.conftest import PASSWORD

CHOICE = "notifications-choice"


def _checked(page: str) -> list[str]:
    """Return the values of the checked notification radios of the page."""
    radios = re.findall(rf'<input ([^>]*name="{CHOICE}"[^>]*)>', page)
    return [re.search(r'value="(\w+)"', radio).group(1) for radio in radios if "checked" in radio]


def _choose(client, value: str, lang: str = "fr", **extra):
    data = {CHOICE: value, "notifications-submit": "1", **extra}
    return client.post(f"/{lang}/account", data=data)


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("project_team", ["immediate"]), ("admin", ["none"]), ("directorate", None), ("cvrh", None)],
)
def test_the_choice_is_offered_to_the_roles_told_with_their_default(
    client, login, personas, persona, shown
):
    login(personas[persona])
    page = client.get("/fr/account").get_data(as_text=True)
    if shown is None:
        assert CHOICE not in page
        assert "Notifications" not in page
    else:
        assert _checked(page) == shown
        assert "Récapitulatif quotidien" in page
        assert "Un courriel par jour listant ce qui a été soumis" in page


def test_choosing_the_digest_saves_it_and_starts_its_period(client, login, project_team_user):
    login(project_team_user)
    before = utcnow()
    response = _choose(client, "digest")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/fr/account")
    page = client.get("/fr/account").get_data(as_text=True)
    assert "Votre choix de notifications est enregistré." in page
    assert _checked(page) == ["digest"]
    db.session.refresh(project_team_user)
    assert project_team_user.notifications is Notifications.DIGEST
    started = project_team_user.digest_covered_until
    assert started >= before
    # Saving the same choice again does not move the period.
    _choose(client, "digest")
    db.session.refresh(project_team_user)
    assert project_team_user.digest_covered_until == started
    assert _choose(client, "none").status_code == 302
    db.session.refresh(project_team_user)
    assert project_team_user.notifications is Notifications.NONE


@pytest.mark.parametrize("value", ["weekly", "", "IMMEDIATE"])
def test_a_bad_value_is_refused_with_a_message_on_the_field(
    client, login, project_team_user, value
):
    login(project_team_user)
    response = _choose(client, value)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    message = (
        "Choisissez quand être prévenu\u00a0: immédiatement, par un récapitulatif quotidien "
        "ou jamais."
    )
    assert f'<p class="fr-message fr-message--error">{message}</p>' in page
    assert 'class="fr-fieldset fr-fieldset--error" id="notifications-choice"' in page
    assert '<a href="#notifications-choice">' in page  # the summary at the top leads to it
    db.session.refresh(project_team_user)
    assert project_team_user.notifications is None


def test_a_missing_value_is_refused_in_english_too(client, login, project_team_user):
    login(project_team_user)
    response = client.post("/en/account", data={"notifications-submit": "1"})
    assert response.status_code == 200
    assert "Choose when to be told: immediately, in a daily digest or never." in (
        response.get_data(as_text=True)
    )


def test_other_roles_cannot_set_a_choice(client, login, directorate_user):
    login(directorate_user)
    assert _choose(client, "immediate").status_code == 200
    db.session.refresh(directorate_user)
    assert directorate_user.notifications is None


def test_the_other_forms_of_the_page_leave_the_choice_alone(client, login, project_team_user):
    login(project_team_user)
    _choose(client, "none")
    data = {"profile-full_name": "Bruno Petit", "profile-language": "en", "profile-submit": "1"}
    assert client.post("/fr/account", data=data).status_code == 302
    db.session.refresh(project_team_user)
    assert project_team_user.language == "en"
    assert project_team_user.notifications is Notifications.NONE


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_choice_needs_the_form_token(client, project_team_user):
    page = client.get("/fr/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    credentials = {"email": project_team_user.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/fr/login", data=credentials).status_code == 302
    refused = _choose(client, "digest")
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)
    db.session.refresh(project_team_user)
    assert project_team_user.notifications is None
    page = client.get("/fr/account").get_data(as_text=True)
    token = re.search(r'name="notifications-csrf_token" type="hidden" value="([^"]+)"', page)
    response = _choose(client, "digest", **{"notifications-csrf_token": token.group(1)})
    assert response.status_code == 302
    db.session.refresh(project_team_user)
    assert project_team_user.notifications is Notifications.DIGEST
