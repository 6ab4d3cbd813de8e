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
    [message, codir_request] = outbox()
    assert message.recipients == directorate_user.email
    assert codir_request.recipients == "cvrh-nantes@example.org"  # CODIR presentation wished
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


def test_rows_are_added_and_removed_without_javascript(client, login, call, directorate_user):
    login(directorate_user)
    url = EDIT_URL.format(lang="en")
    data = complete_form(row_action="add:ambassadors")
    page = client.post(url, data=data).get_data(as_text=True)
    assert 'name="ambassadors-2-last_name"' in page
    assert 'value="Lefèvre"' in page
    assert _declaration() is None  # adding a row saves nothing by itself

    data = complete_form(row_action="remove:campaigns:0")
    page = client.post(url, data=data).get_data(as_text=True)
    assert 'value="Encadrement"' in page
    assert 'value="Services centraux"' not in page
    assert 'name="campaigns-0-label"' in page
    assert 'name="campaigns-1-label"' not in page
    assert 'value="Anne-Sophie"' in page


def test_submitting_shows_every_problem_on_its_field_and_keeps_the_draft(
    client, login, call, directorate_user
):
    login(directorate_user)
    data = complete_form(
        **{
            "submit_declaration": "1",
            "campaigns-0-licences": "130",
            "ambassadors-1-email": "eric.lefevre@",
            "administrators-0-hr_confirmed": None,
            "campaigns-1-ends_on": "2026-09-01",
        }
    )
    page = client.post(EDIT_URL.format(lang="en"), data=data).get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert "There cannot be more licences than agents concerned." in page
    assert "Enter a valid e-mail address, such as name@example.org." in page
    assert "Confirm that this person belongs to the HR or training domain" in page
    assert "The end date cannot be before the start date." in page
    assert 'href="#campaigns-0-licences"' in page
    declaration = _declaration()
    assert declaration.status is DeclarationStatus.DRAFT
    assert declaration.ambassadors[1].email == "eric.lefevre@"
    assert outbox() == []


def test_malformed_numbers_and_dates_are_refused_with_input_kept(
    client, login, call, directorate_user
):
    login(directorate_user)
    data = complete_form(**{"campaigns-0-licences": "about fifty", "campaigns-1-starts_on": "soon"})
    response = client.post(EDIT_URL.format(lang="en"), data=data)
    page = response.get_data(as_text=True)
    assert "Enter a whole number, such as 25." in page
    assert "Enter a date, such as 15/05/2023." in page
    assert 'value="about fifty"' in page
    assert _declaration() is None


def test_list_wide_problems_are_shown(client, login, call, directorate_user):
    login(directorate_user)
    page = client.post(
        EDIT_URL.format(lang="en"), data={"version": "", "submit_declaration": "1"}
    ).get_data(as_text=True)
    assert "Describe at least one campaign." in page
    assert "Name at least one ambassador." in page
    assert "Name at least one PIX Orga administrator." in page


def test_a_later_save_on_an_old_version_is_refused_and_input_kept(
    app, client, login, call, directorate_user
):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="fr"), data=complete_form())
    version = _version(client)
    colleague = app.test_client()
    from tests.conftest import make_user

    make_user("colleague@example.org", directorate_user.role, directorate="DREAL-PDL")
    colleague.post(
        "/fr/login",
        data={"email": "colleague@example.org", "password": "correct horse battery staple"},
    )
    colleague.post(
        EDIT_URL.format(lang="fr"),
        data=complete_form(version=version, comments="Version de la collègue"),
    )
    response = client.post(
        EDIT_URL.format(lang="en"), data=complete_form(version=version, comments="My version")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this declaration in the meantime" in page
    assert "My version" in page
    assert _declaration().comments == "Version de la collègue"
    # Saving again after reading the warning replaces the colleague's version, knowingly.
    latest = re.search(r'id="version" name="version" type="hidden" value="([^"]*)"', page).group(1)
    client.post(
        EDIT_URL.format(lang="en"), data=complete_form(version=latest, comments="My version")
    )
    assert _declaration().comments == "My version"


def test_every_save_is_in_the_history_field_by_field(client, login, call, directorate_user):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form())
    client.post(
        EDIT_URL.format(lang="en"),
        data=complete_form(version=_version(client), **{"campaigns-1-licences": "35"}),
    )
    declaration = _declaration()
    events = sorted(declaration.events, key=lambda e: e.id)
    assert [e.action for e in events] == ["saved", "saved"]
    assert events[1].changes == {"campaigns.2.licences": [40, 35]}
    assert events[1].actor_id == directorate_user.id
    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "Campaign 2 – Licences needed: 40 → 35" in page


