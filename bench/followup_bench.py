"""Benchmark the skills follow-up of a call (page and export) at the scale of the ministry.

Run it from the repository root:

    .venv/bin/python bench/followup_bench.py
    .venv/bin/python bench/followup_bench.py --directorates 300 --campaigns 3 --people 40
    .venv/bin/python bench/followup_bench.py --database-url postgresql://localhost/portal_bench

It builds, in a temporary SQLite file or in the database given (whose name must contain "bench"
or "test": its tables are dropped and created again), the reference data and more directorates
up to --directorates, one call where each directorate declared --campaigns campaigns, each with
a follow-up plan (targets on three competences) and results imported at two checkpoints of
--people participations (the participations are stored, as an import stores them, with the
figures of each import).

It then reads, as the project team and as a CVRH, the skills follow-up page through the test
client, and writes the consolidated workbook (with its follow-up sheets): the SQL statements
each runs and the best time of --repeat runs. It always exits with 0: it measures.
"""

import argparse
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, insert, select  # noqa: E402

from app.auth import services as accounts  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.declarations.models import (  # noqa: E402
    Campaign,
    Declaration,
    DeclarationStatus,
    PerimeterKind,
)
from app.directorates.models import Call, Cvrh, Directorate  # noqa: E402
from app.directorates.seed import load_reference_data  # noqa: E402
from app.directorates.services import all_directorates  # noqa: E402
from app.exports import files, services  # noqa: E402
from app.extensions import db  # noqa: E402
from app.followup import figures  # noqa: E402
from app.followup.models import (  # noqa: E402
    Aim,
    CampaignKind,
    Checkpoint,
    CompetenceTarget,
    FollowupPlan,
    Participant,
    ResultImport,
)
from app.followup.reference import competences  # noqa: E402
from bench.export_bench import bulk_insert, database_url, directorate_rows  # noqa: E402

CALL_CODE = "BENCH-FOLLOWUP"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directorates", type=int, default=300)
    parser.add_argument("--campaigns", type=int, default=3)
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    return parser.parse_args(argv)


def make_app(url: str):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x" * 40,
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": "",
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def participation(rng: random.Random, codes: list[str]) -> dict:
    """Return one participation's values: a third not shared, levels from 0 to 5."""
    shared = rng.random() > 0.33
    return {
        "shared": shared,
        "results": {code: rng.randint(0, 5) for code in codes} if shared else {},
        "progression": None,
        "mastery": None,
        "stage": None,
    }


class Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)


