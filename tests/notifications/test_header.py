"""The count of the project team's waiting work, in the header of every page."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.codir.models import CodirRequest, CodirStatus
from app.content.models import ContentKind, ContentState
from app.declarations.models import DeclarationStatus
from app.directorates.models import Call, Directorate
from app.extensions import db
from tests.conftest import log_in, make_user
from tests.content.conftest import make
from tests.declarations.thread_support import page_url, post_message
from tests.factories import declare
from tests.queries import count_queries

LINK = re.compile(r'<a class="[^"]*" href="([^"]+)" data-testid="work-waiting">([^<]+)</a>')


def _count_link(page: str) -> tuple[str, str] | None:
    found = LINK.search(page)
    return found.groups() if found else None


def _request(code: str, status: CodirStatus) -> None:
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == code))
    db.session.add(
        CodirRequest(directorate=directorate, cvrh_id=directorate.cvrh_id, status=status)
    )


@pytest.fixture
def waiting(app, project_team_user, call):
    """Five things waiting: two declarations, two content items, one CODIR request; and
    others that are not (another state, a closed call)."""
    closed = Call(
        code="PIX-2022", title_fr="2022", title_en="2022", opens_on=date(2022, 1, 3),
        deadline=date(2022, 2, 1), is_open=False,
    )  # fmt: skip
    db.session.add(closed)
    for code in ("DREAL-PDL", "DREAL-BRE"):
        declare(call, code, DeclarationStatus.SUBMITTED, [], [])
    declare(call, "DIR-O", DeclarationStatus.ACCEPTED, [], [])
    declare(call, "DGEC", DeclarationStatus.CORRECTIONS_REQUESTED, [], [])
    declare(closed, "DGEC", DeclarationStatus.SUBMITTED, [], [])
    section = make(
        project_team_user, ContentKind.SECTION, "fr", None, "Déployer", ContentState.PUBLISHED
    )
    make(project_team_user, ContentKind.PAGE, "fr", section, "Nouvelle", ContentState.PENDING)
    changed = make(
        project_team_user, ContentKind.PAGE, "fr", section, "Modifiée", ContentState.PUBLISHED
    )
    changed.working_state = ContentState.PENDING
    changed.working_copy = {}
    make(project_team_user, ContentKind.PAGE, "fr", section, "Brouillon")
    _request("DREAL-PDL", CodirStatus.REQUESTED)
    _request("DREAL-BRE", CodirStatus.SCHEDULED)
    db.session.commit()


def test_the_project_team_sees_what_waits_and_where_to_find_it(
    client, login, project_team_user, waiting
):
    login(project_team_user)
    for url in ("/fr/", "/fr/account", "/fr/content/review", "/fr/nowhere"):
        page = client.get(url).get_data(as_text=True)
        assert _count_link(page) == ("/fr/home", "À traiter (5)"), url
    page = client.get("/en/declarations/").get_data(as_text=True)
    assert _count_link(page) == ("/en/home", "To do (5)")


def test_the_count_follows_the_work(client, login, project_team_user, waiting):
    login(project_team_user)
    request = db.session.scalar(
        select(CodirRequest).where(CodirRequest.status == CodirStatus.REQUESTED)
    )
    request.status = CodirStatus.DECLINED
    db.session.commit()
    assert _count_link(client.get("/fr/").get_data(as_text=True))[1] == "À traiter (4)"


def test_the_count_adds_the_directorates_messages_the_person_has_not_read(
    app, client, login, project_team_user, waiting
):
    directorate = app.test_client()
    log_in(directorate, make_user("dir@example.org", Role.DIRECTORATE, directorate="DREAL-PDL"))
    for body in ("Première question", "Deuxième question"):
        assert post_message(directorate, body).status_code == 302
    login(project_team_user)
    assert _count_link(client.get("/fr/account").get_data(as_text=True))[1] == "À traiter (7)"
    colleague = app.test_client()
    log_in(colleague, make_user("lea.morel@example.org", Role.PROJECT_TEAM))
    assert _count_link(colleague.get("/fr/").get_data(as_text=True))[1] == "À traiter (7)"
    client.get(page_url())  # reading the conversation
    assert _count_link(client.get("/fr/account").get_data(as_text=True))[1] == "À traiter (5)"
    assert _count_link(colleague.get("/fr/").get_data(as_text=True))[1] == "À traiter (7)"


def test_the_count_says_zero_when_nothing_waits(client, login, project_team_user):
    login(project_team_user)
    assert _count_link(client.get("/fr/").get_data(as_text=True)) == ("/fr/home", "À traiter (0)")


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh", "admin"])
def test_other_people_see_no_count(client, login, personas, waiting, persona):
    if personas[persona] is not None:
        login(personas[persona])
    assert 'data-testid="work-waiting"' not in client.get("/fr/").get_data(as_text=True)


def test_the_count_is_one_statement(client, login, project_team_user, waiting):
    login(project_team_user)
    db.session.remove()
    with count_queries() as statements:
        client.get("/fr/account")
    counting = [s for s in statements if "count(" in s.lower()]
    assert len(counting) == 1
