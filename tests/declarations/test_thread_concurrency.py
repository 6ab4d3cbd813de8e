"""Writing and reading the conversation at the same instant: no message lost, never an error."""

from sqlalchemy import select

from app.auth.models import Role
from app.declarations.thread_models import DeclarationMessage, DeclarationNote, ThreadRead
from app.extensions import db
from app.mail import OutboxMessage
from tests.conftest import log_in, make_user
from tests.declarations.thread_support import (
    PDF,
    count,
    form_key,
    messages,
    page_url,
    post_message,
    post_note,
)


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


def test_one_form_sent_twice_posts_one_message(app, call, directorate_user, project_team_user):
    directorate = _as(app, directorate_user)
    key = form_key(directorate)
    assert key != form_key(directorate)  # each page shows a form of its own
    mails = count(OutboxMessage)
    first = post_message(directorate, "Double clic", once=key)
    second = post_message(directorate, "Double clic", once=key)
    assert first.status_code == second.status_code == 302
    assert [m.body for m in messages()] == ["Double clic"]
    assert count(OutboxMessage) - mails == 1  # the project team is told once
    # Another form of the same page, the same text: a second message, wanted.
    assert post_message(directorate, "Double clic", once=form_key(directorate)).status_code == 302
    # A key that is not one of the portal's is ignored, never an error.
    assert post_message(directorate, "Clé étrange", once="<x>").status_code == 302
    assert post_message(directorate, "Clé étrange", once="<x>").status_code == 302
    assert [m.body for m in messages()].count("Clé étrange") == 2
    # The page shown again by the Back button keeps its key: another text is a new message,
    # made once however often it is sent; the same text with a file is a new message too.
    for _ in range(2):
        assert post_message(directorate, "Autre chose", once=key).status_code == 302
    with_file = post_message(directorate, "Autre chose", [(PDF, "oubli.pdf")], once=key)
    assert with_file.status_code == 302
    assert [m.body for m in messages()][-2:] == ["Autre chose", "Autre chose"]
    assert [len(m.files) for m in messages()][-2:] == [0, 1]


def test_one_form_sent_twice_at_the_same_instant_posts_one_message(
    app, call, directorate_user, concurrently
):
    first, second = _as(app, directorate_user), _as(app, directorate_user)
    key = form_key(first)

    def send(client):
        return lambda: post_message(client, "Au même instant", once=key).status_code

    assert concurrently(send(first), send(second)) == [302, 302]
    assert [m.body for m in messages()] == ["Au même instant"]


def test_one_note_form_sent_twice_saves_one_note(app, call, project_team_user, concurrently):
    first, second = _as(app, project_team_user), _as(app, project_team_user)
    key = form_key(first, "note")
    assert post_note(first, "Note", once=key).status_code == 302
    assert post_note(first, "Note", once=key).status_code == 302
    assert count(DeclarationNote) == 1
    assert post_note(first, "Autre note", once=key).status_code == 302  # the page come back
    assert count(DeclarationNote) == 2
    other = form_key(first, "note")

    def send(client):
        return lambda: post_note(client, "Note au même instant", once=other).status_code

    assert concurrently(send(first), send(second)) == [302, 302]
    assert count(DeclarationNote) == 3


def test_two_texts_under_one_key_at_the_same_instant_both_land(
    app, call, directorate_user, concurrently
):
    first, second = _as(app, directorate_user), _as(app, directorate_user)
    key = form_key(first)  # one page, shown again by the Back button in another tab

    def send(client, body):
        return lambda: post_message(client, body, once=key).status_code

    assert concurrently(send(first, "Premier texte"), send(second, "Second texte")) == [302, 302]
    assert sorted(m.body for m in messages()) == ["Premier texte", "Second texte"]
