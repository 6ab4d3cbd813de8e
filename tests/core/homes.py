"""Data the home tests build: calls, CODIR requests and followed campaigns, dated from today."""

from datetime import date, timedelta
from itertools import pairwise

from lxml import html
from sqlalchemy import select

from app.codir.models import CodirFormat, CodirRequest, CodirStatus
from app.declarations.models import DeclarationStatus
from app.directorates.models import Call, Directorate, portal_today
from app.extensions import db
from app.followup.models import CampaignKind, Checkpoint, FollowupPlan, ResultImport
from tests.factories import declare


def directorate(code: str) -> Directorate:
    """Return a seeded directorate by code."""
    return db.session.scalar(select(Directorate).where(Directorate.code == code))


def call_closing_in(days: int, code: str = "PIX-2023") -> Call:
    """Return the call, open, its deadline `days` after today in Paris."""
    call = db.session.scalar(select(Call).where(Call.code == code))
    call.deadline = portal_today() + timedelta(days=days)
    call.is_open = True
    return call


def second_call(days: int) -> Call:
    """Add another open call whose deadline is `days` after today."""
    call = Call(
        code="PIX-2027",
        title_fr="Deuxième vague",
        title_en="Second wave",
        opens_on=date(2026, 1, 1),
        deadline=portal_today() + timedelta(days=days),
        is_open=True,
    )
    db.session.add(call)
    return call


def codir_request(code: str, status: CodirStatus, **fields) -> CodirRequest:
    """Add a CODIR request of a directorate, routed to its CVRH."""
    owner = directorate(code)
    request = CodirRequest(
        directorate=owner,
        cvrh=owner.cvrh,
        status=status,
        format=CodirFormat.VIDEO,
        option_1=date(2026, 12, 1),
        **fields,
    )
    db.session.add(request)
    return request


def followed(code: str, call: Call, checkpoints: list[tuple[str, int, bool]] | None):
    """Add an accepted declaration of two campaigns; the first has a plan whose checkpoints are
    (name, days from today, results imported), the second none. Return the declaration."""
    declaration = declare(
        call, code, DeclarationStatus.ACCEPTED, [("Agents", 10), ("Encadrants", 5)], []
    )
    if checkpoints is not None:
        plan = FollowupPlan(
            declaration=declaration,
            position=1,
            campaign_label="Agents",
            kind=CampaignKind.PROFILES_COLLECTION,
        )
        for position, (name, days, imported) in enumerate(checkpoints, start=1):
            checkpoint = Checkpoint(
                position=position, name=name, due_on=portal_today() + timedelta(days=days)
            )
            plan.checkpoints.append(checkpoint)
            if imported:
                plan.imports.append(
                    ResultImport(
                        checkpoint=checkpoint,
                        kind=CampaignKind.PROFILES_COLLECTION,
                        fingerprint=f"{code}-{position}",
                        participant_count=0,
                    )
                )
        db.session.add(plan)
    return declaration


def element(body: str, testid: str):
    """Return the one element of the page with this data-testid."""
    found = html.fromstring(body).xpath("//*[@data-testid=$id]", id=testid)
    assert len(found) == 1, f"{len(found)} elements {testid}"
    return found[0]


def text(element) -> str:
    """Return the text of an element, its spaces (no-break ones too) collapsed."""
    return " ".join(element.text_content().split())


def links(element) -> list[str]:
    """Return the addresses of the links inside an element, in order."""
    return [anchor.get("href") for anchor in element.iter("a")]


def order(body: str, prefix: str) -> list[str]:
    """Return the data-testid values starting with a prefix, in page order."""
    page = html.fromstring(body)
    return [
        node.get("data-testid")
        for node in page.xpath("//*[starts-with(@data-testid, $p)]", p=prefix)
    ]


def headings(body: str) -> list[tuple[int, str]]:
    """Return the headings of the page's main content: (level, text)."""
    main = html.fromstring(body).xpath("//main")[0]
    return [(int(node.tag[1]), text(node)) for node in main.iter("h1", "h2", "h3", "h4", "h5")]


def check_structure(body: str) -> None:
    """Assert one h1 first, no heading level skipped, and no button without visible text."""
    levels = [level for level, _ in headings(body)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in pairwise(levels)), levels
    main = html.fromstring(body).xpath("//main")[0]
    buttons = main.xpath(".//*[contains(concat(' ', @class, ' '), ' fr-btn ')]")
    assert buttons and all(text(button) for button in buttons)
