"""A directorate has one CODIR request under way at a time, enforced by the service and the
database, and said plainly on the form."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from app.codir import services
from app.codir.models import CodirEvent, CodirFormat, CodirRequest, CodirStatus
from app.codir.workflow import OPEN
from app.directorates.models import Directorate
from app.extensions import db
from tests.codir.conftest import request_form, schedule_form
from tests.conftest import PASSWORD, log_in, make_user, outbox
from tests.test_migrations import _drop_everything


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CodirRequest))


@pytest.mark.parametrize(
    ("lang", "title", "link"),
    [
        ("fr", "Votre direction a déjà une demande en cours", "Voir la demande en cours"),
        ("en", "Your directorate already has a request under way", "See the request under way"),
    ],
)
def test_a_second_request_is_refused_with_a_link_to_the_first(
    client, login, codir_request, directorate_user, lang, title, link
):
    login(directorate_user)
    mails = len(outbox())
    response = client.post(f"/{lang}/codir/new", data=request_form())
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert title in html and link in html
    assert f'href="/{lang}/codir/{codir_request.id}"' in html
    assert 'name="audience"' not in html  # no form that would be refused again
    assert _count() == 1 and len(outbox()) == mails  # nothing sent to the CVRH either
    # Opening the form says it before anything is typed.
    page = client.get(f"/{lang}/codir/new")
    assert page.status_code == 200
    assert title in page.get_data(as_text=True)
    assert f'href="/{lang}/codir/{codir_request.id}"' in page.get_data(as_text=True)


def test_a_new_request_is_possible_once_the_first_is_closed(
    client, login, codir_request, cvrh_user, directorate_user
):
    cvrh_client = client.application.test_client()
    log_in(cvrh_client, cvrh_user)
    cvrh_client.post(f"/en/codir/{codir_request.id}/schedule", data=schedule_form())
    login(directorate_user)
    refused = client.post("/en/codir/new", data=request_form())
    assert refused.status_code == 409
    assert "is scheduled." in refused.get_data(as_text=True)
    cvrh_client.post(f"/en/codir/{codir_request.id}/hold", data={"held-outcome": ""})
    assert client.get("/en/codir/new").get_data(as_text=True).count('name="audience"') == 1
    assert client.post("/en/codir/new", data=request_form()).status_code == 302
    assert _count() == 2


def test_the_other_directorates_are_not_held_back(
    client, login, codir_request, other_directorate_user
):
    login(other_directorate_user)
    assert client.post("/en/codir/new", data=request_form()).status_code == 302
    assert _count() == 2


def test_the_service_refuses_a_second_request(codir_request, directorate_user):
    with pytest.raises(services.AlreadyOpen) as refused:
        services.create_request(
            directorate_user, directorate_user.directorate, format=CodirFormat.VIDEO
        )
    assert refused.value.request.id == codir_request.id
    assert _count() == 1


def _add(directorate: Directorate, status: CodirStatus) -> None:
    db.session.add(
        CodirRequest(
            directorate=directorate, cvrh_id=directorate.cvrh_id, status=status, audience="CODIR"
        )
    )
    db.session.flush()


def test_the_database_keeps_one_request_under_way_per_directorate(app):
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == "DGEC"))
    for closed in (CodirStatus.HELD, CodirStatus.DECLINED, CodirStatus.CANCELLED) * 2:
        _add(directorate, closed)
    _add(directorate, CodirStatus.REQUESTED)
    db.session.commit()
    for status in OPEN:
        with pytest.raises(IntegrityError):
            _add(directorate, status)
        db.session.rollback()
    # Closing the one under way frees the place.
    request = db.session.scalar(
        select(CodirRequest).where(CodirRequest.status == CodirStatus.REQUESTED)
    )
    request.status = CodirStatus.CANCELLED
    _add(directorate, CodirStatus.SCHEDULED)
    db.session.commit()
    assert _count() == 8


def test_two_colleagues_sending_at_the_same_instant_make_one_request(
    app, directorate_user, concurrently
):
    """Both read that no request is under way; one is created, the other told, never a 500."""
    make_user("lea.roux@example.org", directorate_user.role, directorate="DREAL-PDL")
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user)
    log_in(second, "lea.roux@example.org", PASSWORD)

    def send(client, audience):
        def post():
            response = client.post("/fr/codir/new", data=request_form(audience=audience))
            return response.status_code, response.get_data(as_text=True)

        return post

    results = concurrently(send(first, "CODIR restreint"), send(second, "CODIR élargi"))

    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    [request] = db.session.scalars(select(CodirRequest)).all()
    assert "Votre direction a déjà une demande en cours" in loser
    assert f'href="/fr/codir/{request.id}"' in loser
    assert request.audience in ("CODIR restreint", "CODIR élargi")
    assert len(outbox()) == 1  # the CVRH is told once
    events = db.session.scalars(select(CodirEvent.action)).all()
    assert events == ["requested"]


def test_a_declaration_wishing_a_presentation_adds_none_when_one_is_under_way(
    app, codir_request, directorate_user
):
    assert services.open_from_declaration(directorate_user, directorate_user.directorate) is None
    db.session.commit()
    assert _count() == 1


def test_an_insert_refused_by_the_index_leaves_the_declaration_transaction_usable(
    app, directorate_user, monkeypatch
):
    """Another request committed between the check and the insert: the submission goes on."""
    other = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-PDL"))
    _add(other, CodirStatus.REQUESTED)
    real = services.open_request_of
    calls = []

    def not_seen_at_first(directorate):
        calls.append(directorate)
        return None if len(calls) == 1 else real(directorate)

    monkeypatch.setattr(services, "open_request_of", not_seen_at_first)
    assert services.open_from_declaration(directorate_user, other) is None
    db.session.commit()
    assert _count() == 1


def test_any_other_refusal_of_the_insert_is_not_hidden(app, directorate_user, monkeypatch):
    def refused(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("another constraint"))

    monkeypatch.setattr(services, "_open", refused)
    with pytest.raises(IntegrityError):
        services.open_from_declaration(directorate_user, directorate_user.directorate)


BEFORE = "d5590ddadc0d"


def _insert_request(connection, request_id: int, directorate_id: int, status: str, minute: int):
    connection.execute(
        text(
            "INSERT INTO codir_request (id, directorate_id, cvrh_id, status, audience, place, "
            "topics, scheduled_place, speaker, outcome, reason, sequence, created_at, "
            "updated_at, version) VALUES (:id, :directorate, 1, :status, 'CODIR', '', '', '', "
            "'', '', '', 0, :moment, :moment, 1)"
        ),
        {
            "id": request_id,
            "directorate": directorate_id,
            "status": status,
            "moment": f"2026-03-01 10:{minute:02d}:00",
        },
    )


def test_the_migration_closes_the_duplicates_accepted_before(app):
    _drop_everything()
    try:
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO cvrh (id, code, name, city, email, version) "
                    "VALUES (1, 'CVRH-T', 'CVRH T', 'Tours', 'cvrh@example.org', 1)"
                )
            )
            for number in (1, 2, 3):
                connection.execute(
                    text(
                        "INSERT INTO directorate (id, code, name_fr, name_en, type, region, "
                        "cvrh_id, version) VALUES (:id, :code, 'D', 'D', 'dreal', 'Centre', 1, 1)"
                    ),
                    {"id": number, "code": f"DREAL-{number}"},
                )
            # 1: two waiting and a scheduled one, made later; 2: two waiting; 3: one, and closed.
            _insert_request(connection, 1, 1, "requested", 1)
            _insert_request(connection, 2, 1, "requested", 2)
            _insert_request(connection, 3, 1, "scheduled", 3)
            _insert_request(connection, 4, 2, "requested", 4)
            _insert_request(connection, 5, 2, "requested", 5)
            _insert_request(connection, 6, 3, "requested", 6)
            _insert_request(connection, 7, 3, "held", 7)
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, status, version, reason FROM codir_request ORDER BY id")
            ).all()
            events = connection.execute(
                text("SELECT request_id, action FROM codir_event ORDER BY request_id")
            ).all()
        statuses = {row.id: row.status for row in rows}
        # The scheduled one is kept over older waiting ones; else the oldest waiting one.
        assert statuses == {
            1: "cancelled",
            2: "cancelled",
            3: "scheduled",
            4: "requested",
            5: "cancelled",
            6: "requested",
            7: "held",
        }
        cancelled = [row for row in rows if row.status == "cancelled"]
        assert all(row.version == 2 for row in cancelled)
        assert "n° 3" in cancelled[0].reason and "no. 3" in cancelled[0].reason
        assert "n° 4" in cancelled[2].reason
        assert [tuple(e) for e in events] == [(1, "cancel"), (2, "cancel"), (5, "cancel")]
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert_request(connection, 8, 2, "scheduled", 8)
        downgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _insert_request(connection, 8, 2, "scheduled", 8)
    finally:
        _drop_everything()
        db.create_all()
