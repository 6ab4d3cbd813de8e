"""The publication workflow by role, working copies of published items, the review queue."""

import pytest

from app.audit import AuditEntry
from app.content.models import ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make


def post(client, item, transition, comment=""):
    return client.post(f"/fr/content/item/{item.id}/{transition}", data={"comment": comment})


@pytest.mark.parametrize(
    ("persona", "state", "transition", "expected", "after"),
    [
        # The author (a CVRH) submits and withdraws; only reviewers publish, reject, retract.
        ("author", "private", "submit", 302, "pending"),
        ("author", "pending", "retract", 302, "private"),
        ("author", "private", "publish", 403, "private"),
        ("author", "pending", "publish", 403, "pending"),
        ("author", "pending", "reject", 403, "pending"),
        ("author", "published", "retract", 403, "published"),
        ("project_team", "private", "submit", 302, "pending"),
        ("project_team", "pending", "publish", 302, "published"),
        ("project_team", "private", "publish", 302, "published"),
        ("project_team", "published", "retract", 302, "private"),
        ("admin", "pending", "publish", 302, "published"),
        ("project_team", "published", "submit", 403, "published"),
        ("project_team", "private", "reject", 403, "private"),
        # Strangers cannot even see a draft; readers of a published item may not touch it.
        ("other_cvrh", "private", "submit", 404, "private"),
        ("directorate", "pending", "publish", 404, "pending"),
        ("directorate", "published", "retract", 403, "published"),
        ("cvrh", "published", "retract", 403, "published"),
        ("anonymous", "pending", "publish", 302, "pending"),
    ],
)
def test_transitions_by_role(
    client, login, personas, site, cvrh_user, persona, state, transition, expected, after
):
    author = cvrh_user
    item = make(
        author, ContentKind.PAGE, "fr", site.section, "Fiche", ContentState(state), slug="fiche"
    )
    user = author if persona == "author" else personas[persona]
    if user:
        login(user)
    response = post(client, item, transition)
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/login" in response.headers["Location"]
    db.session.refresh(item)
    assert item.state.value == after


def test_reject_needs_a_comment_that_the_author_sees(
    client, login, site, project_team_user, cvrh_user
):
    item = make(
        cvrh_user, ContentKind.PAGE, "fr", site.section, "Fiche", ContentState.PENDING, slug="fiche"
    )
    login(project_team_user)
    post(client, item, "reject")
    db.session.refresh(item)
    assert item.state is ContentState.PENDING
    post(client, item, "reject", "Ajoutez le calendrier.")
    db.session.refresh(item)
    assert item.state is ContentState.PRIVATE
    client.post("/fr/logout")
    login(cvrh_user)
    html = client.get("/fr/content/deployer/fiche").get_data(as_text=True)
    assert "Ajoutez le calendrier." in html
    actions = db.session.scalars(db.select(AuditEntry.action)).all()
    assert "content_reject" in actions


def test_editing_a_published_item_uses_a_working_copy(client, login, site, project_team_user):
    note = site.published
    login(project_team_user)
    response = client.post(
        f"/fr/content/item/{note.id}/edit",
        data={
            "title": "Note de cadrage",
            "slug": "note",
            "body": "La note **révisée**.",
            "comment": "Mise à jour",
            "save": "1",
        },
    )
    assert response.status_code == 302
    db.session.refresh(note)
    assert note.working_state is ContentState.PRIVATE
    assert note.body == "La note **publiée**."
    client.post("/fr/logout")
    assert "publiée" in client.get("/fr/content/deployer/note").get_data(as_text=True)

    login(project_team_user)
    post(client, note, "submit")
    db.session.refresh(note)
    assert note.working_state is ContentState.PENDING
    assert note.state is ContentState.PUBLISHED
    queue = client.get("/fr/content/review").get_data(as_text=True)
    assert f'data-item="{note.id}"' in queue
    post(client, note, "publish")
    db.session.refresh(note)
    assert note.working_copy is None and note.working_state is None
    assert note.body == "La note **révisée**."
    client.post("/fr/logout")
    html = client.get("/fr/content/deployer/note").get_data(as_text=True)
    assert "<strong>révisée</strong>" in html
    assert [r.action for r in note.revisions] == ["created", "working_copy", "published"]


def test_retracting_a_published_item_keeps_its_pending_edits(
    client, login, site, project_team_user
):
    note = site.published
    login(project_team_user)
    client.post(
        f"/fr/content/item/{note.id}/edit",
        data={"title": "Note retravaillée", "slug": "note", "body": "Nouveau", "save": "1"},
    )
    post(client, note, "retract")
    db.session.refresh(note)
    assert note.state is ContentState.PRIVATE
    assert note.title == "Note retravaillée"
    assert note.working_copy is None
    assert client.get("/fr/logout") is not None


def test_review_queue_is_for_reviewers(client, login, personas, site):
    login(personas["cvrh"])
    assert client.get("/fr/content/review").status_code == 403
    client.post("/fr/logout")
    login(personas["project_team"])
    html = client.get("/fr/content/review").get_data(as_text=True)
    assert f'data-item="{site.pending.id}"' in html
    assert f'data-item="{site.private.id}"' not in html


def test_manage_page_counts_what_waits_for_review(client, login, site):
    from app.auth.models import Role
    from tests.conftest import make_user

    reviewer = make_user("relecteur@example.org", Role.PROJECT_TEAM)
    login(reviewer)
    assert 'data-pending="1"' in client.get("/fr/content/manage").get_data(as_text=True)
