"""Content pages send a fixed number of statements, whatever the content, its size and depth.

Every content page is measured with `tests/budget.py` (its data set, small then large). That
data set does not nest news, events or search hits in sections, has nothing waiting for review
and does not add revisions to the page it measures: the lists made of such rows are measured
here on content built for them, three rows of each, then sixty-three (more than a page). The
same content serves the pagination tests. Each data set is built and every page requested
once per module; the tests then read what was recorded.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import Role, User
from app.content.models import ContentItem, ContentKind, ContentState, Revision
from app.extensions import db
from tests.budget import BUDGET, PERSONAS, check, measure
from tests.conftest import log_in, make_user, portal
from tests.queries import count_queries

PAGES = [
    ("anonymous", "/fr/content/"),
    ("anonymous", "/fr/content/sitemap"),
    ("anonymous", "/fr/content/{page}"),
    ("anonymous", "/fr/content/search?q=echelle"),
    ("anonymous", "/fr/content/news/"),
    ("anonymous", "/fr/content/events/"),
    ("anonymous", "/fr/content/events/?when=past"),
    ("anonymous", "/fr/competences/"),
    ("anonymous", "/fr/competences/2.1"),
    ("directorate", "/fr/content/{page}"),
    ("directorate", "/fr/content/sitemap"),
    ("cvrh", "/fr/content/{page}"),
    ("cvrh", "/fr/content/manage"),
    ("cvrh", "/fr/content/new/page"),
    ("cvrh", "/fr/competences/2.1"),
    ("project_team", "/fr/content/{page}"),
    ("project_team", "/fr/content/sitemap"),
    ("project_team", "/fr/content/search?q=echelle"),
    ("project_team", "/fr/content/manage"),
    ("project_team", "/fr/content/manage?kind=page&state=published&language=fr"),
    ("project_team", "/fr/content/review"),
    ("project_team", "/fr/content/item/{item}/history"),
    ("project_team", "/fr/content/item/{item}/diff?a=1&b=3"),
    ("project_team", "/fr/content/item/{item}/edit"),
    ("project_team", "/fr/content/new/page"),
    ("admin", "/fr/content/{page}"),
    ("admin", "/fr/content/manage"),
    ("admin", "/fr/content/review"),
]


@pytest.fixture(scope="module")
def measured(database_url):
    return measure(database_url, PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[f"{who} {url}" for who, url in PAGES])
def test_content_page_within_budget(measured, page):
    check(measured[page])


# ---------------------------------------------------------------- nested content, two sizes

SMALL, LARGE = 3, 60
PER_PAGE = 50
NOW = datetime.now(UTC).replace(microsecond=0)
# Pages at depth 1 and 3, sections at depth 1 and 3, each with an English version as deep.
DEEP_PAGE = "/fr/content/alpha/beta/page-profonde"
TOP_PAGE = "/fr/content/solo"
DEEP_SECTION = "/fr/content/alpha/beta/gamma"
TOP_SECTION = "/fr/content/alpha"

LISTS = [
    ("anonymous", "/fr/content/news/"),
    ("anonymous", "/fr/content/events/"),
    ("anonymous", "/fr/content/events/?when=past"),
    ("anonymous", "/fr/content/search?q=zorglub"),
    ("anonymous", "/fr/content/search?competence=2.1"),
    ("anonymous", "/fr/content/sitemap"),
    ("anonymous", "/fr/competences/2.1"),
    ("anonymous", DEEP_SECTION),
    ("cvrh", "/fr/content/manage"),
    ("cvrh", "/fr/competences/2.1"),
    ("project_team", "/fr/content/review"),
    ("project_team", "/fr/content/manage"),
    ("project_team", "/fr/content/manage?state=pending"),
    ("project_team", "/fr/content/item/{history}/history"),
    ("project_team", "/fr/content/item/{history}/diff?a=1&b=2"),
    ("project_team", "/fr/content/item/{history}/edit"),
    ("project_team", DEEP_SECTION),
]
DEPTHS = [
    (persona, url)
    for persona in ("anonymous", "directorate", "project_team")
    for url in (TOP_PAGE, DEEP_PAGE, TOP_SECTION, DEEP_SECTION)
]
# Page numbers that are past the end, or no page number at all.
HOSTILE = ["3", "0", "-1", "abc", "1.5", "99999999999", "٢", "%20" + "2", "2e0"]
# Requested on the large set only: further pages, filters, pages past the end.
PAGINATION = [
    ("anonymous", "/fr/content/news/?page=2"),
    ("anonymous", "/fr/content/events/?when=past"),
    ("anonymous", "/fr/content/events/?when=past&page=2"),
    ("anonymous", "/fr/content/sitemap?page=2"),
    ("anonymous", "/fr/competences/2.1?page=2"),
    ("anonymous", f"{DEEP_SECTION}?page=2"),
    ("anonymous", f"{DEEP_SECTION}?page=3"),
    ("project_team", "/fr/content/review?page=2"),
    ("project_team", "/fr/content/manage?state=pending&kind=page"),
    ("project_team", "/fr/content/manage?state=pending&kind=page&page=2"),
    ("project_team", "/fr/content/manage?state=pending&kind=page&page=3"),
    ("project_team", "/fr/content/item/{history}/history?page=2"),
] + [("anonymous", f"/fr/content/news/?page={value}") for value in HOSTILE]


@dataclass
class Seen:
    """What a request answered: its status, its statements and its page."""

    status: int
    statements: int
    html: str


def _user(email: str, role: Role = Role.PROJECT_TEAM) -> User:
    user = User(email=email, full_name=email.split("@")[0], role=role, active=True)
    db.session.add(user)
    db.session.flush()
    return user


def _item(kind, slug, parent=None, language="fr", state=ContentState.PUBLISHED, **fields):
    author = fields.pop("author", None)
    translation_of = fields.pop("translation_of", None)
    item = ContentItem(
        kind=kind,
        language=language,
        parent=parent,
        position=fields.pop("position", 1),
        state=state,
        title=fields.pop("title", slug.replace("-", " ").capitalize()),
        slug=slug,
        summary="",
        body=fields.pop("body", "Texte de la page."),
        author_id=author.id if author else None,
        published_at=NOW - timedelta(days=1) if state is ContentState.PUBLISHED else None,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    item.group_id = translation_of.group_id if translation_of else item.id
    return item


def _fixed(cvrh: User) -> dict[str, int]:
    """Add pages and sections at depth 1 and 3, in French and English, and the history's page."""
    section = ContentKind.SECTION
    alpha, alpha_en = _item(section, "alpha"), _item(section, "alpha", language="en")
    beta = _item(section, "beta", alpha)
    beta_en = _item(section, "beta", alpha_en, language="en")
    gamma = _item(section, "gamma", beta)
    _item(ContentKind.PAGE, "dans-alpha", alpha)
    deep = _item(ContentKind.PAGE, "page-profonde", beta, author=cvrh)
    _item(ContentKind.PAGE, "deep-page", beta_en, language="en", translation_of=deep)
    solo = _item(ContentKind.PAGE, "solo")
    _item(ContentKind.PAGE, "solo", language="en", translation_of=solo)
    deep.revisions.append(Revision(number=1, action="created", data={"title": "Page profonde"}))
    return {"history": deep.id, "gamma": gamma.id, "cvrh": cvrh.id}


