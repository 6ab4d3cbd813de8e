"""A data set of any size: what a page shows grows with it, its query count must not.

`grow(size)` adds `size` directorates (spread over the CVRHs), each with a declaration on the
open call (and its conversation: messages and a note), a correspondent, CODIR requests with
their messages and events, and `size` published content items of each kind (pages nested three
deep, news, events) with their revisions; the
directorates given in `around` (the test personas') get the same CODIR requests and a
declaration, and an accepted declaration on a closed call of their own whose campaigns are
followed (a plan, three checkpoints, results at the first), so that every role's pages grow.
The query-budget tests build it at two sizes; `bench/pages_bench.py` builds it at full scale,
giving the content items per kind (`content`) and the CODIR requests in all (`codir_requests`,
spread evenly) apart from the directorates.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import cycle

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.codir.models import CodirEvent, CodirFormat, CodirMessage, CodirRequest, CodirStatus
from app.codir.workflow import OPEN
from app.content.models import ContentItem, ContentKind, ContentState, Revision
from app.declarations.models import (
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    PerimeterKind,
)
from app.declarations.thread_models import DeclarationMessage, DeclarationNote
from app.declarations.workflow import Side
from app.directorates.models import Call, CampaignKind, Cvrh, Directorate, DirectorateType
from app.extensions import db
from app.followup.models import Checkpoint, FollowupPlan, ResultImport
from app.mail import OutboxMessage

MOMENT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
# Every grow() call walks these from the start: the data never depends on which tests ran
# before in the same process (xdist runs many files in one worker).
STATUSES = (
    DeclarationStatus.SUBMITTED,
    DeclarationStatus.ACCEPTED,
    DeclarationStatus.DRAFT,
    DeclarationStatus.CORRECTIONS_REQUESTED,
)
CODIR_STATUSES = (
    CodirStatus.REQUESTED,
    CodirStatus.SCHEDULED,
    CodirStatus.HELD,
    CodirStatus.CANCELLED,
)
CLOSED_INSTEAD = {
    CodirStatus.REQUESTED: CodirStatus.DECLINED,
    CodirStatus.SCHEDULED: CodirStatus.HELD,
}


@dataclass
class Scale:
    """How much each directorate holds."""

    codir_requests: int = 2
    messages: int = 2
    campaigns: int = 2
    people: int = 2
    revisions: int = 3


def open_call() -> Call:
    """Return the open call the data is declared on (the latest opened)."""
    return db.session.scalar(select(Call).order_by(Call.opens_on.desc(), Call.id.desc()))


def _declaration(
    call: Call, directorate: Directorate, scale: Scale, people: list[User], status
) -> Declaration:
    declaration = Declaration(
        call=call,
        directorate=directorate,
        status=status,
        wants_codir=True,
        comments="Déclaration de démonstration à grande échelle.",
        submitted_at=None if status is DeclarationStatus.DRAFT else MOMENT,
    )
    for position in range(1, scale.campaigns + 1):
        declaration.campaigns.append(
            Campaign(
                position=position,
                label=f"Campagne {position}",
                perimeter_kind=PerimeterKind.UNIT,
                perimeter_description="Siège et unités",
                target_population="Tous les agents",
                headcount=100 + position,
                licences=50 + position,
                starts_on=date(2026, 9, 1),
                ends_on=date(2026, 12, 15),
            )
        )
    for position in range(1, scale.people + 1):
        email = f"amb{position}.{directorate.code.lower()}@example.org"
        declaration.ambassadors.append(
            Ambassador(position=position, last_name=f"Ambassadeur {position}", email=email)
        )
        declaration.administrators.append(
            Administrator(
                position=position,
                last_name=f"Administrateur {position}",
                email=f"adm{position}.{directorate.code.lower()}@example.org",
                hr_confirmed=True,
            )
        )
    for number in range(scale.revisions):
        declaration.events.append(
            DeclarationEvent(
                actor_id=people[number % len(people)].id,
                action="saved",
                changes={"comments": [f"version {number}", f"version {number + 1}"]},
                created_at=MOMENT + timedelta(hours=number),
            )
        )
    db.session.add(declaration)
    _conversation(call, directorate, scale)
    return declaration


def _conversation(call: Call, directorate: Directorate, scale: Scale) -> None:
    """Add the conversation on a declaration: messages of both sides and a private note."""
    if call.id is None:
        db.session.flush()
    for number in range(scale.messages):
        db.session.add(
            DeclarationMessage(
                call_id=call.id,
                directorate_id=directorate.id,
                side=Side.DIRECTORATE if number % 2 == 0 else Side.PROJECT_TEAM,
                body=f"Message {number}",
                created_at=MOMENT + timedelta(hours=number),
            )
        )
    db.session.add(
        DeclarationNote(
            call_id=call.id, directorate_id=directorate.id, body="Note", created_at=MOMENT
        )
    )


def _followed(
    number: int, directorates: list[Directorate], scale: Scale, people: list[User]
) -> None:
    """Add a closed call on which the directorates' campaigns are followed."""
    call = Call(
        code=f"ECH-V{number:05d}",
        title_fr=f"Vague précédente {number}",
        title_en=f"Previous wave {number}",
        opens_on=date(2022, 1, 1) - timedelta(days=number),
        deadline=date(2022, 3, 1),
        is_open=False,
    )
    for directorate in directorates:
        declaration = _declaration(call, directorate, scale, people, DeclarationStatus.ACCEPTED)
        for campaign in declaration.campaigns:
            plan = FollowupPlan(
                declaration=declaration,
                position=campaign.position,
                campaign_label=campaign.label,
                kind=CampaignKind.PROFILES_COLLECTION,
            )
            for position, name in enumerate(("Lancement", "Mi-parcours", "Bilan final"), 1):
                plan.checkpoints.append(
                    Checkpoint(
                        position=position,
                        name=name,
                        due_on=date(2026, 9, 1) + timedelta(weeks=6 * (position - 1)),
                    )
                )
            plan.imports.append(
                ResultImport(
                    checkpoint=plan.checkpoints[0],
                    kind=CampaignKind.PROFILES_COLLECTION,
                    fingerprint=f"{call.code}-{directorate.code}-{campaign.position}",
                    participant_count=0,
                )
            )
            db.session.add(plan)