def build(arguments: argparse.Namespace) -> None:
    """Fill the database with the call, declarations, plans and imported results."""
    rng = random.Random(2026)
    db.drop_all()
    db.create_all()
    load_reference_data()
    existing = db.session.scalar(select(func.count(Directorate.id)))
    cvrh_ids = list(db.session.scalars(select(Cvrh.id)))
    bulk_insert(Directorate, directorate_rows(arguments.directorates - existing, cvrh_ids, rng))
    call = Call(
        code=CALL_CODE,
        title_fr="Appel de mesure",
        title_en="Benchmark call",
        opens_on=date(2026, 1, 5),
        deadline=date(2026, 3, 31),
        is_open=True,
    )
    db.session.add(call)
    db.session.flush()
    directorate_ids = list(db.session.scalars(select(Directorate.id)))
    bulk_insert(
        Declaration,
        (
            {"call_id": call.id, "directorate_id": id_, "status": DeclarationStatus.SUBMITTED}
            for id_ in directorate_ids
        ),
    )
    declarations = list(
        db.session.scalars(select(Declaration.id).where(Declaration.call_id == call.id))
    )
    codes = [item.code for item in competences()]
    checkpoints_done = 0
    for number, declaration_id in enumerate(declarations, start=1):
        for position in range(1, arguments.campaigns + 1):
            db.session.add(
                Campaign(
                    declaration_id=declaration_id,
                    position=position,
                    label=f"Campagne {position}",
                    perimeter_kind=PerimeterKind.POPULATION,
                    target_population="Agents",
                    headcount=arguments.people + 10,
                    licences=arguments.people + 10,
                    starts_on=date(2026, 4, 1),
                    ends_on=date(2026, 9, 30),
                )
            )
            targeted = rng.sample(codes, 3)
            targets = {code: rng.randint(1, 4) for code in targeted}
            plan = FollowupPlan(
                declaration_id=declaration_id,
                position=position,
                campaign_label=f"Campagne {position}",
                aim=Aim.SKILLS_PROJECT,
                kind=CampaignKind.PROFILES_COLLECTION,
            )
            for code, level in targets.items():
                plan.targets.append(CompetenceTarget(competence=code, level=level))
            for index, (name, due_on) in enumerate(
                (("Lancement", date(2026, 4, 1)), ("Mi-parcours", date(2026, 6, 30)),
                 ("Bilan", date(2026, 9, 30))),
                start=1,
            ):  # fmt: skip
                plan.checkpoints.append(Checkpoint(position=index, name=name, due_on=due_on))
            db.session.add(plan)
            db.session.flush()
            for checkpoint in plan.checkpoints[:2]:
                values = [participation(rng, codes) for _ in range(arguments.people)]
                summary = figures.summarise(
                    [Row(value) for value in values],
                    figures.Targets("profiles_collection", targets),
                )
                result = ResultImport(
                    plan_id=plan.id,
                    checkpoint_id=checkpoint.id,
                    kind=CampaignKind.PROFILES_COLLECTION,
                    fingerprint=f"{plan.id}-{checkpoint.id}",
                    participant_count=len(values),
                    summary=summary,
                )
                db.session.add(result)
                db.session.flush()
                db.session.execute(
                    insert(Participant),
                    [
                        {
                            "import_id": result.id,
                            "line": line,
                            "last_name": f"Agent {line}",
                            "first_name": "Test",
                            "extras": {},
                            "status": "shared" if value["shared"] else "not_shared",
                            "missed": [],
                            **value,
                        }
                        for line, value in enumerate(values, start=2)
                    ],
                )
                checkpoints_done += 1
        if number % 50 == 0:
            db.session.commit()
    db.session.commit()
    accounts.create_user("bench-team@example.org", Role.PROJECT_TEAM, password=PASSWORD)
    cvrh = db.session.scalar(select(Cvrh).order_by(Cvrh.code))
    accounts.create_user("bench-cvrh@example.org", Role.CVRH, cvrh=cvrh, password=PASSWORD)
    print(
        f"data: {len(directorate_ids)} directorates, {len(declarations) * arguments.campaigns} "
        f"campaigns with a plan, {checkpoints_done} imports of {arguments.people} participations"
    )


@contextmanager
def counted():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def timed(label: str, action, repeat: int) -> None:
    """Run an action `repeat` times; print its statements (last run) and its best time."""
    best = None
    for _ in range(repeat):
        with counted() as statements:
            start = time.perf_counter()
            action()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    selects = sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))
    print(f"{label}: {selects} SELECT statements ({len(statements)} in all), best {best:.3f} s")


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(database_url(arguments.database_url, Path(directory)))
        with app.app_context():
            start = time.perf_counter()
            build(arguments)
            print(f"built in {time.perf_counter() - start:.1f} s")
            call = db.session.scalar(select(Call).where(Call.code == CALL_CODE))
            url = f"/fr/followup/skills/{CALL_CODE}/"
            for email, label in (("bench-team@example.org", "project team"),
                                 ("bench-cvrh@example.org", "CVRH")):  # fmt: skip
                client = app.test_client()
                response = client.post("/fr/login", data={"email": email, "password": PASSWORD})
                assert response.status_code == 302, response.status_code

                def page(client=client):
                    response = client.get(url)
                    assert response.status_code == 200, response.status_code

                timed(f"skills follow-up page, {label}", page, arguments.repeat)

            def export():
                dataset = services.dataset(call, all_directorates(), {}, "fr")
                files.write_workbook(dataset, Path(directory) / "export.xlsx")

            timed("consolidated workbook with the follow-up sheets", export, arguments.repeat)
            db.session.remove()
            if arguments.database_url:
                db.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
