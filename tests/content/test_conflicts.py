"""Two people acting on the same item at once: a clear conflict, never a 500 or a double.

Three kinds of race: a form opened on an older version (the hidden `version` field, compared in
the service); two requests at the same instant, each in its own thread and session; and a
write made after someone else committed since our read (the item's version column, checked by
the database).
"""

import threading

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import User
from app.content import services
from app.content.models import ContentItem, ContentKind, ContentState, Revision
from app.content.workflow import Transition
from app.extensions import db
from tests.conftest import log_in
from tests.content.conftest import make


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def events(item: ContentItem, action: str) -> int:
    return count(AuditEntry, AuditEntry.action == action, AuditEntry.object_id == str(item.id))


def edit_data(item, title, version, body="Texte"):
    return {"title": title, "slug": item.slug, "body": body, "save": "1", "version": version}


@pytest.fixture
def other_client(app):
    """A second browser, for the second person."""
    return app.test_client()


# ---------------------------------------------------------------- forms opened on an old version


def test_two_edits_the_second_gets_a_409_with_its_input_kept(
    client, other_client, login, site, project_team_user, admin_user
):
    item = site.private
    login(project_team_user)
    log_in(other_client, admin_user)
    version = item.version
    first = client.post(f"/fr/content/item/{item.id}/edit", data=edit_data(item, "A", version))
    assert first.status_code == 302
    second = other_client.post(
        f"/fr/content/item/{item.id}/edit", data=edit_data(item, "Titre de B", version, "Texte B")
    )
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert 'id="conflict"' in html
    assert 'value="Titre de B"' in html and "Texte B</textarea>" in html
    db.session.refresh(item)
    assert item.title == "A"
    assert [r.action for r in item.revisions] == ["created", "saved"]
    # The form now carries the latest version: saving again knowingly replaces A's.
    assert f'name="version" type="hidden" value="{item.version}"' in html
    again = other_client.post(
        f"/fr/content/item/{item.id}/edit", data=edit_data(item, "Titre de B", item.version)
    )
    assert again.status_code == 302
    db.session.refresh(item)
    assert item.title == "Titre de B"


@pytest.mark.parametrize("first", ["edit", "publish"])
def test_edit_and_publish_of_the_same_version(
    client, other_client, login, site, cvrh_user, project_team_user, first
):
    item = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", slug="fiche")
    login(cvrh_user)
    log_in(other_client, project_team_user)
    version = item.version
    edit = f"/fr/content/item/{item.id}/edit"
    publish = f"/fr/content/item/{item.id}/publish"
    if first == "edit":
        assert client.post(edit, data=edit_data(item, "Modifiée", version)).status_code == 302
        # The reviewer read the earlier version: publishing it now would publish unseen text.
        response = other_client.post(publish, data={"version": version})
        assert response.status_code == 409
        assert 'id="workflow"' in response.get_data(as_text=True)
        db.session.refresh(item)
        assert item.state is ContentState.PRIVATE and item.title == "Modifiée"
    else:
        assert other_client.post(publish, data={"version": version}).status_code == 302
        response = client.post(edit, data=edit_data(item, "Modifiée", version))
        assert response.status_code == 409
        assert 'value="Modifiée"' in response.get_data(as_text=True)
        db.session.refresh(item)
        assert item.state is ContentState.PUBLISHED and item.title == "Fiche"
    assert events(item, "content_publish") == (0 if first == "edit" else 1)


