"""The tree of sections: what an address is made of, read in one query whatever the depth.

An item's address is the path of the slugs of the sections above it, then its own. Walking up
one `parent` at a time costs a query per level, for every item of a list. Here one recursive
query (a `WITH RECURSIVE` common table expression, the same SQL on SQLite and PostgreSQL) reads
the sections above any number of items, or the items along a path of slugs, and each item is
linked to its parent, so that walking up afterwards sends nothing.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, Text, cast, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.selectable import CTE

from app.content.models import ContentItem
from app.extensions import db

# The items below, or the sections above, those already found, as the recursive queries walk.
# Made once: building an alias again on every query cost more than running the query.
BELOW = aliased(ContentItem, name="below")
ABOVE = aliased(ContentItem, name="above")


def path_walk(language: str, slugs: list[str]) -> CTE:
    """Return the items along a path of slugs, each with the path down to it (`a/`, `a/b/`).

    The walk starts from the top-level item of the first slug and goes down only into the
    children whose path is the start of the path asked for: as many rows as levels.
    """
    full = literal("/".join(slugs) + "/", Text)
    walk = (
        select(ContentItem.id, cast(ContentItem.slug + "/", Text).label("path"))
        .where(
            ContentItem.parent_id.is_(None),
            ContentItem.language == language,
            ContentItem.slug == slugs[0],
        )
        .cte("path_walk", recursive=True)
    )
    step = cast(walk.c.path + BELOW.slug + "/", Text)
    return walk.union_all(
        select(BELOW.id, step)
        .join(walk, BELOW.parent_id == walk.c.id)
        .where(
            BELOW.language == language,
            func.substr(full, 1, func.length(step)) == step,
        )
    )


def and_above(condition: ColumnElement[bool]) -> Select:
    """Return a query of the ids of the items meeting a condition and of every section above."""
    found = (
        select(ContentItem.id, ContentItem.parent_id)
        .where(condition)
        .cte("and_above", recursive=True)
    )
    # UNION, not UNION ALL: sections shared by several items are read once.
    found = found.union(
        select(ABOVE.id, ABOVE.parent_id).join(found, ABOVE.id == found.c.parent_id)
    )
    return select(found.c.id)


def link(nodes: Iterable[ContentItem]) -> None:
    """Link each item to its parent when it is among these items or read already (no query)."""
    nodes = list(nodes)
    by_id = {node.id: node for node in nodes}
    for node in nodes:
        if "parent" in node.__dict__ or node.parent_id is None:
            continue
        parent = by_id.get(node.parent_id) or db.session.identity_map.get(
            identity_key(ContentItem, node.parent_id)
        )
        if parent is not None:
            # Held by the child from now on: the session keeps its objects only while used.
            set_committed_value(node, "parent", parent)


def _unlinked(items: Iterable[ContentItem]) -> list[ContentItem]:
    """Return the items, or sections above them, whose parent is not linked yet."""
    unlinked = []
    for item in items:
        node = item
        while node is not None and node.parent_id is not None:
            if "parent" not in node.__dict__:
                unlinked.append(node)
                break
            node = node.__dict__["parent"]
    return unlinked


def with_sections(items: Iterable[ContentItem]) -> None:
    """Read the sections above these items in one query, and link each item to its parent.

    Nothing is sent when every item is at the top or linked already (`link`); otherwise one
    query, whatever the number of items and their depth.
    """
    unlinked = _unlinked(items)
    if not unlinked:
        return
    parents = {node.parent_id for node in unlinked}
    query = select(ContentItem).where(ContentItem.id.in_(and_above(ContentItem.id.in_(parents))))
    link([*unlinked, *db.session.scalars(query)])


def breadcrumbs(item: ContentItem) -> list[ContentItem]:
    """Return the item's ancestors, from the top, then the item (one query at most)."""
    with_sections([item])
    chain = []
    node: ContentItem | None = item
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def path_of(item: ContentItem) -> str:
    """Return the path of slugs of an item, from the top (one query at most)."""
    return "/".join(node.slug for node in breadcrumbs(item))
