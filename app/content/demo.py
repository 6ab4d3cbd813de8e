"""Demo content of the intranet, written for the portal: the campaign note, role sheets, webinars.

The texts live in demo_content.toml, each item in French and English. An item may name the PIX
competences and the learning paths (by code) it is tagged with; a news item gives `date`, the
day of what it reports, which becomes its publication date (`effective_on`): lists show that
day, not the day the demo was loaded.

Loading is idempotent. An item is found by its language, slug and section: a missing one is
created; one that nobody has changed since the loader wrote it (every revision is the loader's,
no working copy) is brought up to date with the file, so a database loaded before a correction
of the texts gets the corrected ones; an item someone edited is left as they made it.
"""

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.content import services, visibility
from app.content.fields import DEFAULTS, apply_fields, serialise, tags_of
from app.content.models import EDITABLE, ContentItem, ContentKind, ContentState, Revision
from app.directorates.models import LearningPath
from app.extensions import db, utcnow

SOURCE = Path(__file__).with_name("demo_content.toml")
AUTHOR = "equipe-projet@example.org"
# The comment of every revision the loader writes: an item whose revisions all carry it is
# still the loader's own.
COMMENT = "Demo content"


def entries() -> list[dict[str, Any]]:
    """Return the demo items as written in demo_content.toml, in loading order."""
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))["item"]


def _fields(entry: dict, language: str, zone: ZoneInfo, paths: dict[str, int]) -> dict:
    text = entry[language]
    fields = {name: text[name] for name in ("slug", "title", "summary", "body")}
    if entry["kind"] != "section":
        fields["competences"] = entry.get("competences", [])
        fields["learning_paths"] = [paths[code] for code in entry.get("paths", []) if code in paths]
    if isinstance(entry.get("date"), date):
        fields["effective_on"] = entry["date"]
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


def _differs(item: ContentItem, fields: dict[str, Any]) -> bool:
    """Say whether the item's fields differ from the file's (fields not given: their default)."""
    if tags_of(fields) != tags_of(item.fields()):
        return True
    # Aware datetimes compare equal whatever their time zone, unlike their ISO texts.
    return any(
        getattr(item, name) != (fields.get(name) if name in fields else DEFAULTS.get(name))
        for name in EDITABLE
        if name not in ("competences", "learning_paths")
    )


def _refresh(item: ContentItem, fields: dict[str, Any], author: User | None) -> bool:
    """Bring an item nobody changed since it was loaded up to date; say whether it changed."""
    untouched = item.working_copy is None and all(r.comment == COMMENT for r in item.revisions)
    if not untouched or not _differs(item, fields):
        return False
    apply_fields(item, fields)
    item.updated_at = utcnow()
    item.revisions.append(
        Revision(
            number=max((r.number for r in item.revisions), default=0) + 1,
            action="saved",
            comment=COMMENT,
            data=serialise(fields),
            author_id=author.id if author else None,
        )
    )
    return True


def load_demo_content() -> tuple[int, int]:
    """Create the missing demo items, refresh the untouched ones; return (created, refreshed)."""
    author = db.session.scalar(select(User).where(User.email == AUTHOR))
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    paths = {path.code: path.id for path in db.session.scalars(select(LearningPath))}
    created = refreshed = 0
    items: dict[tuple[str, str], ContentItem] = {}
    for entry in entries():
        for language in ("fr", "en"):
            parent = items.get((entry["parent"], language)) if "parent" in entry else None
            fields = _fields(entry, language, zone, paths)
            existing = db.session.scalar(
                select(ContentItem).where(
                    ContentItem.language == language,
                    ContentItem.slug == fields["slug"],
                    visibility.under(parent.id if parent else None),
                )
            )
            if existing is not None:
                items[entry["key"], language] = existing
                refreshed += _refresh(existing, fields, author)
                continue
            item = services.create(
                author,
                ContentKind(entry["kind"]),
                language,
                parent,
                fields,
                COMMENT,
                translation_of=items.get((entry["key"], "fr")) if language == "en" else None,
            )
            item.position = entry.get("position", item.position)
            item.state = ContentState(entry["state"])
            if item.state is ContentState.PUBLISHED:
                item.published_at = utcnow()
            items[entry["key"], language] = item
            created += 1
    db.session.commit()
    return created, refreshed
