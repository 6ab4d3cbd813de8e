"""The demo content: bilingual, linked, the administrator sheet still pending, loaded once."""

from sqlalchemy import func, select

from app.content.models import ContentItem, ContentKind, ContentState
from app.extensions import db

EXAMPLE = {
    "fr": ("Exemple – ", "**Contenu d’exemple**\u00a0: "),
    "en": ("Example – ", "**Example content**: "),
}


def test_demo_content_is_bilingual_and_loaded_once(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    items = db.session.scalars(select(ContentItem)).all()
    assert len(items) == 36
    groups = {}
    for item in items:
        groups.setdefault(item.group_id, set()).add(item.language)
    assert all(languages == {"fr", "en"} for languages in groups.values())
    pending = [i for i in items if i.state is ContentState.PENDING]
    assert {i.language for i in pending} == {"fr", "en"}
    assert all("PIX Orga" in i.title for i in pending)
    events = [i for i in items if i.kind is ContentKind.EVENT]
    assert sorted((e.starts_at.month, e.starts_at.day) for e in events if e.language == "fr") == [
        (5, 16),
        (5, 25),
    ]
    assert any(e.date_to_be_confirmed for e in events)
    again = runner.invoke(args=["demo"])
    assert "0 content items," in again.output
    assert db.session.scalar(select(func.count()).select_from(ContentItem)) == 36
    home = client.get("/fr/").get_data(as_text=True)
    assert 'href="/fr/content/deployer-pix"' in home
    table = client.get("/fr/content/deployer-pix/cas-d-usage-et-parcours").get_data(as_text=True)
    assert "<table>" in table
    [admin_sheet] = [i for i in pending if i.language == "fr"]
    path = f"/fr/content/les-roles/{admin_sheet.slug}"
    assert client.get(path).status_code == 404
    assert "example.org" not in "".join(i.body for i in items).replace("pix-projet@example.org", "")


def test_demo_content_is_tagged_and_its_examples_say_so(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    items = db.session.scalars(select(ContentItem)).all()
    tagged = [i for i in items if i.competences or i.learning_paths]
    assert len(tagged) == 8  # four items, in both languages
    for item in tagged:
        other = next(i for i in items if i.group_id == item.group_id and i is not item)
        assert (other.competences, other.learning_paths) == (item.competences, item.learning_paths)
        assert item.state is ContentState.PUBLISHED and item.kind is ContentKind.PAGE
        assert item.revisions[0].data["competences"] == item.competences
    # Every tagged item is an example: the resources and the use-case table alike.
    for item in tagged:
        title, notice = EXAMPLE[item.language]
        assert item.title.startswith(title) and item.body.lstrip().startswith(notice)
    for code in ("2.1", "3.1", "4.1"):
        page = client.get(f"/fr/competences/{code}").get_data(as_text=True)
        assert page.count("data-resource=") == 2
        assert "Exemple – Cas d’usage et parcours conseillés" in page
