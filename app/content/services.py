"""Writing content: saves as revisions, working copies, workflow, with conflicts detected.

Every write of an item goes through `changing`: the item's version number (SQLAlchemy's
optimistic versioning) makes the commit of a second, concurrent change fail, and that failure,
like a form opened on an older version, is a `Conflict` the routes answer plainly.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.auth.models import User
from app.content import policies, tree, visibility
from app.content.fields import (
    apply_fields,
    deserialise,
    editing_fields,
    serialise,
    tags_of,
)
from app.content.models import (
    EDITABLE,
    AttachmentState,
    ContentItem,
    ContentKind,
    ContentState,
    Revision,
)
from app.content.visibility import under
from app.content.workflow import COPY_DROPPED, COPY_PUBLISHED, TABLE, Transition
from app.extensions import db, utcnow
from app.notifications import services as notifications
from app.versioning import StaleVersion, check_version

# First path segments of the content pages (site map, search...): no top-level item may use them.
RESERVED = {"sitemap", "review", "manage", "new", "item", "news", "events", "missing", "search"}


class ContentError(Exception):
    """A change refused for a reason the editor can fix; `field` says where, if anywhere."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Exception):
    """The user may not do this to this item (answered with 403)."""


class Conflict(Exception):
    """Someone else changed the item since it was read; `item` is now their version."""

    def __init__(self, item: ContentItem):
        super().__init__("conflict")
        self.item = item


def _expect(item: ContentItem, version: int | None) -> None:
    """Refuse a change made on a page showing an older version of the item than the stored one."""
    try:
        check_version(item, version)
    except StaleVersion:
        raise Conflict(item) from None


@contextmanager
def changing(item: ContentItem) -> Iterator[None]:
    """Make changes to an item and commit them; a concurrent change of it raises Conflict."""
    item_id = item.id
    try:
        yield
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # Another session updated the row first (version) or took the same revision number.
        db.session.rollback()
        raise Conflict(db.session.get(ContentItem, item_id)) from None


# ---------------------------------------------------------------- reading


def get_item(user: User, item_id: int) -> ContentItem:
    """Return an item by id if the user may read it, else 404."""
    return visibility.get_item(user, item_id)


def path_of(item: ContentItem) -> str:
    """Return the path of slugs of an item, from the top (one query at most)."""
    return tree.path_of(item)


def breadcrumbs(item: ContentItem) -> list[ContentItem]:
    """Return the item's ancestors, from the top, then the item (one query at most)."""
    return tree.breadcrumbs(item)


def translation(item: ContentItem) -> ContentItem | None:
    """Return the item's version in the other language, if there is one (visible or not)."""
    other = "en" if item.language == "fr" else "fr"
    return db.session.scalar(
        select(ContentItem).where(
            ContentItem.group_id == item.group_id, ContentItem.language == other
        )
    )


# ---------------------------------------------------------------- writing


def _check(item: ContentItem, fields: dict[str, Any]) -> None:
    """Refuse a slug the portal's pages use at the top, or already taken next to the item."""
    parent_id = item.parent.id if item.parent is not None else None
    if parent_id is None and fields["slug"] in RESERVED:
        raise ContentError(_("This address is reserved: choose another one."), "slug")
    siblings = select(ContentItem.id).where(
        ContentItem.language == item.language,
        ContentItem.slug == fields["slug"],
        ContentItem.parent_id.is_(None)
        if parent_id is None
        else ContentItem.parent_id == parent_id,
    )
    if item.id is not None:
        siblings = siblings.where(ContentItem.id != item.id)
    if db.session.scalar(siblings.limit(1)) is not None:
        raise ContentError(_("Another item here already has this address."), "slug")


def _revision(item: ContentItem, user: User | None, action: str, data: dict, comment: str):
    number = (max((r.number for r in item.revisions), default=0)) + 1
    revision = Revision(
        number=number,
        action=action,
        comment=comment[:300],
        data=data,
        author_id=user.id if user else None,
    )
    item.revisions.append(revision)
    return revision