def test_publish_and_reject_of_the_same_pending_item(
    client, other_client, login, site, project_team_user, admin_user
):
    item = site.pending
    login(project_team_user)
    log_in(other_client, admin_user)
    version = item.version
    url = f"/fr/content/item/{item.id}"
    assert client.post(f"{url}/publish", data={"version": version}).status_code == 302
    response = other_client.post(
        f"{url}/reject", data={"version": version, "comment": "Revoir le titre."}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Revoir le titre.</textarea>" not in html  # published now: nothing left to reject
    db.session.refresh(item)
    assert item.state is ContentState.PUBLISHED and item.review_comment == ""
    assert (events(item, "content_publish"), events(item, "content_reject")) == (1, 0)


def test_reject_kept_comment_when_the_item_changed_but_can_still_be_rejected(
    client, other_client, login, site, project_team_user, admin_user, cvrh_user
):
    item = make(
        cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", ContentState.PENDING, slug="fiche"
    )
    login(project_team_user)
    log_in(other_client, admin_user)
    version = item.version
    item.body = "Changé entre-temps"  # e.g. a reviewer's edit while pending
    db.session.commit()
    response = other_client.post(
        f"/fr/content/item/{item.id}/reject", data={"version": version, "comment": "Revoir."}
    )
    assert response.status_code == 409
    assert "Revoir.</textarea>" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.state is ContentState.PENDING


def test_double_publish_makes_one_revision_and_one_event(client, login, site, project_team_user):
    note = site.published
    login(project_team_user)
    client.post(
        f"/fr/content/item/{note.id}/edit", data=edit_data(note, "Note", note.version, "Révisée")
    )
    db.session.refresh(note)
    version = note.version
    url = f"/fr/content/item/{note.id}/publish"
    assert client.post(url, data={"version": version}).status_code == 302
    second = client.post(url, data={"version": version})  # a double click
    assert second.status_code == 409
    db.session.refresh(note)
    assert [r.action for r in note.revisions] == ["created", "working_copy", "published"]
    assert events(note, "content_publish") == 1


def test_discard_on_an_old_version_is_a_conflict(client, login, site, project_team_user):
    note = site.published
    login(project_team_user)
    client.post(
        f"/fr/content/item/{note.id}/edit", data=edit_data(note, "Note", note.version, "Révisée")
    )
    db.session.refresh(note)
    version = note.version
    client.post(f"/fr/content/item/{note.id}/submit", data={"version": version})
    response = client.post(f"/fr/content/item/{note.id}/discard", data={"version": version})
    assert response.status_code == 409
    db.session.refresh(note)
    assert note.working_state is ContentState.PENDING


# ---------------------------------------------------------------- two requests at the same instant
# Each runs in its own thread and session (the `concurrently` fixture): on PostgreSQL both read
# the item before either writes, and the later commit fails on the version column; on SQLite a
# writing request holds the write lock from its first statement, so the second one reads the
# first one's version and its form's version no longer matches. Either way: one 302, one 409.


def _post(client, url, data):
    def send():
        response = client.post(url, data=data)
        return response.status_code, response.get_data(as_text=True)

    return send


def test_two_edits_at_once(
    concurrently, client, other_client, login, site, project_team_user, admin_user
):
    item_id, version = site.private.id, site.private.version
    login(project_team_user)
    log_in(other_client, admin_user)
    url = f"/fr/content/item/{item_id}/edit"
    results = concurrently(
        _post(client, url, edit_data(site.private, "Titre A", version)),
        _post(other_client, url, edit_data(site.private, "Titre B", version)),
    )
    assert sorted(status for status, _ in results) == [302, 409]
    item = db.session.get(ContentItem, item_id)
    loser = next(page for status, page in results if status == 409)
    assert 'id="conflict"' in loser
    assert f'value="{"Titre B" if item.title == "Titre A" else "Titre A"}"' in loser
    assert [r.action for r in item.revisions] == ["created", "saved"]


def test_edit_and_publish_at_once(
    concurrently, client, other_client, login, site, cvrh_user, project_team_user
):
    item = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", slug="fiche")
    item_id, version = item.id, item.version
    login(cvrh_user)
    log_in(other_client, project_team_user)
    results = concurrently(
        _post(client, f"/fr/content/item/{item_id}/edit", edit_data(item, "Modifiée", version)),
        _post(other_client, f"/fr/content/item/{item_id}/publish", {"version": version}),
    )
    statuses = [status for status, _ in results]
    assert sorted(statuses) == [302, 409]
    item = db.session.get(ContentItem, item_id)
    if statuses[0] == 302:  # the edit won: the reviewer did not publish a text they never saw
        assert (item.state, item.title) == (ContentState.PRIVATE, "Modifiée")
    else:
        assert (item.state, item.title) == (ContentState.PUBLISHED, "Fiche")
    assert events(item, "content_publish") == (0 if statuses[0] == 302 else 1)


def test_publish_and_reject_at_once(
    concurrently, client, other_client, login, site, project_team_user, admin_user
):
    item_id, version = site.pending.id, site.pending.version
    login(project_team_user)
    log_in(other_client, admin_user)
    url = f"/fr/content/item/{item_id}"
    results = concurrently(
        _post(client, f"{url}/publish", {"version": version}),
        _post(other_client, f"{url}/reject", {"version": version, "comment": "Revoir."}),
    )
    statuses = [status for status, _ in results]
    assert sorted(statuses) == [302, 409]
    item = db.session.get(ContentItem, item_id)
    published = statuses[0] == 302
    assert item.state is (ContentState.PUBLISHED if published else ContentState.PRIVATE)
    assert (events(item, "content_publish"), events(item, "content_reject")) == (
        (1, 0) if published else (0, 1)
    )


def test_double_publish_at_once(concurrently, client, other_client, login, site, project_team_user):
    note = site.published
    login(project_team_user)
    client.post(
        f"/fr/content/item/{note.id}/edit", data=edit_data(note, "Note", note.version, "Révisée")
    )
    log_in(other_client, project_team_user)  # the same reviewer, in two tabs
    db.session.refresh(note)
    url, data = f"/fr/content/item/{note.id}/publish", {"version": note.version}
    results = concurrently(_post(client, url, data), _post(other_client, url, data))
    assert sorted(status for status, _ in results) == [302, 409]
    note = db.session.get(ContentItem, note.id)
    assert note.body == "Révisée" and note.working_copy is None
    assert [r.action for r in note.revisions] == ["created", "working_copy", "published"]
    assert events(note, "content_publish") == 1


# ---------------------------------------------------------------- the check at the commit
# A request read the item, then someone else committed a change before it wrote (how two
# requests interleave on PostgreSQL): the version column makes its write fail, and the service
# turns that into the same Conflict, on both databases. Our read is done and its transaction
# ended, keeping the item as read; the other change runs through the services in another thread.


def meanwhile(app, change) -> None:
    """Run `change(get)` in another thread, with its own app context and database session.

    The test's session first ends its transaction but keeps what it read, as read.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
    errors: list[BaseException] = []

    def run():
        try:
            with app.app_context():
                change(lambda model, id_: db.session.get(model, id_))
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def test_two_saves_the_later_commit_is_a_conflict(app, site, project_team_user, admin_user):
    item = site.private
    version = item.version
    ids = admin_user.id, item.id
    meanwhile(
        app,
        lambda get: services.save(get(User, ids[0]), get(ContentItem, ids[1]), {"title": "Autre"}),
    )
    with pytest.raises(services.Conflict) as caught:
        services.save(project_team_user, item, {"title": "Moi"}, version=version)
    assert caught.value.item.title == "Autre"
    assert [r.action for r in caught.value.item.revisions] == ["created", "saved"]


@pytest.mark.parametrize("first", ["save", "publish"])
def test_save_and_publish_the_later_commit_is_a_conflict(
    app, site, project_team_user, admin_user, first
):
    item = site.private
    version = item.version
    ids = admin_user.id, item.id

    def other(get):
        user, item_ = get(User, ids[0]), get(ContentItem, ids[1])
        if first == "save":
            services.save(user, item_, {"title": "Autre"})
        else:
            services.transition(user, item_, Transition.PUBLISH)

    meanwhile(app, other)
    with pytest.raises(services.Conflict):
        if first == "save":
            services.transition(project_team_user, item, Transition.PUBLISH, "", version)
        else:
            services.save(project_team_user, item, {"title": "Moi"}, version=version)
    db.session.refresh(item)
    if first == "save":
        assert (item.state, item.title) == (ContentState.PRIVATE, "Autre")
    else:
        assert (item.state, item.title) == (ContentState.PUBLISHED, "Brouillon secret")
    assert events(item, "content_publish") == (0 if first == "save" else 1)


def test_publish_and_reject_the_later_commit_is_a_conflict(
    app, site, project_team_user, admin_user
):
    item = site.pending
    version = item.version
    ids = admin_user.id, item.id
    meanwhile(
        app,
        lambda get: services.transition(
            get(User, ids[0]), get(ContentItem, ids[1]), Transition.PUBLISH
        ),
    )
    with pytest.raises(services.Conflict):
        services.transition(project_team_user, item, Transition.REJECT, "Non.", version=version)
    db.session.refresh(item)
    assert item.state is ContentState.PUBLISHED
    assert (events(item, "content_publish"), events(item, "content_reject")) == (1, 0)


def test_double_publish_the_later_commit_is_a_conflict(app, site, project_team_user, admin_user):
    note = site.published
    services.save(project_team_user, note, {"body": "Révisée"})
    services.transition(project_team_user, note, Transition.SUBMIT)
    version = note.version
    ids = admin_user.id, note.id
    meanwhile(
        app,
        lambda get: services.transition(
            get(User, ids[0]), get(ContentItem, ids[1]), Transition.PUBLISH
        ),
    )
    with pytest.raises(services.Conflict):
        services.transition(project_team_user, note, Transition.PUBLISH, "", version)
    db.session.refresh(note)
    assert note.body == "Révisée" and note.working_copy is None
    assert count(Revision, Revision.item_id == note.id, Revision.action == "published") == 1
    assert events(note, "content_publish") == 1


def test_two_translations_of_the_same_item_at_once(site, project_team_user, admin_user):
    fields = {"title": "Secret draft", "slug": "secret"}
    services.create(admin_user, ContentKind.PAGE, "en", site.section_en, fields, "", site.private)
    fields = {"title": "Draft", "slug": "draft"}
    with pytest.raises(services.ContentError) as caught:
        services.create(
            project_team_user, ContentKind.PAGE, "en", site.section_en, fields, "", site.private
        )
    assert caught.value.field == "title"
    assert count(ContentItem, ContentItem.group_id == site.private.group_id) == 2
