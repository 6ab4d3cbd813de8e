"""Bad result files through the web form: each gets a clear French message and changes nothing."""

import html
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.declarations.models import DeclarationStatus
from app.extensions import db, utcnow
from app.followup.models import CampaignKind, FollowupPlan, Participant, PlanEvent, ResultImport
from app.followup.pixorga import MAX_BYTES, MAX_PARTICIPATIONS
from tests.conftest import PASSWORD
from tests.followup.plans import (
    ASSESS_LAUNCH,
    BASE,
    CALL,
    LAUNCH,
    add_plan,
    assessment_export,
    assessment_plan_form,
    declare_campaign,
    plan_form,
    profiles_export,
    rewrite,
    upload,
)

FORMULA = '=HYPERLINK("http://example.org/piege","Cliquez")'


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _state():
    """Return what a refused import must leave as it was."""
    db.session.expire_all()
    plan = db.session.scalar(select(FollowupPlan))
    return {
        "imports": _count(ResultImport),
        "participants": _count(Participant),
        "events": _count(PlanEvent),
        "audit": _count(AuditEntry),
        "code": plan.pixorga_code,
        "id": plan.pixorga_id,
        "version": plan.version,
    }


@pytest.fixture
def planned(client, login, directorate_user):
    """A profiles collection plan (targets 2.1 → 3, 4.1 → 2) with two checkpoints."""
    declare_campaign()
    login(directorate_user)
    response = client.post(f"{BASE}/plan", data=plan_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(FollowupPlan))


def _refused(client, checkpoint_id, data, *messages, name="Resultats.csv"):
    """Post a file, check the page is the form with every message, and that nothing changed."""
    before = _state()
    response = upload(client, checkpoint_id, data, name)
    page = html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")
    assert response.status_code == 200, page
    for message in messages:
        assert message in page, message
    assert _state() == before
    return page


def _latin1(data: bytes) -> bytes:
    return data.decode("utf-8-sig").encode("latin-1")


