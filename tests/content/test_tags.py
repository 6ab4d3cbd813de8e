"""Tagging content with PIX competences and learning paths, through the edit form.

Tags are written like the other fields: in the working copy of a published item, in every
revision, online once published; both language versions share them.
"""

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.content.models import ContentCompetence, ContentItem, ContentKind, ContentState, Revision
from app.directorates.models import LearningPath
from app.extensions import db
from tests.conftest import make_user
from tests.content.conftest import make


def path(code: str) -> LearningPath:
    return db.session.scalar(select(LearningPath).where(LearningPath.code == code))


def edit(client, item, lang="fr", **data):
    """Post the edit form of an item with its current title, address and text, and `data`."""
    form = {"title": item.title, "slug": item.slug, "body": item.body, "save": "1", **data}
    return client.post(f"/{lang}/content/item/{item.id}/edit", data=form)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def competence_page(client, code: str, lang: str = "fr") -> str:
    response = client.get(f"/{lang}/competences/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_new_page_is_tagged_and_shows_its_tags(client, login, site, project_team_user):
    login(project_team_user)
    security = path("EX-SECURITE")
    form = client.get(f"/fr/content/new/page?parent={site.section.id}").get_data(as_text=True)
    assert 'id="competences-2-1"' in form and 'value="2.1"' in form
    assert "2. Communication et collaboration" in form  # grouped by area
    assert f'id="learning_paths-{security.id}"' in form
    response = client.post(
        f"/fr/content/new/page?parent={site.section.id}",
        data={
            "title": "Fiche sécurité",
            "body": "Verrouillez votre session.",
            "competences": ["4.2", "2.1"],
            "learning_paths": [str(security.id)],
            "save": "1",
        },
    )
    assert response.status_code == 302
    item = db.session.scalar(select(ContentItem).where(ContentItem.slug == "fiche-securite"))
    assert item.competences == ["2.1", "4.2"]  # in reference order
    assert item.learning_paths == [security.id]
    assert item.revisions[0].data["competences"] == ["2.1", "4.2"]
    assert item.revisions[0].data["learning_paths"] == [security.id]
    page = client.get("/fr/content/deployer/fiche-securite").get_data(as_text=True)
    assert 'href="/fr/competences/2.1" data-competence="2.1">2.1 Interagir</a>' in page
    assert 'data-path="EX-SECURITE"' in page
    # The edit form shows them ticked.
    form = client.get(f"/fr/content/item/{item.id}/edit").get_data(as_text=True)
    assert 'value="2.1" checked' in form and 'value="1.1" checked' not in form
    assert f'value="{security.id}" checked' in form


def test_tags_of_a_published_item_wait_in_its_working_copy_until_published(
    client, login, site, project_team_user
):
    login(project_team_user)
    note, note_en = site.published, site.published_en
    collaboration = path("EX-COLLABORATION")
    response = edit(client, note, competences=["3.1"], learning_paths=[str(collaboration.id)])
    assert response.status_code == 302
    db.session.expire_all()
    assert note.competences == [] and note.learning_paths == []  # online: unchanged
    assert note.working_copy["competences"] == ["3.1"]
    assert note.working_copy["learning_paths"] == [collaboration.id]
    client.post("/fr/logout")
    assert "Note de cadrage" not in competence_page(client, "3.1")
    assert "Note de cadrage" not in competence_page(client, "2.2")  # covered by the path

    login(project_team_user)
    # The editor reopens the copy: the tags are there, ticked.
    form = client.get(f"/fr/content/item/{note.id}/edit").get_data(as_text=True)
    assert 'value="3.1" checked' in form
    assert client.post(f"/fr/content/item/{note.id}/publish").status_code == 302
    db.session.expire_all()
    assert note.competences == ["3.1"] and note.learning_paths == [collaboration.id]
    assert note.working_copy is None
    assert [r.action for r in note.revisions] == ["created", "working_copy", "published"]
    assert note.revisions[-1].data["competences"] == ["3.1"]
    client.post("/fr/logout")
    assert "Note de cadrage" in competence_page(client, "3.1")
    assert "Note de cadrage" in competence_page(client, "2.2")
    # The English version shares the tags: they wait in its own working copy.
    assert note_en.competences == []
    assert note_en.working_copy["competences"] == ["3.1"]
    assert "Campaign note" not in competence_page(client, "3.1", "en")
    login(project_team_user)
    client.post(f"/en/content/item/{note_en.id}/publish")
    client.post("/fr/logout")
    assert "Campaign note" in competence_page(client, "3.1", "en")


def test_the_revision_diff_shows_tags_added_and_removed(client, login, site, project_team_user):
    login(project_team_user)
    item = site.private
    security = path("EX-SECURITE")
    edit(client, item, competences=["2.1", "4.1"], learning_paths=[str(security.id)])
    edit(client, item, competences=["4.1", "5.2"], comment="Retouche")
    diff = client.get(f"/fr/content/item/{item.id}/diff?a=1&b=2").get_data(as_text=True)
    assert 'data-field="competences"' in diff and 'data-field="learning_paths"' in diff
    assert "</span>2.1 Interagir</ins>" in diff
    assert "</span>4.1 Sécuriser l&#39;environnement numérique</ins>" in diff
    assert "</span>Exemple – Sécurité numérique au quotidien</ins>" in diff
    diff = client.get(f"/fr/content/item/{item.id}/diff?a=2&b=3").get_data(as_text=True)
    assert "</span>2.1 Interagir</del>" in diff
    assert "</span>5.2 Construire un environnement numérique</ins>" in diff
    assert 'data-field="learning_paths"' in diff  # the path was unticked
    assert 'data-field="title"' not in diff
    english = client.get(f"/en/content/item/{item.id}/diff?a=1&b=2").get_data(as_text=True)
    assert '<h2 class="fr-h5">PIX competences</h2>' in english  # the field's label
    assert "</span>2.1 Interacting</ins>" in english
    # Restoring revision 2 brings its tags back, as a new revision.
    assert client.post(f"/fr/content/item/{item.id}/restore/2").status_code == 302
    db.session.expire_all()
    assert item.competences == ["2.1", "4.1"] and item.learning_paths == [security.id]
    assert len(item.revisions) == 4


def test_revisions_from_before_tags_compare_as_untagged(client, login, site, project_team_user):
    login(project_team_user)
    item = site.private
    old = item.revisions[0]
    old.data = {k: v for k, v in old.data.items() if k not in ("competences", "learning_paths")}
    db.session.commit()
    edit(client, item, body="Texte revu")
    diff = client.get(f"/fr/content/item/{item.id}/diff?a=1&b=2").get_data(as_text=True)
    assert 'data-field="body"' in diff and 'data-field="competences"' not in diff


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"competences": ["2.1", "9.9"]}, "competences"),
        ({"competences": ["2.1'; DROP TABLE content_item; --"]}, "competences"),
        ({"learning_paths": ["99999"]}, "learning_paths"),
        ({"learning_paths": ["abc"]}, "learning_paths"),
        ({"learning_paths": ["retired"]}, "learning_paths"),
    ],
)
def test_hostile_tags_get_a_message_on_the_field_and_nothing_is_saved(
    client, login, site, project_team_user, data, field
):
    retired = path("EX-DONNEES")
    retired.active = False
    db.session.commit()
    if data.get("learning_paths") == ["retired"]:
        data = {"learning_paths": [str(retired.id)]}
    login(project_team_user)
    item = site.published
    before = (count(Revision), count(ContentCompetence), item.version)
    response = edit(client, item, body="Texte changé", **data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<a href="#{field}">' in html  # in the summary of errors, linked to the field
    assert f'id="{field}-messages"' in html and "fr-fieldset--error" in html
    assert "Texte changé" in html  # the input is kept
    db.session.expire_all()
    assert (count(Revision), count(ContentCompetence), item.version) == before
    assert item.working_copy is None


def test_a_retired_path_stays_on_the_item_until_unticked(client, login, site, project_team_user):
    data = path("EX-DONNEES")
    login(project_team_user)
    item = site.private
    edit(client, item, learning_paths=[str(data.id)])
    data.active = False
    db.session.commit()
    form = client.get(f"/en/content/item/{item.id}/edit").get_data(as_text=True)
    assert f'value="{data.id}" checked' in form
    assert "No longer offered: untick it to remove it." in form
    assert edit(client, item, learning_paths=[str(data.id)]).status_code == 302
    db.session.expire_all()
    assert item.learning_paths == [data.id]
    assert edit(client, item).status_code == 302  # unticked
    db.session.expire_all()
    assert item.learning_paths == []
    form = client.get(f"/fr/content/item/{item.id}/edit").get_data(as_text=True)
    assert f'value="{data.id}"' not in form  # no longer offered


def test_sections_are_not_tagged(client, login, site, project_team_user):
    login(project_team_user)
    form = client.get(f"/fr/content/item/{site.section.id}/edit").get_data(as_text=True)
    assert 'name="competences"' not in form
    response = edit(client, site.section, competences=["2.1"], body="Rubrique")
    assert response.status_code == 302
    db.session.expire_all()
    assert site.section.competences == [] and count(ContentCompetence) == 0
    assert site.section.revisions[-1].data["competences"] == []


def test_a_translation_starts_from_the_tags_of_its_source(client, login, site, project_team_user):
    login(project_team_user)
    edit(client, site.private, competences=["1.1"])
    url = f"/en/content/new/page?translation_of={site.private.id}"
    assert 'value="1.1" checked' in client.get(url).get_data(as_text=True)
    response = client.post(
        url, data={"title": "Secret draft", "competences": ["1.1", "1.2"], "save": "1"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    english = db.session.scalar(select(ContentItem).where(ContentItem.slug == "secret-draft"))
    assert english.competences == ["1.1", "1.2"]
    # Ticking one more in the translation ticks it in the French draft too (shared tags).
    assert site.private.competences == ["1.1", "1.2"]
    last = site.private.revisions[-1]
    assert last.data["competences"] == ["1.1", "1.2"] and "English" in last.comment


def test_a_draft_version_takes_the_tags_at_once(client, login, site, project_team_user):
    login(project_team_user)
    english = make(
        project_team_user,
        ContentKind.PAGE,
        "en",
        site.section_en,
        "Secret draft",
        translation_of=site.private,
        slug="secret",
    )
    edit(client, site.private, competences=["5.1"])
    db.session.expire_all()
    assert english.competences == ["5.1"] and english.working_copy is None
    assert english.revisions[-1].action == "saved"
    # A change of the text alone leaves the other version alone.
    revisions = len(english.revisions)
    edit(client, site.private, competences=["5.1"], body="Autre texte")
    db.session.expire_all()
    assert len(english.revisions) == revisions


def test_a_version_the_editor_may_not_change_keeps_its_tags(
    client, login, site, project_team_user, cvrh_user
):
    """A CVRH translated the project team's published note: its tags do not reach the note."""
    login(cvrh_user)
    url = f"/en/content/new/page?translation_of={site.private.id}"
    site.private.state = ContentState.PUBLISHED
    db.session.commit()
    response = client.post(
        url, data={"title": "My translation", "competences": ["2.3"], "save": "1"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "other language version has other competences" in page
    db.session.expire_all()
    assert site.private.working_copy is None and site.private.competences == []
    english = db.session.scalar(select(ContentItem).where(ContentItem.slug == "my-translation"))
    assert english.competences == ["2.3"]


def test_directorates_and_visitors_may_not_tag(client, login, site, directorate_user):
    response = edit(client, site.published, competences=["2.1"])
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(directorate_user)
    assert edit(client, site.published, competences=["2.1"]).status_code == 403
    other = make_user("autre.cvrh@example.org", Role.CVRH, cvrh="CVRH-PARIS")
    client.post("/fr/logout")
    login(other)
    assert edit(client, site.published, competences=["2.1"]).status_code == 403
    db.session.expire_all()
    assert site.published.working_copy is None and count(ContentCompetence) == 0


def test_a_translation_starts_from_the_tags_of_the_source_s_working_copy(
    client, login, site, project_team_user
):
    login(project_team_user)
    note = site.private
    note.state = ContentState.PUBLISHED
    note.competences = ["2.1"]
    db.session.commit()
    edit(client, note, competences=["2.1", "3.1"])  # waits in the working copy
    url = f"/en/content/new/page?translation_of={note.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="2.1" checked' in form and 'value="3.1" checked' in form
    revisions = len(note.revisions)
    data = {"title": "Draft", "competences": ["2.1", "3.1"], "save": "1"}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert len(note.revisions) == revisions  # nothing to carry over
    assert note.working_copy["competences"] == ["2.1", "3.1"] and note.competences == ["2.1"]