def _grow(start: int, count: int, ids: dict[str, int]) -> None:
    """Add `count` of each nested row: news, events, resources, pending pages, revisions."""
    cvrh = db.session.get(User, ids["cvrh"])
    history = db.session.get(ContentItem, ids["history"])
    gamma = db.session.get(ContentItem, ids["gamma"])
    for number in range(start, start + count):
        author = _user(f"autrice{number}@example.org")
        top = _item(ContentKind.SECTION, f"rubrique-{number}", position=number)
        sub = _item(ContentKind.SECTION, f"sous-rubrique-{number}", top)
        news = _item(ContentKind.NEWS, f"actualite-{number}", sub)
        news.published_at = NOW - timedelta(minutes=number)
        for when, days in (("a-venir", number + 1), ("passe", -number - 1)):
            _item(
                ContentKind.EVENT,
                f"webinaire-{when}-{number}",
                sub,
                starts_at=NOW + timedelta(days=days),
                ends_at=NOW + timedelta(days=days, hours=2),
            )
        resource = _item(
            ContentKind.PAGE, f"ressource-{number}", sub, author=cvrh, body="Le mot zorglub."
        )
        resource.competences = ["2.1"]
        _item(
            ContentKind.PAGE,
            f"en-relecture-{number}",
            sub,
            state=ContentState.PENDING,
            author=author,
        )
        _item(ContentKind.PAGE, f"page-{number}", gamma, position=number)
        history.revisions.append(
            Revision(
                number=number + 1,
                action="saved",
                data={"title": f"Version {number}"},
                author_id=author.id,
                created_at=NOW + timedelta(minutes=number),
            )
        )
    db.session.commit()


def _request(app, pages: list[tuple[str, str]], values: dict) -> dict[tuple[str, str], Seen]:
    seen = {}
    for persona in sorted({persona for persona, _ in pages}):
        client = app.test_client()
        if PERSONAS[persona] is not None:
            assert log_in(client, PERSONAS[persona][0]).status_code == 302
        for who, url in pages:
            if who != persona:
                continue
            db.session.remove()  # each request starts with an empty session, as in production
            with count_queries() as statements:
                response = client.get(url.format(**values))
            seen[who, url] = Seen(
                response.status_code, len(statements), response.get_data(as_text=True)
            )
    return seen


