"""A multi-directorate follow-up whose aggregates are worked out by hand (minimum group 5).

Each campaign's results are stored the way an import stores them: the summary computed by
app/followup/figures.py from participations (here plain objects, no names).

| campaign       | headcount | participants | shared | 2.1 levels (shared), target | all reached |
|----------------|-----------|--------------|--------|-----------------------------|-------------|
| A  DREAL-PDL 1 | 20        | 10           | 8      | 1 2 2 3 3 3 4 1, ≥ 2        | 6           |
| B1 DREAL-BRE 1 | 10        | 3 (hidden)   | 3      | 3 3 1, ≥ 3                  | 2           |
| B2 DREAL-BRE 2 | 12        | 6            | 2 (h.) | 3 1, ≥ 2                    | 1           |
| C  DREAL-ARA 1 | 40        | 20           | 10     | 0 1 2 2 2 3 3 4 5 5, ≥ 2    | 8 (*)       |
| D  DIR-O 1     | 30        | plan (target 4.1 ≥ 2), no results                           |
| E  DGEC 1      | 15        | declared, no plan                                           |

(*) C also targets 4.1 ≥ 1, and its 10 shared participations are all at level 1 on 4.1.

DREAL-PDL, DREAL-BRE and DIR-O are attached to CVRH Nantes; DREAL-ARA to CVRH Clermont;
DGEC to CVRH Paris. DREAL-BRE and DIR-O are in Bretagne.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.declarations.models import Campaign, Declaration, DeclarationStatus, PerimeterKind
from app.directorates.models import Call, Directorate
from app.extensions import db
from app.followup import figures
from app.followup.models import (
    Aim,
    CampaignKind,
    Checkpoint,
    CompetenceTarget,
    FollowupPlan,
    ResultImport,
)

CALL = "PIX-2023"


@dataclass
class Row:
    """A participation as the figures read it."""

    shared: bool
    results: dict[str, float] = field(default_factory=dict)
    progression: float | None = None
    mastery: float | None = None
    stage: int | None = None


def shared(**levels) -> Row:
    """Return a shared participation with its levels, given as c2_1=3 for 2.1."""
    return Row(True, {key[1:].replace("_", "."): value for key, value in levels.items()})


def not_shared(count: int) -> list[Row]:
    """Return participations that were not shared."""
    return [Row(False) for _ in range(count)]


def declaration_of(code: str, status=DeclarationStatus.SUBMITTED) -> Declaration:
    """Return the directorate's declaration to the call, created if needed."""
    call = db.session.scalar(select(Call).where(Call.code == CALL))
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == code))
    declaration = db.session.scalar(
        select(Declaration).where(
            Declaration.call_id == call.id, Declaration.directorate_id == directorate.id
        )
    )
    if declaration is None:
        declaration = Declaration(call=call, directorate=directorate, status=status)
        db.session.add(declaration)
    return declaration


def add_campaign(
    code: str,
    position: int,
    headcount: int,
    targets: dict[str, int] | None = None,
    rows: list[Row] | None = None,
    kind: CampaignKind = CampaignKind.PROFILES_COLLECTION,
    checkpoint_on: date = date(2023, 12, 15),
) -> None:
    """Declare a campaign; with targets, add its plan; with rows, its results at a checkpoint."""
    declaration = declaration_of(code)
    declaration.campaigns.append(
        Campaign(
            position=position,
            label=f"Campagne {code} {position}",
            perimeter_kind=PerimeterKind.POPULATION,
            target_population="Agents",
            headcount=headcount,
            licences=headcount,
            starts_on=date(2023, 9, 1),
            ends_on=date(2023, 12, 31),
        )
    )
    if targets is None:
        db.session.commit()
        return
    plan = FollowupPlan(
        declaration=declaration,
        position=position,
        campaign_label=f"Campagne {code} {position}",
        aim=Aim.SKILLS_PROJECT,
        kind=kind,
    )
    for competence, value in targets.items():
        plan.targets.append(
            CompetenceTarget(
                competence=competence,
                level=value if kind is CampaignKind.PROFILES_COLLECTION else None,
                mastery=None if kind is CampaignKind.PROFILES_COLLECTION else value,
            )
        )
    launch = Checkpoint(position=1, name="Lancement", due_on=date(2023, 9, 1))
    final = Checkpoint(position=2, name="Bilan", due_on=checkpoint_on)
    plan.checkpoints.extend([launch, final])
    db.session.add(plan)
    if rows is not None:
        summary = figures.summarise(rows, figures.Targets(kind.value, targets))
        plan.imports.append(
            ResultImport(
                checkpoint=final,
                file_name="Resultats.csv",
                kind=kind,
                fingerprint=f"{code}-{position}",
                participant_count=len(rows),
                summary=summary,
            )
        )
    db.session.commit()


def load() -> None:
    """Load the data set of the module's table."""
    add_campaign(
        "DREAL-PDL", 1, 20, {"2.1": 2},
        [*(shared(c2_1=level) for level in (1, 2, 2, 3, 3, 3, 4, 1)), *not_shared(2)],
    )  # fmt: skip
    add_campaign("DREAL-BRE", 1, 10, {"2.1": 3}, [shared(c2_1=level) for level in (3, 3, 1)])
    add_campaign("DREAL-BRE", 2, 12, {"2.1": 2}, [shared(c2_1=3), shared(c2_1=1), *not_shared(4)])
    add_campaign(
        "DREAL-ARA", 1, 40, {"2.1": 2, "4.1": 1},
        [
            *(shared(c2_1=level, c4_1=1) for level in (0, 1, 2, 2, 2, 3, 3, 4, 5, 5)),
            *not_shared(10),
        ],
    )  # fmt: skip
    add_campaign("DIR-O", 1, 30, {"4.1": 2})
    add_campaign("DGEC", 1, 15)
