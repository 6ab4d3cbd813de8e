"""An item is visible only when it and every section above it are: checked in every place.

Each test builds a top-level section in one state (published as the control, then private,
pending, not yet published, expired), a published sub-section inside it, and inside that a
published page (written by a CVRH, with a file and an English translation in a visible section),
a published news item and a published webinar. Then it looks at every place as one persona.
"""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from app.content import files
from app.content.models import Attachment, ContentItem, ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make
from tests.content.test_attachments import PDF

SECTION_STATES = {
    "published": (ContentState.PUBLISHED, {}),
    "private": (ContentState.PRIVATE, {}),
    "pending": (ContentState.PENDING, {}),
    "future": (ContentState.PUBLISHED, {"effective_on": date.today() + timedelta(days=3)}),
    "expired": (ContentState.PUBLISHED, {"expires_on": date.today() - timedelta(days=3)}),
}


@dataclass
class Tree:
    """The hidden section and what lies under it."""

    section: ContentItem
    page: ContentItem
    english: ContentItem
    attachment: Attachment
    path: str


def build(site, kind: str, reviewer, author) -> Tree:
    state, dates = SECTION_STATES[kind]
    section = make(
        reviewer,
        ContentKind.SECTION,
        "fr",
        None,
        "Rubrique testée",
        state,
        slug="rubrique",
        **dates,
    )
    sub = make(
        reviewer, ContentKind.SECTION, "fr", section, "Sous-rubrique", ContentState.PUBLISHED
    )
    page = make(
        author,
        ContentKind.PAGE,
        "fr",
        sub,
        "Page cachée",
        slug="page-cachee",
        body="Le mot zorglub.",
    )
    attachment = files.attach(author, page, io.BytesIO(PDF), "note.pdf")
    page.state = ContentState.PUBLISHED
    english = make(
        reviewer,
        ContentKind.PAGE,
        "en",
        site.section_en,
        "English version",
        ContentState.PUBLISHED,
        translation_of=page,
        slug="english-version",
    )
    news = make(reviewer, ContentKind.NEWS, "fr", sub, "Actualité zorglub", ContentState.PUBLISHED)
    news.published_at = news.created_at
    make(
        reviewer,
        ContentKind.EVENT,
        "fr",
        sub,
        "Webinaire zorglub",
        ContentState.PUBLISHED,
        starts_at=datetime.now(UTC) + timedelta(days=5),
    )
    db.session.commit()
    return Tree(
        section, page, english, attachment, "/fr/content/rubrique/sous-rubrique/page-cachee"
    )


def text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("persona", ["anonymous", "directorate", "cvrh", "project_team"])
@pytest.mark.parametrize("kind", list(SECTION_STATES))
def test_every_place_applies_the_rule(client, login, personas, site, persona, kind):
    tree = build(site, kind, personas["project_team"], personas["cvrh"])
    public = kind == "published"
    visible = public or persona == "project_team"  # reviewers see everything, in its state
    if personas[persona]:
        login(personas[persona])

    # The page itself, and the sub-section above it.
    assert client.get(tree.path).status_code == (200 if visible else 404)
    assert client.get("/fr/content/rubrique/sous-rubrique").status_code == (200 if visible else 404)
    # The attachment of the page.
    url = f"/fr/content/item/{tree.page.id}/files/{tree.attachment.id}/note.pdf"
    with client.get(url) as download:
        assert download.status_code == (200 if visible else 404)
    # The site map.
    assert ("Page cachée" in text(client, "/fr/content/sitemap")) is visible
    # The public lists: news, webinars, the home page's "What's new" and "Coming webinars".
    assert ("Actualité zorglub" in text(client, "/fr/content/news/")) is public
    assert ("Webinaire zorglub" in text(client, "/fr/content/events/")) is public
    home = text(client, "/fr/")
    assert ("Actualité zorglub" in home) is public
    assert ("Webinaire zorglub" in home) is public
    # The menu (published top-level sections).
    assert ('href="/fr/content/rubrique"' in home) is public
    # The search.
    assert ("Page cachée" in text(client, "/fr/content/search?q=zorglub")) is public
    # The "not translated yet" page offers the French page only to those who may read it.
    missing = text(client, f"/en/content/missing/{tree.page.id}", 200 if visible else 404)
    assert (f'href="{tree.path}"' in missing) is visible
    # The language selector of the visible English version.
    english = text(client, "/en/content/deploying/english-version")
    assert (f'href="{tree.path}"' in english) is visible
    assert (f'href="/fr/content/missing/{tree.english.id}"' in english) is not visible
    # The author's list of their items, for those who have one.
    if persona in ("cvrh", "project_team"):
        manage = text(client, "/fr/content/manage")
        assert (f'data-item="{tree.page.id}"' in manage) is visible


def test_editors_are_told_why_a_published_item_is_hidden(client, login, site, project_team_user):
    build(site, "private", project_team_user, project_team_user)
    login(project_team_user)
    html = text(client, "/fr/content/rubrique/sous-rubrique/page-cachee")
    assert "data-hidden-section" in html
    assert "data-outside-dates" not in html


def test_the_rule_follows_the_section_when_it_is_published(client, login, site, project_team_user):
    tree = build(site, "pending", project_team_user, project_team_user)
    assert client.get(tree.path).status_code == 404
    login(project_team_user)
    client.post(f"/fr/content/item/{tree.section.id}/publish")
    client.post("/fr/logout")
    assert client.get(tree.path).status_code == 200
    assert "Page cachée" in text(client, "/fr/content/search?q=zorglub")
