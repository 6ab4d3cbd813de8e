"""The new-item page reads the ids of its query string bounded: 404 when they cannot be ids."""

import pytest

from app.content.models import ContentItem
from app.extensions import db


@pytest.mark.parametrize("name", ["parent", "translation_of"])
@pytest.mark.parametrize("value", ["99999999999999999999", str(2**63), str(2**31), "0", "-1",
                                   "abc", "١", "²", "1.0", " 1"])  # fmt: skip
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_id_that_cannot_exist_is_not_found(client, login, site, project_team_user, name, value,
                                              method):  # fmt: skip
    login(project_team_user)
    before = db.session.scalar(db.select(db.func.count()).select_from(ContentItem))
    response = getattr(client, method)(
        "/fr/content/new/page",
        query_string={name: value},
        data={"title": "Essai", "body": "Texte.", "save": "1"},
    )
    assert response.status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(ContentItem)) == before


def test_an_empty_parent_is_no_parent(client, login, site, project_team_user):
    login(project_team_user)
    assert client.get("/fr/content/new/page?parent=").status_code == 200
    assert client.get(f"/fr/content/new/page?parent={site.section.id}").status_code == 200
