"""Demo declarations in every state, with fictitious people at example.org."""

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.declarations import receipts
from app.declarations.models import Declaration, DeclarationStatus, ReceiptKind
from app.declarations.services import apply_content, diff, record_event, snapshot
from app.declarations.thread_models import DeclarationMessage, DeclarationNote, ThreadRead
from app.declarations.workflow import Side
from app.directorates.models import Call, Directorate, LearningPath, portal_today
from app.extensions import db, utcnow

DEMO_CALL = {
    "code": "PIX-2027",
    "title_fr": "Déploiement PIX 2027 (deuxième vague, démonstration)",
    "title_en": "PIX deployment 2027 (second wave, demonstration)",
}


def _campaign(
    label, kind, perimeter, population, headcount, licences, start, weeks, paths, note=""
):
    return {
        "label": label,
        "perimeter_kind": kind,
        "perimeter_description": perimeter,
        "target_population": population,
        "headcount": headcount,
        "licences": licences,
        "starts_on": start,
        "ends_on": start + timedelta(weeks=weeks),
        "paths": paths,
        "learning_paths_note": note,
    }


def _person(last, first, **extra):
    email = f"{first}.{last}".lower().replace(" ", "-").replace("'", "")
    for accented, plain in (("é", "e"), ("è", "e"), ("ë", "e"), ("ï", "i"), ("ç", "c")):
        email = email.replace(accented, plain)
    return {"last_name": last, "first_name": first, "email": f"{email}@example.org", **extra}


def _content(code: str, start: date, path_ids: dict[str, int]) -> dict:
    """Return a plausible declaration for a directorate (fictitious names, example paths)."""
    content = _described(code, start)
    for campaign in content["campaigns"]:
        campaign["paths"] = [path_ids[c] for c in campaign["paths"] if c in path_ids]
    return content


def _described(code: str, start: date) -> dict:
    seed = sum(map(ord, code))
    return {
        "wants_codir": seed % 2 == 0,
        "comments": "Campagnes échelonnées sur le semestre.",
        "campaigns": [
            _campaign(
                "Services supports",
                "unit",
                "Secrétariat général et ressources humaines",
                "Assistants et gestionnaires",
                60 + seed % 40,
                50 + seed % 10,
                start,
                12,
                ["EX-SECURITE", "EX-BUREAUTIQUE"],
                "Prise en main de la nouvelle messagerie pour les nouveaux arrivants.",
            ),
            _campaign(
                "Encadrement",
                "population",
                "Tous les cadres de la direction",
                "Managers",
                30 + seed % 20,
                25,
                start + timedelta(weeks=2),
                10,
                ["EX-ENCADREMENT"],
            ),
        ],
        "ambassadors": [
            {**_person("Moreau", "Inès"), "phone": "", "unit": "Secrétariat général"},
            {**_person("Lambert", "Hugo"), "phone": "", "unit": "Service numérique"},
        ],
        "administrators": [
            {
                **_person("Fabre", "Nadia"),
                "function": "Responsable formation",
                "hr_confirmed": True,
            },
        ],
    }


# (call code, directorate code, final status, what the project team said)
SCENARIOS = [
    ("PIX-2023", "DREAL-BRE", DeclarationStatus.ACCEPTED, ""),
    ("PIX-2023", "DIR-O", DeclarationStatus.SUBMITTED, ""),
    (
        "PIX-2023",
        "DGEC",
        DeclarationStatus.CORRECTIONS_REQUESTED,
        "Merci de préciser le périmètre de la seconde campagne.",
    ),
    ("PIX-2023", "DREAL-ARA", DeclarationStatus.SUBMITTED, ""),
    ("PIX-2027", "DREAL-PDL", DeclarationStatus.DRAFT, ""),
    ("PIX-2027", "DIRM-NAMO", DeclarationStatus.SUBMITTED, ""),
]


