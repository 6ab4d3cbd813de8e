"""Fixtures: the content test site, with items tagged for competence 2.1 in every situation."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.content.models import ContentItem, ContentKind, ContentState
from app.directorates.models import LearningPath
from app.extensions import db
from tests.content.conftest import Site, make, site  # noqa: F401 - the site fixture


def path(code: str) -> LearningPath:
    """Return a learning path of the reference data by code."""
    return db.session.scalar(select(LearningPath).where(LearningPath.code == code))


@dataclass
class Tagged:
    """The test site's items, tagged for 2.1, and a few more around them."""

    site: Site
    expired: ContentItem
    in_hidden_section: ContentItem
    by_path: ContentItem
    by_other_path: ContentItem
    by_retired_path: ContentItem
    news: ContentItem


@pytest.fixture
def tagged(site, project_team_user) -> Tagged:  # noqa: F811 - uses the imported fixture
    """Tag the site's pages with 2.1 (online tags) and add tagged items in every situation.

    Shown on the page of 2.1 to anyone: the published note (FR, and EN on the English page),
    the page tagged with a path covering 2.1, the news item. Never to readers: the private and
    pending pages, the expired page, the page in a private section. Never at all: the pages
    tagged with a path not covering 2.1 or with a retired path.
    """
    author = project_team_user
    for item in (site.published, site.published_en, site.private, site.pending):
        item.competences = ["2.1"]
    db.session.commit()
    expired = make(
        author, ContentKind.PAGE, "fr", site.section, "Ancienne fiche", ContentState.PUBLISHED,
        slug="ancienne", expires_on=date.today() - timedelta(days=2), competences=["2.1"],
    )  # fmt: skip
    hidden = make(author, ContentKind.SECTION, "fr", None, "Rubrique cachée", slug="cachee")
    in_hidden = make(
        author, ContentKind.PAGE, "fr", hidden, "Fiche cachée", ContentState.PUBLISHED,
        slug="fiche-cachee", competences=["2.1"],
    )  # fmt: skip
    collaboration, data, managers = (
        path("EX-COLLABORATION"),
        path("EX-DONNEES"),
        path("EX-ENCADREMENT"),
    )
    by_path = make(
        author, ContentKind.PAGE, "fr", site.section, "Travail à distance", ContentState.PUBLISHED,
        slug="distance", learning_paths=[collaboration.id],
    )  # fmt: skip
    by_other = make(
        author, ContentKind.PAGE, "fr", site.section, "Tableurs", ContentState.PUBLISHED,
        slug="tableurs", learning_paths=[data.id],
    )  # fmt: skip
    by_retired = make(
        author, ContentKind.PAGE, "fr", site.section, "Encadrer", ContentState.PUBLISHED,
        slug="encadrer", learning_paths=[managers.id],
    )  # fmt: skip
    managers.active = False
    news = make(
        author, ContentKind.NEWS, "fr", None, "Atelier messagerie", ContentState.PUBLISHED,
        slug="atelier-messagerie", competences=["2.1", "2.3"],
    )  # fmt: skip
    db.session.commit()
    return Tagged(site, expired, in_hidden, by_path, by_other, by_retired, news)
