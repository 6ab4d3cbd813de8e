"""Two admins editing the same record at once: the second is told, nothing is overwritten."""

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.directorates.models import Cvrh
from app.extensions import db
from tests.conftest import log_in, make_user


@pytest.fixture
def two_admins(app, admin_user):
    other = make_user("bruno.petit@example.org", admin_user.role)
    first, second = app.test_client(), app.test_client()
    log_in(first, admin_user)
    log_in(second, other)
    return first, second


def _post(client, url, data):
    def send():
        response = client.post(url, data=data)
        return response.status_code, response.get_data(as_text=True)

    return send


def _cvrh_form(version, name):
    return {
        "version": version,
        "code": "CVRH-NANTES",
        "name": name,
        "city": "Nantes",
        "email": "cvrh-nantes@example.org",
    }


def test_two_admins_saving_a_cvrh_at_once(two_admins, concurrently):
    first, second = two_admins
    version = db.session.scalar(select(Cvrh.version).where(Cvrh.code == "CVRH-NANTES"))
    url = "/en/admin/cvrhs/CVRH-NANTES"

    results = concurrently(
        _post(first, url, _cvrh_form(version, "CVRH de Nantes (A)")),
        _post(second, url, _cvrh_form(version, "CVRH de Nantes (B)")),
    )

    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    assert "Someone else changed this record meanwhile" in loser
    name = db.session.scalar(select(Cvrh.name).where(Cvrh.code == "CVRH-NANTES"))
    assert name in ("CVRH de Nantes (A)", "CVRH de Nantes (B)")
    assert name not in loser.split("Someone else changed")[0]  # loser's input is its own
    assert ("(A)" in loser) != ("(B)" in loser) or name[-3:] not in loser


def test_saving_again_after_the_conflict_replaces_knowingly(client, login, admin_user):
    login(admin_user)
    url = "/en/admin/cvrhs/CVRH-NANTES"
    version = db.session.scalar(select(Cvrh.version).where(Cvrh.code == "CVRH-NANTES"))
    client.post(url, data=_cvrh_form(version, "First change"))

    stale = client.post(url, data=_cvrh_form(version, "Second change"))

    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "Second change" in page
    latest = db.session.scalar(select(Cvrh.version).where(Cvrh.code == "CVRH-NANTES"))
    assert f'value="{latest}"' in page
    assert client.post(url, data=_cvrh_form(latest, "Second change")).status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(Cvrh.name).where(Cvrh.code == "CVRH-NANTES")) == (
        "Second change"
    )


def test_two_admins_editing_one_account_at_once(two_admins, directorate_user, concurrently):
    first, second = two_admins
    url = f"/en/admin/users/{directorate_user.id}"
    form = {
        "version": directorate_user.version,
        "email": directorate_user.email,
        "role": "directorate",
        "directorate": "DREAL-PDL",
        "cvrh": "",
        "language": "fr",
    }

    results = concurrently(
        _post(first, url, {**form, "full_name": "Name from A"}),
        _post(second, url, {**form, "full_name": "Name from B"}),
    )

    assert sorted(status for status, _ in results) == [302, 409]
    db.session.rollback()
    assert db.session.get(User, directorate_user.id).full_name in ("Name from A", "Name from B")


def test_logging_in_does_not_make_an_open_account_form_stale(
    app, client, login, admin_user, directorate_user
):
    login(admin_user)
    version = directorate_user.version
    other = app.test_client()
    log_in(other, directorate_user)  # records the login time, not a change of the account

    response = client.post(
        f"/en/admin/users/{directorate_user.id}",
        data={
            "version": version,
            "email": directorate_user.email,
            "full_name": "Renamed",
            "role": "directorate",
            "directorate": "DREAL-PDL",
            "cvrh": "",
            "language": "fr",
        },
    )
    assert response.status_code == 302
