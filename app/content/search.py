"""Full-text search over published content: SQLite FTS5 or PostgreSQL tsvector, one interface.

The index holds the online version of every published item (title, summary, plain text of the
body), kept up to date on every flush; dates and visibility are checked when searching.
"""

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import bindparam, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.content import resources, tags, tree, visibility
from app.content.markup import excerpt
from app.content.models import ContentItem, ContentState
from app.extensions import db

TABLE = "content_search"
START, STOP = "\ue000", "\ue001"  # private-use characters: never typed, easy to mark up
CONFIGS = {"fr": "french", "en": "english"}
LIMIT = 50

SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, summary, body, item_id UNINDEXED, language UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')"
]
POSTGRESQL_DDL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "item_id integer PRIMARY KEY REFERENCES content_item (id) ON DELETE CASCADE, "
    "language varchar(2) NOT NULL, title text NOT NULL, summary text NOT NULL, "
    "body text NOT NULL, document tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_document ON {TABLE} USING gin (document)",
]


def create_index(connection: Connection) -> None:
    """Create the search index if it is missing (called after the tables are created)."""
    ddl = POSTGRESQL_DDL if connection.dialect.name == "postgresql" else SQLITE_DDL
    for statement in ddl:
        connection.execute(text(statement))


def drop_index(connection: Connection) -> None:
    """Drop the search index."""
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def clear_index(connection: Connection) -> None:
    """Empty the search index (the tests start each one from nothing)."""
    connection.execute(text(f"DELETE FROM {TABLE}"))


def _unindex(connection: Connection, item_id: int) -> None:
    connection.execute(text(f"DELETE FROM {TABLE} WHERE item_id = :id"), {"id": item_id})


def _index(connection: Connection, item: ContentItem) -> None:
    values = {
        "id": item.id,
        "language": item.language,
        "title": item.title,
        "summary": item.summary or "",
        "body": excerpt(item.body or "", length=1_000_000),
    }
    if connection.dialect.name == "postgresql":
        values["config"] = CONFIGS.get(item.language, "simple")
        connection.execute(
            text(
                f"INSERT INTO {TABLE} (item_id, language, title, summary, body, document) "
                "VALUES (:id, :language, :title, :summary, :body, "
                "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
                "setweight(to_tsvector(CAST(:config AS regconfig), :summary), 'B') || "
                "to_tsvector(CAST(:config AS regconfig), :body))"
            ),
            values,
        )
    else:
        connection.execute(
            text(
                f"INSERT INTO {TABLE} (item_id, language, title, summary, body) "
                "VALUES (:id, :language, :title, :summary, :body)"
            ),
            values,
        )


def _after_flush(session: Session, flush_context) -> None:
    """Re-index the items written by this flush: published ones in, the others out."""
    changed = [obj for obj in (*session.new, *session.dirty) if isinstance(obj, ContentItem)]
    deleted = [obj for obj in session.deleted if isinstance(obj, ContentItem)]
    if not changed and not deleted:
        return
    connection = session.connection()
    for item in (*changed, *deleted):
        if item.id is not None:
            _unindex(connection, item.id)
    for item in changed:
        if item.state is ContentState.PUBLISHED:
            _index(connection, item)


def _after_create(target, connection: Connection, **kw) -> None:
    create_index(connection)


def _before_drop(target, connection: Connection, **kw) -> None:
    drop_index(connection)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the index out of schema comparisons: it is made by hand, not by the models."""
    return not (type_ == "table" and name and name.startswith(TABLE))


def init_app(app) -> None:
    """Keep the index in step with the items, and create it with the tables (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(db.metadata, "after_create", _after_create):
        event.listen(db.metadata, "after_create", _after_create)
        event.listen(db.metadata, "before_drop", _before_drop)


@dataclass
class Hit:
    """A search result: the item, its title and an extract with the matches marked."""

    item: ContentItem
    title: Markup
    extract: Markup


def _marked(value: str) -> Markup:
    """Return text escaped, with the matches wrapped in <mark>."""
    marked = str(escape(value)).replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(marked)  # noqa: S704 - escaped just before


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query, flags=re.UNICODE)[:10]


def search(language: str, query: str, competence: str | None = None) -> list[Hit]:
    """Return the public items of a language that match the words of the query, best first.

    With a competence, only the resources of the competence (tagged with it or with an offered
    path covering it); with a competence and no words, all of them, by title. At most 50, with
    the sections above them (to make their addresses): a fixed number of queries.
    """
    words = _words(query)
    paths = tags.offered_paths() if competence else []
    if competence and not words:
        tagged = resources.query(visibility.PUBLIC, language, [competence], paths)
        items = list(
            db.session.scalars(tagged.order_by(ContentItem.title, ContentItem.id).limit(LIMIT))
        )
        tree.with_sections(items)
        return [Hit(item, escape(item.title), escape(item.summary)) for item in items]
    if not words:
        return []
    path_ids = [path.id for path in tags.covering(competence, paths)] if competence else []
    rows = _matches(language, words, competence, path_ids)
    if not rows:
        return []
    visible = visibility.public_items().where(ContentItem.id.in_([row[0] for row in rows]))
    items = {item.id: item for item in db.session.scalars(visible)}
    tree.with_sections(items.values())
    return [
        Hit(items[item_id], _marked(title), _marked(extract))
        for item_id, title, extract in rows
        if item_id in items
    ]


def _matches(language: str, words: list[str], competence: str | None, path_ids: list[int]):
    """Return (item id, marked title, marked extract) of the best matches, tagged if asked."""
    connection = db.session.connection()
    values = {"language": language, "limit": LIMIT}
    among = ""
    if competence:
        # The same condition as resources.tagged_with, written for this hand-made statement.
        among = " AND item_id IN (SELECT item_id FROM content_competence WHERE competence = :code"
        values["code"] = competence
        if path_ids:
            among += " UNION SELECT item_id FROM content_learning_path"
            among += " WHERE learning_path_id IN :paths"
            values["paths"] = path_ids
        among += ")"
    if connection.dialect.name == "postgresql":
        statement = text(
            "SELECT item_id, "
            "ts_headline(CAST(:config AS regconfig), title, q, :all_options), "
            "ts_headline(CAST(:config AS regconfig), summary || ' ' || body, q, :options) "
            f"FROM {TABLE}, plainto_tsquery(CAST(:config AS regconfig), :query) AS q "
            f"WHERE language = :language AND document @@ q{among} "
            "ORDER BY ts_rank(document, q) DESC LIMIT :limit"
        )
        values.update(
            config=CONFIGS.get(language, "simple"),
            query=" ".join(words),
            all_options=f"StartSel={START}, StopSel={STOP}, HighlightAll=true",
            options=f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=10",
        )
    else:
        match = " ".join(f'"{word}"' for word in words[:-1]) + f' "{words[-1]}"*'
        statement = text(
            f"SELECT item_id, highlight({TABLE}, 0, :start, :stop), "
            f"snippet({TABLE}, -1, :start, :stop, '…', 24) "
            f"FROM {TABLE} WHERE {TABLE} MATCH :match AND language = :language{among} "
            f"ORDER BY bm25({TABLE}, 10.0, 5.0, 1.0) LIMIT :limit"
        )
        values.update(start=START, stop=STOP, match=match.strip())
    if "paths" in values:
        statement = statement.bindparams(bindparam("paths", expanding=True))
    return connection.execute(statement, values).all()
