"""The known data set of the 2023 call (DREAL-PDL submitted, 140 licences requested; DGPR
accepted, 95; DREAL-ARA in draft, 5) and the forms of the pool and of a grant."""

import pytest
from sqlalchemy import func, select

from app.declarations.models import Declaration, DeclarationEvent
from app.directorates.models import Directorate
from app.extensions import db
from app.licences.models import LicenceGrant, LicencePool, LicencePoolEvent
from tests.factories import Known, build_known

POOL_URL = "/{lang}/licences/PIX-2023/"
GRANT_URL = "/{lang}/licences/PIX-2023/{code}"


@pytest.fixture
def known(app) -> Known:
    """Build the known data set of the 2023 call."""
    return build_known()


def set_pool(client, licences, comment="", version=None, lang="en"):
    """Post the pool form; the version is the pool's current one unless given."""
    if version is None:
        version = pool_version()
    data = {"licences": str(licences), "comment": comment, "version": version}
    return client.post(POOL_URL.format(lang=lang), data=data)


def grant(client, code, licences, comment="", version=None, lang="en"):
    """Post the grant form of a directorate; the version is its grant's current one unless given."""
    if version is None:
        version = grant_version(code)
    data = {"licences": str(licences), "comment": comment, "version": version}
    return client.post(GRANT_URL.format(lang=lang, code=code), data=data)


def pool_version() -> str:
    db.session.expire_all()
    version = db.session.scalar(select(LicencePool.version))
    return str(version) if version is not None else ""


def grant_of(code: str) -> LicenceGrant | None:
    db.session.expire_all()
    return db.session.scalar(
        select(LicenceGrant)
        .join(Declaration, LicenceGrant.declaration_id == Declaration.id)
        .join(Directorate, Declaration.directorate_id == Directorate.id)
        .where(Directorate.code == code)
    )


def grant_version(code: str) -> str:
    found = grant_of(code)
    return str(found.version) if found is not None else ""


def granted() -> dict[str, int]:
    """Return the licences granted by directorate code."""
    db.session.expire_all()
    query = (
        select(Directorate.code, LicenceGrant.licences)
        .join(Declaration, LicenceGrant.declaration_id == Declaration.id)
        .join(Directorate, Declaration.directorate_id == Directorate.id)
    )
    return dict(db.session.execute(query).all())


def pool_size() -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(LicencePool.licences))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def grant_events() -> list[DeclarationEvent]:
    db.session.expire_all()
    query = select(DeclarationEvent).where(DeclarationEvent.action == "licences_granted")
    return list(db.session.scalars(query.order_by(DeclarationEvent.id)))


def pool_events() -> list[LicencePoolEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(LicencePoolEvent).order_by(LicencePoolEvent.id)))
