"""The list of directorates a page at a time, found by code, name or type, scoped on every page."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.directorates.models import Cvrh, Directorate, DirectorateType
from app.extensions import db

PAGE_LINK = re.compile(r'class="fr-pagination__link"[^>]* href="([^"]*)"')


def add_directorates(cvrh: str, count: int, kind=DirectorateType.DIR) -> set[str]:
    """Add directorates attached to a CVRH and return their codes."""
    attached = db.session.scalar(select(Cvrh).where(Cvrh.code == cvrh))
    codes = [f"ZZ-{cvrh[5:9]}-{number:03d}" for number in range(count)]
    db.session.add_all(
        Directorate(
            code=code,
            name_fr=f"Direction d'essai {code}",
            name_en=f"Trial directorate {code}",
            type=kind,
            region="Bretagne",
            cvrh=attached,
        )
        for code in codes
    )
    db.session.commit()
    return set(codes)


def listed(response, prefix: str = "/directorates/") -> list[str]:
    """Return the codes of the directorates the page links to, checking it answered."""
    assert response.status_code == 200
    return re.findall(rf'{prefix}([A-Z0-9-]+)"', response.get_data(as_text=True))


def page_links(response) -> list[str]:
    """Return the addresses of the numbered page links."""
    return [unescape(link) for link in PAGE_LINK.findall(response.get_data(as_text=True))]


def page_range(response) -> str:
    """Return the text that says where the page stands in the list."""
    found = re.search(r'data-testid="page-range">([^<]*)<', response.get_data(as_text=True))
    return found.group(1) if found else ""


@pytest.fixture
def many(app):
    """60 directorates more for CVRH Nantes, 60 for CVRH Clermont-Ferrand."""
    return {"nantes": add_directorates("CVRH-NANTES", 60), "clermont": add_directorates(
        "CVRH-CLERMONT", 60, DirectorateType.DREAL)}  # fmt: skip


def test_every_directorate_comes_fifty_a_page(client, login, project_team_user, many):
    login(project_team_user)
    total = db.session.scalar(select(func.count(Directorate.id)))
    last = -(-total // 50)
    pages = [client.get("/en/directorates/", query_string={"page": n}) for n in range(1, last + 1)]
    codes = [code for page in pages for code in listed(page)]
    assert len(listed(pages[0])) == 50 and len(codes) == len(set(codes)) == total
    assert set(codes) == set(db.session.scalars(select(Directorate.code)))
    assert page_range(pages[1]) == f"51–100 of {total}"
    assert f"{total} directorates." in pages[1].get_data(as_text=True)
    assert client.get("/en/directorates/", query_string={"page": last + 1}).status_code == 404
    # By type, then by code: the regional directorates come first.
    assert codes.index("DREAL-PDL") < codes.index("ZZ-CLER-000") < codes.index("ZZ-NANT-000")


def test_search_and_type_are_kept_from_page_to_page(client, login, project_team_user, many):
    login(project_team_user)
    response = client.get("/en/directorates/?q=trial&type=dir")
    assert page_range(response) == "1–50 of 60"
    links = page_links(response)
    assert len(links) == 2 and all("q=trial" in link and "type=dir" in link for link in links)
    second = client.get(links[1])
    assert set(listed(response) + listed(second)) == many["nantes"]
    assert 'value="trial"' in second.get_data(as_text=True)
    assert client.get("/en/directorates/?q=trial&type=dir&page=3").status_code == 404


@pytest.mark.parametrize(
    ("search", "found"),
    [("dreal-pdl", {"DREAL-PDL"}), ("Pays de la Loire", {"DREAL-PDL"}), ("%", set()),
     ("_", set()), ("x" * 5000, set())],
)  # fmt: skip
def test_search_by_code_or_name(client, login, project_team_user, search, found):
    login(project_team_user)
    response = client.get("/en/directorates/", query_string={"q": search})
    assert set(listed(response)) == found


def test_a_cvrh_sees_only_its_directorates_on_every_page(client, login, cvrh_user, many):
    login(cvrh_user)
    own = set(
        db.session.scalars(select(Directorate.code).where(Directorate.cvrh_id == cvrh_user.cvrh_id))
    )
    first = client.get("/en/directorates/")
    second = client.get("/en/directorates/?page=2")
    assert set(listed(first) + listed(second)) == own and many["nantes"] <= own
    assert client.get("/en/directorates/?page=3").status_code == 404
    assert listed(client.get("/en/directorates/?q=ZZ-CLER")) == []


def test_a_directorate_user_sees_its_own_and_no_search(client, login, directorate_user, many):
    login(directorate_user)
    response = client.get("/en/directorates/")
    assert listed(response) == ["DREAL-PDL"]
    assert 'id="q"' not in response.get_data(as_text=True) and page_links(response) == []
    assert client.get("/en/directorates/?page=2").status_code == 404


@pytest.mark.parametrize(
    "page", ["0", "-1", "abc", "1.5", "١", "²", " 1", "100001", "99999999999999999999", str(2**63)]
)
def test_a_page_that_cannot_exist_is_not_found(client, login, project_team_user, page):
    login(project_team_user)
    assert client.get("/en/directorates/", query_string={"page": page}).status_code == 404
