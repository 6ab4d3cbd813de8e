"""Contact mailboxes of a directorate: the project team and the admin keep them, nobody else."""

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.directorates.models import DirectorateContact
from app.extensions import db
from tests.reach.conftest import add_contact

LIST = "/en/directorates/DREAL-PDL/contacts"
NEW = "/en/directorates/DREAL-PDL/contacts/new"


def form(**values) -> dict:
    base = {"email": "rh.pdl@example.org", "label": "Ressources humaines", "language": "fr",
            "active": "y"}  # fmt: skip
    return {**base, **values}


def contact(email: str) -> DirectorateContact | None:
    db.session.expire_all()
    return db.session.scalar(select(DirectorateContact).where(DirectorateContact.email == email))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("directorate", 403),
        ("other_directorate", 403),
        ("cvrh", 403),
        ("other_cvrh", 403),
        ("project_team", 200),
        ("admin", 200),
    ],
)
def test_only_the_staff_reaches_the_contact_pages(client, login, personas, persona, expected):
    existing = add_contact("DREAL-PDL", "direction.pdl@example.org")
    if personas[persona]:
        login(personas[persona])
    edit = f"/en/directorates/DREAL-PDL/contacts/{existing.id}"
    for url in (LIST, NEW, edit):
        assert client.get(url).status_code == expected
    posted = client.post(NEW, data=form())
    assert posted.status_code == (302 if expected == 200 else expected)
    changed = client.post(edit, data=form(email="autre@example.org", version=existing.version))
    assert changed.status_code == (302 if expected == 200 else expected)
    if expected != 200:
        assert contact("rh.pdl@example.org") is None
        assert contact("direction.pdl@example.org") is not None


def test_the_project_team_adds_changes_and_deactivates_a_mailbox(client, login, project_team_user):
    login(project_team_user)
    detail = client.get("/en/directorates/DREAL-PDL").get_data(as_text=True)
    assert f'href="{LIST}"' in detail
    response = client.post(NEW, data=form(email=" RH.PDL@Example.org "))
    assert response.headers["Location"] == LIST
    added = contact("rh.pdl@example.org")
    assert (added.label, added.language, added.active) == ("Ressources humaines", "fr", True)
    page = client.get(LIST).get_data(as_text=True)
    assert 'data-contact="rh.pdl@example.org"' in page
    edit = f"/en/directorates/DREAL-PDL/contacts/{added.id}"
    assert client.post(edit, data=form(language="en", version=added.version)).status_code == 302
    assert contact("rh.pdl@example.org").language == "en"
    deactivate = {k: v for k, v in form(version=contact("rh.pdl@example.org").version).items()
                  if k != "active"}  # fmt: skip
    assert client.post(edit, data=deactivate).status_code == 302
    assert contact("rh.pdl@example.org").active is False
    assert "Deactivated" in client.get(LIST).get_data(as_text=True)
    actions = list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "DirectorateContact")
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["contact.created", "contact.updated", "contact.deactivated"]


def test_the_audit_log_says_contact_changes_in_words(client, login, admin_user):
    login(admin_user)
    client.post(NEW, data=form())
    added = contact("rh.pdl@example.org")
    edit = f"/en/directorates/DREAL-PDL/contacts/{added.id}"
    client.post(edit, data=form(label="Direction", version=added.version))
    log = client.get("/en/admin/audit").get_data(as_text=True)
    assert "Contact mailbox added" in log
    assert "Contact mailbox changed" in log
    assert "What this mailbox is (optional)" in log
    assert "Ressources humaines → Direction" in log


def test_a_directorate_has_a_mailbox_once(client, login, admin_user):
    add_contact("DREAL-PDL", "rh.pdl@example.org")
    add_contact("DREAL-ARA", "shared@example.org")
    login(admin_user)
    response = client.post(NEW, data=form(email="RH.pdl@example.org"))
    assert response.status_code == 200
    assert "This directorate already has this mailbox." in response.get_data(as_text=True)
    # Another directorate's mailbox may be the same address.
    assert client.post(NEW, data=form(email="shared@example.org")).status_code == 302


def test_a_post_without_the_label_saves_an_empty_one(client, login, admin_user):
    # The label left out of the post reached the service as None: a server error.
    login(admin_user)
    data = form(email="sans.libelle@example.org")
    del data["label"]
    assert client.post(NEW, data=data).status_code == 302
    assert contact("sans.libelle@example.org").label == ""


def test_a_contact_of_another_directorate_is_not_found(client, login, admin_user):
    other = add_contact("DREAL-ARA", "rh.ara@example.org")
    login(admin_user)
    url = f"/en/directorates/DREAL-PDL/contacts/{other.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=form(version=other.version)).status_code == 404
    assert contact("rh.ara@example.org").directorate.code == "DREAL-ARA"
    assert client.get("/en/directorates/NOPE/contacts").status_code == 404


def test_two_edits_of_the_same_mailbox_conflict(client, login, project_team_user):
    existing = add_contact("DREAL-PDL", "rh.pdl@example.org", "RH")
    opened_at = existing.version
    login(project_team_user)
    edit = f"/en/directorates/DREAL-PDL/contacts/{existing.id}"
    assert client.post(edit, data=form(label="First", version=opened_at)).status_code == 302
    second = client.post(edit, data=form(label="Second", version=opened_at))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert 'data-testid="conflict"' in page
    assert 'value="Second"' in page
    assert contact("rh.pdl@example.org").label == "First"
    latest = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    assert client.post(edit, data=form(label="Second", version=latest)).status_code == 302
    assert contact("rh.pdl@example.org").label == "Second"


def test_the_admin_list_of_directorates_leads_to_the_contacts(client, login, admin_user):
    login(admin_user)
    page = client.get("/en/admin/directorates?q=DREAL-PDL").get_data(as_text=True)
    assert f'href="{LIST}"' in page
    assert f'href="{LIST}"' in client.get("/en/admin/directorates/DREAL-PDL").get_data(as_text=True)


def test_a_correspondent_does_not_see_the_contacts(client, login, directorate_user):
    add_contact("DREAL-PDL", "rh.pdl@example.org")
    login(directorate_user)
    page = client.get("/en/directorates/DREAL-PDL").get_data(as_text=True)
    assert "rh.pdl@example.org" not in page
    assert "/contacts" not in page