@pytest.fixture(scope="module")
def nested(database_url):
    """Request the pages on three then sixty-three rows of each kind; return what they answered."""
    with portal(database_url) as app:
        for email, role, where in filter(None, PERSONAS.values()):
            make_user(email, role, **where)
        cvrh = db.session.scalar(db.select(User).where(User.role == Role.CVRH))
        ids = _fixed(cvrh)
        _grow(1, SMALL, ids)
        small = _request(app, LISTS + DEPTHS, ids)
        _grow(SMALL + 1, LARGE, ids)
        large = _request(app, LISTS + DEPTHS + PAGINATION, ids)
    return small, large


@pytest.mark.parametrize("page", LISTS, ids=[f"{who} {url}" for who, url in LISTS])
def test_lists_of_nested_rows_send_as_many_statements_at_any_size(nested, page):
    small, large = nested
    assert (small[page].status, large[page].status) == (200, 200)
    assert large[page].statements == small[page].statements, "a statement per row"
    assert large[page].statements <= BUDGET


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "project_team"])
@pytest.mark.parametrize(("top", "deep"), [(TOP_PAGE, DEEP_PAGE), (TOP_SECTION, DEEP_SECTION)])
def test_an_item_at_depth_three_costs_what_one_at_the_top_does(nested, persona, top, deep):
    for seen in nested:
        assert (seen[persona, top].status, seen[persona, deep].status) == (200, 200)
        assert seen[persona, deep].statements == seen[persona, top].statements
        assert seen[persona, deep].statements <= BUDGET


def test_the_deep_page_shows_its_breadcrumbs_and_its_translation(nested):
    html = nested[1]["anonymous", DEEP_PAGE].html
    crumbs = html[
        html.index('class="fr-breadcrumb"') : html.index("</nav>", html.index("fr-breadcrumb"))
    ]
    assert 'href="/fr/content/alpha"' in crumbs and 'href="/fr/content/alpha/beta"' in crumbs
    assert 'href="/en/content/alpha/beta/deep-page"' in html


def rows(html: str, marker: str = "data-item") -> list[str]:
    """Return the ids a list shows (in a section's page, those of its contents only)."""
    if 'id="section-contents"' in html:
        html = html[html.index('id="section-contents"') :]
    return re.findall(rf'{marker}="(\d+)"', html)


def page_range(html: str) -> str:
    match = re.search(r'data-testid="page-range">([^<]*)<', html)
    return match.group(1) if match else ""


def test_news_page_two_lists_the_rest(nested):
    _, large = nested
    first, second = (
        large["anonymous", "/fr/content/news/"],
        large["anonymous", "/fr/content/news/?page=2"],
    )
    total = SMALL + LARGE
    assert len(rows(first.html)) == PER_PAGE
    assert len(rows(second.html)) == total - PER_PAGE
    assert not set(rows(first.html)) & set(rows(second.html))
    assert page_range(first.html) == f"1–50 sur {total}"
    assert page_range(second.html) == f"51–{total} sur {total}"
    assert 'href="/fr/content/news/?page=2"' in first.html


@pytest.mark.parametrize("value", HOSTILE)
def test_a_page_past_the_end_or_hostile_is_not_found(nested, value):
    _, large = nested
    assert large["anonymous", f"/fr/content/news/?page={value}"].status == 404


def test_every_list_pages_its_rows(nested):
    _, large = nested
    total = SMALL + LARGE
    for persona, url, marker in [
        ("anonymous", f"{DEEP_SECTION}?page=2", "data-item"),
        ("anonymous", "/fr/competences/2.1?page=2", "data-resource"),
        ("anonymous", "/fr/content/events/?when=past&page=2", "data-item"),
        ("project_team", "/fr/content/review?page=2", "data-item"),
        ("project_team", "/fr/content/item/{history}/history?page=2", "data-revision"),
    ]:
        seen = large[persona, url]
        assert seen.status == 200, url
        # The history holds the first revision too.
        expected = total + 1 - PER_PAGE if "history" in url else total - PER_PAGE
        assert len(rows(seen.html, marker)) == expected, url
        assert page_range(seen.html).startswith("51–"), url
    assert large["anonymous", f"{DEEP_SECTION}?page=3"].status == 404
    assert len(rows(large["anonymous", "/fr/content/sitemap?page=2"].html)) > 0


def test_filters_stay_in_the_page_links(nested):
    _, large = nested
    first = large["project_team", "/fr/content/manage?state=pending&kind=page"]
    second = large["project_team", "/fr/content/manage?state=pending&kind=page&page=2"]
    links = re.findall(r'class="fr-pagination__link[^"]*" href="([^"]+)"', first.html)
    assert "/fr/content/manage?state=pending&amp;kind=page&amp;page=2" in links
    assert len(rows(first.html)) + len(rows(second.html)) == SMALL + LARGE
    assert '<option value="pending" selected>' in first.html
    assert large["project_team", "/fr/content/manage?state=pending&kind=page&page=3"].status == 404
    past = large["anonymous", "/fr/content/events/?when=past"].html
    assert 'href="/fr/content/events/?when=past&amp;page=2"' in past
