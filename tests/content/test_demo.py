"""The demo content: bilingual, linked, the administrator sheet still pending, loaded once."""

from sqlalchemy import func, select

from app.content.models import ContentItem, ContentKind, ContentState
from app.extensions import db


def test_demo_content_is_bilingual_and_loaded_once(runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    items = db.session.scalars(select(ContentItem)).all()
    assert len(items) == 28
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
    assert db.session.scalar(select(func.count()).select_from(ContentItem)) == 28
    home = client.get("/fr/").get_data(as_text=True)
    assert 'href="/fr/content/deployer-pix"' in home
    table = client.get("/fr/content/deployer-pix/cas-d-usage-et-parcours").get_data(as_text=True)
    assert "<table>" in table
    [admin_sheet] = [i for i in pending if i.language == "fr"]
    path = f"/fr/content/les-roles/{admin_sheet.slug}"
    assert client.get(path).status_code == 404
    assert "example.org" not in "".join(i.body for i in items).replace("pix-projet@example.org", "")
