"""Access to declarations: ownership on every route, CVRH read-only, anonymous sent to login."""

import pytest
from sqlalchemy import select

from app.declarations.models import Declaration
from app.extensions import db
from tests.conftest import log_in
from tests.declarations.conftest import EDIT_URL, complete_form

PDL = "/fr/declarations/PIX-2023/DREAL-PDL"

TABLE = [
    ("anonymous", "GET", PDL, 302),
    ("anonymous", "GET", f"{PDL}/edit", 302),
    ("anonymous", "GET", "/fr/declarations/PIX-2023/", 302),
    ("other_directorate", "GET", PDL, 404),
    ("other_directorate", "GET", f"{PDL}/print", 404),
    ("other_directorate", "GET", f"{PDL}/edit", 404),
    ("other_directorate", "POST", f"{PDL}/edit", 404),
    ("other_directorate", "POST", f"{PDL}/accept", 403),
    ("other_directorate", "GET", "/fr/declarations/PIX-2023/", 403),
    ("directorate", "GET", PDL, 200),
    ("directorate", "GET", f"{PDL}/print", 200),
    ("directorate", "GET", "/fr/declarations/PIX-2023/", 403),
    ("directorate", "POST", "/fr/declarations/PIX-2023/remind", 403),
    ("directorate", "POST", f"{PDL}/extend", 403),
    ("cvrh", "GET", PDL, 200),
    ("cvrh", "GET", f"{PDL}/print", 200),
    ("cvrh", "GET", f"{PDL}/edit", 403),
    ("cvrh", "POST", f"{PDL}/edit", 403),
    ("cvrh", "POST", f"{PDL}/request_corrections", 403),
    ("cvrh", "POST", f"{PDL}/extend", 403),
    ("cvrh", "GET", "/fr/declarations/PIX-2023/", 200),
    ("cvrh", "POST", "/fr/declarations/PIX-2023/remind", 403),
    ("other_cvrh", "GET", PDL, 404),
    ("other_cvrh", "GET", f"{PDL}/print", 404),
    ("project_team", "GET", PDL, 200),
    ("project_team", "GET", f"{PDL}/edit", 403),
    ("project_team", "GET", "/fr/declarations/PIX-2023/", 200),
    ("admin", "GET", PDL, 200),
    ("directorate", "GET", "/fr/declarations/NOPE/DREAL-PDL", 404),
]


@pytest.fixture
def existing(client, call, directorate_user):
    log_in(client, directorate_user)
    client.post(EDIT_URL.format(lang="fr"), data=complete_form(submit_declaration="1"))
    client.post("/fr/logout")
    return db.session.scalar(select(Declaration))


@pytest.mark.parametrize(("persona", "method", "url", "expected"), TABLE)
def test_declaration_access(client, login, personas, existing, persona, method, url, expected):
    if personas[persona] is not None:
        login(personas[persona])
    response = client.open(url, method=method, data=complete_form(comments="intrusion"))
    assert response.status_code == expected
    body = response.get_data(as_text=True)
    if expected in (403, 404):
        assert "anne-sophie.ndiaye@example.org" not in body
    db.session.expire_all()
    assert existing.comments == "Déploiement en deux vagues."


def test_other_directorate_cannot_see_it_in_the_history_or_print(
    client, login, existing, other_directorate_user
):
    login(other_directorate_user)
    for suffix in ("", "/print"):
        response = client.get(PDL + suffix)
        assert response.status_code == 404
        assert "Services centraux" not in response.get_data(as_text=True)
