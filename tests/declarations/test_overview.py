"""The call overview: every directorate, filters, totals, people named twice; reminders."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.declarations.models import Declaration, Reminder
from app.directorates.models import Directorate, portal_today
from app.extensions import db
from tests.conftest import log_in, make_user, outbox
from tests.declarations.conftest import complete_form

LIST = "/en/declarations/PIX-2023/"


def _declare(client, user, code, **overrides):
    log_in(client, user)
    url = f"/en/declarations/PIX-2023/{code}/edit"
    client.post(url, data=complete_form(**overrides))
    client.post("/en/logout")


@pytest.fixture
def declared(client, call, directorate_user, other_directorate_user):
    _declare(client, directorate_user, "DREAL-PDL", submit_declaration="1")
    _declare(
        client,
        other_directorate_user,
        "DREAL-ARA",
        **{
            "ambassadors-0-email": "someone.else@example.org",
            "administrators-0-email": "rh.ara@example.org",
            "ambassadors-1-email": "ERIC.LEFEVRE@example.org",
            "campaigns-1-licences": "5",
        },
    )


def _rows(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-directorate="([^"]+)"', page)


def test_list_covers_every_directorate_with_totals(client, login, declared, project_team_user):
    login(project_team_user)
    page = client.get(LIST).get_data(as_text=True)
    total = db.session.scalar(select(func.count()).select_from(Directorate))
    assert len(_rows(page)) == total
    assert 'data-total="licences">245<' in page
    assert 'data-total="answered">1<' in page
    assert 'data-total="ambassadors">4<' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=submitted", {"DREAL-PDL"}),
        ("status=draft", {"DREAL-ARA"}),
        ("cvrh=CVRH-CLERMONT&status=draft", {"DREAL-ARA"}),
        ("region=Pays de la Loire&type=dreal", {"DREAL-PDL"}),
    ],
)
def test_filters(client, login, declared, project_team_user, query, expected):
    login(project_team_user)
    assert set(_rows(client.get(f"{LIST}?{query}").get_data(as_text=True))) == expected


def test_not_started_filter_and_late_flag(client, login, declared, project_team_user, call):
    login(project_team_user)
    rows = _rows(client.get(f"{LIST}?status=not_started").get_data(as_text=True))
    assert "DREAL-PDL" not in rows and "DREAL-BRE" in rows
    assert _rows(client.get(f"{LIST}?late=1").get_data(as_text=True)) == []
    call.deadline = date.today() - timedelta(days=1)
    db.session.commit()
    late = set(_rows(client.get(f"{LIST}?late=1").get_data(as_text=True)))
    assert "DREAL-ARA" in late and "DREAL-BRE" in late and "DREAL-PDL" not in late


def test_person_named_by_two_directorates_is_flagged(client, login, declared, project_team_user):
    login(project_team_user)
    page = client.get(f"{LIST}?type=dreal").get_data(as_text=True)
    assert page.count("1 person also named by another directorate") == 2
    assert "eric.lefevre@example.org" in page


def test_cvrh_sees_only_its_directorates_read_only(client, login, declared, cvrh_user):
    login(cvrh_user)
    page = client.get(LIST).get_data(as_text=True)
    expected = set(
        db.session.scalars(select(Directorate.code).where(Directorate.cvrh_id == cvrh_user.cvrh_id))
    )
    assert set(_rows(page)) == expected
    assert "Remind the directorates" not in page
    detail = client.get("/en/declarations/PIX-2023/DREAL-PDL").get_data(as_text=True)
    assert "Services centraux" in detail
    assert "Edit the declaration" not in detail
    assert 'id="review-form"' not in detail


def test_manual_reminder_is_not_sent_twice_the_same_day(
    client, login, declared, project_team_user, other_directorate_user
):
    make_user("brittany@example.org", other_directorate_user.role, directorate="DREAL-BRE")
    login(project_team_user)
    before = len(outbox())
    response = client.post(f"{LIST}remind", follow_redirects=True)
    page = response.get_data(as_text=True)
    sent = [m for m in outbox()[before:]]
    assert {m.recipients for m in sent} == {other_directorate_user.email, "brittany@example.org"}
    without_account = db.session.scalar(select(func.count()).select_from(Directorate)) - 3
    assert (
        "Reminders sent: 2. Already reminded today: 0. Reminded through their contact mailboxes "
        f"(no account yet): 0. Neither an account nor an active contact mailbox: {without_account}."
        in page
    )
    again = client.post(f"{LIST}remind", follow_redirects=True).get_data(as_text=True)
    assert "Reminders sent: 0. Already reminded today: 2." in again
    assert len(outbox()) == before + 2
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 2


def test_cli_reminds_n_days_before_the_deadline_once(
    runner, call, client, directorate_user, other_directorate_user, cvrh_user
):
    _declare(client, directorate_user, "DREAL-PDL", submit_declaration="1", wants_codir=None)
    make_user("brittany@example.org", other_directorate_user.role, directorate="DREAL-BRE")
    # The portal's day is Paris's: just before midnight UTC it is already tomorrow there.
    days = (call.deadline - portal_today()).days
    assert (
        runner.invoke(args=["declarations", "remind", "--days-before", str(days + 1)]).exit_code
        == 0
    )
    assert [m.recipients for m in outbox()] == [directorate_user.email]  # the submission only
    result = runner.invoke(args=["declarations", "remind", "--days-before", str(days)])
    assert result.exit_code == 0, result.output
    reminded = {m.recipients for m in outbox()[1:]}
    assert reminded == {other_directorate_user.email, "brittany@example.org"}
    assert "PIX-2023: 2 reminded" in result.output
    count = len(outbox())
    second = runner.invoke(args=["declarations", "remind", "--days-before", str(days)])
    assert "0 reminded, 2 already reminded" in second.output
    assert len(outbox()) == count
    assert db.session.scalar(
        select(Declaration).where(Declaration.directorate_id == directorate_user.directorate_id)
    )


def test_list_is_paginated_with_totals_of_every_page(
    client, login, declared, project_team_user, monkeypatch
):
    monkeypatch.setattr("app.declarations.routes.PER_PAGE", 20)
    login(project_team_user)
    total = db.session.scalar(select(func.count()).select_from(Directorate))
    seen = []
    for number in range(1, 4):
        page = client.get(f"{LIST}?page={number}").get_data(as_text=True)
        seen += _rows(page)
        # Totals and the caption count every directorate, not the page's.
        assert f"{total} directorates" in page
        assert 'data-total="licences">245<' in page
    assert len(seen) == len(set(seen)) == total
    second = client.get(f"{LIST}?page=2").get_data(as_text=True)
    assert len(_rows(second)) == 20
    assert 'data-testid="page-range">21–40 of 48<' in second
    assert client.get(f"{LIST}?page=4").status_code == 404
    for hostile in ("0", "-1", "abc", "1e3", "٢"):
        assert client.get(f"{LIST}?page={hostile}").status_code == 404


def test_page_links_keep_the_filters(client, login, declared, project_team_user, monkeypatch):
    monkeypatch.setattr("app.declarations.routes.PER_PAGE", 2)
    login(project_team_user)
    page = client.get(f"{LIST}?status=unanswered&cvrh=CVRH-NANTES").get_data(as_text=True)
    links = set(re.findall(r'href="([^"]*page=\d+[^"]*)"', page))
    assert links
    for link in links:
        assert "status=unanswered" in link
        assert "cvrh=CVRH-NANTES" in link
