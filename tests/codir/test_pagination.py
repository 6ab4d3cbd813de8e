"""The lists of CODIR requests a page at a time: tabs and filters kept, scope on every page."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import select

from app.codir.models import CodirRequest, CodirStatus
from app.codir.workflow import OPEN
from app.directorates.models import Directorate
from app.extensions import db, utcnow
from tests.queries import count_queries

ROW = re.compile(r'data-request="(\d+)"')
PAGE_LINK = re.compile(r'class="fr-pagination__link"[^>]* href="([^"]*)"')


def _directorates(code: str, count: int) -> list[Directorate]:
    """Return the directorate and, after it, count - 1 others of the same CVRH (created)."""
    first = db.session.scalar(select(Directorate).where(Directorate.code == code))
    others = [
        Directorate(
            code=f"{code}-{number}",
            name_fr=f"{first.name_fr} {number}",
            name_en=f"{first.name_en} {number}",
            type=first.type,
            region=first.region,
            cvrh_id=first.cvrh_id,
        )
        for number in range(1, count)
    ]
    db.session.add_all(others)
    return [first, *others]


def add_requests(code: str, count: int, status: CodirStatus = CodirStatus.REQUESTED) -> set[int]:
    """Add requests one minute apart and return their ids.

    Closed ones all belong to the directorate; a directorate has one request under way at
    most, so those under way come from it and from other directorates of its CVRH.
    """
    directorates = _directorates(code, count) if status in OPEN else _directorates(code, 1) * count
    requests = [
        CodirRequest(
            directorate=directorate,
            cvrh_id=directorate.cvrh_id,
            status=status,
            audience="Comité de direction",
            created_at=utcnow() - timedelta(minutes=number),
        )
        for number, directorate in enumerate(directorates)
    ]
    db.session.add_all(requests)
    db.session.commit()
    return {request.id for request in requests}


def rows(response) -> list[int]:
    """Return the ids of the requests listed, checking the page answered."""
    assert response.status_code == 200
    return [int(found) for found in ROW.findall(response.get_data(as_text=True))]


def page_links(response) -> list[str]:
    """Return the addresses of the numbered page links."""
    return [unescape(link) for link in PAGE_LINK.findall(response.get_data(as_text=True))]


def page_range(response) -> str:
    """Return the text that says where the page stands in the list."""
    found = re.search(r'data-testid="page-range">([^<]*)<', response.get_data(as_text=True))
    return found.group(1) if found else ""


@pytest.fixture
def many(app):
    """60 requests waiting at CVRH Nantes (DREAL-PDL's and 59 other directorates'), 5 held of
    DREAL-PDL; 55 declined of DREAL-ARA (Clermont)."""
    return {
        "waiting": add_requests("DREAL-PDL", 60),
        "held": add_requests("DREAL-PDL", 5, CodirStatus.HELD),
        "elsewhere": add_requests("DREAL-ARA", 55, CodirStatus.DECLINED),
    }


def test_all_requests_come_fifty_a_page(client, login, project_team_user, many):
    login(project_team_user)
    first = client.get("/en/codir/")
    second = client.get("/en/codir/?page=2")
    third = client.get("/en/codir/?page=3")
    assert len(rows(first)) == 50 and len(rows(second)) == 50 and len(rows(third)) == 20
    listed = rows(first) + rows(second) + rows(third)
    assert len(set(listed)) == 120 and set(listed) == set().union(*many.values())
    assert page_range(second) == "51–100 of 120"
    assert "120 requests" in second.get_data(as_text=True)
    assert client.get("/en/codir/?page=4").status_code == 404


def test_filters_are_kept_from_page_to_page(client, login, project_team_user, many):
    login(project_team_user)
    response = client.get("/en/codir/?cvrh=CVRH-NANTES&status=requested")
    assert page_range(response) == "1–50 of 60"
    links = page_links(response)
    assert len(links) == 2
    assert all("cvrh=CVRH-NANTES" in link and "status=requested" in link for link in links)
    second = client.get(links[1])
    assert page_range(second) == "51–60 of 60"
    assert set(rows(response) + rows(second)) == many["waiting"]
    assert client.get("/en/codir/?cvrh=CVRH-NANTES&status=held&page=2").status_code == 404


def test_a_cvrh_sees_only_its_requests_on_every_page(client, login, cvrh_user, many):
    login(cvrh_user)
    first = client.get("/en/codir/")
    second = client.get("/en/codir/?page=2")
    assert set(rows(first) + rows(second)) == many["waiting"] | many["held"]
    assert page_range(second) == "51–65 of 65"
    assert client.get("/en/codir/?page=3").status_code == 404
    # The filters of the staff give it nothing more.
    other = client.get("/en/codir/?cvrh=CVRH-CLERMONT")
    assert rows(other) == [] and page_range(other) == ""


def test_the_inbox_tab_is_kept_and_its_counts_come_in_one_query(client, login, cvrh_user, many):
    login(cvrh_user)
    db.session.remove()
    with count_queries() as statements:
        response = client.get("/en/codir/?view=to_answer")
    counting = [s for s in statements if "count(" in s.lower()]
    assert len(counting) == 2  # the page's total, and every tab's in one statement
    html = response.get_data(as_text=True)
    assert 'data-counter="all">All (65)' in html
    assert 'data-counter="to_answer">To answer (60)' in html
    assert 'data-counter="held">Held (5)' in html
    links = page_links(response)
    assert all("view=to_answer" in link for link in links)
    second = client.get(links[1])
    assert set(rows(response) + rows(second)) == many["waiting"]
    assert 'aria-current="true" data-counter="to_answer"' in second.get_data(as_text=True)
    assert client.get("/en/codir/?view=held").status_code == 200
    assert client.get("/en/codir/?view=held&page=2").status_code == 404


def test_a_directorate_sees_only_its_requests_on_every_page(
    client, login, other_directorate_user, many
):
    login(other_directorate_user)
    first = client.get("/en/codir/")
    second = client.get("/en/codir/?page=2")
    assert set(rows(first) + rows(second)) == many["elsewhere"]
    assert page_range(second) == "51–55 of 55"


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "1.5", "١", "²", " 1", "100001", "99999999999999999999", str(2**63)]
)
def test_a_page_that_cannot_exist_is_not_found(client, login, project_team_user, many, page):
    login(project_team_user)
    assert client.get("/en/codir/", query_string={"page": page}).status_code == 404


def test_a_short_list_has_no_page_links(client, login, directorate_user):
    add_requests("DREAL-PDL", 3, CodirStatus.HELD)
    login(directorate_user)
    response = client.get("/en/codir/")
    assert len(rows(response)) == 3
    assert page_links(response) == [] and page_range(response) == ""
    assert client.get("/en/codir/?page=2").status_code == 404
