"""The database goes away and comes back: the portal answers 503 with its page, then recovers."""

import sqlite3

import psycopg
import pytest
from sqlalchemy import make_url, select

from app import create_app
from app.auth.models import User
from app.extensions import db
from tests.conftest import PASSWORD


class Switch:
    """Opens real connections to the test database while `up`, refuses them otherwise."""

    def __init__(self, url: str):
        self.url = make_url(url)
        self.up = True

    def connect(self):
        if self.url.get_backend_name() == "sqlite":
            if not self.up:
                raise sqlite3.OperationalError("unable to open database file")
            return sqlite3.connect(self.url.database, check_same_thread=False)
        if not self.up:
            raise psycopg.OperationalError("connection refused: the server is down")
        dsn = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(dsn)


@pytest.fixture
def outage(app, database_url):
    """Return (client, switch) of a second app on the same database, whose link can be cut."""
    switch = Switch(database_url)
    config = dict(app.config)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, "creator": switch.connect}
    flaky = create_app(config)
    yield flaky, flaky.test_client(), switch
    with flaky.app_context():
        db.engine.dispose()


def _cut(flaky, switch):
    switch.up = False
    with flaky.app_context():
        db.engine.dispose()  # the connections already open die with the server


def test_a_logged_in_user_gets_the_portal_page_with_503_then_recovers(outage, directorate_user):
    flaky, client, switch = outage
    response = client.post(
        "/fr/login", data={"email": directorate_user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/fr/home").status_code == 200

    _cut(flaky, switch)
    down = client.get("/fr/home")

    assert down.status_code == 503
    assert down.headers["Retry-After"] == "30"
    page = down.get_data(as_text=True)
    assert "Portail momentanément indisponible" in page
    assert "fr-header" in page and "fr-footer" in page  # the portal's own page
    assert directorate_user.email not in page  # nothing read from the database

    switch.up = True
    assert client.get("/fr/home").status_code == 200  # back by itself


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/fr/"), ("GET", "/en/content/"), ("POST", "/fr/login"), ("GET", "/healthz")],
)
def test_every_page_answers_503_while_the_database_is_gone(outage, method, url):
    flaky, client, switch = outage
    _cut(flaky, switch)
    response = client.open(url, method=method, data={"email": "x@example.org", "password": "x"})
    assert response.status_code == 503


def test_json_clients_get_a_json_503(outage):
    flaky, client, switch = outage
    _cut(flaky, switch)
    response = client.get("/fr/", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.get_json() == {"status": 503}


def test_a_bug_is_still_a_500_not_a_503(app, client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from app.core import routes

    def broken(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("a bug"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(routes, "render_template", broken)
    response = client.get("/fr/")
    assert response.status_code == 500
    assert "Erreur inattendue" in response.get_data(as_text=True)
    assert db.session.scalar(select(User.id).limit(1)) is None  # the session works again
