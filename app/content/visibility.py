"""Who sees which content: one rule, and the queries that every page, list and download uses.

An item is visible to a reader only when the item **and every section above it** are: published
and between their publication and expiry dates, or the reader may see them anyway (reviewers see
everything, an author sees their own drafts). The sections nest, so the visible ids are computed
by one recursive query (a `WITH RECURSIVE` common table expression, the same SQL on SQLite and
PostgreSQL) that walks down from the top and stops at anything hidden: one query whatever the
depth, no per-request cache to keep in step with writes of the same request. Every query below
starts from `visible_items` or `public_items`; no page checks states or dates by itself.
"""

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_login import AnonymousUserMixin
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.content import policies, tree
from app.content.models import Attachment, AttachmentState, ContentItem, ContentKind, ContentState
from app.directorates.models import portal_today
from app.extensions import db, utcnow

# Anyone, logged in or not: what the public lists (menu, news, webinars, search) show.
PUBLIC = AnonymousUserMixin()
# The items below those already found, as the recursive query walks down. Made once: building
# an alias again on every query cost more (8 ms) than running the query.
CHILD = aliased(ContentItem, name="child")


def _shown(item, user: User, today: date) -> ColumnElement[bool]:
    """Return the condition "the item itself (not its sections) is visible to the user"."""
    public = and_(
        item.state == ContentState.PUBLISHED,
        or_(item.effective_on.is_(None), item.effective_on <= today),
        or_(item.expires_on.is_(None), item.expires_on >= today),
    )
    if policies.can_author(user):
        return or_(public, item.author_id == user.id)
    return public


def visible_ids(user: User, today: date) -> Select:
    """Return a query of the ids of the items the user may see, sections above included."""
    top = (
        select(ContentItem.id)
        .where(ContentItem.parent_id.is_(None), _shown(ContentItem, user, today))
        .cte("visible_content", recursive=True)
    )
    tree = top.union_all(
        select(CHILD.id).join(top, CHILD.parent_id == top.c.id).where(_shown(CHILD, user, today))
    )
    return select(tree.c.id)


def visible_items(user: User) -> Select:
    """Return a query of the items the user may read today."""
    if policies.is_reviewer(user):
        return select(ContentItem)
    return select(ContentItem).where(ContentItem.id.in_(visible_ids(user, portal_today())))


def public_items() -> Select:
    """Return a query of the items anyone, anonymous included, may read today."""
    return visible_items(PUBLIC)


def is_visible(user: User, item: ContentItem) -> bool:
    """Say whether the user may read the item (and every section above it) today."""
    query = visible_items(user).where(ContentItem.id == item.id)
    return db.session.scalar(select(query.exists())) is True


def is_public(item: ContentItem) -> bool:
    """Say whether anyone may read the item today."""
    return is_visible(PUBLIC, item)


def is_public_to_all(user: User, item: ContentItem) -> bool:
    """Say whether anyone may read today an item the user may read.

    No query for a reader who may not write content: `_shown` gives them exactly what it
    gives anyone, so what they may read is public.
    """
    return not policies.can_author(user) or is_public(item)


def get_item(user: User, item_id: int) -> ContentItem:
    """Return an item by id if the user may read it, else 404."""
    item = db.session.scalar(visible_items(user).where(ContentItem.id == item_id))
    if item is None:
        abort(404)
    return item


def under(parent_id: int | None):
    """Return the condition "directly under this section" (or at the top for None)."""
    if parent_id is None:
        return ContentItem.parent_id.is_(None)
    return ContentItem.parent_id == parent_id


def by_path(user: User, language: str, path: str) -> ContentItem:
    """Return the item at a path of slugs in a language if the user may read it, else 404.

    One query: the items along the path (`tree.path_walk`) that the user may read. The rule
    covers the sections above, so the last item is enough to decide; when it is readable,
    so is every section above it, and they come with it for the breadcrumbs.
    """
    slugs = [part for part in path.split("/") if part]
    if not slugs:
        abort(404)
    walk = tree.path_walk(language, slugs)
    query = visible_items(user).join(walk, ContentItem.id == walk.c.id).add_columns(walk.c.path)
    rows = db.session.execute(query.order_by(ContentItem.id)).all()
    full = "/".join(slugs) + "/"
    item = next((found for found, found_path in rows if found_path == full), None)
    if item is None:
        abort(404)
    tree.link(found for found, _path in rows)
    return item


def other_version(user: User, item: ContentItem) -> tuple[ContentItem | None, bool]:
    """Return the item's version in the other language, if any, and whether the user may read it.

    One query for both, the sections above it with it (its address): editors offer a
    translation only where there is none, readers are led to it only where they may read it.
    """
    other = "en" if item.language == "fr" else "fr"
    readable = (
        true()
        if policies.is_reviewer(user)
        else ContentItem.id.in_(visible_ids(user, portal_today()))
    )
    translation = and_(ContentItem.group_id == item.group_id, ContentItem.language == other)
    query = select(ContentItem, readable.label("readable")).where(
        ContentItem.id.in_(tree.and_above(translation))
    )
    rows = db.session.execute(query).all()
    tree.link(found for found, _readable in rows)
    for found, is_readable in rows:
        if found.group_id == item.group_id and found.language == other:
            return found, bool(is_readable)
    return None, False


