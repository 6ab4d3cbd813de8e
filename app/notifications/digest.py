"""The daily digest: one e-mail per user who chose it, listing what happened since the last.

Each user's digest is one transaction whose first statement moves the user's
`digest_covered_until` from the value read to the end of the new period, on condition that it
still holds the value read (a conditional UPDATE). Of two runs at once, the second one's UPDATE
waits for the first one's commit (PostgreSQL's row lock, SQLite's write lock), then matches no
row: it sends nothing. The digest's e-mail is committed with that UPDATE, so a run that fails
half-way keeps the digests it sent, and the next run sends the others, once.

A period ends a few minutes before the run (`SETTLE`): an event is timestamped when its
transaction writes it but seen only once that transaction commits, a moment later; an event
written just before a run and committed just after it falls into the next period, not between.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from app import audit, mail
from app.audit import AuditEntry
from app.auth.models import Notifications, User
from app.content import tree
from app.content.models import ContentItem, ContentState
from app.declarations.models import Declaration, DeclarationEvent, DeclarationStatus
from app.declarations.thread import thread_link
from app.declarations.thread_models import DeclarationMessage
from app.declarations.workflow import Side
from app.directorates.models import Call, Directorate
from app.extensions import db, utcnow
from app.notifications.services import account_link, choosing, content_link, declaration_link

SETTLE = timedelta(minutes=5)
# What the first digest covers when the moment the digest was chosen is unknown.
FIRST_PERIOD = timedelta(days=1)


@dataclass
class Submission:
    """A declaration submitted in the period (the last time, if several), with its address."""

    declaration: Declaration
    submitted_at: datetime
    again: bool  # submitted again after corrections
    link: str = ""


@dataclass
class Conversation:
    """Messages a directorate wrote in the period on its declaration for a call."""

    call: Call
    directorate: Directorate
    messages: int
    link: str = ""


@dataclass
class Digest:
    """What happened in a period that one user did not do themselves."""

    since: datetime
    until: datetime
    declarations: list[Submission] = field(default_factory=list)
    content: list[tuple[ContentItem, str]] = field(default_factory=list)  # item, address
    conversations: list[Conversation] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return the number of submissions listed (declarations and content)."""
        return len(self.declarations) + len(self.content)

    @property
    def is_empty(self) -> bool:
        """Say whether nothing happened in the period (no digest is sent then)."""
        return not self.count and not self.conversations


@dataclass
class DigestReport:
    """What a run did: digests sent, users with nothing new, users another run served."""

    sent: int = 0
    quiet: int = 0
    already_sent: int = 0


def _not_by(actor_id, user: User):
    return or_(actor_id.is_(None), actor_id != user.id)


def _declarations(user: User, since: datetime, until: datetime) -> list[Submission]:
    """Return the declarations submitted in the period, each once, in the order submitted."""
    query = (
        select(DeclarationEvent)
        .where(
            DeclarationEvent.action == "submit",
            DeclarationEvent.created_at > since,
            DeclarationEvent.created_at <= until,
            _not_by(DeclarationEvent.actor_id, user),
        )
        .options(
            joinedload(DeclarationEvent.declaration).joinedload(Declaration.call),
            joinedload(DeclarationEvent.declaration).joinedload(Declaration.directorate),
        )
        .order_by(DeclarationEvent.created_at, DeclarationEvent.id)
    )
    found: dict[int, Submission] = {}
    for event in db.session.scalars(query):
        before = (event.changes or {}).get("status", [None])[0]
        again = before == DeclarationStatus.CORRECTIONS_REQUESTED.value
        earlier = found.pop(event.declaration_id, None)
        found[event.declaration_id] = Submission(
            event.declaration, event.created_at, again or (earlier is not None and earlier.again)
        )
    for submission in found.values():
        submission.link = declaration_link(submission.declaration, user.language)
    return list(found.values())


