"""The reminder of the day before: people with a seat at tomorrow's sessions, once each."""

import re
from datetime import timedelta

from sqlalchemy import select

from app.declarations.models import Ambassador
from app.directorates.models import portal_today
from app.events import reminders
from app.extensions import db
from tests.conftest import outbox
from tests.events.conftest import add_session, declare, invitation_of, invite, personal_url

PEOPLE = [
    ("Anne", "Martin", "anne.martin@example.org"),
    ("Éric", "Lefèvre", "eric.lefevre@example.org"),
    ("Inès", "Moreau", "ines.moreau@example.org"),
    ("Hugo", "Lambert", "hugo.lambert@example.org"),
]


def test_each_seat_is_reminded_once_the_day_before(
    client, app, runner, login, project_team_user, event, call
):
    declare(call, "DREAL-PDL", ambassadors=PEOPLE)
    tomorrow = add_session(event, days=1, capacity=2)
    later = add_session(event, days=3)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    anne, eric, ines, hugo = (invitation_of(event, email) for _f, _l, email in PEOPLE)
    for invitation, session in (
        (anne, tomorrow),
        (hugo, tomorrow),
        (eric, tomorrow),
        (ines, later),
    ):
        person.post(personal_url(invitation) + "/register", data={"session": session.id})
    # Hugo leaves his directorate's declaration: no reminder for him.
    db.session.delete(db.session.scalar(select(Ambassador).where(Ambassador.email == PEOPLE[3][2])))
    db.session.commit()
    before = len(outbox())

    result = runner.invoke(args=["events", "remind"])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 1 (already sent: 0, no longer named: 1, " in result.output
    [reminder] = outbox()[before:]
    assert reminder.recipients == PEOPLE[0][2]  # Éric waits: no seat, no reminder
    assert reminder.subject.startswith("PIX\u00a0: demain")
    assert "a lieu demain" in reminder.body

    again = runner.invoke(args=["events", "remind"])
    assert "Reminders sent: 0" in again.output
    assert len(outbox()) == before + 1

    day_after = (portal_today() + timedelta(days=2)).isoformat()
    result = runner.invoke(args=["events", "remind", "--today", day_after])
    assert "Reminders sent: 1" in result.output
    assert outbox()[-1].recipients == PEOPLE[2][2]


def test_two_runs_at_the_same_instant_remind_once(
    app, client, login, project_team_user, event, call, concurrently
):
    declare(call, "DREAL-PDL", ambassadors=PEOPLE[:2])
    tomorrow = add_session(event, days=1, capacity=5)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    for _first, _last, email in PEOPLE[:2]:
        person.post(
            personal_url(invitation_of(event, email)) + "/register", data={"session": tomorrow.id}
        )
    before = len(outbox())

    def run():
        with app.app_context():
            return reminders.remind(portal_today())

    reports = concurrently(run, run)
    assert sum(report["sent"] for report in reports) == 2
    assert sum(report["already"] for report in reports) in (0, 2)  # SQLite: one after the other
    assert sorted(m.recipients for m in outbox()[before:]) == sorted(e for _f, _l, e in PEOPLE[:2])


def test_a_seat_given_up_while_the_run_goes_gets_no_reminder(
    app, client, runner, login, project_team_user, event, call, monkeypatch
):
    declare(call, "DREAL-PDL", ambassadors=PEOPLE[:2])
    tomorrow = add_session(event, days=1, capacity=5)
    login(project_team_user)
    invite(client, event)
    person = app.test_client()
    for _first, _last, email in PEOPLE[:2]:
        url = personal_url(invitation_of(event, email))
        assert person.post(url + "/register", data={"session": tomorrow.id}).status_code == 303
    anne_page = personal_url(invitation_of(event, PEOPLE[0][2]))
    listed = reminders._due

    def due_then_anne_cancels(today):
        found = listed(today)
        db.session.rollback()
        page = person.get(anne_page).get_data(as_text=True)
        registration = re.search(r'name="registration" value="(\d+)"', page).group(1)
        cancelled = person.post(anne_page + "/cancel", data={"registration": registration})
        assert cancelled.status_code == 303
        return found

    monkeypatch.setattr(reminders, "_due", due_then_anne_cancels)
    before = len(outbox())
    result = runner.invoke(args=["events", "remind"])
    assert (
        "Reminders sent: 1 (already sent: 0, no longer named: 0, seat given up meanwhile: 1)"
        in (result.output)
    )
    reminded = [m for m in outbox()[before:] if "a lieu demain" in m.body]
    assert [m.recipients for m in reminded] == [PEOPLE[1][2]]
