"""Fixtures: an app per test on a clean database, a client, a runner and one user per persona."""

import contextlib
import os
import threading
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import select, text

from app import create_app
from app.auth import services as accounts
from app.auth.models import Role, User
from app.content import search
from app.directorates.models import Cvrh, Directorate
from app.directorates.seed import load_reference_data
from app.extensions import db, limiter
from app.mail import OutboxMessage

PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory, worker: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    if "test" not in urlsplit(url).path:
        pytest.exit(f"refusing to run the tests on {url}: its database name must contain 'test'")
    if worker != "master":
        url = _worker_database(url, worker)
    return url


def _worker_database(url: str, worker: str) -> str:
    """Return the URL of this xdist worker's own PostgreSQL database, created if missing."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - turned into a clear stop
        pytest.exit(
            f"cannot create the worker database {name} ({error}); give the role CREATEDB "
            "or run the tests with -n 0"
        )
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return the URL of the test database (SQLite by default, PostgreSQL in CI).

    Under pytest-xdist each worker has its own: a SQLite file in its temporary folder, or a
    PostgreSQL database named after the one given plus the worker's name.
    """
    from app.config import from_environment

    url = _database_url(tmp_path_factory, os.environ.get("PYTEST_XDIST_WORKER", "master"))
    os.environ["DATABASE_URL"] = url
    # Uploaded files go to the session's folder, not to the checkout's instance/.
    os.environ.setdefault("ATTACHMENTS_DIR", str(tmp_path_factory.mktemp("attachments")))
    return from_environment("/nonexistent")["SQLALCHEMY_DATABASE_URI"]


def empty_database() -> None:
    """Delete every row of every table."""
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        # DELETE of a few rows costs far less than TRUNCATE, which rewrites every table's
        # files; the sequences restart as they would after TRUNCATE ... RESTART IDENTITY.
        statements = [f'DELETE FROM "{table.name}"' for table in reversed(tables)]  # noqa: S608 - our table names
        statements.append("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")
        db.session.connection().exec_driver_sql("; ".join(statements))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
        search.clear_index(db.session.connection())
    db.session.commit()


@pytest.fixture
def app_config(request):
    """Return configuration overrides; a test adds some with @pytest.mark.app_config(...)."""
    marker = request.node.get_closest_marker("app_config")
    return dict(marker.kwargs) if marker else {}


@contextlib.contextmanager
def portal(database_url: str, overrides: dict | None = None):
    """Yield an app, its context pushed, bound to a clean database holding the reference data."""
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_SERVER": "",
        "PORTAL_BASE_URL": "http://portal.test",
        "SERVER_NAME": None,
    }
    config.update(overrides or {})
    app = create_app(config)

    @app.teardown_request
    def forget_request_globals(error):
        # Requests share the test's app context, hence its `g`; in production each request
        # has its own. Clear it so that no cached user, locale or flag leaks to the next one.
        g.__dict__.clear()

    with app.app_context():
        db.create_all()
        empty_database()
        load_reference_data()
        limiter.reset()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(database_url, app_config):
    """Return an app bound to a clean database holding the reference data."""
    with portal(database_url, app_config) as app:
        yield app


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner."""
    return app.test_cli_runner()


def make_user(
    email: str, role: Role, *, directorate: str | None = None, cvrh: str | None = None, **kw
) -> User:
    """Create an active user with the test password."""
    return accounts.create_user(
        email,
        role,
        full_name=kw.pop("full_name", email.split("@")[0].replace(".", " ").title()),
        directorate=db.session.scalar(select(Directorate).where(Directorate.code == directorate))
        if directorate
        else None,
        cvrh=db.session.scalar(select(Cvrh).where(Cvrh.code == cvrh)) if cvrh else None,
        password=kw.pop("password", PASSWORD),
        **kw,
    )


@pytest.fixture
def directorate_user(app):
    """A correspondent of DREAL Pays de la Loire (CVRH Nantes)."""
    return make_user("chloe.bernard@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")


@pytest.fixture
def other_directorate_user(app):
    """A correspondent of DREAL Auvergne-Rhône-Alpes (CVRH Clermont-Ferrand)."""
    return make_user("marc.durand@example.org", Role.DIRECTORATE, directorate="DREAL-ARA")


@pytest.fixture
def cvrh_user(app):
    """A staff member of CVRH Nantes (DREAL-PDL and DREAL-BRE among its directorates)."""
    return make_user("emma.laurent@example.org", Role.CVRH, cvrh="CVRH-NANTES")


@pytest.fixture
def other_cvrh_user(app):
    """A staff member of CVRH Clermont-Ferrand."""
    return make_user("paul.girard@example.org", Role.CVRH, cvrh="CVRH-CLERMONT")


@pytest.fixture
def project_team_user(app):
    """A member of the project team."""
    return make_user("bruno.petit@example.org", Role.PROJECT_TEAM)


@pytest.fixture
def admin_user(app):
    """A technical administrator."""
    return make_user("alice.martin@example.org", Role.ADMIN, language="en")


@pytest.fixture
def personas(
    directorate_user,
    other_directorate_user,
    cvrh_user,
    other_cvrh_user,
    project_team_user,
    admin_user,
):
    """Every persona by name, plus None for the anonymous visitor."""
    return {
        "anonymous": None,
        "directorate": directorate_user,
        "other_directorate": other_directorate_user,
        "cvrh": cvrh_user,
        "other_cvrh": other_cvrh_user,
        "project_team": project_team_user,
        "admin": admin_user,
    }


def log_in(client, user_or_email, password: str = PASSWORD, lang: str = "fr"):
    """Post the login form and return the response (not followed)."""
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    return client.post(f"/{lang}/login", data={"email": email, "password": password})


@pytest.fixture
def login(client):
    """Return a function that logs the client in as a user and checks it worked."""

    def do_login(as_, password: str = PASSWORD):
        response = log_in(client, as_, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


def outbox() -> list[OutboxMessage]:
    """Return the messages of the outbox, oldest first."""
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def concurrently(app):
    """Return a function running callables at once, each in its own thread and session.

    While they run, every thread's first flush (its first write, after its reads) waits
    for the others at a barrier, so that all have read the record before any writes it: on
    PostgreSQL the writes truly race. On SQLite a writing request holds the write lock from
    its first statement, so the others wait for it; the barrier then times out and the
    requests run one after the other, which is how SQLite serialises writers.
    """
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def run(*callables, step_timeout: float = 3.0):
        db.session.commit()  # the test's own session holds no transaction meanwhile
        barrier = threading.Barrier(len(callables))
        waited = threading.local()

        def before_flush(session, flush_context, instances):
            if threading.current_thread() is threading.main_thread() or getattr(
                waited, "done", False
            ):
                return
            waited.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=step_timeout)

        results: list = [None] * len(callables)
        start = threading.Barrier(len(callables))

        def target(index, function):
            start.wait(timeout=10)
            try:
                results[index] = function()
            except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
                results[index] = error

        event.listen(Session, "before_flush", before_flush)
        try:
            threads = [
                threading.Thread(target=target, args=(i, f)) for i, f in enumerate(callables)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            event.remove(Session, "before_flush", before_flush)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        db.session.rollback()  # read what the threads committed
        db.session.expire_all()
        return results

    return run
