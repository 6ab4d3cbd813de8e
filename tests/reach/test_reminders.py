"""Reminders go to a directorate's correspondents, else to its contacts with a claim link."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.declarations.models import Reminder
from app.directorates.models import portal_today
from app.extensions import db
from tests.conftest import outbox
from tests.reach.conftest import add_contact, call, directorate, link_in, messages_to

LIST = "/en/declarations/PIX-2023/"


@pytest.fixture
def open_call(app):
    """The 2023 call, open, its deadline 30 days ahead."""
    current = call("PIX-2023")
    current.deadline = date.today() + timedelta(days=30)
    current.is_open = True
    db.session.commit()
    return current


def test_a_directorate_without_account_is_reminded_through_its_contacts(
    client, login, open_call, contacts, other_directorate_user, project_team_user
):
    login(project_team_user)
    page = client.post(f"{LIST}remind", follow_redirects=True).get_data(as_text=True)
    assert (
        "Reminders sent: 2. Already reminded today: 0. Reminded through their contact "
        "mailboxes (no account yet): 1. Neither an account nor an active contact mailbox: 46."
    ) in page
    recipients = {m.recipients for m in outbox()}
    # DREAL-ARA has a correspondent: its contact is not written to.
    assert recipients == {
        other_directorate_user.email,
        "direction.pdl@example.org",
        "rh.pdl@example.org",
    }
    [to_contact, _] = messages_to("rh.pdl@example.org") + messages_to("direction.pdl@example.org")
    assert "n’a pas encore commencé sa déclaration PIX" in to_contact.body
    assert to_contact.contact_id == contacts["pdl_hr"].id
    assert to_contact.directorate_id == directorate("DREAL-PDL").id
    [to_user] = messages_to(other_directorate_user.email)
    assert to_user.contact_id is None and to_user.directorate_id == directorate("DREAL-ARA").id
    assert to_user.call_id == open_call.id
    # The reminder's link claims an account of DREAL-PDL.
    client.post("/en/logout")
    password = "a long enough new password"
    data = {"full_name": "Léa Fontaine", "password": password, "confirm": password}
    assert client.post(link_in(to_contact), data=data).status_code == 302
    assert client.get("/fr/directorates/DREAL-PDL").status_code == 200


def test_a_reminder_replaces_the_link_of_the_opening(
    client, login, runner, open_call, contacts, project_team_user
):
    runner.invoke(args=["calls", "open", "PIX-2023"])
    first = link_in(messages_to("rh.pdl@example.org")[0])
    login(project_team_user)
    client.post(f"{LIST}remind")
    client.post("/en/logout")
    latest = link_in(messages_to("rh.pdl@example.org")[-1])
    assert latest != first
    assert client.get(first).status_code == 400
    assert client.get(latest).status_code == 200


def test_the_daily_command_falls_back_to_the_contacts(runner, open_call, contacts):
    add_contact("DREAL-BRE", "ancien.bre@example.org", active=False)
    days = (open_call.deadline - portal_today()).days
    result = runner.invoke(args=["declarations", "remind", "--days-before", str(days)])
    assert result.exit_code == 0, result.output
    assert (
        "PIX-2023: 2 reminded, 0 already reminded, 46 with neither an account nor an active "
        "contact mailbox; 2 of those reminded had no account yet and were reminded through "
        "their contact mailboxes."
    ) in result.output
    assert {m.recipients for m in outbox()} == {
        "direction.pdl@example.org",
        "rh.pdl@example.org",
        "hr.ara@example.org",
    }
    english = messages_to("hr.ara@example.org")[0]
    assert "has not started its PIX declaration" in english.body
    assert "/en/reach/claim/" in english.body
    again = runner.invoke(args=["declarations", "remind", "--days-before", str(days)])
    assert "0 reminded, 2 already reminded" in again.output
    assert len(outbox()) == 3
    assert len(db.session.scalars(select(Reminder)).all()) == 2