def create(
    user: User | None,
    kind: ContentKind,
    language: str,
    parent: ContentItem | None,
    fields: dict[str, Any],
    comment: str = "",
    translation_of: ContentItem | None = None,
) -> ContentItem:
    """Create a private item, its first revision, and link it to its translation if given."""
    item = ContentItem(
        kind=kind,
        language=language,
        parent=parent,
        author_id=user.id if user else None,
        state=ContentState.PRIVATE,
        position=_next_position(parent, language),
        **{name: fields.get(name) for name in EDITABLE if fields.get(name) is not None},
    )
    _check(item, fields)
    try:
        db.session.add(item)
        db.session.flush()
        item.group_id = translation_of.group_id if translation_of else item.id
        _revision(item, user, "created", serialise(fields), comment)
        audit.record("content_created", item, actor=user)
        if translation_of is not None and tags_of(fields) != tags_of(
            editing_fields(translation_of)
        ):
            _share_tags(user, item, translation_of, tags_of(fields))
        db.session.commit()
    except IntegrityError:
        # The same translation created by someone else at the same instant.
        db.session.rollback()
        raise ContentError(
            _("This item was translated into this language in the meantime."), "title"
        ) from None
    except StaleDataError:
        # The other version, whose tags this one shares, was changed at the same instant.
        db.session.rollback()
        raise ContentError(
            _("The other language version was changed in the meantime: save again."),
            "competences",
        ) from None
    return item


def _next_position(parent: ContentItem | None, language: str) -> int:
    query = select(func.max(ContentItem.position)).where(
        ContentItem.language == language, under(parent.id if parent is not None else None)
    )
    return (db.session.scalar(query) or 0) + 1


def save(
    user: User,
    item: ContentItem,
    fields: dict[str, Any],
    comment: str = "",
    version: int | None = None,
) -> Revision:
    """Save an edit as a new revision; a published item keeps its online version meanwhile."""
    _expect(item, version)
    if not policies.can_edit(user, item):
        raise NotAllowed
    before = editing_fields(item)
    fields = {**before, **fields}
    _check(item, fields)
    data = serialise(fields)
    with changing(item):
        if tags_of(fields) != tags_of(before):
            other = translation(item)
            if other is not None:
                _share_tags(user, item, other, tags_of(fields))
        if item.state is ContentState.PUBLISHED:
            item.working_copy = data
            item.working_state = item.working_state or ContentState.PRIVATE
            action = "working_copy"
        else:
            apply_fields(item, fields)
            action = "saved"
        item.updated_at = utcnow()
        revision = _revision(item, user, action, data, comment)
    return revision


def _share_tags(user: User, item: ContentItem, other: ContentItem, tags: dict[str, list]) -> None:
    """Carry an edit of the tags over to the other language version, through its own channel.

    The two versions of an item share their tags: a published one receives them in its working
    copy (online once that copy is published), a draft directly; either way as a revision of
    its own. A version the user may not change now (someone else's, under review) keeps its
    tags: `tags_differ` then tells the editors.
    """
    if other.kind is ContentKind.SECTION or not policies.can_edit(user, other):
        return
    fields = {**editing_fields(other), **tags}
    data = serialise(fields)
    if other.state is ContentState.PUBLISHED:
        other.working_copy = data
        other.working_state = other.working_state or ContentState.PRIVATE
        action = "working_copy"
    else:
        apply_fields(other, fields)
        action = "saved"
    other.updated_at = utcnow()
    if item.language == "fr":
        comment = _("Competences and learning paths taken from the French version")
    else:
        comment = _("Competences and learning paths taken from the English version")
    _revision(other, user, action, data, comment)


def tags_differ(item: ContentItem) -> ContentItem | None:
    """Return the other language version if its tags (as being edited) differ from the item's."""
    other = translation(item)
    if other is None or tags_of(editing_fields(other)) == tags_of(editing_fields(item)):
        return None
    return other


