"""The personal link of an invitation: signed with the portal's secret key, for a while.

The link names the invitation (never its address), signed by itsdangerous with a salt of its own
(a link of another kind, such as a password reset, is refused here). It lets the person
register, change session or cancel without an account; it says nothing about anyone else.
"""

import enum
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app import mail
from app.events.models import Invitation
from app.extensions import db

SALT = "event-invitation"


class LinkState(enum.StrEnum):
    """What a link turned out to be."""

    VALID = "valid"
    EXPIRED = "expired"  # authentic but too old: a new one can be sent to its address
    INVALID = "invalid"  # tampered with, cut, or naming no invitation
    REPLACED = "replaced"  # authentic, but the invitation was sent again since with a new one


@dataclass
class Opened:
    """A link read: its state and, when authentic, its invitation."""

    state: LinkState
    invitation: Invitation | None = None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def max_age() -> int:
    """Return how long a link works, in seconds."""
    return current_app.config["EVENT_LINK_MAX_AGE_DAYS"] * 24 * 3600


def token_for(invitation: Invitation) -> str:
    """Return a fresh signed token for an invitation."""
    # The invitation and its generation only: the payload of a signed token is readable by
    # anyone who sees the link (a calendar file shared, a forwarded e-mail), so no address.
    payload = {"i": invitation.id, "g": invitation.link_generation}
    return _serializer().dumps(payload)


def url_for_person(invitation: Invitation, language: str, token: str | None = None) -> str:
    """Return the absolute address of a person's page, for an e-mail or a calendar file."""
    return mail.external_url("events.personal", token=token or token_for(invitation), lang=language)


def _opened(payload, state: LinkState) -> Opened:
    """Return the link's invitation in `state`, replaced if of an earlier generation."""
    if not isinstance(payload, dict):
        return Opened(LinkState.INVALID)
    invitation_id = payload.get("i")
    generation = payload.get("g", 0)  # the links sent before generations were counted
    email = payload.get("e")  # the links sent before the address was left out
    if not all(isinstance(v, int) for v in (invitation_id, generation)) or not isinstance(
        email, str | None
    ):
        return Opened(LinkState.INVALID)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or (email is not None and invitation.email != email):
        return Opened(LinkState.INVALID)
    if generation != invitation.link_generation:
        return Opened(LinkState.REPLACED, invitation)
    return Opened(state, invitation)


def open_link(token: str) -> Opened:
    """Read a token: valid with its invitation, expired or replaced (authentic), or invalid."""
    serializer = _serializer()
    try:
        payload = serializer.loads(token, max_age=max_age())
    except SignatureExpired as error:
        try:
            payload = serializer.load_payload(error.payload)
        except BadSignature:
            return Opened(LinkState.INVALID)
        return _opened(payload, LinkState.EXPIRED)
    except BadSignature:
        return Opened(LinkState.INVALID)
    return _opened(payload, LinkState.VALID)
