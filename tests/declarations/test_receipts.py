"""Acknowledgements of receipt: issued on submission and acceptance, e-mailed, downloadable."""

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import Role
from app.declarations.models import Declaration, DeclarationStatus, Receipt, ReceiptKind
from app.directorates.models import LearningPath
from app.extensions import db
from tests.conftest import log_in, make_user, outbox
from tests.declarations.conftest import EDIT_URL, complete_form
from tests.declarations.test_import import make_workbook

BASE = "/{lang}/declarations/PIX-2023/DREAL-PDL"
RECEIPT_URL = BASE + "/receipts/{reference}.pdf"
COMMENT = "Déploiement « en deux vagues » – l’équipe RH d’abord."


def pdf_text(data: bytes) -> str:
    """Return the text of every page of a PDF, lines joined by spaces."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _submit(client, user, **overrides):
    log_in(client, user)
    data = complete_form(submit_declaration="1", comments=COMMENT, **overrides)
    url = EDIT_URL.format(lang="fr").replace("DREAL-PDL", user.directorate.code)
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/fr/logout")
    db.session.expire_all()
    return db.session.scalar(select(Declaration).where(Declaration.directorate == user.directorate))


def _receipts() -> list[Receipt]:
    db.session.expire_all()
    return list(db.session.scalars(select(Receipt).order_by(Receipt.id)))


@pytest.fixture
def submitted(client, call, directorate_user):
    """DREAL-PDL's declaration, submitted in French by its correspondent."""
    declaration = _submit(client, directorate_user)
    assert declaration.status is DeclarationStatus.SUBMITTED
    return declaration


def test_submission_emails_the_receipt_as_a_pdf(submitted, directorate_user):
    [receipt] = _receipts()
    assert receipt.reference == "PIX-2023-DREAL-PDL-S1"
    assert (receipt.kind, receipt.number) == (ReceiptKind.SUBMISSION, 1)
    [message] = [m for m in outbox() if m.recipients == directorate_user.email]
    assert "PIX-2023-DREAL-PDL-S1" in message.body
    [attachment] = message.attachments
    assert attachment.filename == "PIX-2023-DREAL-PDL-S1.pdf"
    assert attachment.mimetype == "application/pdf"
    text = pdf_text(attachment.data)
    assert "Accusé de réception" in text
    assert "PIX-2023-DREAL-PDL-S1" in text
    assert "DREAL Pays de la Loire" in text
    assert submitted.call.title_fr in text
    assert "Services centraux" in text and "Encadrement" in text
    assert "Anne-Sophie N'Diaye" in text and "helene.dupont@example.org" in text
    assert COMMENT in text
    # Totals: 2 campaigns, 160 agents, 140 licences.
    assert "160" in text and "140" in text


def test_the_date_is_in_paris_time(client, login, submitted, directorate_user):
    receipt = _receipts()[0]
    # 22:30 UTC on 27 April 2023 is half past midnight on 28 April in Paris (summer time).
    receipt.issued_at = datetime(2023, 4, 27, 22, 30, tzinfo=UTC)
    db.session.commit()
    login(directorate_user)
    response = client.get(RECEIPT_URL.format(lang="fr", reference=receipt.reference))
    text = pdf_text(response.data)
    assert "28 avril 2023 à 0 h 30 (heure de Paris)" in " ".join(text.split())
    response = client.get(RECEIPT_URL.format(lang="en", reference=receipt.reference))
    assert "April 28, 2023 at 12:30" in pdf_text(response.data)
    assert "(Paris time)" in pdf_text(response.data)


def test_acceptance_receipt_in_each_recipients_language(
    client, login, submitted, project_team_user, directorate_user
):
    colleague = make_user(
        "colleague@example.org", directorate_user.role, directorate="DREAL-PDL", language="en"
    )
    login(project_team_user)
    assert client.post(BASE.format(lang="en") + "/accept", data={}).status_code == 302
    assert [r.reference for r in _receipts()] == ["PIX-2023-DREAL-PDL-S1", "PIX-2023-DREAL-PDL-A1"]
    messages = {m.recipients: m for m in outbox() if m.attachments and "A1" in m.body}
    assert set(messages) == {directorate_user.email, colleague.email}
    french = pdf_text(messages[directorate_user.email].attachments[0].data)
    english = pdf_text(messages[colleague.email].attachments[0].data)
    assert "Déclaration de l’annexe 1 acceptée" in french
    assert "Annex 1 declaration accepted" in english
    assert "Acknowledgement of receipt" in english and "Accusé" not in english
    assert "PIX-2023-DREAL-PDL-A1" in english
    assert submitted.call.title_en in english
    assert "Regional directorate" in english or "Pays de la Loire" in english
    assert "By unit, department or service" in english