def _codir_requests(
    directorate: Directorate,
    scale: Scale,
    people: list[User],
    statuses: Iterator[CodirStatus],
    count: int | None = None,
) -> None:
    # A directorate has one request under way at most: the others of its cycle are closed.
    under_way = directorate.id is not None and db.session.scalar(
        select(CodirRequest.id).where(
            CodirRequest.directorate_id == directorate.id, CodirRequest.status.in_(OPEN)
        )
    )
    for number in range(scale.codir_requests if count is None else count):
        status = next(statuses)
        if status in OPEN and under_way:
            status = CLOSED_INSTEAD[status]
        under_way = under_way or status in OPEN
        scheduled = status in (CodirStatus.SCHEDULED, CodirStatus.HELD)
        request = CodirRequest(
            directorate=directorate,
            cvrh_id=directorate.cvrh_id,
            status=status,
            format=CodirFormat.VIDEO,
            option_1=date(2026, 12, 1) + timedelta(days=number),
            audience="Comité de direction",
            topics="Présentation de la démarche PIX.",
            scheduled_at=MOMENT + timedelta(days=30 + number) if scheduled else None,
            duration_minutes=45 if scheduled else None,
            scheduled_place="https://visio.example.org/codir" if scheduled else "",
            created_by_id=people[number % len(people)].id,
            created_at=MOMENT + timedelta(minutes=number),
        )
        for index in range(scale.messages):
            request.messages.append(
                CodirMessage(
                    author_id=people[(number + index) % len(people)].id,
                    body=f"Message {index + 1} sur la demande.",
                    created_at=MOMENT + timedelta(minutes=number, seconds=index),
                )
            )
        request.events.append(
            CodirEvent(actor_id=people[number % len(people)].id, action="requested", details={})
        )
        db.session.add(request)


