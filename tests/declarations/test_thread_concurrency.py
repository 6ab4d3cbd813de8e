"""Writing and reading the conversation at the same instant: no message lost, never an error."""

from sqlalchemy import select

from app.auth.models import Role
from app.declarations.thread_models import DeclarationMessage, ThreadRead
from app.extensions import db
from tests.conftest import log_in, make_user
from tests.declarations.thread_support import messages, page_url, post_message


def _as(app, user):
    client = app.test_client()
    log_in(client, user)
    return client


def _post(client, body):
    def send():
        response = post_message(client, body)
        return response.status_code

    return send


def _read(client):
    def read():
        response = client.get(page_url())
        return response.status_code

    return read


def _marker(user) -> int | None:
    db.session.rollback()
    return db.session.scalar(
        select(ThreadRead.last_message_id).where(ThreadRead.user_id == user.id)
    )


def test_two_sides_posting_at_once_both_land(
    app, call, directorate_user, project_team_user, concurrently
):
    directorate, team = _as(app, directorate_user), _as(app, project_team_user)

    results = concurrently(
        _post(directorate, "Question au même instant"), _post(team, "Réponse au même instant")
    )

    assert results == [302, 302]
    assert {m.body for m in messages()} == {"Question au même instant", "Réponse au même instant"}


def test_two_tabs_of_one_user_posting_at_once_both_land(app, call, directorate_user, concurrently):
    first, second = _as(app, directorate_user), _as(app, directorate_user)

    results = concurrently(_post(first, "Onglet 1"), _post(second, "Onglet 2"))

    assert results == [302, 302]
    assert sorted(m.body for m in messages()) == ["Onglet 1", "Onglet 2"]
    # One marker, at the later message whichever committed last.
    last = max(m.id for m in messages())
    assert _marker(directorate_user) == last
    assert db.session.scalars(select(ThreadRead.user_id)).all() == [directorate_user.id]


def test_reading_while_a_colleague_posts_never_fails(
    app, call, directorate_user, project_team_user, concurrently
):
    team = _as(app, project_team_user)
    post_message(team, "Première réponse")
    reader = _as(app, directorate_user)
    writer = _as(app, make_user("lea.morel@example.org", Role.PROJECT_TEAM))

    results = concurrently(_read(reader), _post(writer, "Deuxième réponse"), _read(reader))

    assert results == [200, 302, 200]
    assert len(messages()) == 2
    # The reader read at least the first answer; the second one may have come after.
    first = min(m.id for m in messages())
    assert _marker(directorate_user) >= first


def test_posting_while_reading_the_same_conversation_keeps_the_later_marker(
    app, call, directorate_user, project_team_user, concurrently
):
    """The same user reads in one tab while posting in another: both write the marker."""
    team = _as(app, project_team_user)
    post_message(team, "Une réponse")
    reading, posting = _as(app, directorate_user), _as(app, directorate_user)

    results = concurrently(_read(reading), _post(posting, "Merci !"))

    assert results == [200, 302]
    mine = db.session.scalar(
        select(DeclarationMessage.id).where(DeclarationMessage.body == "Merci !")
    )
    assert _marker(directorate_user) == mine  # never moved back by the slower read
