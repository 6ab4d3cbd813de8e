"""Demo content of the intranet, written for the portal: the campaign note, role sheets, webinars.

The texts live in demo_content.toml, each item in French and English; loading is idempotent.
An item may name the PIX competences and the learning paths (by code) it is tagged with.
"""

import tomllib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.content import services, visibility
from app.content.models import ContentItem, ContentKind, ContentState
from app.directorates.models import LearningPath
from app.extensions import db, utcnow

SOURCE = Path(__file__).with_name("demo_content.toml")
AUTHOR = "equipe-projet@example.org"


def _fields(entry: dict, language: str, zone: ZoneInfo, paths: dict[str, int]) -> dict:
    text = entry[language]
    fields = {name: text[name] for name in ("slug", "title", "summary", "body")}
    if entry["kind"] != "section":
        fields["competences"] = entry.get("competences", [])
        fields["learning_paths"] = [paths[code] for code in entry.get("paths", []) if code in paths]
    if entry["kind"] == "event":
        for name in ("starts_at", "ends_at"):
            fields[name] = datetime.fromisoformat(entry[name]).replace(tzinfo=zone)
        fields.update(
            date_to_be_confirmed=entry.get("date_to_be_confirmed", False),
            online=entry.get("online", True),
            link=entry.get("link", ""),
            location=entry.get(f"location_{language}", ""),
            audience=entry.get(f"audience_{language}", ""),
            registration=entry.get(f"registration_{language}", ""),
        )
    return fields


def load_demo_content() -> int:
    """Create the demo items missing from the database; return how many were created."""
    entries = tomllib.loads(SOURCE.read_text(encoding="utf-8"))["item"]
    author = db.session.scalar(select(User).where(User.email == AUTHOR))
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    paths = {path.code: path.id for path in db.session.scalars(select(LearningPath))}
    created = 0
    items: dict[tuple[str, str], ContentItem] = {}
    for entry in entries:
        for language in ("fr", "en"):
            parent = items.get((entry["parent"], language)) if "parent" in entry else None
            slug = entry[language]["slug"]
            existing = db.session.scalar(
                select(ContentItem).where(
                    ContentItem.language == language,
                    ContentItem.slug == slug,
                    visibility.under(parent.id if parent else None),
                )
            )
            if existing is not None:
                items[entry["key"], language] = existing
                continue
            item = services.create(
                author,
                ContentKind(entry["kind"]),
                language,
                parent,
                _fields(entry, language, zone, paths),
                "Demo content",
                translation_of=items.get((entry["key"], "fr")) if language == "en" else None,
            )
            item.position = entry.get("position", item.position)
            item.state = ContentState(entry["state"])
            if item.state is ContentState.PUBLISHED:
                item.published_at = utcnow()
            items[entry["key"], language] = item
            created += 1
    db.session.commit()
    return created