def _content(user: User, since: datetime, until: datetime) -> list[tuple[ContentItem, str]]:
    """Return the items submitted for review in the period that still wait for it."""
    submitted = select(AuditEntry.object_id).where(
        AuditEntry.action == "content_submit",
        AuditEntry.created_at > since,
        AuditEntry.created_at <= until,
        _not_by(AuditEntry.actor_id, user),
    )
    ids = {int(value) for value in db.session.scalars(submitted) if value.isdigit()}
    if not ids:
        return []
    query = (
        select(ContentItem)
        .where(
            ContentItem.id.in_(ids),
            or_(
                ContentItem.state == ContentState.PENDING,
                ContentItem.working_state == ContentState.PENDING,
            ),
        )
        .order_by(ContentItem.language, ContentItem.title, ContentItem.id)
    )
    items = list(db.session.scalars(query))
    tree.with_sections(items)
    return [(item, content_link(item)) for item in items]


def _conversations(user: User, since: datetime, until: datetime) -> list[Conversation]:
    """Return the conversations in which directorates wrote in the period, last written last."""
    written = (
        select(
            DeclarationMessage.call_id,
            DeclarationMessage.directorate_id,
            func.count(DeclarationMessage.id).label("messages"),
            func.max(DeclarationMessage.id).label("last"),
        )
        .where(
            DeclarationMessage.side == Side.DIRECTORATE,
            DeclarationMessage.created_at > since,
            DeclarationMessage.created_at <= until,
            _not_by(DeclarationMessage.author_id, user),
        )
        .group_by(DeclarationMessage.call_id, DeclarationMessage.directorate_id)
        .subquery()
    )
    query = (
        select(Call, Directorate, written.c.messages)
        .join(written, written.c.call_id == Call.id)
        .join(Directorate, Directorate.id == written.c.directorate_id)
        .order_by(written.c.last)
    )
    return [
        Conversation(call, directorate, count, thread_link(call, directorate, user.language))
        for call, directorate, count in db.session.execute(query)
    ]


def collect(user: User, since: datetime, until: datetime) -> Digest:
    """Return what happened after `since` up to `until` that the user did not do."""
    return Digest(
        since=since,
        until=until,
        declarations=_declarations(user, since, until),
        content=_content(user, since, until),
        conversations=_conversations(user, since, until),
    )


def _claim(user_id: int, seen: datetime | None, until: datetime) -> bool:
    """Move the user's covered period to `until` if no other run did since it was read."""
    covered = User.digest_covered_until
    query = (
        update(User)
        .where(
            User.id == user_id,
            choosing(Notifications.DIGEST),
            covered.is_(None) if seen is None else covered == seen,
        )
        .values(digest_covered_until=until)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(query).rowcount == 1


def _send_one(user_id: int, seen: datetime | None, until: datetime, report: DigestReport):
    """Send one user's digest in its own transaction, or nothing if another run did."""
    since = seen or until - FIRST_PERIOD
    if since >= until:
        report.quiet += 1  # chose the digest a few minutes ago: nothing to cover yet
        return
    try:
        if not _claim(user_id, seen, until):
            db.session.rollback()
            report.already_sent += 1
            return
        user = db.session.get(User, user_id)
        digest = collect(user, since, until)
        if not digest.is_empty:
            mail.send(
                user.email,
                "notification_digest",
                user.language,
                user=user,
                digest=digest,
                review=mail.external_url("content.review", lang=user.language),
                account=account_link(user.language),
            )
            report.sent += 1
        else:
            report.quiet += 1
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def send_digests(now: datetime | None = None) -> DigestReport:
    """E-mail each user who chose the daily digest what happened since their last one.

    Never the same period twice, even when two runs overlap; nothing to a user with nothing
    new. The caller's session must hold no pending change.
    """
    until = (now or utcnow()) - SETTLE
    report = DigestReport()
    query = select(User.id, User.digest_covered_until).where(choosing(Notifications.DIGEST))
    users = [
        (row.id, row.digest_covered_until) for row in db.session.execute(query.order_by(User.id))
    ]
    # End the reading transaction: each user's transaction starts with its write (on SQLite,
    # a transaction that read before writing could fail on another run's commit).
    db.session.rollback()
    for user_id, seen in users:
        _send_one(user_id, seen, until, report)
    audit.record(
        "notifications.digest",
        sent=report.sent,
        quiet=report.quiet,
        already_sent=report.already_sent,
    )
    db.session.commit()
    return report
