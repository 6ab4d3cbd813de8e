"""What content pages show with an item, read with it so that no row sends a query of its own."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.content.models import ContentCompetence, ContentItem, ContentLearningPath
from app.extensions import db


def with_tags(item: ContentItem) -> None:
    """Read an item's competences and learning paths, the paths' names with them (two queries)."""
    competences = select(ContentCompetence).where(ContentCompetence.item_id == item.id)
    paths = (
        select(ContentLearningPath)
        .where(ContentLearningPath.item_id == item.id)
        .options(joinedload(ContentLearningPath.learning_path))
    )
    set_committed_value(item, "competence_tags", list(db.session.scalars(competences)))
    set_committed_value(item, "path_tags", list(db.session.scalars(paths)))
