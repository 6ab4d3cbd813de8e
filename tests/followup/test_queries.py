"""The follow-up pages run the same number of SQL statements for 20 or 2,000 participants.

Two campaigns of one declaration, each with a plan of three checkpoints imported through the
web form: 20 participants per checkpoint in the first, 2,000 in the second. Every page is
read for both, counting the statements the engine runs; the counts are printed (run with -s).
"""

import io
import time
from contextlib import contextmanager
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import event, func, select

from app.declarations.models import Campaign, PerimeterKind
from app.extensions import db
from app.followup.models import FollowupPlan, Participant, ResultImport
from tests.followup.plans import (
    CALL,
    DIRECTORATE,
    LAUNCH,
    declare_campaign,
    plan_form,
    profiles_export,
    upload,
)

CHECKPOINTS = [("Lancement", "2026-09-01"), ("Mi-parcours", "2026-10-31"), ("Bilan", "2026-12-31")]


@contextmanager
def counted():
    """Count the SQL statements run meanwhile, as a one-element list."""
    count = [0]

    def before_cursor_execute(*args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


def people(size: int, checkpoint: int):
    """Return `size` fictitious people, a quarter in each situation of LAUNCH, as profiles."""
    rows = []
    for index in range(size):
        last, first, group, sent, levels = LAUNCH[(index + checkpoint) % len(LAUNCH)]
        rows.append((f"{last}-{index:04d}", first, group, sent, levels))
    return rows


def _follow(client, position: int, size: int) -> tuple[str, list[int], float, int]:
    """Set the plan of campaign `position` and import `size` people at its three checkpoints.

    Return the campaign's address, its checkpoints' ids, the time the three imports took and
    the statements the last one ran.
    """
    base = f"/fr/followup/{CALL}/{DIRECTORATE}/{position}"
    response = client.post(f"{base}/plan", data=plan_form(checkpoints=CHECKPOINTS))
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db.session.scalar(select(FollowupPlan).where(FollowupPlan.position == position))
    ids = [checkpoint.id for checkpoint in plan.checkpoints]
    started = time.perf_counter()
    for number, checkpoint_id in enumerate(ids):
        data = profiles_export(people(size, number), code=f"PDL26P{position}")
        with counted() as count:
            response = upload(client, checkpoint_id, data, base=base)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return base, ids, time.perf_counter() - started, count[0]


def _statements(client, base: str, checkpoint_ids: list[int]) -> dict[str, int]:
    last = checkpoint_ids[-1]
    requests = {
        "index": ("GET", "/fr/followup/"),
        "campaign page": ("GET", f"{base}/"),
        "campaign page, first checkpoint": ("GET", f"{base}/?checkpoint={checkpoint_ids[0]}"),
        "list, page 1": ("GET", f"{base}/checkpoints/{last}/"),
        "list, page 2": ("GET", f"{base}/checkpoints/{last}/?page=2"),
        "list, below target": ("GET", f"{base}/checkpoints/{last}/?status=below_target"),
        "list.xlsx": ("POST", f"{base}/checkpoints/{last}/list.xlsx"),
    }
    counts = {}
    for name, (method, url) in requests.items():
        db.session.expire_all()
        with counted() as count:
            response = client.open(url, method=method)
            body = response.data
            response.close()
        expected = 404 if name == "list, page 2" and base.endswith("/1") else 200
        assert response.status_code == expected, (name, body[:500])
        counts[name] = count[0]
        if name == "list.xlsx":
            sheet = load_workbook(io.BytesIO(body)).active
            counts["(rows in the workbook)"] = len(list(sheet.iter_rows())) - 1
    return counts


def _save(client, base: str, position: int) -> tuple[int, float]:
    """Change a target of the plan (every status is recomputed); return statements and time."""
    plan = db.session.scalar(select(FollowupPlan).where(FollowupPlan.position == position))
    data = plan_form(targets={"2.1": 2}, checkpoints=CHECKPOINTS, version=str(plan.version))
    for index, checkpoint in enumerate(plan.checkpoints):
        data[f"checkpoints-{index}-id"] = str(checkpoint.id)
    started = time.perf_counter()
    with counted() as count:
        response = client.post(f"{base}/plan", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return count[0], time.perf_counter() - started


def test_pages_run_as_many_statements_for_2000_participants_as_for_20(
    client, login, directorate_user
):
    declaration = declare_campaign()
    declaration.campaigns.append(
        Campaign(
            position=2,
            label="Campagne encadrants 2026",
            perimeter_kind=PerimeterKind.POPULATION,
            target_population="Encadrants",
            headcount=2000,
            licences=2000,
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 31),
        )
    )
    db.session.commit()
    login(directorate_user)
    small_base, small_ids, small_time, small_import = _follow(client, 1, 20)
    large_base, large_ids, large_time, large_import = _follow(client, 2, 2000)
    assert db.session.scalar(select(func.count(Participant.id))) == 3 * 20 + 3 * 2000

    small = _statements(client, small_base, small_ids)
    large = _statements(client, large_base, large_ids)
    small["plan saved, figures recomputed"], small_save = _save(client, small_base, 1)
    large["plan saved, figures recomputed"], large_save = _save(client, large_base, 2)
    print(
        f"\n{db.engine.dialect.name}: three imports of 20 in {small_time:.2f} s, "
        f"three imports of 2,000 in {large_time:.2f} s; a plan saved over 3 × 20 "
        f"in {small_save:.2f} s, over 3 × 2,000 in {large_save:.2f} s"
    )
    print(f"{'statements':35} {'20':>6} {'2,000':>6}")
    for name in small:
        print(f"{name:35} {small[name]:>6} {large[name]:>6}")
    print(f"{'import (POST, one checkpoint)':35} {small_import:>6} {large_import:>6}")

    # Three of four people are to accompany at each checkpoint.
    assert small.pop("(rows in the workbook)") == 15
    assert large.pop("(rows in the workbook)") == 1500
    # With 20 people there is no page 2 (404): the larger plan's page 2 runs as page 1.
    assert large.pop("list, page 2") == large["list, page 1"]
    small.pop("list, page 2")
    assert large == small
    # The rows of an import go in a few multi-row INSERTs (PostgreSQL: 1,000 rows each), not
    # one INSERT per run of rows with the same missing values.
    assert large_import <= small_import + 2
    db.session.expire_all()
    summaries = db.session.scalars(
        select(ResultImport.summary).join(FollowupPlan).where(FollowupPlan.position == 2)
    ).all()
    # The second target is met by everyone who shared now: 3 of 4 people reach all.
    assert [summary["reached_all"] for summary in summaries] == [1500, 1500, 1500]