def load_demo_declarations() -> int:
    """Create the demo call and declarations that do not exist yet; return how many were made."""
    today = portal_today()
    calls = {c.code: c for c in db.session.scalars(select(Call))}
    if DEMO_CALL["code"] not in calls:
        calls[DEMO_CALL["code"]] = Call(
            **DEMO_CALL, opens_on=today, deadline=today + timedelta(days=45), is_open=True
        )
        db.session.add(calls[DEMO_CALL["code"]])
    staff = db.session.scalar(select(User).where(User.email == "equipe-projet@example.org"))
    path_ids = {
        code: id_ for code, id_ in db.session.execute(select(LearningPath.code, LearningPath.id))
    }
    created = 0
    for call_code, code, status, comment in SCENARIOS:
        call = calls[call_code]
        directorate = db.session.scalar(select(Directorate).where(Directorate.code == code))
        exists = (
            db.session.scalar(
                select(Declaration.id).where(
                    Declaration.call_id == call.id, Declaration.directorate_id == directorate.id
                )
            )
            if call.id
            else None
        )
        if exists:
            continue
        author = db.session.scalar(
            select(User).where(User.directorate_id == directorate.id, User.role == Role.DIRECTORATE)
        )
        declaration = Declaration(call=call, directorate=directorate)
        db.session.add(declaration)
        content = _content(code, date(call.deadline.year, 9, 1), path_ids)
        if status is DeclarationStatus.DRAFT:
            content["administrators"] = []
        apply_content(declaration, content)
        db.session.flush()
        record_event(
            declaration, "saved", author, changes=diff(snapshot(None), snapshot(declaration))
        )
        if status is not DeclarationStatus.DRAFT:
            declaration.submitted_at = utcnow()
            record_event(declaration, "submit", author, changes={"status": ["draft", "submitted"]})
            receipts.issue(declaration, ReceiptKind.SUBMISSION, author)
        if status is DeclarationStatus.ACCEPTED:
            record_event(
                declaration, "accept", staff, changes={"status": ["submitted", "accepted"]}
            )
            receipts.issue(declaration, ReceiptKind.ACCEPTANCE, staff)
        if status is DeclarationStatus.CORRECTIONS_REQUESTED:
            declaration.review_comment = comment
            record_event(
                declaration,
                "request_corrections",
                staff,
                comment,
                {"status": ["submitted", "corrections_requested"]},
            )
            # Three weeks to make them, the call's deadline having passed.
            declaration.extended_until = today + timedelta(days=21)
            record_event(
                declaration,
                "extended",
                staff,
                changes={"extended_until": [None, declaration.extended_until.isoformat()]},
            )
        declaration.status = status
        created += 1
    db.session.flush()
    load_demo_conversation(calls)
    db.session.commit()
    return created


# A short exchange on DREAL Pays de la Loire's draft for the demo call, and a private note:
# (author's e-mail, side, text, days ago). Invented, hence "(exemple)" at the end of each.
EXAMPLE = "(exemple)"
CONVERSATION = [
    (
        "dreal-pdl@example.org",
        Side.DIRECTORATE,
        "Bonjour, nos agents des unités du littoral peuvent-ils rejoindre la campagne "
        "« Services supports », ou faut-il une campagne par site ? " + EXAMPLE,
        3,
    ),
    (
        "equipe-projet@example.org",
        Side.PROJECT_TEAM,
        "Bonjour, une seule campagne suffit si le public visé est le même : citez les sites "
        "dans la description du périmètre. " + EXAMPLE,
        2,
    ),
]
NOTE = (
    "equipe-projet@example.org",
    "Revoir le nombre de licences avec la direction une fois la déclaration soumise. " + EXAMPLE,
)


def load_demo_conversation(calls: dict[str, Call]) -> int:
    """Add the demo exchange and note unless the conversation has begun; return the messages."""
    call = calls[DEMO_CALL["code"]]
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-PDL"))
    if db.session.scalar(
        select(DeclarationMessage.id).where(
            DeclarationMessage.call_id == call.id,
            DeclarationMessage.directorate_id == directorate.id,
        )
    ):
        return 0
    users = {u.email: u for u in db.session.scalars(select(User))}
    now = utcnow()
    messages = []
    for email, side, text, days in CONVERSATION:
        author = users.get(email)
        messages.append(
            DeclarationMessage(
                call_id=call.id,
                directorate_id=directorate.id,
                author_id=author.id if author else None,
                side=side,
                body=text,
                created_at=now - timedelta(days=days),
            )
        )
    db.session.add_all(messages)
    email, text = NOTE
    author = users.get(email)
    db.session.add(
        DeclarationNote(
            call_id=call.id,
            directorate_id=directorate.id,
            author_id=author.id if author else None,
            body=text,
            created_at=now - timedelta(days=2),
        )
    )
    db.session.flush()
    if author is not None:  # the project team read the question it answered
        db.session.add(
            ThreadRead(
                user_id=author.id,
                call_id=call.id,
                directorate_id=directorate.id,
                last_message_id=messages[0].id,
            )
        )
    return len(messages)