def record_file_change(user: User, item: ContentItem, action: str, file_name: str) -> None:
    """Note a file added or removed in the history; on a published item, in its working copy."""
    if item.state is ContentState.PUBLISHED and item.working_copy is None:
        item.working_copy = serialise(item.fields())
        item.working_state = ContentState.PRIVATE
    data = item.working_copy if item.working_copy is not None else serialise(item.fields())
    item.updated_at = utcnow()
    _revision(item, user, action, data, file_name)
    audit.record(f"content_{action}", item, actor=user, file=file_name)


def _settle_files(item: ContentItem, moves: dict[AttachmentState, AttachmentState]) -> None:
    """Move the files of the working copy as the copy is published or dropped."""
    for attachment in item.attachments:
        new = moves.get(attachment.state)
        if new is not None:
            attachment.state = new
            if new is AttachmentState.REMOVED:
                attachment.removed_at = utcnow()


def transition(
    user: User, item: ContentItem, name: Transition, comment: str = "", version: int | None = None
) -> None:
    """Fire a workflow transition on the item, or on its working copy when it has one."""
    _expect(item, version)
    on_copy = item.working_state is not None and not (
        name is Transition.RETRACT and item.working_state is ContentState.PRIVATE
    )
    state = item.working_state if on_copy else item.state
    move = TABLE.get((state, name))
    if move is None or not policies.may_fire(user, item, move):
        raise NotAllowed
    if move.needs_comment and not comment.strip():
        raise ContentError(_("Say what the author should change."), "comment")
    with changing(item):
        _move(user, item, name, move.to, on_copy, comment)


def _move(
    user: User, item: ContentItem, name: Transition, to: ContentState, on_copy: bool, comment: str
) -> None:
    now = utcnow()
    if on_copy and to is ContentState.PUBLISHED:
        data = item.working_copy or {}
        apply_fields(item, deserialise(data))
        _settle_files(item, COPY_PUBLISHED)
        item.working_copy = None
        item.working_state = None
        item.published_at = now
        _revision(item, user, "published", data, comment)
    elif on_copy:
        item.working_state = to
    else:
        item.state = to
        if to is ContentState.PUBLISHED:
            item.published_at = now
        elif item.working_copy is not None:
            # Taken offline: the pending edits (and files) become the item's own draft.
            apply_fields(item, deserialise(item.working_copy))
            _settle_files(item, COPY_PUBLISHED)
            item.working_copy = None
            item.working_state = None
    if name is Transition.REJECT:
        item.review_comment = comment.strip()
    elif name in (Transition.SUBMIT, Transition.PUBLISH):
        item.review_comment = ""
    item.updated_at = now
    audit.record(f"content_{name.value}", item, actor=user, copy=on_copy, comment=comment)
    if name is Transition.SUBMIT:
        notifications.content_submitted(user, item, changes=on_copy)


def discard_copy(user: User, item: ContentItem, version: int | None = None) -> None:
    """Drop the working copy of a published item (its revisions and files stay in the history)."""
    _expect(item, version)
    if item.working_copy is None or not policies.can_edit(user, item):
        raise NotAllowed
    with changing(item):
        _settle_files(item, COPY_DROPPED)
        item.working_copy = None
        item.working_state = None
        audit.record("content_discard", item, actor=user)


def restore(user: User, item: ContentItem, number: int) -> Revision:
    """Save an old revision's fields again, as a new revision (nothing is lost)."""
    old = next((r for r in item.revisions if r.number == number), None)
    if old is None:
        abort(404)
    fields = deserialise(old.data)
    fields["slug"] = editing_fields(item)["slug"] if _slug_taken(item, fields) else fields["slug"]
    return save(user, item, fields, _("Restored revision %(number)d", number=number))


def _slug_taken(item: ContentItem, fields: dict[str, Any]) -> bool:
    try:
        _check(item, fields)
    except ContentError:
        return True
    return False
