"""Each role's home opens on what is waiting for it."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.codir.models import CodirFormat, CodirRequest, CodirStatus
from app.content.models import ContentItem, ContentKind, ContentState
from app.declarations.models import DeclarationStatus
from app.directorates.models import Call, Directorate
from app.extensions import db
from tests.factories import declare


def _directorate(code: str) -> Directorate:
    return db.session.scalar(select(Directorate).where(Directorate.code == code))


def _request(code: str, status: CodirStatus) -> None:
    directorate = _directorate(code)
    db.session.add(
        CodirRequest(
            directorate=directorate,
            cvrh=directorate.cvrh,
            status=status,
            format=CodirFormat.VIDEO,
            option_1=date(2026, 12, 1),
        )
    )


def test_project_team_home_counts_the_work_waiting(client, login, project_team_user):
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    call.deadline = date.today() + timedelta(days=30)
    closed = Call(
        code="PIX-2022",
        title_fr="Ancienne campagne",
        title_en="Former call",
        opens_on=date(2022, 1, 1),
        deadline=date(2022, 4, 1),
        is_open=False,
    )
    db.session.add(closed)
    for code in ("DREAL-PDL", "DREAL-BRE"):
        declare(call, code, DeclarationStatus.SUBMITTED, [("Siège", 10)], [])
    declare(call, "DGPR", DeclarationStatus.ACCEPTED, [("Siège", 10)], [])
    declare(call, "DREAL-ARA", DeclarationStatus.DRAFT, [("Siège", 10)], [])
    declare(closed, "DREAL-ARA", DeclarationStatus.SUBMITTED, [("Siège", 10)], [])
    for code, status in [
        ("DREAL-PDL", CodirStatus.REQUESTED),
        ("DREAL-BRE", CodirStatus.REQUESTED),
        ("DGPR", CodirStatus.REQUESTED),
        ("DREAL-ARA", CodirStatus.SCHEDULED),
    ]:
        _request(code, status)
    for state, working in [
        (ContentState.PENDING, None),
        (ContentState.PUBLISHED, ContentState.PENDING),
        (ContentState.PUBLISHED, None),
        (ContentState.PRIVATE, None),
    ]:
        db.session.add(
            ContentItem(
                kind=ContentKind.PAGE,
                language="fr",
                state=state,
                working_state=working,
                title="Page",
                slug=f"page-{state.value}-{working}",
            )
        )
    db.session.commit()
    login(project_team_user)
    body = client.get("/en/home").get_data(as_text=True)
    review = body[body.index('data-testid="to-review-PIX-2023"') :]
    assert "2 declarations to review" in review[: review.index("</h3>")]
    assert "/en/declarations/PIX-2023/?status=submitted" in review
    assert "to-review-PIX-2022" not in body  # a closed call waits for nobody
    codir = body[body.index('data-testid="codir-waiting"') :]
    assert "3 CODIR requests not scheduled yet" in codir[: codir.index("</h3>")]
    assert "/en/codir/?status=requested" in codir
    content = body[body.index('data-testid="content-waiting"') :]
    assert "2 content items waiting for review" in content[: content.index("</h3>")]
    french = client.get("/fr/home").get_data(as_text=True)
    assert "2 déclarations à examiner" in french


def test_admin_home_reads_the_latest_actions_with_their_authors_at_once(client, login, admin_user):
    from app.audit import AuditEntry
    from app.auth.models import Role
    from tests.conftest import make_user
    from tests.queries import count_queries

    login(admin_user)

    def statements() -> int:
        db.session.remove()  # a request starts with an empty session
        with count_queries() as sent:
            assert client.get("/en/home").status_code == 200
        return len(sent)

    db.session.add(AuditEntry(action="user.created", actor_id=admin_user.id))
    db.session.commit()
    one_author = statements()
    for number in range(10):
        author = make_user(f"author{number}@example.org", Role.PROJECT_TEAM)
        db.session.add(AuditEntry(action="content_created", actor_id=author.id))
    db.session.commit()
    assert statements() == one_author


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_anonymous_visitors_are_sent_to_the_login(client, lang):
    response = client.get(f"/{lang}/home")
    assert response.status_code == 302
    assert f"/{lang}/login" in response.headers["Location"]
