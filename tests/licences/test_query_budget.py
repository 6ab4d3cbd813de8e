"""The licence pages, the console and the declaration page send a fixed number of statements
whatever the number of grants and pool changes; so does the workbook.

The data set of `tests/scale.py` is grown as for the other budgets, and every submitted or
accepted declaration of the open call gets a grant (with its history entry) and the pool one
more change, at each size.
"""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.declarations.models import Declaration
from app.extensions import db
from app.licences import policies, services
from app.licences.models import LicencePool
from tests.budget import (
    BUDGET,
    CONSOLE_BUDGET,
    DECLARATION_PAGE_BUDGET,
    LARGE,
    PERSONAS,
    SMALL,
    Measure,
    _count_pages,
    _placeholders,
    check,
)
from tests.conftest import log_in, make_user, portal
from tests.queries import count_queries
from tests.scale import Scale, grow, open_call

PAGES = [
    ("project_team", "/fr/licences/{call}/"),
    ("project_team", "/fr/licences/{call}/{directorate}"),
    ("project_team", "/fr/console/{call}/"),
    ("project_team", "/fr/declarations/{call}/{directorate}"),
    ("directorate", "/fr/declarations/{call}/{directorate}"),
    ("cvrh", "/fr/declarations/{call}/{directorate}"),
]
WORKBOOK = ("project_team", "/fr/exports/{call}/workbook.xlsx")


def _grant_everyone(staff: User, pool_size: int) -> None:
    """Raise the pool, then grant each answered declaration of the open call one licence more."""
    call = open_call()
    pool = db.session.scalar(select(LicencePool).where(LicencePool.call_id == call.id))
    services.write_pool(staff, call, pool, pool_size, "")
    answered = select(Declaration).where(
        Declaration.call_id == call.id, Declaration.status.in_(policies.GRANTABLE)
    )
    for declaration in db.session.scalars(answered):
        current = declaration.grant
        licences = (current.licences if current else 0) + 1
        services.write_grant(staff, declaration, current, licences, "Première vague")
    db.session.commit()


def _count_workbook(app, values) -> tuple[int, int]:
    """Count the statements of a download of the workbook (after a first one: a download with
    a previous export reads that one too)."""
    client = app.test_client()
    assert log_in(client, PERSONAS["project_team"][0]).status_code == 302
    client.post(WORKBOOK[1].format(**values)).close()
    db.session.remove()
    with count_queries() as statements, client.post(WORKBOOK[1].format(**values)) as response:
        status = response.status_code
    return len(statements), status


@pytest.fixture(scope="module")
def measured(database_url):
    """Statements of every page, on the small and the large data set (built once)."""
    pages = [*PAGES, WORKBOOK]
    with portal(database_url) as app:
        for persona in PERSONAS.values():
            if persona is not None:
                email, role, where = persona
                make_user(email, role, **where)
        staff = db.session.scalar(select(User).where(User.email == PERSONAS["project_team"][0]))
        grow(SMALL, around=("DREAL-PDL", "DREAL-BRE"))
        _grant_everyone(staff, 10_000)
        values = _placeholders()
        small = _count_pages(app, PAGES, values)
        small[WORKBOOK] = _count_workbook(app, values)
        grow(LARGE, Scale(codir_requests=6, messages=5, campaigns=4, people=4, revisions=10))
        grow(LARGE, around=("DREAL-PDL", "DREAL-BRE"))
        staff = db.session.merge(staff)
        _grant_everyone(staff, 20_000)
        _grant_everyone(staff, 30_000)
        large = _count_pages(app, PAGES, values)
        large[WORKBOOK] = _count_workbook(app, values)
    return {
        page: Measure(small[page][0], large[page][0], (small[page][1], large[page][1]))
        for page in pages
    }


@pytest.mark.parametrize(("persona", "page"), PAGES)
def test_statements_do_not_grow_with_the_grants(measured, persona, page):
    # The declaration page also reads its conversation (tests/budget.py).
    budget = DECLARATION_PAGE_BUDGET if page.startswith("/fr/declarations/") else BUDGET
    if page.startswith("/fr/console/"):
        budget = CONSOLE_BUDGET  # it also reads who still needs webinar training
    check(measured[persona, page], budget)


def test_the_workbook_sends_as_many_statements_with_more_grants(measured):
    workbook = measured[WORKBOOK]
    assert workbook.statuses == (200, 200)
    assert workbook.large == workbook.small
