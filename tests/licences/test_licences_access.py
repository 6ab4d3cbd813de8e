"""Who sets the pool and grants (the project team and admins only), who reads a grant (the
directorate its own, its CVRH, the project team), and nothing for anyone else."""

import re

import pytest

from app.extensions import db
from app.licences.models import LicencePool
from tests.conftest import PASSWORD, log_in
from tests.licences.conftest import GRANT_URL, POOL_URL, grant, granted, pool_size, set_pool

VIEW_URL = "/en/declarations/PIX-2023/{code}"


@pytest.fixture
def granted_pdl(app, known, project_team_user):
    """A pool of 300 and 100 licences granted to DREAL-PDL, with a comment."""
    client = app.test_client()
    log_in(client, project_team_user)
    set_pool(client, 300)
    assert grant(client, "DREAL-PDL", 100, "Première vague : 100 licences.").status_code == 302
    return 100


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("directorate", 403),
        ("other_directorate", 403),
        ("cvrh", 403),
        ("other_cvrh", 403),
        ("project_team", 200),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("url", [POOL_URL, GRANT_URL])
def test_only_the_project_team_reaches_the_licence_pages(
    client, login, known, personas, persona, expected, url
):
    if personas[persona] is not None:
        login(personas[persona])
    assert client.get(url.format(lang="en", code="DREAL-PDL")).status_code == expected


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh", "other_directorate"])
def test_nobody_else_sets_the_pool_or_grants(client, login, granted_pdl, personas, persona):
    if personas[persona] is not None:
        login(personas[persona])
    refused = 302 if persona == "anonymous" else 403  # to the login page, or forbidden
    assert set_pool(client, 1000).status_code == refused
    assert grant(client, "DREAL-PDL", 300).status_code == refused
    assert grant(client, "DGPR", 50).status_code == refused
    assert pool_size() == 300
    assert granted() == {"DREAL-PDL": 100}


def test_a_grant_needs_a_declaration(client, login, known, project_team_user):
    login(project_team_user)
    assert client.get(GRANT_URL.format(lang="en", code="DREAL-BRE")).status_code == 404
    assert client.get(GRANT_URL.format(lang="en", code="NOPE")).status_code == 404
    assert client.get("/en/licences/NOPE/").status_code == 404
    assert grant(client, "DREAL-BRE", 5, version="").status_code == 404


def test_the_directorate_reads_its_grant_and_comment(client, login, granted_pdl, directorate_user):
    login(directorate_user)
    page = client.get(VIEW_URL.format(code="DREAL-PDL")).get_data(as_text=True)
    assert 'data-granted="100"' in page
    assert "The project team granted 100 licences" in page
    assert "140 requested" in page
    assert "Première vague : 100 licences." in page
    assert "Change the grant" not in page  # the project team's link is not shown


def test_another_directorate_reads_nothing_of_it(
    client, login, granted_pdl, other_directorate_user
):
    login(other_directorate_user)
    response = client.get(VIEW_URL.format(code="DREAL-PDL"))
    assert response.status_code == 404
    assert "Première vague" not in response.get_data(as_text=True)
    # Its own declaration (a draft) shows no licences.
    own = client.get(VIEW_URL.format(code="DREAL-ARA")).get_data(as_text=True)
    assert "Licences are granted once the declaration is submitted." in own
    assert "data-granted" not in own


def test_the_cvrh_reads_the_grants_of_its_directorates_only(
    client, login, granted_pdl, cvrh_user, other_cvrh_user
):
    login(cvrh_user)
    page = client.get(VIEW_URL.format(code="DREAL-PDL")).get_data(as_text=True)
    assert 'data-granted="100"' in page
    assert "Change the grant" not in page
    client.post("/en/logout")
    login(other_cvrh_user)
    assert client.get(VIEW_URL.format(code="DREAL-PDL")).status_code == 404


def test_the_project_team_is_led_to_the_grant_from_the_declaration(
    client, login, granted_pdl, project_team_user
):
    login(project_team_user)
    page = client.get(VIEW_URL.format(code="DGPR")).get_data(as_text=True)
    assert "No licences granted yet" in page
    assert 'href="/en/licences/PIX-2023/DGPR"' in page
    assert "Grant licences" in page


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_the_grant_form_needs_its_csrf_token(client, known, project_team_user):
    login_page = client.get("/en/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/en/login", data={"email": project_team_user.email, "password": PASSWORD,
                                   "csrf_token": token})  # fmt: skip
    db.session.add(LicencePool(call=known.call, licences=300))
    db.session.commit()
    url = GRANT_URL.format(lang="en", code="DREAL-PDL")
    assert client.post(url, data={"licences": "10", "version": ""}).status_code == 400
    assert granted() == {}
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = {"licences": "10", "version": "", "csrf_token": token}
    assert client.post(url, data=form).status_code == 302
    assert granted() == {"DREAL-PDL": 10}