def test_after_the_deadline_the_directorate_can_no_longer_edit(
    client, login, call, directorate_user
):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form())
    version = _version(client, "en")
    from datetime import date, timedelta

    call.deadline = date.today() - timedelta(days=2)
    db.session.commit()
    response = client.get(EDIT_URL.format(lang="en"))
    assert response.status_code == 302
    response = client.post(
        EDIT_URL.format(lang="en"), data=complete_form(version=version, submit_declaration="1")
    )
    assert response.status_code == 302
    assert _declaration().status is DeclarationStatus.DRAFT
    page = client.get(VIEW_URL.format(lang="en")).get_data(as_text=True)
    assert "the deadline has passed" in page
    assert "Edit the declaration" not in page


def test_submitted_declaration_is_locked_for_the_directorate(client, login, call, directorate_user):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form(submit_declaration="1"))
    assert client.get(EDIT_URL.format(lang="en")).status_code == 302
    assert client.post(EDIT_URL.format(lang="en"), data=complete_form()).status_code == 302
    assert len(_declaration().events) == 2


def test_printable_summary(client, login, call, directorate_user):
    login(directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form())
    page = client.get(VIEW_URL.format(lang="en") + "/print").get_data(as_text=True)
    assert "Services centraux" in page
    assert "anne-sophie.ndiaye@example.org" in page
    assert "Total licences: 140" in page


def test_messages_are_in_the_user_language(client, login, call, directorate_user):
    login(directorate_user)
    data = complete_form(**{
        "submit_declaration": "1",
        "campaigns-0-headcount": "0",
        "ambassadors-0-first_name": "J3an",
        "ambassadors-1-email": "anne-sophie.ndiaye@example.org",
        "campaigns-1-licences": "beaucoup",
    })  # fmt: skip
    page = client.post(EDIT_URL.format(lang="fr"), data=data).get_data(as_text=True)
    assert "Saisissez un nombre entier" in page
    data["campaigns-1-licences"] = "40"
    page = client.post(EDIT_URL.format(lang="fr"), data=data).get_data(as_text=True)
    assert "Utilisez uniquement des lettres" in page
    assert "Cette personne figure déjà dans la liste." in page
    assert "nombre d’agents concernés" in page
    page = client.post(EDIT_URL.format(lang="en"), data=dict(data, version=_version(client)))
    body = page.get_data(as_text=True)
    assert "Use letters, spaces, apostrophes and hyphens only." in body
    assert "This person is already in the list." in body


def test_wishing_a_codir_presentation_opens_one_request(client, login, call, directorate_user):
    from app.codir.models import CodirRequest

    login(directorate_user)
    client.post(EDIT_URL.format(lang="en"), data=complete_form(submit_declaration="1"))
    [codir_request] = db.session.scalars(select(CodirRequest)).all()
    assert codir_request.directorate.code == "DREAL-PDL"
    assert codir_request.cvrh.code == "CVRH-NANTES"
    assert codir_request.options == []


def test_no_codir_request_without_the_wish(client, login, call, directorate_user):
    from app.codir.models import CodirRequest

    login(directorate_user)
    client.post(
        EDIT_URL.format(lang="en"), data=complete_form(wants_codir=None, submit_declaration="1")
    )
    assert db.session.scalars(select(CodirRequest)).all() == []


def test_directorate_index_shows_its_declaration_per_call(client, login, call, directorate_user):
    login(directorate_user)
    page = client.get("/en/declarations/").get_data(as_text=True)
    assert 'data-status="not_started"' in page
    client.post(EDIT_URL.format(lang="en"), data=complete_form())
    page = client.get("/en/declarations/").get_data(as_text=True)
    assert 'data-status="draft"' in page
    assert "/en/declarations/PIX-2023/DREAL-PDL" in page
