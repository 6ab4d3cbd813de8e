"""Directorates as each role sees them."""

import re

from sqlalchemy import func, select

from app.directorates.models import Directorate
from app.extensions import db


def _codes(body: str) -> set[str]:
    codes = set(db.session.scalars(select(Directorate.code)))
    return {code for code in codes if f'/directorates/{code}"' in body}


def test_directorate_user_sees_only_its_directorate(client, login, directorate_user):
    login(directorate_user)
    assert _codes(client.get("/fr/directorates/").get_data(as_text=True)) == {"DREAL-PDL"}


def test_cvrh_user_sees_the_directorates_of_its_cvrh(client, login, cvrh_user):
    login(cvrh_user)
    expected = set(
        db.session.scalars(select(Directorate.code).where(Directorate.cvrh_id == cvrh_user.cvrh_id))
    )
    assert {"DREAL-PDL", "DREAL-BRE", "DIRM-NAMO", "DIR-O"} <= expected
    assert _codes(client.get("/fr/home").get_data(as_text=True)) == expected
    assert _codes(client.get("/fr/directorates/").get_data(as_text=True)) == expected


def test_project_team_home_counts_directorates_by_type(client, login, project_team_user):
    login(project_team_user)
    body = client.get("/en/home").get_data(as_text=True)
    by_type = dict(
        db.session.execute(
            select(Directorate.type, func.count(Directorate.id)).group_by(Directorate.type)
        ).all()
    )
    table = body[body.index('id="directorates-by-type"') :]
    rows = dict(re.findall(r'<tr data-type="([a-z]+)"><td>[^<]+</td><td>(\d+)</td></tr>', table))
    assert rows == {kind.value: str(count) for kind, count in by_type.items()}
    assert table.index("Regional directorates (DREAL)") < table.index(
        "Interdepartmental road directorates (DIR)"
    )
    # A directory of every directorate no longer weighs on the home: it links to the list.
    assert not _codes(body)
    assert 'href="/en/directorates/"' in body


def test_directorate_detail_shows_its_correspondents(client, login, cvrh_user, directorate_user):
    login(cvrh_user)
    body = client.get("/fr/directorates/DREAL-PDL").get_data(as_text=True)
    assert directorate_user.email in body
    assert "CVRH de Nantes" in body


def test_directorate_home_shows_its_cvrh_and_the_call(client, login, directorate_user):
    login(directorate_user)
    body = client.get("/en/home").get_data(as_text=True)
    assert "CVRH de Nantes" in body
    assert "cvrh-nantes@example.org" in body
    assert "PIX deployment 2023" in body
    assert "Deadline passed" in body


def test_admin_home_counts_accounts(client, login, personas):
    login(personas["admin"])
    body = client.get("/en/home").get_data(as_text=True)
    assert "2 accounts" in body  # two directorate users, two CVRH users
    assert "1 account" in body
