"""Files added to or removed from a published item go through review with its working copy."""

import pytest

from app.audit import AuditEntry
from app.content.models import Attachment, AttachmentState, ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make
from tests.content.test_attachments import PDF, upload

PAGE = "/fr/content/deployer/fiche"


@pytest.fixture
def page(site, cvrh_user):
    """A page written by a CVRH, published."""
    return make(
        cvrh_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Fiche",
        ContentState.PUBLISHED,
        slug="fiche",
    )


def file_url(item, attachment) -> str:
    return f"/fr/content/item/{item.id}/files/{attachment.id}/{attachment.file_name}"


def only_attachment(name: str) -> Attachment:
    return db.session.scalars(db.select(Attachment).where(Attachment.file_name == name)).one()


def seen_by(client, login, user, item, attachment) -> tuple[int, bool]:
    """Return the download status and whether the page lists the file, for a user (or None)."""
    client.post("/fr/logout")
    if user is not None:
        login(user)
    listed = file_url(item, attachment) in client.get(PAGE).get_data(as_text=True)
    with client.get(file_url(item, attachment)) as response:
        status = response.status_code
    client.post("/fr/logout")
    return status, listed


def post(client, item, transition, comment=""):
    version = db.session.get(type(item), item.id).version
    return client.post(
        f"/fr/content/item/{item.id}/{transition}", data={"comment": comment, "version": version}
    )


def test_a_file_attached_to_a_published_page_waits_for_review(
    client, login, page, cvrh_user, project_team_user, directorate_user, attachments_dir
):
    login(cvrh_user)
    response = upload(client, page, PDF, "calendrier.pdf")
    assert response.status_code == 302
    attachment = only_attachment("calendrier.pdf")
    assert attachment.state is AttachmentState.ADDED
    db.session.refresh(page)
    assert page.working_state is ContentState.PRIVATE  # the change is in a working copy
    # Not online: neither listed nor downloadable by readers; the author and reviewers see it.
    assert seen_by(client, login, None, page, attachment) == (404, False)
    assert seen_by(client, login, directorate_user, page, attachment) == (404, False)
    assert seen_by(client, login, cvrh_user, page, attachment) == (200, True)
    assert seen_by(client, login, project_team_user, page, attachment) == (200, True)

    # Submitted, then sent back: the file stays with the private working copy.
    login(cvrh_user)
    assert post(client, page, "submit").status_code == 302
    client.post("/fr/logout")
    login(project_team_user)
    assert post(client, page, "reject", "Le calendrier est faux.").status_code == 302
    db.session.refresh(page)
    db.session.refresh(attachment)
    assert page.working_state is ContentState.PRIVATE
    assert attachment.state is AttachmentState.ADDED
    assert seen_by(client, login, None, page, attachment) == (404, False)
    assert seen_by(client, login, cvrh_user, page, attachment) == (200, True)

    # Submitted again and published: now online, the same bytes.
    login(cvrh_user)
    post(client, page, "submit")
    client.post("/fr/logout")
    login(project_team_user)
    assert post(client, page, "publish").status_code == 302
    db.session.refresh(attachment)
    assert attachment.state is AttachmentState.CURRENT
    assert seen_by(client, login, None, page, attachment) == (200, True)
    with client.get(file_url(page, attachment)) as response:
        assert response.data == PDF
    assert (attachments_dir / attachment.storage_key).read_bytes() == PDF
    db.session.refresh(page)
    assert [r.action for r in page.revisions] == ["created", "attachment_added", "published"]
    assert page.revisions[1].comment == "calendrier.pdf"
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "content_attachment_added" in actions


