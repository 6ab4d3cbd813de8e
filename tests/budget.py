"""The query budget: every page sends a fixed number of statements, whatever the data size.

`measure(database_url, pages)` builds the data set of `tests/scale.py` small, requests each page
as its persona and counts the statements, then grows the data about sixfold and counts again.
A test module measures its pages once (a module fixture) and has one test per page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.codir.models import CodirRequest
from app.content import services as content
from app.content.models import ContentItem, ContentKind
from app.directorates.models import Directorate
from app.extensions import db
from tests.conftest import log_in, make_user, portal
from tests.queries import count_queries
from tests.scale import Scale, grow, open_call

# At most this many statements per page (the session's user, the page's data, its counts).
BUDGET = 12
# A declaration's page also reads its conversation and the project team's notes, and moves the
# reader's read marker in a transaction of its own (its BEGIN and one upsert), and lists the
# declaration's receipts.
DECLARATION_PAGE_BUDGET = BUDGET + 5
# The console also reads the pool of licences (with what is granted) and who still needs
# webinar training, each in one statement.
CONSOLE_BUDGET = BUDGET + 1
SMALL, LARGE = 2, 10  # directorates and content items of each kind added, then added again
PERSONAS = {
    "anonymous": None,
    "directorate": ("chloe.bernard@example.org", Role.DIRECTORATE, {"directorate": "DREAL-PDL"}),
    "cvrh": ("emma.laurent@example.org", Role.CVRH, {"cvrh": "CVRH-NANTES"}),
    "project_team": ("bruno.petit@example.org", Role.PROJECT_TEAM, {}),
    "admin": ("alice.martin@example.org", Role.ADMIN, {}),
    "pixorga_admin": (
        "helene.dupont@example.org",
        Role.PIXORGA_ADMIN,
        {"directorate": "DREAL-PDL"},
    ),
}


@dataclass
class Measure:
    """The statements a page sent on the small and on the large data set, and its statuses."""

    small: int
    large: int
    statuses: tuple[int, int]


def _placeholders() -> dict[str, str]:
    """Return what page addresses are made of: the call, a CODIR request, a deep page."""
    own = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-PDL"))
    request = db.session.scalar(
        select(CodirRequest).where(CodirRequest.directorate_id == own.id).order_by(CodirRequest.id)
    )
    pages = select(ContentItem).where(ContentItem.kind == ContentKind.PAGE)
    deepest = max(db.session.scalars(pages), key=lambda item: len(content.breadcrumbs(item)))
    return {
        "call": open_call().code,
        "directorate": own.code,
        "codir": str(request.id),
        "page": content.path_of(deepest),
        "item": str(deepest.id),
    }


def _count_pages(app, pages, values) -> dict[tuple[str, str], tuple[int, int]]:
    counts = {}
    for persona in sorted({persona for persona, _ in pages}):
        client = app.test_client()
        if PERSONAS[persona] is not None:
            assert log_in(client, PERSONAS[persona][0]).status_code == 302
        for who, page in pages:
            if who != persona:
                continue
            # A request starts with an empty session, as in production (the test's app
            # context would otherwise keep the objects of the data set and earlier pages).
            db.session.remove()
            with count_queries() as statements:
                response = client.get(page.format(**values))
            counts[who, page] = (len(statements), response.status_code)
    return counts


def measure(database_url: str, pages: list[tuple[str, str]]) -> dict[tuple[str, str], Measure]:
    """Count each page's statements on a small then a large data set."""
    with portal(database_url) as app:
        for persona in PERSONAS.values():
            if persona is not None:
                email, role, where = persona
                make_user(email, role, **where)
        open_call().deadline = date.today() + timedelta(days=30)
        grow(SMALL, around=("DREAL-PDL", "DREAL-BRE"))
        values = _placeholders()
        small = _count_pages(app, pages, values)
        grow(LARGE, Scale(codir_requests=6, messages=5, campaigns=4, people=4, revisions=10))
        grow(LARGE, around=("DREAL-PDL", "DREAL-BRE"))
        large = _count_pages(app, pages, values)
    return {
        page: Measure(small[page][0], large[page][0], (small[page][1], large[page][1]))
        for page in pages
    }


def check(measured: Measure, budget: int = BUDGET) -> None:
    """Assert that the page answered, within the budget, with as many statements at both sizes."""
    assert measured.statuses == (200, 200)
    assert measured.large == measured.small, "the page's statements grow with the data"
    assert measured.large <= budget, f"{measured.large} statements, budget {budget}"
