"""Invitations of an accepted declaration's PIX Orga administrators to the follow-up.

An invited administrator gets an account of the role PIX Orga administrator, attached to the
declaration's directorate, which reaches only that directorate's campaign follow-up. An address
already used by another kind of account is refused: that account is never changed.
"""

import enum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth import services as accounts
from app.auth.models import Role, User
from app.declarations import policies
from app.declarations.models import Administrator, Declaration
from app.extensions import db


class AccountState(enum.StrEnum):
    """Where an administrator stands with respect to the follow-up of the directorate."""

    NO_EMAIL = "no_email"
    NONE = "none"
    INVITED = "invited"
    HAS_ACCESS = "has_access"
    CORRESPONDENT = "correspondent"
    DEACTIVATED = "deactivated"
    OTHER_ACCOUNT = "other_account"


# States in which the invite button sends an invitation (a first one, or again).
INVITABLE = frozenset({AccountState.NONE, AccountState.INVITED})


class Outcome(enum.StrEnum):
    """What an invitation did."""

    INVITED = "invited"
    INVITED_AGAIN = "invited_again"
    HAS_ACCESS = "has_access"
    ALREADY_INVITED = "already_invited"


class NotAllowed(PermissionError):
    """The user may not invite this declaration's administrators now."""


class InvitationRefused(ValueError):
    """The administrator cannot be invited; the reason is an AccountState."""

    def __init__(self, state: AccountState):
        super().__init__(state.value)
        self.state = state


def state_of(administrator: Administrator, user: User | None) -> AccountState:
    """Return the administrator's state given the account using their address, if any."""
    if not administrator.email.strip():
        return AccountState.NO_EMAIL
    if user is None:
        return AccountState.NONE
    directorate_id = administrator.declaration.directorate_id
    if user.directorate_id != directorate_id or user.role not in (
        Role.PIXORGA_ADMIN,
        Role.DIRECTORATE,
    ):
        return AccountState.OTHER_ACCOUNT
    if not user.active:
        return AccountState.DEACTIVATED
    if user.role is Role.DIRECTORATE:
        return AccountState.CORRESPONDENT
    return AccountState.HAS_ACCESS if user.has_password else AccountState.INVITED


def account_states(declaration: Declaration) -> list[tuple[Administrator, AccountState]]:
    """Return each administrator of the declaration with their state (one query)."""
    emails = {accounts.normalize_email(a.email) for a in declaration.administrators}
    emails.discard("")
    users = {}
    if emails:
        query = select(User).where(func.lower(User.email).in_(emails))
        users = {user.email.lower(): user for user in db.session.scalars(query)}
    return [
        (person, state_of(person, users.get(accounts.normalize_email(person.email))))
        for person in declaration.administrators
    ]


def invite(actor: User, declaration: Declaration, administrator: Administrator) -> Outcome:
    """Invite an administrator of the declaration to the follow-up, or say why not.

    A new account is created and e-mailed an invitation; an invited account that has not
    chosen its password yet gets the invitation again. Two people inviting the same person at
    the same instant create one account: the second is told the person is already invited.
    """
    if administrator.declaration_id != declaration.id or not policies.can_invite_administrators(
        actor, declaration
    ):
        raise NotAllowed
    email = accounts.normalize_email(administrator.email)
    user = accounts.find_user_by_email(email) if email else None
    state = state_of(administrator, user)
    if state is AccountState.NONE:
        return _create_account(declaration, administrator, email)
    if state is AccountState.INVITED:
        accounts.send_invitation(user)
        _record(declaration, administrator, email, Outcome.INVITED_AGAIN)
        db.session.commit()
        return Outcome.INVITED_AGAIN
    if state in (AccountState.HAS_ACCESS, AccountState.CORRESPONDENT):
        return Outcome.HAS_ACCESS
    raise InvitationRefused(state)


def _create_account(declaration: Declaration, administrator: Administrator, email: str) -> Outcome:
    _record(declaration, administrator, email, Outcome.INVITED)
    full_name = f"{administrator.first_name.strip()} {administrator.last_name.strip()}".strip()
    try:
        accounts.create_user(
            email, Role.PIXORGA_ADMIN, full_name=full_name, directorate=declaration.directorate
        )
    except (IntegrityError, accounts.AccountError):
        # Created meanwhile by someone else (the unique address refused the second one).
        db.session.rollback()
        return Outcome.ALREADY_INVITED
    return Outcome.INVITED


def _record(declaration: Declaration, administrator: Administrator, email: str, outcome: Outcome):
    audit.record(
        "declaration.administrator_invited",
        declaration,
        administrator=administrator.id,
        email=email,
        directorate=declaration.directorate.code,
        outcome=outcome.value,
    )
