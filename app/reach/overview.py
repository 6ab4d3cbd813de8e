"""A call's reach: per directorate, who was written to (correspondents or contacts), when,
and which messages failed or bounced; the claim links of its contacts.

Every list is a page of directorates (or of links) and a fixed number of queries for that
page, whatever the number of directorates, contacts or messages.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from app.auth.models import User
from app.directorates.models import Call, Directorate, DirectorateContact
from app.directorates.services import CORRESPONDENT, search_directorates
from app.extensions import db
from app.i18n import Labels
from app.mail import MessageStatus, OutboxMessage
from app.reach.models import ContactInvitation

PROBLEMS = (MessageStatus.FAILED, MessageStatus.BOUNCED)

STATES = Labels(
    {
        "unreached": _l("Not reached"),
        "problems": _l("With a failed or bounced e-mail"),
        "no_account": _l("Without an account"),
    }
)


@dataclass
class DirectorateReach:
    """What a directorate received for a call, and through whom."""

    directorate: Directorate
    users: list[User] = field(default_factory=list)
    contacts: list[DirectorateContact] = field(default_factory=list)
    invitations: dict[int, ContactInvitation] = field(default_factory=dict)
    messages: list[OutboxMessage] = field(default_factory=list)

    @property
    def state(self) -> str:
        """Say how far the call's e-mails got: reached, queued, failed or none."""
        statuses = {message.status for message in self.messages}
        if MessageStatus.SENT in statuses:
            return "reached"
        if MessageStatus.PENDING in statuses:
            return "queued"
        return "failed" if statuses else "none"

    @property
    def problems(self) -> list[OutboxMessage]:
        """Return the messages that failed or bounced."""
        return [m for m in self.messages if m.status in PROBLEMS]


def _message_exists(call: Call, *statuses: MessageStatus):
    condition = and_(
        OutboxMessage.call_id == call.id, OutboxMessage.directorate_id == Directorate.id
    )
    if statuses:
        condition = and_(condition, OutboxMessage.status.in_(statuses))
    return exists().where(condition)


def _has_account():
    return exists().where(
        CORRESPONDENT, User.directorate_id == Directorate.id, User.active.is_(True)
    )


def directorates_query(user: User, call: Call, search: str = "", state: str = "") -> Select:
    """Return a query of the directorates, found by code or name and by reach state."""
    query = search_directorates(user, search)
    if state == "unreached":
        query = query.where(~_message_exists(call, MessageStatus.SENT))
    elif state == "problems":
        query = query.where(_message_exists(call, *PROBLEMS))
    elif state == "no_account":
        query = query.where(~_has_account())
    return query


def reach_of(call: Call, directorates: list[Directorate]) -> list[DirectorateReach]:
    """Return the reach of each directorate of a page: three queries, whatever it holds."""
    rows = {d.id: DirectorateReach(d) for d in directorates}
    ids = list(rows)
    if not ids:
        return []
    users = select(User).where(CORRESPONDENT, User.directorate_id.in_(ids), User.active.is_(True))
    for user in db.session.scalars(users.order_by(User.email)):
        rows[user.directorate_id].users.append(user)
    # Each contact with its link for the call, if it got one.
    contacts = (
        select(DirectorateContact, ContactInvitation)
        .outerjoin(
            ContactInvitation,
            and_(
                ContactInvitation.contact_id == DirectorateContact.id,
                ContactInvitation.call_id == call.id,
            ),
        )
        .where(DirectorateContact.directorate_id.in_(ids))
        .options(joinedload(ContactInvitation.claimed_by))
        .order_by(DirectorateContact.active.desc(), DirectorateContact.email)
    )
    for contact, invitation in db.session.execute(contacts):
        rows[contact.directorate_id].contacts.append(contact)
        if invitation is not None:
            rows[contact.directorate_id].invitations[contact.id] = invitation
    messages = (
        select(OutboxMessage)
        .where(OutboxMessage.call_id == call.id, OutboxMessage.directorate_id.in_(ids))
        .options(
            load_only(
                OutboxMessage.created_at,
                OutboxMessage.recipients,
                OutboxMessage.subject,
                OutboxMessage.status,
                OutboxMessage.sent_at,
                OutboxMessage.bounced_at,
                OutboxMessage.error,
                OutboxMessage.directorate_id,
                OutboxMessage.contact_id,
            )
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    for message in db.session.scalars(messages):
        rows[message.directorate_id].messages.append(message)
    return list(rows.values())


def key_numbers(call: Call) -> dict[str, int]:
    """Return the call's reach in figures, in one statement.

    Directorates in all, with an account, reached (an e-mail of the call sent), reached only
    through their contacts, and the messages of the call that failed or bounced.
    """

    def count(condition=None):
        query = select(func.count(Directorate.id))
        return (query if condition is None else query.where(condition)).scalar_subquery()

    def messages(status: MessageStatus):
        return (
            select(func.count(OutboxMessage.id))
            .where(OutboxMessage.call_id == call.id, OutboxMessage.status == status)
            .scalar_subquery()
        )

    sent_to_contact = exists().where(
        OutboxMessage.call_id == call.id,
        OutboxMessage.directorate_id == Directorate.id,
        OutboxMessage.status == MessageStatus.SENT,
        OutboxMessage.contact_id.is_not(None),
    )
    row = db.session.execute(
        select(
            count(),
            count(_has_account()),
            count(_message_exists(call, MessageStatus.SENT)),
            count(and_(sent_to_contact, ~_has_account())),
            messages(MessageStatus.PENDING),
            messages(MessageStatus.FAILED),
            messages(MessageStatus.BOUNCED),
        )
    ).one()
    keys = ("directorates", "with_account", "reached", "through_contacts", "queued", "failed")
    return dict(zip((*keys, "bounced"), row, strict=True))


def invitations_query(call: Call, claimed: str = "") -> Select:
    """Return a query of the call's claim links with their contact, directorate and claimer."""
    query = (
        select(ContactInvitation)
        .join(ContactInvitation.directorate)
        .join(ContactInvitation.contact)
        .where(ContactInvitation.call_id == call.id)
        .options(
            contains_eager(ContactInvitation.contact),
            contains_eager(ContactInvitation.directorate),
            joinedload(ContactInvitation.claimed_by),
        )
        .order_by(Directorate.code, DirectorateContact.email)
    )
    if claimed == "yes":
        query = query.where(ContactInvitation.claimed_at.is_not(None))
    elif claimed == "no":
        query = query.where(ContactInvitation.claimed_at.is_(None))
    return query