def test_a_later_edit_never_changes_an_issued_receipt(
    client, login, submitted, project_team_user, directorate_user
):
    login(project_team_user)
    client.post(BASE.format(lang="fr") + "/request_corrections", data={"comment": "Scindez."})
    client.post("/fr/logout")
    path = db.session.scalar(select(LearningPath).order_by(LearningPath.id))
    declaration = _submit(
        client,
        directorate_user,
        version=str(submitted.version),
        **{"campaigns-0-label": "Services déconcentrés", "campaigns-0-paths": str(path.id)},
    )
    assert declaration.status is DeclarationStatus.SUBMITTED
    first, second = _receipts()
    assert second.reference == "PIX-2023-DREAL-PDL-S2"
    path.name_fr = "Nom changé depuis"
    declaration.directorate.name_fr = "Autre nom"
    db.session.commit()
    login(directorate_user)
    old = pdf_text(client.get(RECEIPT_URL.format(lang="fr", reference=first.reference)).data)
    new = pdf_text(client.get(RECEIPT_URL.format(lang="fr", reference=second.reference)).data)
    assert "Services centraux" in old and "Services déconcentrés" not in old
    assert "Services déconcentrés" in new
    assert "DREAL Pays de la Loire" in new and "Autre nom" not in new
    assert "Nom changé depuis" not in new
    assert second.content["campaigns"][0]["paths"][0]["code"] == path.code


def test_the_declaration_page_lists_the_receipts(client, login, submitted, cvrh_user):
    login(cvrh_user)
    body = client.get(BASE.format(lang="fr")).get_data(as_text=True)
    assert "PIX-2023-DREAL-PDL-S1" in body
    assert RECEIPT_URL.format(lang="fr", reference="PIX-2023-DREAL-PDL-S1") in body
    # The blank workbook is offered to correspondents only, before they submit.
    assert "blank-workbook.xlsx" not in body


def test_an_imported_declaration_gets_a_receipt(client, login, call, project_team_user):
    login(project_team_user)
    response = client.post(
        "/fr/declarations/PIX-2023/import",
        data={"workbook": (io.BytesIO(make_workbook()), "annexe.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    [receipt] = _receipts()
    assert receipt.reference == "PIX-2023-DGPR-S1"
    response = client.get(f"/en/declarations/PIX-2023/DGPR/receipts/{receipt.reference}.pdf")
    text = pdf_text(response.data)
    assert "by e-mail, imported by the project team" in text
    assert "Risques" in text


RECEIPT_ACCESS = [
    ("anonymous", 302),
    ("directorate", 200),
    ("other_directorate", 404),
    ("cvrh", 200),
    ("other_cvrh", 404),
    ("project_team", 200),
    ("admin", 200),
]


@pytest.mark.parametrize(("persona", "expected"), RECEIPT_ACCESS)
def test_who_may_download_a_receipt(client, submitted, personas, persona, expected):
    if personas[persona] is not None:
        log_in(client, personas[persona])
    response = client.get(RECEIPT_URL.format(lang="fr", reference="PIX-2023-DREAL-PDL-S1"))
    assert response.status_code == expected
    if expected == 200:
        assert response.mimetype == "application/pdf"
        assert "PIX-2023-DREAL-PDL-S1.pdf" in response.headers["Content-Disposition"]
    else:
        assert not response.data.startswith(b"%PDF")
        assert "Loire" not in response.get_data(as_text=True)


def test_a_receipt_is_found_only_under_its_own_declaration(
    client, login, submitted, other_directorate_user
):
    other = _submit(client, other_directorate_user)
    assert other.directorate.code == "DREAL-ARA"
    login(make_user("team@example.org", Role.PROJECT_TEAM))
    wrong = "/fr/declarations/PIX-2023/DREAL-ARA/receipts/PIX-2023-DREAL-PDL-S1.pdf"
    assert client.get(wrong).status_code == 404
    assert client.get(RECEIPT_URL.format(lang="fr", reference="NOPE")).status_code == 404
    elsewhere = RECEIPT_URL.format(lang="fr", reference="PIX-2023-DREAL-ARA-S1")
    assert client.get(elsewhere).status_code == 404
