"""Demo contact mailboxes (fictitious, at example.org) and the demo call's claim links."""

from sqlalchemy import select

from app.directorates.models import Call, Directorate, DirectorateContact
from app.extensions import db, utcnow
from app.mail import MessageStatus, OutboxMessage
from app.reach.opening import open_call

DIRECTION = "Direction"
HR = "Ressources humaines"

# (directorate, address, label, language, active)
DEMO_CONTACTS = [
    ("DREAL-PDL", "direction.dreal-pdl@example.org", DIRECTION, "fr", True),
    ("DREAL-PDL", "rh.dreal-pdl@example.org", HR, "fr", True),
    ("DREAL-BRE", "direction.dreal-bre@example.org", DIRECTION, "fr", True),
    ("DREAL-BRE", "rh.dreal-bre@example.org", HR, "fr", True),
    ("DREAL-NOR", "direction.dreal-nor@example.org", DIRECTION, "fr", True),
    ("DREAL-NOR", "rh.dreal-nor@example.org", HR, "fr", True),
    ("DIRM-NAMO", "direction.dirm-namo@example.org", DIRECTION, "fr", True),
    ("DIRM-NAMO", "rh.dirm-namo@example.org", HR, "fr", True),
    ("DIR-O", "direction.dir-o@example.org", DIRECTION, "fr", True),
    ("DIR-O", "rh.dir-o@example.org", HR, "fr", True),
    # A mailbox that no longer exists: deactivated, kept for the record.
    ("DIR-O", "secretariat.dir-o@example.org", "Ancien secrétariat général", "fr", False),
    ("DGEC", "hr.dgec@example.org", "Human resources", "en", True),
    ("DEAL-RE", "rh.deal-re@example.org", HR, "fr", True),
]
DEMO_CALL = "PIX-2027"
# The demo's bounced e-mail: a mailbox that the mail server of its directorate does not know.
BOUNCED = (
    "rh.deal-re@example.org",
    "5.1.1 – smtp; 550 5.1.1 <rh.deal-re@example.org>: User unknown",
)


def load_demo_reach() -> tuple[int, int]:
    """Add the demo contacts missing, then e-mail the demo call's claim links not sent yet.

    Return how many contacts were added and how many links e-mailed (none when run again).
    """
    codes = {code for code, *_ in DEMO_CONTACTS}
    directorates = {
        d.code: d
        for d in db.session.scalars(select(Directorate).where(Directorate.code.in_(codes)))
    }
    known = set(
        db.session.execute(select(DirectorateContact.directorate_id, DirectorateContact.email))
    )
    added = 0
    for code, email, label, language, active in DEMO_CONTACTS:
        directorate = directorates[code]
        if (directorate.id, email) in known:
            continue
        db.session.add(
            DirectorateContact(
                directorate_id=directorate.id,
                email=email,
                label=label,
                language=language,
                active=active,
            )
        )
        added += 1
    db.session.commit()
    call = db.session.scalar(select(Call).where(Call.code == DEMO_CALL))
    if call is None:
        return added, 0
    report = open_call(call)
    if report.sent:
        _bounce_one(call)
    return added, report.sent


def _bounce_one(call: Call) -> None:
    """Show a bounce in the call's reach: the demo has no mail server to return one."""
    address, diagnostic = BOUNCED
    message = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.call_id == call.id, OutboxMessage.recipients == address)
        .order_by(OutboxMessage.id)
    )
    if message is None:
        return
    now = utcnow()
    message.status = MessageStatus.BOUNCED
    message.sent_at = message.bounced_at = now
    message.attempts = 1
    message.error = diagnostic
    db.session.commit()
