"""Two people acting on the same declaration at the same instant: one wins, one is told."""

import pytest
from sqlalchemy import func, select

from app.codir.models import CodirRequest
from app.declarations.models import Declaration, DeclarationEvent, DeclarationStatus
from app.extensions import db
from tests.conftest import PASSWORD, log_in, make_user, outbox
from tests.declarations.conftest import EDIT_URL, complete_form


@pytest.fixture
def two_editors(app, call, directorate_user):
    """Two logged-in clients of the same directorate."""
    make_user("colleague@example.org", directorate_user.role, directorate="DREAL-PDL")
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user)
    log_in(second, "colleague@example.org", PASSWORD)
    return first, second


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post(client, **form):
    def send():
        response = client.post(EDIT_URL.format(lang="en"), data=complete_form(**form))
        return response.status_code, response.get_data(as_text=True)

    return send


def test_two_first_saves_at_once_make_one_declaration(two_editors, concurrently):
    first, second = two_editors
    results = concurrently(_post(first, comments="First"), _post(second, comments="Second"))

    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 409]
    conflict_page = next(page for status, page in results if status == 409)
    assert "Someone else saved this declaration in the meantime" in conflict_page
    assert _count(Declaration) == 1
    assert _count(DeclarationEvent) == 1
    kept = "Second" if "Second" in conflict_page else "First"
    assert kept in conflict_page  # the loser's input is on screen


def test_two_saves_of_the_same_version_at_once(two_editors, concurrently):
    first, second = two_editors
    first.post(EDIT_URL.format(lang="en"), data=complete_form(comments="Start"))
    version = str(db.session.scalar(select(Declaration.version)))

    results = concurrently(
        _post(first, version=version, comments="Mine"),
        _post(second, version=version, comments="Theirs"),
    )

    assert sorted(status for status, _ in results) == [302, 409]
    winner = next(page for status, page in results if status == 302)
    assert winner == "" or "Redirecting" in winner
    declaration = db.session.scalar(select(Declaration))
    assert declaration.comments in ("Mine", "Theirs")
    assert _count(DeclarationEvent) == 2  # the first save and the winner's, nothing doubled


def test_a_double_submit_submits_once_with_one_e_mail_and_one_codir_request(
    two_editors, concurrently, directorate_user
):
    first, second = two_editors
    first.post(EDIT_URL.format(lang="en"), data=complete_form())
    version = str(db.session.scalar(select(Declaration.version)))
    mails_before = len(outbox())

    results = concurrently(
        _post(first, version=version, submit_declaration="y"),
        _post(second, version=version, submit_declaration="y"),
    )

    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    # SQLite runs the two one after the other (the second finds it submitted); PostgreSQL
    # runs them at once (the second's version check fails): a conflict either way.
    assert "can no longer be edited" in loser or "Someone else saved" in loser
    assert "anne-sophie.ndiaye@example.org" in loser  # the input is on screen, not lost
    declaration = db.session.scalar(select(Declaration))
    assert declaration.status is DeclarationStatus.SUBMITTED
    actions = db.session.scalars(select(DeclarationEvent.action).order_by(DeclarationEvent.id))
    assert list(actions).count("submit") == 1
    people = {directorate_user.email, "colleague@example.org"}
    to_the_directorate = [m for m in outbox()[mails_before:] if m.recipients in people]
    assert len(to_the_directorate) == 1  # one confirmation, to the one who submitted
    assert _count(CodirRequest) == 1


def test_a_submission_is_all_or_nothing(app, client, login, call, directorate_user, monkeypatch):
    """A failure after the submission's first writes leaves no trace: no half-submission."""
    from app.codir import services as codir

    login(directorate_user)

    def broken(*args, **kwargs):
        raise RuntimeError("the CODIR request could not be written")

    monkeypatch.setattr(codir, "open_from_declaration", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(EDIT_URL.format(lang="en"), data=complete_form(submit_declaration="y"))
    assert response.status_code == 500
    db.session.rollback()
    assert db.session.scalar(select(Declaration.status)) in (None, DeclarationStatus.DRAFT)
    assert outbox() == []
    assert _count(CodirRequest) == 0
