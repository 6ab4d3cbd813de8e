"""Every save is a revision; the history compares any two and restores an old one."""

from app.content.models import ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make


def save(client, item, title, body, comment=""):
    return client.post(
        f"/fr/content/item/{item.id}/edit",
        data={"title": title, "slug": item.slug, "body": body, "comment": comment, "save": "1"},
    )


def test_history_diff_and_restore(client, login, site, project_team_user):
    login(project_team_user)
    item = site.private
    save(client, item, "Brouillon secret", "Ligne un\nLigne deux", "Premier jet")
    save(client, item, "Brouillon révisé", "Ligne un\nLigne trois", "Relu")
    db.session.refresh(item)
    assert [r.number for r in item.revisions] == [1, 2, 3]
    history = client.get(f"/fr/content/item/{item.id}/history").get_data(as_text=True)
    assert "Premier jet" in history and "Relu" in history
    diff = client.get(f"/fr/content/item/{item.id}/diff?a=2&b=3").get_data(as_text=True)
    assert "Ligne deux</del>" in diff
    assert "Ligne trois</ins>" in diff
    assert 'data-field="title"' in diff
    response = client.post(f"/fr/content/item/{item.id}/restore/2")
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "Brouillon secret"
    assert item.body == "Ligne un\nLigne deux"
    assert len(item.revisions) == 4
    assert "2" in item.revisions[-1].comment


def test_history_is_for_reviewers_and_the_author(client, login, personas, site, cvrh_user):
    item = make(
        cvrh_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Fiche",
        ContentState.PUBLISHED,
        slug="fiche",
    )
    for persona, expected in [("directorate", 403), ("other_cvrh", 403), ("project_team", 200)]:
        login(personas[persona])
        assert client.get(f"/fr/content/item/{item.id}/history").status_code == expected
        client.post("/fr/logout")
    login(cvrh_user)
    assert client.get(f"/fr/content/item/{item.id}/history").status_code == 200
    assert client.get(f"/fr/content/item/{site.private.id}/history").status_code == 404
    client.post("/fr/logout")
    assert client.get(f"/fr/content/item/{item.id}/history").status_code == 302


def test_unknown_revisions_are_404(client, login, site, project_team_user):
    login(project_team_user)
    assert client.get(f"/fr/content/item/{site.private.id}/diff?a=1&b=9").status_code == 404
    assert client.post(f"/fr/content/item/{site.private.id}/restore/9").status_code == 404
