"""The directorate fills in, saves and submits its declaration."""

import re

from sqlalchemy import select

from app.declarations.models import Declaration, DeclarationStatus
from app.extensions import db
from tests.conftest import outbox
from tests.declarations.conftest import EDIT_URL, VIEW_URL, complete_form


def _declaration() -> Declaration | None:
    db.session.expire_all()
    return db.session.scalar(select(Declaration))


def _version(client, lang="fr") -> str:
    page = client.get(EDIT_URL.format(lang=lang)).get_data(as_text=True)
    return re.search(r'id="version" name="version" type="hidden" value="([^"]*)"', page).group(1)


def test_submit_a_complete_declaration(client, login, call, directorate_user):
    login(directorate_user)
    assert client.get(EDIT_URL.format(lang="fr")).status_code == 200
    response = client.post(EDIT_URL.format(lang="fr"), data=complete_form(submit_declaration="1"))
    assert response.status_code == 302, response.get_data(as_text=True)
    declaration = _declaration()
    assert declaration.status is DeclarationStatus.SUBMITTED
    assert declaration.total_licences == 140
    assert [a.last_name for a in declaration.ambassadors] == ["N'Diaye", "Lefèvre"]
    assert declaration.administrators[0].hr_confirmed
    [message] = outbox()
    assert message.recipients == directorate_user.email
    assert "140" in message.body
    assert "Anne-Sophie N'Diaye" in message.body
    page = client.get(VIEW_URL.format(lang="fr")).get_data(as_text=True)
    assert "Soumise" in page
    assert "Services centraux" in page


def test_save_an_incomplete_draft_and_come_back(client, login, call, directorate_user):
    login(directorate_user)
    response = client.post(
        EDIT_URL.format(lang="fr"),
        data={
            "version": "",
            "campaigns-0-label": "Première idée",
            "ambassadors-0-email": "pas-encore",
        },
    )
    assert response.status_code == 302
    declaration = _declaration()
    assert declaration.status is DeclarationStatus.DRAFT
    assert declaration.campaigns[0].label == "Première idée"
    assert declaration.ambassadors[0].email == "pas-encore"
    assert declaration.administrators == []
    page = client.get(EDIT_URL.format(lang="fr")).get_data(as_text=True)
    assert 'value="Première idée"' in page
    assert 'value="pas-encore"' in page
