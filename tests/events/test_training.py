"""Who still needs training: each directorate sees its own people, the console counts them, the
consolidated workbook lists them."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.declarations.models import DeclarationStatus
from app.events.models import Attendance
from app.events.timing import zone
from app.exports import sheets
from app.extensions import db
from tests.events.conftest import add_session, declare, invitation_of, invite, personal_url

ANNE = ("Anne", "Martin", "anne.martin@example.org")
ERIC = ("Éric", "Lefèvre", "eric.lefevre@example.org")
HELENE = ("Hélène", "Dupont", "helene.dupont@example.org")
LOUIS = ("Louis", "Bertin", "louis.bertin@example.org")


@pytest.fixture
def trained(client, app, login, project_team_user, event, call):
    """DREAL-PDL names Anne, Éric (ambassadors) and Hélène (administrator, never invited);
    DREAL-ARA names Anne too and Louis. Anne attended, Éric has a seat to come."""
    declare(
        call,
        "DREAL-PDL",
        DeclarationStatus.ACCEPTED,
        ambassadors=[ANNE, ERIC],
        administrators=[HELENE],
    )
    declare(call, "DREAL-ARA", ambassadors=[ANNE, LOUIS])
    held = add_session(event, days=2, capacity=5)
    coming = add_session(event, days=20, capacity=5)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    anne = invitation_of(event, ANNE[2])
    person.post(personal_url(anne) + "/register", data={"session": held.id})
    person.post(
        personal_url(invitation_of(event, ERIC[2])) + "/register", data={"session": coming.id}
    )
    held.starts_at -= timedelta(days=3)
    held.ends_at -= timedelta(days=3)
    db.session.add(Attendance(session=held, invitation=anne, source="ticked"))
    db.session.commit()
    client.post("/fr/logout")
    return held, coming


def _states(page: str) -> dict[tuple[str, str], str]:
    found = {}
    for chunk in page.split('data-person="')[1:]:
        email = chunk.split('"', 1)[0]
        role = chunk.split('data-role="', 1)[1].split('"', 1)[0]
        found[email, role] = chunk.split('data-state="', 1)[1].split('"', 1)[0]
    return found


def test_a_directorate_sees_who_of_its_people_still_needs_training(
    client, login, directorate_user, other_directorate_user, trained
):
    login(directorate_user)
    home = client.get("/fr/home").get_data(as_text=True)
    assert 'href="/fr/events/training/DREAL-PDL"' in home
    page = client.get("/fr/events/training/DREAL-PDL").get_data(as_text=True)
    assert _states(page) == {
        (ANNE[2], "ambassador"): "trained",
        (ERIC[2], "ambassador"): "registered",
        (HELENE[2], "administrator"): "not_invited",
    }
    assert "2 lignes restent à former" in page
    assert LOUIS[2] not in page  # DREAL-ARA's
    # Another directorate's page: not found, nothing of it shown.
    response = client.get("/fr/events/training/DREAL-ARA")
    assert response.status_code == 404 and LOUIS[2] not in response.get_data(as_text=True)
    client.post("/fr/logout")
    login(other_directorate_user)
    page = client.get("/fr/events/training/DREAL-ARA").get_data(as_text=True)
    # Anne, trained once, is trained for DREAL-ARA too; Louis was invited, not registered.
    assert _states(page) == {
        (ANNE[2], "ambassador"): "trained",
        (LOUIS[2], "ambassador"): "invited",
    }
    assert client.get("/fr/events/training/DREAL-PDL").status_code == 404


def test_the_cvrh_of_a_directorate_sees_it_and_no_other(
    client, login, cvrh_user, other_cvrh_user, trained
):
    login(cvrh_user)
    assert client.get("/fr/events/training/DREAL-PDL").status_code == 200
    assert client.get("/fr/events/training/DREAL-ARA").status_code == 404
    client.post("/fr/logout")
    login(other_cvrh_user)
    assert client.get("/fr/events/training/DREAL-PDL").status_code == 404


def test_the_console_counts_each_person_once(client, login, project_team_user, trained):
    login(project_team_user)
    page = client.get("/fr/console/PIX-2023/").get_data(as_text=True)
    section = page.split('id="webinar-training"', 1)[1].split("</section>", 1)[0]
    ambassadors = section.split('data-role="ambassador"', 1)[1].split(
        'data-role="administrator"', 1
    )[0]
    administrators = section.split('data-role="administrator"', 1)[1]
    # Anne (named twice, trained), Éric and Louis: 3 ambassadors, 1 trained.
    assert (
        'data-training="trained" data-count="1"' in ambassadors
        and 'data-training="to_train" data-count="2"' in ambassadors
    )
    assert (
        'data-training="trained" data-count="0"' in administrators
        and 'data-training="to_train" data-count="1"' in administrators
    )
    # Filtered on one directorate: its people only.
    page = client.get("/fr/console/PIX-2023/?region=Auvergne-Rhône-Alpes").get_data(as_text=True)
    section = page.split('id="webinar-training"', 1)[1].split('data-role="administrator"', 1)[0]
    assert (
        'data-training="trained" data-count="1"' in section
        and 'data-training="to_train" data-count="1"' in section
    )


def test_the_workbook_has_a_sheet_of_them(client, login, project_team_user, trained):
    held, _coming = trained
    login(project_team_user)
    with client.post("/en/exports/PIX-2023/workbook.xlsx") as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[-1] == "Webinar training" == sheets.SHEETS[-1].en
    rows = list(book["Webinar training"].iter_rows(values_only=True))
    assert rows[0] == (
        "Directorate code",
        "No.",
        "Role",
        "Last name",
        "First name",
        "E-mail address",
        "Training",
        "Trained",
        "Session (Paris time)",
        "Webinar",
    )
    body = {(row[0], row[5]): row for row in rows[1:]}
    assert set(body) == {
        ("DREAL-ARA", ANNE[2]),
        ("DREAL-ARA", LOUIS[2]),
        ("DREAL-PDL", ANNE[2]),
        ("DREAL-PDL", ERIC[2]),
        ("DREAL-PDL", HELENE[2]),
    }
    anne = body["DREAL-PDL", ANNE[2]]
    assert anne[2] == "Ambassador" and anne[6] == "Trained" and anne[7] == "Yes"
    assert anne[8] == held.starts_at.astimezone(zone()).replace(tzinfo=None)  # a real date
    assert anne[9] == "Ambassadors' webinar"
    eric = body["DREAL-PDL", ERIC[2]]
    assert eric[6] == "Registered, to train" and eric[7] == "No" and eric[8].hour == 14
    helene = body["DREAL-PDL", HELENE[2]]
    assert (
        helene[2] == "PIX Orga administrator"
        and helene[6] == "Not invited yet"
        and helene[8] is None
    )
    assert [row[1] for row in rows[1:] if row[0] == "DREAL-PDL"] == [1, 2, 3]
