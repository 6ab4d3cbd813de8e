"""A directorate's contact mailboxes: listed, added, changed, deactivated (never deleted)."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.directorates.models import Directorate, DirectorateContact
from app.extensions import db
from app.versioning import StaleVersion, check_version


class DuplicateContact(ValueError):
    """The directorate already has a contact with this e-mail address."""


def normalize_email(email: str) -> str:
    """Return the address trimmed and lower-cased, as contacts and accounts compare them."""
    return email.strip().lower()


def directorate_contacts(directorate: Directorate) -> list[DirectorateContact]:
    """Return every contact of a directorate, the active ones first, by address."""
    query = select(DirectorateContact).where(DirectorateContact.directorate_id == directorate.id)
    return list(
        db.session.scalars(
            query.order_by(DirectorateContact.active.desc(), DirectorateContact.email)
        )
    )


def get_contact(directorate: Directorate, contact_id: int) -> DirectorateContact | None:
    """Return a contact of this directorate by id, or None (another directorate's is not found)."""
    return db.session.scalar(
        select(DirectorateContact).where(
            DirectorateContact.id == contact_id,
            DirectorateContact.directorate_id == directorate.id,
        )
    )


def active_contacts() -> list[DirectorateContact]:
    """Return every active contact with its directorate, by directorate code then address."""
    query = (
        select(DirectorateContact)
        .join(DirectorateContact.directorate)
        .where(DirectorateContact.active.is_(True))
        .options(joinedload(DirectorateContact.directorate))
        .order_by(Directorate.code, DirectorateContact.email)
    )
    return list(db.session.scalars(query))


def contacts_by_directorate() -> dict[int, list[DirectorateContact]]:
    """Return the active contacts of every directorate, in one query, by directorate id."""
    result: dict[int, list[DirectorateContact]] = {}
    for contact in active_contacts():
        result.setdefault(contact.directorate_id, []).append(contact)
    return result


FIELDS = ("email", "label", "language", "active")


def save_contact(
    contact: DirectorateContact, directorate: Directorate, version: int | None = None, **values
) -> DirectorateContact:
    """Create or change a contact of a directorate, recording what changed.

    StaleVersion if the contact changed since the form was opened, DuplicateContact if the
    directorate already has this address.
    """
    check_version(contact, version)
    values["email"] = normalize_email(values["email"])
    values["label"] = values.get("label", "").strip()
    creating = contact.id is None
    duplicate = select(DirectorateContact.id).where(
        DirectorateContact.directorate_id == directorate.id,
        DirectorateContact.email == values["email"],
    )
    if not creating:
        duplicate = duplicate.where(DirectorateContact.id != contact.id)
    if db.session.scalar(duplicate) is not None:
        raise DuplicateContact(values["email"])
    changed = {}
    for field in FIELDS:
        if field in values and getattr(contact, field) != values[field]:
            changed[field] = [getattr(contact, field), values[field]]
            setattr(contact, field, values[field])
    if creating:
        contact.directorate_id = directorate.id
        db.session.add(contact)
    try:
        db.session.flush()
        if changed:
            audit.record(
                _action(creating, changed),
                contact,
                directorate=directorate.code,
                email=contact.email,
                changes=changed,
            )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleVersion(contact) from None
    except IntegrityError:
        db.session.rollback()
        raise DuplicateContact(values["email"]) from None
    return contact


def _action(creating: bool, changed: dict) -> str:
    if creating:
        return "contact.created"
    if "active" in changed:
        return "contact.reactivated" if changed["active"][1] else "contact.deactivated"
    return "contact.updated"
