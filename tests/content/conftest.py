"""Content fixtures: a published section with pages in several states, in French and English."""

from dataclasses import dataclass

import pytest

from app.content import services
from app.content.models import ContentItem, ContentKind, ContentState
from app.extensions import db


@dataclass
class Site:
    """The items of the test site."""

    section: ContentItem
    section_en: ContentItem
    published: ContentItem
    published_en: ContentItem
    private: ContentItem
    pending: ContentItem


def make(
    user, kind, language, parent, title, state=ContentState.PRIVATE, translation_of=None, **fields
):
    """Create an item through the service and move it to a state directly."""
    values = {
        "title": title,
        "slug": fields.pop("slug", None) or title.lower().replace(" ", "-"),
        "summary": "",
        "body": fields.pop("body", f"Texte de {title}."),
        **fields,
    }
    item = services.create(user, kind, language, parent, values, translation_of=translation_of)
    item.state = state
    db.session.commit()
    return item


@pytest.fixture
def site(app, project_team_user) -> Site:
    """A published section "deployer" (and "deploying") with published, private, pending pages."""
    author = project_team_user
    section = make(
        author, ContentKind.SECTION, "fr", None, "Déployer", ContentState.PUBLISHED, slug="deployer"
    )
    section_en = make(
        author,
        ContentKind.SECTION,
        "en",
        None,
        "Deploying",
        ContentState.PUBLISHED,
        translation_of=section,
        slug="deploying",
    )
    published = make(
        author,
        ContentKind.PAGE,
        "fr",
        section,
        "Note de cadrage",
        ContentState.PUBLISHED,
        slug="note",
        body="La note **publiée**.",
    )
    published_en = make(
        author,
        ContentKind.PAGE,
        "en",
        section_en,
        "Campaign note",
        ContentState.PUBLISHED,
        translation_of=published,
        slug="note",
    )
    private = make(author, ContentKind.PAGE, "fr", section, "Brouillon secret", slug="secret")
    pending = make(
        author,
        ContentKind.PAGE,
        "fr",
        section,
        "En relecture",
        ContentState.PENDING,
        slug="relecture",
    )
    return Site(section, section_en, published, published_en, private, pending)


@pytest.fixture(autouse=True)
def attachments_dir(app, tmp_path):
    """Keep attached files in the test's own folder."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "attachments")
    return tmp_path / "attachments"
