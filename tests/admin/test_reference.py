"""Reference data edited by the administrator."""

from datetime import date

from sqlalchemy import select

from app.audit import AuditEntry
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType
from app.extensions import db
from tests.conftest import log_in


def test_admin_edits_a_directorate_and_it_is_recorded(client, login, admin_user):
    login(admin_user)
    form = client.get("/en/admin/directorates/DGEC").get_data(as_text=True)
    assert 'value="DGEC"' in form
    response = client.post(
        "/en/admin/directorates/DGEC",
        data={
            "code": "DGEC",
            "name_fr": "Direction générale de l'énergie et du climat",
            "name_en": "Energy and Climate",
            "type": "central",
            "region": "Île-de-France",
            "cvrh": "CVRH-TOURS",
        },
    )
    assert response.status_code == 302
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == "DGEC"))
    assert directorate.name_en == "Energy and Climate"
    assert directorate.cvrh.code == "CVRH-TOURS"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "directorate.updated"))
    assert entry.details["changes"]["cvrh"] == ["CVRH-PARIS", "CVRH-TOURS"]


def test_admin_adds_a_directorate(client, login, admin_user):
    login(admin_user)
    response = client.post(
        "/en/admin/directorates/new",
        data={
            "code": "dreal test",
            "name_fr": "DREAL d'essai",
            "name_en": "Test DREAL",
            "type": "dreal",
            "region": "Bretagne",
            "cvrh": "CVRH-NANTES",
        },
    )
    assert response.status_code == 200
    assert "Use capital letters, digits and hyphens only" in response.get_data(as_text=True)
    response = client.post(
        "/fr/admin/directorates/new",
        data={
            "code": "DREAL-TEST",
            "name_fr": "DREAL d'essai",
            "name_en": "Test DREAL",
            "type": "dreal",
            "region": "Bretagne",
            "cvrh": "CVRH-NANTES",
        },
    )
    assert response.status_code == 302
    created = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-TEST"))
    assert created.type is DirectorateType.DREAL


def test_duplicate_code_is_refused_on_the_field(client, login, admin_user):
    login(admin_user)
    response = client.post(
        "/en/admin/cvrhs/new",
        data={"code": "CVRH-NANTES", "name": "Again", "city": "Nantes", "email": "x@example.org"},
    )
    assert response.status_code == 200
    assert "Another record already uses this code." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Cvrh).where(Cvrh.code == "CVRH-NANTES")).all()) == 1


def test_call_deadline_cannot_precede_its_opening(client, login, admin_user):
    login(admin_user)
    response = client.post(
        "/en/admin/calls/PIX-2023",
        data={
            "code": "PIX-2023",
            "title_fr": "Déploiement PIX 2023",
            "title_en": "PIX deployment 2023",
            "opens_on": "2023-04-12",
            "deadline": "2023-04-01",
            "is_open": "y",
        },
    )
    assert "The deadline cannot be before the opening date." in response.get_data(as_text=True)
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    assert call.deadline == date(2023, 4, 28)


def test_admin_moves_the_deadline(client, login, admin_user, directorate_user):
    login(admin_user)
    response = client.post(
        "/en/admin/calls/PIX-2023",
        data={
            "code": "PIX-2023",
            "title_fr": "Déploiement PIX 2023",
            "title_en": "PIX deployment 2023",
            "opens_on": "2023-04-12",
            "deadline": "2099-05-15",
            "is_open": "y",
        },
    )
    assert response.status_code == 302
    client.post("/fr/logout")
    log_in(client, directorate_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "May 15, 2099" in body
    assert "days left" in body and "Fill in the declaration" in body  # open again