def test_replacing_a_file_keeps_the_old_one_online_until_published(
    client, login, site, project_team_user, cvrh_user, attachments_dir
):
    item = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", slug="fiche")
    login(cvrh_user)
    upload(client, item, PDF, "v1.pdf")  # a draft: the file follows the item
    old = only_attachment("v1.pdf")
    assert old.state is AttachmentState.CURRENT
    client.post("/fr/logout")
    login(project_team_user)
    post(client, item, "publish")
    assert seen_by(client, login, None, item, old) == (200, True)

    # The author replaces v1 by v2: remove, then attach.
    login(cvrh_user)
    assert client.post(f"/fr/content/item/{item.id}/files/{old.id}/remove").status_code == 302
    upload(client, item, PDF + b"%v2\n", "v2.pdf")
    new = only_attachment("v2.pdf")
    db.session.refresh(old)
    assert (old.state, new.state) == (AttachmentState.WITHDRAWN, AttachmentState.ADDED)
    html = client.get(PAGE).get_data(as_text=True)
    assert f'data-attachment="{old.id}" data-attachment-state="withdrawn"' in html
    assert f'data-attachment="{new.id}" data-attachment-state="added"' in html
    assert seen_by(client, login, None, item, old) == (200, True)
    assert seen_by(client, login, None, item, new) == (404, False)

    login(project_team_user)
    post(client, item, "publish")
    db.session.refresh(old)
    assert old.state is AttachmentState.REMOVED and old.removed_at is not None
    assert seen_by(client, login, None, item, old) == (404, False)
    assert seen_by(client, login, None, item, new) == (200, True)
    assert seen_by(client, login, project_team_user, item, old) == (404, False)
    # Nothing is lost: the old file is still stored, and the history says who removed it.
    assert (attachments_dir / old.storage_key).read_bytes() == PDF
    db.session.refresh(item)
    removal = next(r for r in item.revisions if r.action == "attachment_removed")
    assert (removal.comment, removal.author_id) == ("v1.pdf", cvrh_user.id)
    login(project_team_user)
    history = client.get(f"/en/content/item/{item.id}/history").get_data(as_text=True)
    assert "File removed" in history and "v1.pdf" in history


def test_dropping_the_working_copy_drops_its_file_changes(client, login, page, cvrh_user):
    login(cvrh_user)
    upload(client, page, PDF, "en-ligne.pdf")
    client.post("/fr/logout")
    online = only_attachment("en-ligne.pdf")
    online.state = AttachmentState.CURRENT  # as if published earlier
    page.working_copy = page.working_state = None
    db.session.commit()
    login(cvrh_user)
    client.post(f"/fr/content/item/{page.id}/files/{online.id}/remove")
    upload(client, page, PDF, "nouveau.pdf")
    added = only_attachment("nouveau.pdf")
    db.session.refresh(page)
    assert (
        client.post(
            f"/fr/content/item/{page.id}/discard", data={"version": page.version}
        ).status_code
        == 302
    )
    db.session.refresh(online)
    db.session.refresh(added)
    assert online.state is AttachmentState.CURRENT
    assert added.state is AttachmentState.REMOVED
    assert seen_by(client, login, None, page, online) == (200, True)
    assert seen_by(client, login, cvrh_user, page, added) == (404, False)


def test_retracting_folds_the_copy_files_into_the_draft(client, login, page, project_team_user):
    login(project_team_user)
    upload(client, page, PDF, "annexe.pdf")
    attachment = only_attachment("annexe.pdf")
    post(client, page, "retract")
    db.session.refresh(page)
    db.session.refresh(attachment)
    assert page.state is ContentState.PRIVATE and page.working_copy is None
    assert attachment.state is AttachmentState.CURRENT  # follows the (private) item now
    assert seen_by(client, login, None, page, attachment) == (404, False)
    login(project_team_user)
    post(client, page, "publish")
    assert seen_by(client, login, None, page, attachment) == (200, True)


def test_removing_from_a_draft_is_at_once_and_only_for_editors(
    client, login, personas, site, cvrh_user
):
    item = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", slug="fiche")
    login(cvrh_user)
    upload(client, item, PDF, "brouillon.pdf")
    attachment = only_attachment("brouillon.pdf")
    client.post("/fr/logout")
    remove = f"/fr/content/item/{item.id}/files/{attachment.id}/remove"
    for persona, expected in [("other_cvrh", 404), ("directorate", 404)]:
        login(personas[persona])
        assert client.post(remove).status_code == expected
        client.post("/fr/logout")
    assert client.post(remove).status_code == 302  # to the login page
    db.session.refresh(attachment)
    assert attachment.state is AttachmentState.CURRENT
    login(cvrh_user)
    assert client.post(remove).status_code == 302
    db.session.refresh(attachment)
    assert attachment.state is AttachmentState.REMOVED
    assert client.post(remove).status_code == 404  # already removed
