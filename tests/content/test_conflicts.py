"""Two people acting on the same item at once: a clear conflict, never a 500 or a double.

Two kinds of race: a form opened on an older version (the hidden `version` field, compared in
the service), and two requests that passed that check at the same time (the item's version
column, checked by the database at the commit). The second kind is reproduced with two real
sessions: the other person's change runs, through the same services, in another thread with
its own application context and database session, between our read and our write.
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


def meanwhile(app, change) -> None:
    """Run `change(get)` in another thread, with its own app context and database session."""
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


# ---------------------------------------------------------------- two sessions at the same instant


def test_two_saves_at_once_the_later_commit_is_a_conflict(app, site, project_team_user):
    item = site.private
    user_id = project_team_user.id
    stale_version = item.version  # both requests read this version and pass the form check

    def other_save(get):
        services.save(get(User, user_id), get(ContentItem, item.id), {"title": "Autre"})

    meanwhile(app, other_save)
    with pytest.raises(services.Conflict) as caught:
        services.save(project_team_user, item, {"title": "Moi"}, version=stale_version)
    assert caught.value.item.title == "Autre"
    assert [r.action for r in caught.value.item.revisions] == ["created", "saved"]


@pytest.mark.parametrize("first", ["save", "publish"])
def test_save_and_publish_at_once(app, site, project_team_user, admin_user, first):
    item = site.private
    stale_version = item.version
    ids = project_team_user.id, admin_user.id, item.id

    def other(get):
        user, item_ = get(User, ids[1]), get(ContentItem, ids[2])
        if first == "save":
            services.save(user, item_, {"title": "Autre"})
        else:
            services.transition(user, item_, Transition.PUBLISH)

    meanwhile(app, other)
    with pytest.raises(services.Conflict):
        if first == "save":
            services.transition(project_team_user, item, Transition.PUBLISH, "", stale_version)
        else:
            services.save(project_team_user, item, {"title": "Moi"}, version=stale_version)
    db.session.refresh(item)
    if first == "save":
        assert (item.state, item.title) == (ContentState.PRIVATE, "Autre")
    else:
        assert (item.state, item.title) == (ContentState.PUBLISHED, "Brouillon secret")
    assert events(item, "content_publish") == (0 if first == "save" else 1)


def test_publish_and_reject_at_once(app, site, project_team_user, admin_user):
    item = site.pending
    stale_version = item.version
    ids = admin_user.id, item.id

    def other_publish(get):
        services.transition(get(User, ids[0]), get(ContentItem, ids[1]), Transition.PUBLISH)

    meanwhile(app, other_publish)
    with pytest.raises(services.Conflict):
        services.transition(
            project_team_user, item, Transition.REJECT, "Non.", version=stale_version
        )
    db.session.refresh(item)
    assert item.state is ContentState.PUBLISHED
    assert (events(item, "content_publish"), events(item, "content_reject")) == (1, 0)


def test_double_publish_at_once(app, site, project_team_user, admin_user):
    note = site.published
    services.save(project_team_user, note, {"body": "Révisée"})
    services.transition(project_team_user, note, Transition.SUBMIT)
    stale_version = note.version
    ids = admin_user.id, note.id

    def other_publish(get):
        services.transition(get(User, ids[0]), get(ContentItem, ids[1]), Transition.PUBLISH)

    meanwhile(app, other_publish)
    with pytest.raises(services.Conflict):
        services.transition(project_team_user, note, Transition.PUBLISH, "", stale_version)
    db.session.refresh(note)
    assert note.body == "Révisée" and note.working_copy is None
    assert count(Revision, Revision.item_id == note.id, Revision.action == "published") == 1
    assert events(note, "content_publish") == 1


def test_a_conflict_at_the_commit_answers_409_not_500(
    app, client, login, monkeypatch, site, project_team_user, admin_user
):
    """The request reads the item, then someone else commits before it writes."""
    item = site.pending
    login(project_team_user)
    version = item.version
    ids = admin_user.id, item.id
    original = services._expect

    def expect_then_race(item_, version_):
        original(item_, version_)
        monkeypatch.setattr(services, "_expect", original)  # the other person's runs plainly
        meanwhile(
            app,
            lambda get: services.transition(
                get(User, ids[0]), get(ContentItem, ids[1]), Transition.PUBLISH
            ),
        )

    monkeypatch.setattr(services, "_expect", expect_then_race)
    response = client.post(
        f"/fr/content/item/{item.id}/reject", data={"version": version, "comment": "Non."}
    )
    assert response.status_code == 409
    db.session.refresh(item)
    assert item.state is ContentState.PUBLISHED
    assert events(item, "content_reject") == 0


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
