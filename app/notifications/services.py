"""Who is told of the project team's waiting work, and the e-mails sent at once.

An event (a declaration submitted, a content item submitted for review) queues its e-mails in
the transaction that records it (`app.mail.send`): they exist exactly when the event is
committed, and the mail worker delivers them afterwards. The person who made the event is
never told of it.
"""

from sqlalchemy import ColumnElement, and_, or_, select

from app import mail
from app.auth.models import NOTIFICATION_DEFAULTS, Notifications, User
from app.content import tree
from app.content.models import ContentItem
from app.declarations.models import Declaration
from app.declarations.thread import thread_link
from app.extensions import db, utcnow


def choosing(choice: Notifications) -> ColumnElement[bool]:
    """Return the condition of the active users told of the team's work in this way."""
    by_default = [role for role, default in NOTIFICATION_DEFAULTS.items() if default is choice]
    return and_(
        User.active.is_(True),
        User.role.in_(NOTIFICATION_DEFAULTS),
        or_(
            User.notifications == choice,
            and_(User.notifications.is_(None), User.role.in_(by_default)),
        ),
    )


def choose(user: User, choice: Notifications) -> None:
    """Record how the user wants to be told; a digest chosen now covers what happens next."""
    if choice is Notifications.DIGEST and user.notification_choice is not Notifications.DIGEST:
        user.digest_covered_until = utcnow()
    user.notifications = choice
    db.session.commit()


def declaration_link(declaration: Declaration, language: str) -> str:
    """Return the absolute address of a declaration's page, for an e-mail."""
    return mail.external_url(
        "declarations.view",
        call_code=declaration.call.code,
        directorate_code=declaration.directorate.code,
        lang=language,
    )


def content_link(item: ContentItem) -> str:
    """Return the absolute address of a content item, in its own language, for an e-mail."""
    return mail.external_url("content.view", lang=item.language, path=tree.path_of(item))


def account_link(language: str) -> str:
    """Return the absolute address of the account page, where the choice is changed."""
    return mail.external_url("auth.account", lang=language)


def _told_at_once(actor: User | None) -> list[User]:
    query = select(User).where(choosing(Notifications.IMMEDIATE)).order_by(User.email)
    if actor is not None:
        query = query.where(User.id != actor.id)
    return list(db.session.scalars(query))


def declaration_submitted(actor: User | None, declaration: Declaration, again: bool) -> None:
    """Queue an e-mail to each user told at once that a declaration waits for review.

    `again` says it comes back after the corrections the project team asked for. The caller
    commits with the submission.
    """
    for person in _told_at_once(actor):
        mail.send(
            person.email,
            "notification_declaration",
            person.language,
            user=person,
            declaration=declaration,
            again=again,
            link=declaration_link(declaration, person.language),
            account=account_link(person.language),
        )


def content_submitted(actor: User | None, item: ContentItem, changes: bool) -> None:
    """Queue an e-mail to each user told at once that a content item waits for review.

    `changes` says it is the working copy of a published item. The caller commits with the
    transition.
    """
    people = _told_at_once(actor)
    if not people:
        return
    link = content_link(item)
    for person in people:
        mail.send(
            person.email,
            "notification_content",
            person.language,
            user=person,
            item=item,
            author=actor.display_name if actor is not None else "",
            changes=changes,
            link=link,
            review=mail.external_url("content.review", lang=person.language),
            account=account_link(person.language),
        )


def message_from_directorate(actor: User, call, directorate, message) -> None:
    """Queue an e-mail to each user told at once that a directorate wrote in its conversation.

    Those who chose the daily digest find it there. The caller commits with the message.
    """
    for person in _told_at_once(actor):
        mail.send(
            person.email,
            "notification_message",
            person.language,
            user=person,
            call=call,
            directorate=directorate,
            message=message,
            author=actor.display_name,
            link=thread_link(call, directorate, person.language),
            account=account_link(person.language),
        )
