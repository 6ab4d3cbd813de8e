"""Demo licences: a pool on the 2023 call and a few grants, one below the request.

Written with their history and audit entries, without e-mails: the demo's outbox keeps only
the messages it is meant to show.
"""

from sqlalchemy import select

from app.auth.models import User
from app.declarations.models import Declaration
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.licences import services
from app.licences.models import LicencePool

DEMO_POOL = 400
# (directorate code, licences fewer than requested, the project team's comment)
DEMO_GRANTS = [
    ("DREAL-BRE", 0, ""),
    (
        "DIR-O",
        15,
        "Dotation réduite pour cette première vague : une seconde attribution est prévue "
        "à l’automne selon l’avancement des campagnes.",
    ),
]


def load_demo_licences() -> int:
    """Set the 2023 call's pool and grant the demo directorates licences, unless the pool is
    set already; return the number of grants made."""
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    staff = db.session.scalar(select(User).where(User.email == "equipe-projet@example.org"))
    if call is None or staff is None:
        return 0
    if db.session.scalar(select(LicencePool.id).where(LicencePool.call_id == call.id)):
        return 0
    services.write_pool(
        staff, call, None, DEMO_POOL, "Dotation nationale notifiée pour la première vague."
    )
    made = 0
    for code, fewer, comment in DEMO_GRANTS:
        declaration = db.session.scalar(
            select(Declaration)
            .join(Directorate, Declaration.directorate_id == Directorate.id)
            .where(Declaration.call_id == call.id, Directorate.code == code)
        )
        if declaration is None:
            continue
        services.write_grant(staff, declaration, None, declaration.total_licences - fewer, comment)
        made += 1
    db.session.commit()
    return made
