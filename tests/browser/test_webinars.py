"""The webinar journey in a real browser: the project team invites, people register through
their link, one cancels, the person waiting gets the seat, attendance is ticked, and the
directorate sees who still needs training."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.directorates.models import Call
from app.events.models import EventSession
from app.extensions import db
from tests.conftest import outbox
from tests.events.conftest import add_session, declare, make_event

pytestmark = pytest.mark.browser

ANNE = ("Anne", "Martin", "anne.martin@example.org")
ERIC = ("Éric", "Lefèvre", "eric.lefevre@example.org")


def _link(live_server, email):
    """Return the personal link of the latest invitation to an address, on the live server."""
    db.session.rollback()  # read what the server's requests committed
    body = next(m.body for m in reversed(outbox()) if m.recipients == email)
    path = body.split("http://portal.test", 1)[1].split()[0]
    return live_server + path


def test_invite_register_cancel_promote_attend(
    live_server, page, log_in_as, project_team_user, directorate_user
):
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    declare(call, "DREAL-PDL", ambassadors=[ANNE, ERIC])
    event = make_event()
    session = add_session(event, days=10, capacity=1)
    session_id = session.id

    # The project team invites the people the declarations name.
    log_in_as(project_team_user)
    page.goto(f"{live_server}/en/events/{event.id}/")
    page.get_by_label("Call for declarations").select_option("PIX-2023")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_text("2 people invited – 0 already invited.")).to_be_visible()
    expect(page.locator(f'[data-invitation="{ANNE[2]}"]')).to_contain_text("Not registered")
    page.get_by_role("button", name="Log out").click()

    # Anne takes the only seat through her link (no account); Éric joins the waiting list.
    page.goto(_link(live_server, ANNE[2]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinaire des ambassadeurs")
    page.get_by_test_id(f"register-{session_id}").click()
    expect(page.get_by_text("Vous êtes inscrit(e).")).to_be_visible()
    expect(page.locator("#my-registration [data-status]")).to_have_attribute(
        "data-status", "confirmed"
    )
    page.goto(_link(live_server, ERIC[2]))
    expect(
        page.get_by_text("Complet : vous inscrire vous place sur la liste d’attente.")
    ).to_be_visible()
    page.get_by_test_id(f"register-{session_id}").click()
    expect(page.locator("#my-registration [data-status]")).to_have_attribute(
        "data-status", "waiting"
    )

    # Anne cancels: Éric, first in line, gets the seat and an e-mail.
    page.goto(_link(live_server, ANNE[2]))
    page.get_by_test_id("cancel").click()
    expect(page.get_by_text("Votre inscription est annulée.")).to_be_visible()
    expect(page.get_by_text("Vous n’êtes pas encore inscrit(e)")).to_be_visible()
    page.goto(_link(live_server, ERIC[2]))
    expect(page.locator("#my-registration [data-status]")).to_have_attribute(
        "data-status", "confirmed"
    )
    db.session.rollback()
    assert any("Une place s’est libérée" in m.body for m in outbox() if m.recipients == ERIC[2])

    # The session takes place; the project team ticks who attended.
    db.session.rollback()
    held = db.session.get(EventSession, session_id)
    held.starts_at -= timedelta(days=11)
    held.ends_at -= timedelta(days=11)
    db.session.commit()
    log_in_as(project_team_user)
    page.goto(f"{live_server}/en/events/sessions/{session_id}/")
    page.locator("label", has_text="Éric Lefèvre (eric.lefevre@example.org)").click()
    expect(page.get_by_label("Éric Lefèvre (eric.lefevre@example.org)")).to_be_checked()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("Attendance saved: 1 person present.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The directorate sees that Anne still needs training, Éric is trained.
    log_in_as(directorate_user)
    page.get_by_role("link", name="See who still needs training").click()
    expect(page.locator(f'[data-person="{ERIC[2]}"]')).to_contain_text("Trained")
    expect(page.locator(f'[data-person="{ANNE[2]}"]')).to_contain_text("Invited, not registered")
    expect(page.get_by_test_id("to-train")).to_contain_text("1 line still needs training")
    assert page.console_errors == []
