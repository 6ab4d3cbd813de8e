"""Creating and editing items: validation on the field, preview, nothing saved half-way."""

import pytest

from app.content.models import ContentItem, ContentKind, ContentState, Revision
from app.extensions import db
from tests.content.conftest import make


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_project_team_creates_a_bilingual_page_with_a_table(client, login, site, project_team_user):
    login(project_team_user)
    body = "## Cas d’usage\n\n| Situation | Parcours |\n|---|---|\n| Arrivée | Découverte |\n"
    response = client.post(
        f"/fr/content/new/page?parent={site.section.id}",
        data={
            "title": "Cas d’usage",
            "summary": "Le tableau de l’annexe 2.",
            "body": body,
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/content/deployer/cas-d-usage"
    page = db.session.scalars(db.select(ContentItem).where(ContentItem.slug == "cas-d-usage")).one()
    assert page.state is ContentState.PRIVATE
    html = client.get("/fr/content/deployer/cas-d-usage").get_data(as_text=True)
    assert "<table>" in html and "<td>Découverte</td>" in html
    # Its English version, created from the French one, is linked both ways.
    response = client.post(
        f"/en/content/new/page?translation_of={page.id}",
        data={
            "title": "Use cases",
            "body": "## Use cases\n\n| Case | Path |\n|---|---|\n| New | Start |",
            "save": "1",
        },
    )
    assert response.headers["Location"] == "/en/content/deploying/use-cases"
    english = client.get("/en/content/deploying/use-cases").get_data(as_text=True)
    assert 'href="/fr/content/deployer/cas-d-usage"' in english


def test_errors_are_shown_on_the_field_and_nothing_is_saved(client, login, site, project_team_user):
    login(project_team_user)
    before = count(ContentItem), count(Revision)
    response = client.post(
        f"/fr/content/new/page?parent={site.section.id}",
        data={"title": "", "slug": "Pas Valide", "body": "Texte gardé", "save": "1"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saisissez un titre." in html
    assert 'id="title"' in html and 'aria-invalid="true"' in html
    assert 'aria-invalid="None"' not in html
    assert "Texte gardé" in html
    assert 'id="slug-messages"' in html and "minuscules" in html
    response = client.post(
        f"/fr/content/new/page?parent={site.section.id}",
        data={"title": "Autre note", "slug": "note", "save": "1"},
    )
    assert "Un autre élément" in response.get_data(as_text=True)
    assert (count(ContentItem), count(Revision)) == before


def test_an_event_needs_a_start_before_its_end(client, login, site, project_team_user):
    login(project_team_user)
    response = client.post(
        f"/fr/content/new/event?parent={site.section.id}",
        data={
            "title": "Webinaire",
            "starts_at": "2026-05-16T16:00",
            "ends_at": "2026-05-16T14:00",
            "save": "1",
        },
    )
    assert "La fin vient après le début." in response.get_data(as_text=True)
    response = client.post(
        f"/fr/content/new/event?parent={site.section.id}",
        data={
            "title": "Webinaire",
            "starts_at": "2026-05-16T14:00",
            "ends_at": "2026-05-16T16:00",
            "online": "y",
            "link": "https://visio.example.org/pix",
            "save": "1",
        },
    )
    assert response.status_code == 302
    event = db.session.scalars(db.select(ContentItem).where(ContentItem.slug == "webinaire")).one()
    assert event.starts_at.hour == 12  # 14:00 in Paris, stored in UTC


def test_preview_renders_without_saving(client, login, site, project_team_user):
    login(project_team_user)
    before = count(Revision)
    response = client.post(
        f"/fr/content/item/{site.private.id}/edit",
        data={
            "title": "Brouillon secret",
            "slug": "secret",
            "body": "**Gras** <script>x</script>",
            "preview": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert 'id="preview"' in html
    assert "<strong>Gras</strong>" in html
    assert "<script>x</script>" not in html
    assert count(Revision) == before


@pytest.mark.parametrize(
    ("persona", "kind", "expected"),
    [
        ("cvrh", "page", 200),
        ("cvrh", "news", 403),
        ("cvrh", "section", 403),
        ("directorate", "page", 403),
        ("anonymous", "page", 302),
        ("project_team", "event", 200),
        ("admin", "section", 200),
    ],
)
def test_who_may_create_what(client, login, personas, site, persona, kind, expected):
    if personas[persona]:
        login(personas[persona])
    assert client.get(f"/fr/content/new/{kind}").status_code == expected


def test_a_cvrh_author_cannot_edit_someone_else_s_page(client, login, site, cvrh_user):
    login(cvrh_user)
    assert client.get(f"/fr/content/item/{site.published.id}/edit").status_code == 403
    mine = make(cvrh_user, ContentKind.PAGE, "fr", site.section, "Ma fiche", slug="ma-fiche")
    assert client.get(f"/fr/content/item/{mine.id}/edit").status_code == 200
    mine.state = ContentState.PENDING
    db.session.commit()
    assert client.get(f"/fr/content/item/{mine.id}/edit").status_code == 403


def test_reserved_addresses_are_refused_at_the_top(client, login, site, project_team_user):
    login(project_team_user)
    response = client.post("/fr/content/new/section", data={"title": "News", "save": "1"})
    assert "réservée" in response.get_data(as_text=True)


def test_a_cvrh_may_not_translate_a_section_through_the_page_form(client, login, site, cvrh_user):
    login(cvrh_user)
    lone = make(
        None,
        ContentKind.SECTION,
        "fr",
        None,
        "Rubrique seule",
        ContentState.PUBLISHED,
        slug="seule",
    )
    url = f"/en/content/new/page?translation_of={lone.id}"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"title": "Alone", "save": "1"}).status_code == 403