def _content(size: int, scale: Scale, people: list[User], language: str = "fr") -> None:
    """Add `size` sections three deep with a page each, `size` news items and `size` events."""
    parent = None
    kinds = [ContentKind.SECTION] * size + [ContentKind.PAGE] * size
    kinds += [ContentKind.NEWS] * size + [ContentKind.EVENT] * size
    sections: list[ContentItem] = []
    for index, kind in enumerate(kinds):
        if kind is ContentKind.SECTION:
            # Three levels: a top section, a section in it, a section in that one, then again.
            parent = sections[-1] if index % 3 and sections else None
        elif kind is ContentKind.PAGE:
            parent = sections[index % len(sections)] if sections else None
        else:
            parent = None
        title = f"{kind.label} à grande échelle {index + 1}"
        item = ContentItem(
            kind=kind,
            language=language,
            parent=parent,
            position=index + 1,
            state=ContentState.PUBLISHED,
            title=title,
            slug=f"echelle-{kind.value}-{index + 1}",
            summary="Un élément de démonstration pour mesurer les pages.",
            body="Le portail PIX à grande échelle : **texte** de démonstration.",
            effective_on=date(2026, 9, 1),
            starts_at=MOMENT + timedelta(days=index) if kind is ContentKind.EVENT else None,
            ends_at=MOMENT + timedelta(days=index, hours=2) if kind is ContentKind.EVENT else None,
            author_id=people[index % len(people)].id,
            published_at=MOMENT,
        )
        for number in range(1, scale.revisions + 1):
            item.revisions.append(
                Revision(
                    number=number,
                    action="saved",
                    data={"title": title, "body": f"Version {number}"},
                    author_id=people[(index + number) % len(people)].id,
                    created_at=MOMENT + timedelta(minutes=number),
                )
            )
        db.session.add(item)
        db.session.flush()
        item.group_id = item.id
        if kind is ContentKind.SECTION:
            sections.append(item)


def grow(
    size: int,
    scale: Scale | None = None,
    around: tuple[str, ...] = (),
    *,
    content: int | None = None,
    codir_requests: int | None = None,
) -> None:
    """Add `size` directorates with everything they hold, and `size` content items per kind.

    `content` sets the content items per kind instead; `codir_requests` the CODIR requests in
    all, spread evenly over the new and `around` directorates, instead of `scale.codir_requests`
    for each of them.
    """
    scale = scale or Scale()
    statuses, codir_statuses = cycle(STATUSES), cycle(CODIR_STATUSES)
    call = open_call()
    cvrhs = list(db.session.scalars(select(Cvrh).order_by(Cvrh.code)))
    start = db.session.scalar(select(func.count(Directorate.id)))
    author = User(
        email=f"auteur{start}@example.org",
        full_name="Autrice de démonstration",
        role=Role.PROJECT_TEAM,
        active=True,
    )
    db.session.add(author)
    db.session.flush()
    people = [author]
    existing = list(db.session.scalars(select(Directorate).where(Directorate.code.in_(around))))
    if existing:
        _followed(start, existing, scale, people)
    declared = set(
        db.session.scalars(select(Declaration.directorate_id).where(Declaration.call_id == call.id))
    )
    for index in range(size):
        number = start + index + 1
        directorate = Directorate(
            code=f"ECH-{number:05d}",
            name_fr=f"Direction à grande échelle {number}",
            name_en=f"Large-scale directorate {number}",
            type=list(DirectorateType)[number % len(DirectorateType)],
            region="Bretagne" if number % 2 else "Occitanie",
            cvrh=cvrhs[number % len(cvrhs)],
        )
        db.session.add(directorate)
        db.session.flush()
        user = User(
            email=f"correspondant{number}@example.org",
            full_name=f"Correspondant {number}",
            role=Role.DIRECTORATE,
            directorate=directorate,
            active=True,
        )
        db.session.add(user)
        db.session.flush()
        existing.append(directorate)
        people.append(user)
        _declaration(call, directorate, scale, [user, author], next(statuses))
        declared.add(directorate.id)
        db.session.add(
            AuditEntry(action="declaration.saved", actor_id=user.id, details={"n": index})
        )
        db.session.add(
            OutboxMessage(
                sender="portail@example.org",
                recipients=user.email,
                subject="Déclaration enregistrée",
                body="Votre déclaration est enregistrée.",
                language="fr",
            )
        )
    for position, directorate in enumerate(existing):
        if directorate.id not in declared:
            # The personas' directorates keep a draft, so that their form opens.
            _declaration(call, directorate, scale, people, DeclarationStatus.DRAFT)
            declared.add(directorate.id)
        elif directorate.code in around:
            _conversation(call, directorate, scale)  # their conversation grows too
        count = None
        if codir_requests is not None:
            share, extra = divmod(codir_requests, len(existing))
            count = share + (1 if position < extra else 0)
        _codir_requests(directorate, scale, people, codir_statuses, count)
    _content(size if content is None else content, scale, people)
    db.session.commit()