def children(user: User, item: ContentItem) -> Select:
    """Return a query of the items of a section that the user may read, in order."""
    query = visible_items(user).where(ContentItem.language == item.language, under(item.id))
    return query.order_by(ContentItem.position, ContentItem.title, ContentItem.id)


def navigation(language: str, limit: int) -> list[ContentItem]:
    """Return the first public top-level sections, for the main menu (at most `limit`).

    A top-level item has no section above it: the rule is its own condition, and the menu,
    on every page, does not walk the tree.
    """
    query = select(ContentItem).where(
        ContentItem.language == language,
        ContentItem.parent_id.is_(None),
        ContentItem.kind == ContentKind.SECTION,
        _shown(ContentItem, PUBLIC, portal_today()),
    )
    order = (ContentItem.position, ContentItem.title, ContentItem.id)
    return list(db.session.scalars(query.order_by(*order).limit(limit)))


@dataclass
class Entry:
    """A line of the site map: an item's title, state and address, at its depth in the tree."""

    id: int
    title: str
    state: ContentState
    language: str
    path: str
    depth: int


def sitemap(user: User, language: str) -> list[Entry]:
    """Return every item the user may read, depth first, with its depth and path (one query).

    Only what a line shows is read (not the texts). The sections above a readable item are
    readable too, so each item's path is made from the lines already read.
    """
    columns = (
        ContentItem.id,
        ContentItem.parent_id,
        ContentItem.title,
        ContentItem.slug,
        ContentItem.state,
    )
    query = visible_items(user).with_only_columns(*columns).where(ContentItem.language == language)
    rows = db.session.execute(
        query.order_by(ContentItem.position, ContentItem.title, ContentItem.id)
    ).all()
    by_parent: dict[int | None, list] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    result: list[Entry] = []
    # Depth first without recursion: a deep tree cannot exhaust Python's stack.
    stack = [(row, 0, "") for row in reversed(by_parent.get(None, []))]
    while stack:
        row, depth, above = stack.pop()
        path = f"{above}{row.slug}"
        result.append(Entry(row.id, row.title, row.state, language, path, depth))
        stack.extend(
            (child, depth + 1, f"{path}/") for child in reversed(by_parent.get(row.id, []))
        )
    return result


def newest(language: str, kind: ContentKind = ContentKind.NEWS) -> Select:
    """Return a query of the public items of a language and kind (news), the newest first."""
    query = public_items().where(ContentItem.language == language, ContentItem.kind == kind)
    order = func.coalesce(ContentItem.effective_on, ContentItem.published_at)
    return query.order_by(order.desc(), ContentItem.id.desc())


def coming_events(language: str) -> Select:
    """Return a query of the public events of a language that have not ended, the soonest first."""
    query = public_items().where(
        ContentItem.language == language,
        ContentItem.kind == ContentKind.EVENT,
        or_(ContentItem.ends_at.is_(None), ContentItem.ends_at >= utcnow()),
    )
    return query.order_by(ContentItem.starts_at, ContentItem.id)


def ended_events(language: str) -> Select:
    """Return a query of the public events of a language that have ended, the latest first."""
    query = public_items().where(
        ContentItem.language == language,
        ContentItem.kind == ContentKind.EVENT,
        ContentItem.ends_at < utcnow(),
    )
    return query.order_by(ContentItem.starts_at.desc(), ContentItem.id.desc())


def _first(query: Select, limit: int) -> list[ContentItem]:
    """Return the first items of a query, with the sections above them (two queries)."""
    items = list(db.session.scalars(query.limit(limit)))
    tree.with_sections(items)
    return items


def latest(language: str, kind: ContentKind, limit: int = 5) -> list[ContentItem]:
    """Return the latest public items of a kind (news), the newest first."""
    return _first(newest(language, kind), limit)


def upcoming_events(language: str, limit: int = 5) -> list[ContentItem]:
    """Return the public events that have not ended, the soonest first."""
    return _first(coming_events(language), limit)


def _attachment_states(user: User, item: ContentItem) -> list[AttachmentState]:
    """Return the states of the files the user sees: the online ones, and the working copy's."""
    states = [AttachmentState.CURRENT, AttachmentState.WITHDRAWN]
    if policies.can_see_copy(user, item):
        states.append(AttachmentState.ADDED)
    return states


def attachments(user: User, item: ContentItem) -> list[Attachment]:
    """Return the files of an item that the user may see and download, in order."""
    query = select(Attachment).where(
        Attachment.item_id == item.id,
        Attachment.item_id.in_(visible_items(user).with_only_columns(ContentItem.id)),
        Attachment.state.in_(_attachment_states(user, item)),
    )
    return list(db.session.scalars(query.order_by(Attachment.id)))


def get_attachment(user: User, item_id: int, attachment_id: int) -> Attachment:
    """Return a file of an item if the user may see the item and the file, else 404."""
    item = get_item(user, item_id)
    attachment = next((a for a in attachments(user, item) if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    return attachment
