"""The people the declarations name: ambassadors and PIX Orga administrators, by address.

Addresses compare case-insensitively: a person named by two directorates (or twice by one) is
one person, with the roles of every line naming them. Invitations go to the people of submitted
or accepted declarations; a person stays invited while a declaration of the call that has been
submitted names them (one sent back for corrections, or reopened, still does until it is
changed), so that removing a person from a declaration withdraws their invitation.
"""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Select, func, literal, select, union_all

from app.auth.models import Role, User
from app.declarations.models import Administrator, Ambassador, Declaration, DeclarationStatus
from app.directorates.models import Directorate
from app.events.models import PersonRole
from app.extensions import db

# Declarations whose people are invited.
INVITING = (DeclarationStatus.SUBMITTED, DeclarationStatus.ACCEPTED)


@dataclass
class Person:
    """A person named in declarations, with every role and directorate naming them."""

    email: str
    first_name: str
    last_name: str
    roles: set[PersonRole] = field(default_factory=set)
    directorate_ids: list[int] = field(default_factory=list)


def normalize(email: str) -> str:
    """Return an address as invitations store it: trimmed, lower-case."""
    return (email or "").strip().lower()


def named_lines(call_id: int | None = None, directorate_ids=None, inviting: bool = False) -> Select:
    """Return the query of the lines naming a person (role, lower-cased address, names,
    directorate, call) in declarations submitted at least once, or, `inviting`, in the
    declarations whose people are invited."""
    queries = []
    for model, role in (
        (Ambassador, PersonRole.AMBASSADOR),
        (Administrator, PersonRole.ADMINISTRATOR),
    ):
        query = (
            select(
                Declaration.call_id.label("call_id"),
                Declaration.directorate_id.label("directorate_id"),
                Directorate.code.label("code"),
                literal(role.value).label("role"),
                model.position.label("position"),
                model.first_name.label("first_name"),
                model.last_name.label("last_name"),
                func.lower(func.trim(model.email)).label("email"),
            )
            .join(Declaration, model.declaration_id == Declaration.id)
            .join(Directorate, Declaration.directorate_id == Directorate.id)
            .where(func.trim(model.email) != "")
        )
        if inviting:
            query = query.where(Declaration.status.in_(INVITING))
        else:
            query = query.where(Declaration.submitted_at.is_not(None))
        if call_id is not None:
            query = query.where(Declaration.call_id == call_id)
        if directorate_ids is not None:
            query = query.where(Declaration.directorate_id.in_(list(directorate_ids)))
        queries.append(query)
    return union_all(*queries)


def named_people(
    call_id: int, directorate_id: int | None = None, inviting: bool = True
) -> dict[str, Person]:
    """Return the people named in the call's declarations, by address, in directorate order.

    `inviting`: only the declarations whose people are invited (submitted or accepted);
    otherwise every declaration submitted at least once (who is still named).
    """
    ids = [directorate_id] if directorate_id is not None else None
    lines = named_lines(call_id, ids, inviting).subquery()
    query = select(lines).order_by(lines.c.code, lines.c.role, lines.c.position)
    people: dict[str, Person] = {}
    for line in db.session.execute(query):
        person = people.get(line.email)
        if person is None:
            person = people[line.email] = Person(
                line.email, line.first_name.strip(), line.last_name.strip()
            )
        person.roles.add(PersonRole(line.role))
        if line.directorate_id not in person.directorate_ids:
            person.directorate_ids.append(line.directorate_id)
    return people


def roles_still_named(call_id: int, email: str) -> set[PersonRole]:
    """Return the roles in which a submitted declaration of the call still names a person."""
    lines = named_lines(call_id).subquery()
    query = select(lines.c.role).where(lines.c.email == normalize(email))
    return {PersonRole(role) for role in db.session.scalars(query.distinct())}


def languages(people: list[Person]) -> dict[str, str]:
    """Return the language to write to each person in (two queries).

    The language of the person's account, if they have one; otherwise the language most of
    the correspondents of their (first) directorate chose; French when nothing says.
    """
    if not people:
        return {}
    emails = [person.email for person in people]
    own = dict(
        db.session.execute(
            select(func.lower(User.email), User.language).where(func.lower(User.email).in_(emails))
        ).all()
    )
    directorate_ids = {person.directorate_ids[0] for person in people if person.directorate_ids}
    counts: dict[int, Counter] = {}
    query = (
        select(User.directorate_id, User.language, func.count(User.id))
        .where(
            User.role == Role.DIRECTORATE,
            User.active.is_(True),
            User.directorate_id.in_(directorate_ids),
        )
        .group_by(User.directorate_id, User.language)
    )
    for directorate_id, language, number in db.session.execute(query):
        counts.setdefault(directorate_id, Counter())[language] = number
    result = {}
    for person in people:
        language = own.get(person.email)
        if language is None and person.directorate_ids:
            chosen = counts.get(person.directorate_ids[0], Counter())
            # French first on a tie: sorted puts "en" before "fr", so compare (count, is_fr).
            language = max(chosen, key=lambda code: (chosen[code], code == "fr"), default=None)
        result[person.email] = language if language in ("fr", "en") else "fr"
    return result
