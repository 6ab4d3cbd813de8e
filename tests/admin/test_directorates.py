"""The administrator finds any directorate from a list a page at a time, and edits it."""

import re

import pytest
from sqlalchemy import func, select

from app.directorates.models import Cvrh, Directorate
from app.extensions import db
from tests.directorates.test_pagination import add_directorates, page_links, page_range

URL = "/en/admin/directorates"


def edit_links(response) -> list[str]:
    """Return the codes of the directorates whose form the page links to."""
    assert response.status_code == 200
    return re.findall(r'/admin/directorates/([A-Z0-9-]+)"', response.get_data(as_text=True))


@pytest.fixture
def many(app):
    """60 directorates more for CVRH Nantes: the list runs over more than two pages."""
    return add_directorates("CVRH-NANTES", 60)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("directorate", 403), ("cvrh", 403), ("project_team", 403),
     ("admin", 200)],
)  # fmt: skip
def test_only_the_administrator_lists_them(client, login, personas, persona, expected):
    if personas[persona] is not None:
        login(personas[persona])
    assert client.get(URL).status_code == expected


def test_every_directorate_is_listed_and_linked_to_its_form(client, login, admin_user, many):
    login(admin_user)
    total = db.session.scalar(select(func.count(Directorate.id)))
    last = -(-total // 50)
    pages = [client.get(URL, query_string={"page": n}) for n in range(1, last + 1)]
    codes = [code for page in pages for code in edit_links(page) if code != "new"]
    assert set(codes) == set(db.session.scalars(select(Directorate.code)))
    assert len(codes) == total and page_range(pages[1]) == f"51–100 of {total}"
    assert client.get(URL, query_string={"page": last + 1}).status_code == 404
    last = codes[-1]
    assert client.get(f"{URL}/{last}").status_code == 200


def test_a_search_finds_the_directorate_and_is_kept_in_the_page_links(
    client, login, admin_user, many
):
    login(admin_user)
    found = client.get(URL, query_string={"q": "zz-nant-04"})
    assert [c for c in edit_links(found) if c != "new"] == [f"ZZ-NANT-04{n}" for n in range(10)]
    response = client.get(URL, query_string={"q": "trial", "type": "dir"})
    links = page_links(response)
    assert len(links) == 2 and all("q=trial" in link and "type=dir" in link for link in links)
    assert page_range(client.get(links[1])) == "51–60 of 60"


@pytest.mark.parametrize("page", ["0", "abc", "١", "99999999999999999999", str(2**63)])
def test_a_page_that_cannot_exist_is_not_found(client, login, admin_user, page):
    login(admin_user)
    assert client.get(URL, query_string={"page": page}).status_code == 404


def test_the_reference_page_counts_them_and_searches_the_list(client, login, admin_user, many):
    login(admin_user)
    html = client.get("/en/admin/reference").get_data(as_text=True)
    total = db.session.scalar(select(func.count(Directorate.id)))
    assert f"{total} directorates." in html
    assert f'action="{URL}"' in html and 'name="q"' in html
    assert "ZZ-NANT-000" not in html  # the directorates are listed on their own page
    nantes = db.session.scalar(select(Cvrh).where(Cvrh.code == "CVRH-NANTES"))
    row = re.search(r"cvrhs/CVRH-NANTES\">.*?</tr>", html, re.S).group(0)
    assert f"<td>{len(nantes.directorates)}</td>" in row
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and title.startswith("Reference data")


def test_saving_a_directorate_goes_back_to_the_list(client, login, admin_user):
    login(admin_user)
    form = {"code": "DGEC", "name_fr": "DGEC", "name_en": "DGEC", "type": "central",
            "region": "Île-de-France", "cvrh": "CVRH-PARIS"}  # fmt: skip
    response = client.post(f"{URL}/DGEC", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
