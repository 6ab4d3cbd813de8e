"""Two claims of one link, or two openings of one call, at the same instant."""

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db
from app.reach.models import ContactInvitation
from tests.conftest import log_in, make_user, outbox


def _send(client, path, data=None):
    def send():
        response = client.post(path, data=data or {})
        return response.status_code, response.get_data(as_text=True)

    return send


def test_a_link_claimed_twice_at_once_makes_one_account(app, opened, concurrently):
    password = "a long enough new password"
    path = opened["pdl_hr"]
    forms = [
        {"full_name": name, "password": password, "confirm": password}
        for name in ("Léa Fontaine", "Hugo Lambert")
    ]
    results = concurrently(*(_send(app.test_client(), path, form) for form in forms))
    statuses = [status for status, _ in results]
    statuses.remove(302)
    # The other is told the address has its account now, or the link was used.
    assert statuses[0] in (200, 400)
    [account] = db.session.scalars(select(User)).all()
    assert account.directorate.code == "DREAL-PDL"
    claimers = select(ContactInvitation.claimed_by_id).where(
        ContactInvitation.claimed_by_id.is_not(None)
    )
    assert list(db.session.scalars(claimers)) == [account.id]


def test_two_openings_at_once_e_mail_each_contact_once(app, contacts, concurrently):
    first, second = app.test_client(), app.test_client()
    log_in(first, make_user("bruno.petit@example.org", Role.PROJECT_TEAM))
    log_in(second, make_user("alice.martin@example.org", Role.ADMIN))
    url = "/en/console/PIX-2023/reach/open"
    results = concurrently(_send(first, url), _send(second, url))
    assert [status for status, _ in results] == [302, 302]
    assert sorted(m.recipients for m in outbox()) == [
        "direction.pdl@example.org",
        "hr.ara@example.org",
        "rh.pdl@example.org",
    ]
    assert db.session.scalar(select(func.count()).select_from(ContactInvitation)) == 3
