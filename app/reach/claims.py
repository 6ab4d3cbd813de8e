"""Links to claim an account for a directorate: issued to its contacts, checked, used once.

A link carries a signed payload: the contact, its directorate, the call and a random nonce.
The signature refuses a changed link and one older than CLAIM_LINK_MAX_AGE; the database
keeps only the nonce's hash, on the contact's invitation for the call, so that a link works
once (the claim is recorded on the invitation), only while it is the latest one sent, only
while the contact's address is the one it was sent to, and only for the contact, directorate
and call it was made for.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import audit, mail
from app.auth import services as accounts
from app.auth.models import Role, User
from app.directorates.models import Call, DirectorateContact
from app.extensions import db, utcnow
from app.reach.models import ContactInvitation

CLAIM_SALT = "directorate-claim"


class ClaimRefused(Exception):
    """A claim link that cannot be used; the reason is a key of REASONS in the routes."""

    def __init__(self, reason: str, invitation: ContactInvitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CLAIM_SALT)


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def max_age() -> timedelta:
    """Return how long a claim link works (CLAIM_LINK_MAX_AGE)."""
    return timedelta(seconds=current_app.config["CLAIM_LINK_MAX_AGE"])


class ClaimLinks:
    """The invitations of a call's contacts, read in one query, and new links for them."""

    def __init__(self, call: Call):
        self.call = call
        query = select(ContactInvitation).where(ContactInvitation.call_id == call.id)
        self.invitations = {i.contact_id: i for i in db.session.scalars(query)}

    def has(self, contact: DirectorateContact) -> bool:
        """Say whether the contact's address already had a link for this call (or claimed)."""
        invitation = self.invitations.get(contact.id)
        if invitation is None:
            return False
        return invitation.claimed_at is not None or invitation.email == contact.email

    def issue(self, contact: DirectorateContact, now: datetime | None = None) -> tuple[str, int]:
        """Return a new link for the contact and its validity in days; earlier links stop working.

        The contact's invitation for the call is created at its first link; the caller
        commits it with the e-mail that carries the link.
        """
        now = now or utcnow()
        nonce = secrets.token_urlsafe(32)
        invitation = self.invitations.get(contact.id)
        if invitation is None:
            invitation = ContactInvitation(
                call_id=self.call.id,
                contact_id=contact.id,
                directorate_id=contact.directorate_id,
                sent_at=now,
            )
            db.session.add(invitation)
            self.invitations[contact.id] = invitation
        invitation.nonce_hash = _digest(nonce)
        invitation.email = contact.email
        invitation.last_sent_at = now
        invitation.expires_at = now + max_age()
        payload = {
            "c": contact.id,
            "d": invitation.directorate_id,
            "k": self.call.id,
            "n": nonce,
        }
        token = _serializer().dumps(payload)
        link = mail.external_url("reach.claim", token=token, lang=contact.language)
        return link, max(max_age().days, 1)


def check_claim(token: str) -> ContactInvitation:
    """Return the invitation a claim link may still be used for; ClaimRefused says why not."""
    try:
        data = _serializer().loads(token, max_age=max_age().total_seconds())
    except SignatureExpired:
        raise ClaimRefused("expired") from None
    except BadSignature:
        raise ClaimRefused("invalid") from None
    nonce = data.get("n") if isinstance(data, dict) else None
    if not isinstance(nonce, str):
        raise ClaimRefused("invalid")
    invitation = db.session.scalar(
        select(ContactInvitation)
        .where(ContactInvitation.nonce_hash == _digest(nonce))
        .options(
            joinedload(ContactInvitation.contact),
            joinedload(ContactInvitation.directorate),
            joinedload(ContactInvitation.call),
        )
    )
    if invitation is None:
        # Never sent, or replaced by a newer link to the same mailbox.
        raise ClaimRefused("invalid")
    bound = (invitation.contact_id, invitation.directorate_id, invitation.call_id)
    if (data.get("c"), data.get("d"), data.get("k")) != bound:
        raise ClaimRefused("invalid")
    if invitation.contact.directorate_id != invitation.directorate_id:
        raise ClaimRefused("invalid")
    if invitation.claimed_at is not None:
        raise ClaimRefused("used", invitation)
    if invitation.email != invitation.contact.email:
        raise ClaimRefused("address_changed", invitation)
    if invitation.expires_at <= utcnow():
        raise ClaimRefused("expired")
    if not invitation.contact.active:
        raise ClaimRefused("contact_inactive", invitation)
    if not invitation.call.is_open:
        raise ClaimRefused("call_closed", invitation)
    return invitation


def existing_account(invitation: ContactInvitation) -> User | None:
    """Return the account that already uses the contact's address, if any."""
    return accounts.find_user_by_email(invitation.email)


def claim(invitation: ContactInvitation, full_name: str, password: str, language: str) -> User:
    """Create the directorate's account for the contact's address and use up the link.

    The account and the claim are one transaction; of two claims at once, or of a claim and
    an account created meanwhile for the same address, one only succeeds (ClaimRefused).
    """
    if existing_account(invitation) is not None:
        raise ClaimRefused("has_account", invitation)
    now = utcnow()
    user = User(
        email=accounts.normalize_email(invitation.email),
        role=Role.DIRECTORATE,
        directorate_id=invitation.directorate_id,
        full_name=full_name.strip(),
        language=language,
        password_hash=accounts.hash_password(password),
        password_changed_at=now,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ClaimRefused("has_account") from None
    taken = db.session.execute(
        update(ContactInvitation)
        .where(
            ContactInvitation.id == invitation.id,
            ContactInvitation.nonce_hash == invitation.nonce_hash,
            ContactInvitation.claimed_at.is_(None),
        )
        .values(claimed_at=now, claimed_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        db.session.rollback()
        raise ClaimRefused("used")
    audit.record("user.created", user, actor=user, email=user.email, role=user.role.value)
    audit.record(
        "reach.claimed",
        invitation,
        actor=user,
        directorate=invitation.directorate.code,
        email=user.email,
        call=invitation.call.code,
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ClaimRefused("has_account") from None
    return user