BAD_FILES = {
    "latin-1": (
        lambda: _latin1(profiles_export(LAUNCH)),
        ["Rien n’a été importé : 1 problème", "n’est pas encodé en UTF-8", "la ligne 1 est"],
    ),
    "commas": (
        lambda: profiles_export(LAUNCH).replace(b";", b","),
        ["séparées par des virgules", "points-virgules"],
    ),
    "tabs": (
        lambda: profiles_export(LAUNCH).replace(b";", b"\t"),
        ["séparées par des tabulations"],
    ),
    "no names": (
        lambda: rewrite(
            profiles_export(LAUNCH), drop=("Nom du Participant", "Prénom du Participant")
        ),
        ["nom du participant", "prénom du participant", "Nom du Participant"],
    ),
    "empty": (lambda: b"", ["Le fichier est vide"]),
    "a BOM only": (lambda: "\ufeff".encode(), ["Le fichier est vide"]),
    "an unquoted formula": (
        lambda: profiles_export(LAUNCH).replace(b'"Martin"', b"=1+1"),
        ["commence par « = »", "formule"],
    ),
    "an assessment into a profiles plan": (
        lambda: assessment_export(ASSESS_LAUNCH),
        ["Évaluation (profil cible)", "Collecte de profils"],
    ),
    # Longer than the portal stores: on PostgreSQL these once ended in a server error.
    "a campaign code too long": (
        lambda: profiles_export(LAUNCH, code="X" * 61),
        ["Ligne 2 : « Code » est trop long (61 caractères) : 60 au plus."],
    ),
    "a campaign ID too long": (
        lambda: profiles_export(LAUNCH, campaign_id=10**61),
        ["« ID Campagne » est trop long (62 caractères) : 60 au plus."],
    ),
    "a name too long": (
        lambda: profiles_export(LAUNCH).replace(b'"Martin"', b'"' + b"M" * 256 + b'"'),
        ["Ligne 2 : « Nom du Participant » est trop long (256 caractères) : 255 au plus."],
    ),
    "not an export": (
        lambda: "Nom;Prénom\nMartin;Léa\n".encode(),
        ["ne semble pas être un export de résultats PIX Orga", "« Nom du Participant »"],
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(client, planned, case):
    make, messages = BAD_FILES[case]
    page = _refused(client, planned.checkpoints[0].id, make(), *messages)
    assert "Le fichier est refusé : rien n'a été importé." in page


def test_no_file_at_all_asks_for_one(client, planned):
    before = _state()
    response = client.post(
        f"{BASE}/checkpoints/{planned.checkpoints[0].id}/import",
        data={},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Choisissez le fichier CSV exporté de PIX Orga." in response.get_data(as_text=True)
    assert _state() == before


def test_a_file_of_20_mb_is_refused_with_the_limit_in_french(client, planned):
    before = _state()
    checkpoint_id = planned.checkpoints[0].id
    data = profiles_export(LAUNCH) + b"x" * (20 * 1024 * 1024)
    response = upload(client, checkpoint_id, data)
    page = html.unescape(response.get_data(as_text=True)).replace("\u00a0", " ")
    assert response.status_code == 413
    assert "<h1>Fichier trop volumineux</h1>" in page
    assert "Le fichier dépasse 10 Mo, la taille maximale importable en une fois." in page
    assert f'href="{BASE}/checkpoints/{checkpoint_id}/import"' in page
    assert _state() == before


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_file_of_20_mb_with_csrf_on_gets_the_same_page(client, directorate_user):
    """With CSRF on, the form is read before the view: the follow-up's page answers still."""
    checkpoint = add_plan(declare_campaign()).checkpoints[0]
    page = client.get("/fr/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"email": directorate_user.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/fr/login", data=data).status_code == 302
    page = client.get(f"{BASE}/checkpoints/{checkpoint.id}/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = profiles_export(LAUNCH) + b"x" * (20 * 1024 * 1024)
    response = upload(client, checkpoint.id, data, csrf_token=token)
    assert response.status_code == 413
    assert "Le fichier dépasse 10" in response.get_data(as_text=True)
    assert _count(ResultImport) == 0
    # The token was good: a small file goes through.
    assert (
        upload(client, checkpoint.id, profiles_export(LAUNCH), csrf_token=token).status_code == 302
    )


def test_a_file_under_10_mb_with_too_many_rows_gets_the_readers_message(client, planned):
    padding = "Unité " + "x" * 275
    people = [(f"Nom{index}", "Prénom", padding, False, {}) for index in range(20_001)]
    data = profiles_export(people)
    assert 9 * 1024 * 1024 < len(data) < MAX_BYTES - 4096  # room for the form's envelope
    _refused(
        client,
        planned.checkpoints[0].id,
        data,
        f"Le fichier compte plus de {MAX_PARTICIPATIONS} participations",
    )


def test_the_same_file_at_the_same_checkpoint_is_refused(client, planned):
    launch = planned.checkpoints[0]
    assert upload(client, launch.id, profiles_export(LAUNCH)).status_code == 302
    _refused(client, launch.id, profiles_export(LAUNCH), "déjà des résultats")


def test_the_same_file_reordered_is_still_the_same_file(client, planned):
    launch, final = planned.checkpoints
    assert upload(client, launch.id, profiles_export(LAUNCH)).status_code == 302
    shuffled = rewrite(profiles_export(LAUNCH), order=_shuffled, rows_reversed=True)
    assert shuffled != profiles_export(LAUNCH)
    _refused(client, final.id, shuffled, "a déjà été importé", "Lancement", name="copie.csv")


def _shuffled(header: list[str]) -> list[str]:
    """Return the columns in another order; the extra column stays before the results."""
    people = ["Groupe", "Prénom du Participant", "Nom du Participant"]
    campaign = list(reversed(header[:4]))
    return people + campaign + list(reversed(header[8:])) + [header[7]]


def test_a_file_of_another_campaign_code_is_refused(client, planned):
    launch, final = planned.checkpoints
    assert upload(client, launch.id, profiles_export(LAUNCH)).status_code == 302
    _refused(client, final.id, profiles_export(LAUNCH, code="AUTRE26"), "AUTRE26", "PDL26PROF")
    _refused(client, final.id, profiles_export(LAUNCH, campaign_id=99999), "99999", "61001")


def test_a_profiles_file_into_an_assessment_plan_is_refused(client, planned):
    data = assessment_plan_form(version=str(planned.version))
    for index, checkpoint in enumerate(planned.checkpoints):
        data[f"checkpoints-{index}-id"] = str(checkpoint.id)
    assert client.post(f"{BASE}/plan", data=data).status_code == 302
    db.session.expire_all()
    assert planned.kind is CampaignKind.ASSESSMENT
    _refused(
        client,
        planned.checkpoints[0].id,
        profiles_export(LAUNCH),
        "« Collecte de profils »",
        "« Évaluation (profil cible) »",
    )


def test_an_import_on_a_purged_plan_is_refused(client, planned):
    planned.purged_at = utcnow()
    db.session.commit()
    _refused(client, planned.checkpoints[0].id, profiles_export(LAUNCH), "ont été purgés")


def test_a_checkpoint_of_another_plan_is_not_found(client, planned):
    other = add_plan(declare_campaign("DREAL-ARA"))
    before = _state()
    for checkpoint in other.checkpoints:
        assert upload(client, checkpoint.id, profiles_export(LAUNCH)).status_code == 404
        assert client.get(f"{BASE}/checkpoints/{checkpoint.id}/import").status_code == 404
        # Through the other directorate's address too: not this user's directorate.
        url = f"/fr/followup/{CALL}/DREAL-ARA/1"
        response = upload(client, checkpoint.id, profiles_export(LAUNCH), base=url)
        assert response.status_code == 404
    assert _state() == before


def test_a_checkpoint_of_the_directorates_other_campaign_is_not_found(client, planned):
    declaration = planned.declaration
    second = add_plan(declaration, position=2)
    before = _state()
    for checkpoint in second.checkpoints:
        assert upload(client, checkpoint.id, profiles_export(LAUNCH)).status_code == 404
    assert _state() == before


def test_a_formula_in_a_name_stays_text_on_the_page_and_in_the_workbook(client, planned):
    launch = planned.checkpoints[0]
    people = [(FORMULA, "Léa", "@groupe", False, {}), *LAUNCH[1:]]
    data = profiles_export(people)
    assert b"\"'=HYPERLINK(" in data  # as PIX Orga writes it: an apostrophe first
    assert upload(client, launch.id, data).status_code == 302
    stored = db.session.scalar(select(Participant).where(Participant.first_name == "Léa"))
    assert stored.last_name == FORMULA  # kept as the person's name, without PIX's apostrophe
    assert stored.extras == {"Groupe": "@groupe"}

    page = client.get(f"{BASE}/checkpoints/{launch.id}/").get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://example.org/piege&#34;,&#34;Cliquez&#34;)" in page
    assert FORMULA not in page

    response = client.post(f"{BASE}/checkpoints/{launch.id}/list.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    response.close()
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    name = cells["'" + FORMULA]
    assert name[0].data_type == "s"
    group = name[2]
    assert (group.value, group.data_type) == ("'@groupe", "s")
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


HEADERS_EN = {
    "Nom de l'organisation": "Organisation's name",
    "ID Campagne": "Campaign ID",
    "Code": "Campaign code",
    "Nom de la campagne": "Campaign's name",
    "Parcours": "Target profile's name",
    "Nom du Participant": "Participant's last name",
    "Prénom du Participant": "Participant's first name",
    "% de progression": "% of progression",
    "Date et heure de début (Europe/Paris)": "Started on",
    "Partage (O/N)": "Shared (Y/N)",
    "Date et heure du partage (Europe/Paris)": "Shared on",
    "Palier obtenu (/4)": "Success rate (/4)",
    "% maitrise de l'ensemble des acquis du profil": (
        "% of items successfully completed in the target profile"
    ),
}
for _fr, _en in (
    ("Interagir", "Interacting"),
    (
        "Sécuriser l'environnement numérique",
        "Securing the digital environment",
    ),
):
    HEADERS_EN |= {
        f"% de maitrise des acquis de la compétence {_fr}": (
            f"% of items successfully completed in the competence {_en}"
        ),
        f"Nombre d'acquis du profil cible dans la compétence {_fr}": (
            f"Number of items of the target profile in the competence {_en}"
        ),
        f"Acquis maitrisés dans la compétence {_fr}": (
            f"Items of the target profile successfully completed in the competence {_en}"
        ),
    }
HEADERS_OLD_FR = {
    "Parcours": "Nom du Profil Cible",
    "Date et heure de début (Europe/Paris)": "Date de début",
    "Date et heure du partage (Europe/Paris)": "Date du partage",
}


def test_english_and_older_headers_import_the_same_figures(client, login, directorate_user):
    declare_campaign()
    login(directorate_user)
    assert client.post(f"{BASE}/plan", data=assessment_plan_form()).status_code == 302
    plan = db.session.scalar(select(FollowupPlan))
    launch = plan.checkpoints[0]
    french = assessment_export(ASSESS_LAUNCH)
    variants = {
        "new French": french,
        "English": rewrite(french, rename=HEADERS_EN, order=lambda header: header[::-1]),
        "older French, no code": rewrite(french, rename=HEADERS_OLD_FR, drop=("Code",)),
    }
    assert rewrite(french, rename=HEADERS_EN).startswith("\ufeffOrganisation's name;".encode())
    found = {}
    for name, data in variants.items():
        response = upload(client, launch.id, data, f"{name}.csv")
        assert response.status_code == 302, (name, response.get_data(as_text=True))
        stored = db.session.scalar(select(ResultImport))
        found[name] = (stored.summary, stored.fingerprint, _rows())
        assert client.post(f"{BASE}/imports/{stored.id}/delete").status_code == 302
        db.session.expire_all()
    reference = found.pop("new French")
    assert reference[0]["shared"] == 4 and reference[0]["reached_all"] == 1
    for name, value in found.items():
        assert value == reference, name  # the same summary, rows and fingerprint


def _rows():
    return sorted(
        db.session.execute(
            select(
                Participant.last_name,
                Participant.shared,
                Participant.progression,
                Participant.mastery,
                Participant.stage,
                Participant.status,
            )
        ).all()
    )


def test_a_refused_file_leaves_the_declaration_as_it_was(client, planned):
    """The plan's declaration is untouched too (its status is what makes it followed)."""
    status = planned.declaration.status
    _refused(client, planned.checkpoints[0].id, _latin1(profiles_export(LAUNCH)), "UTF-8")
    db.session.expire_all()
    assert planned.declaration.status is status is DeclarationStatus.SUBMITTED
