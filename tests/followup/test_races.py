"""Two people acting on the same follow-up at the same instant: one wins, the other is told.

On PostgreSQL the `concurrently` fixture makes both requests read before either writes; on
SQLite the writes run one after the other. Either way nothing is counted twice, nobody gets a
server error, and the stored figures match the plan's targets in the end.
"""

import html

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.followup import figures
from app.followup.models import FollowupPlan, Participant, PlanEvent, ResultImport
from app.followup.services import targets_of
from tests.conftest import PASSWORD, log_in, make_user
from tests.followup.plans import (
    BASE,
    FINAL,
    LAUNCH,
    declare_campaign,
    plan_form,
    profiles_export,
    upload,
)

CONFLICT = "Quelqu'un d'autre a modifié ce suivi entre-temps."
PLAN_CONFLICT = "Quelqu’un d’autre a modifié cet enregistrement entre-temps"


@pytest.fixture
def two_correspondents(app, client, login, directorate_user):
    """Two logged-in clients of the same directorate, and a plan with two checkpoints."""
    declare_campaign()
    make_user("collegue@example.org", directorate_user.role, directorate="DREAL-PDL")
    first, second = app.test_client(), app.test_client()
    log_in(first, directorate_user)
    log_in(second, "collegue@example.org", PASSWORD)
    response = first.post(f"{BASE}/plan", data=plan_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return first, second


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _plan() -> FollowupPlan:
    db.session.expire_all()
    return db.session.scalar(select(FollowupPlan))


def _import(client, checkpoint_id, data, name):
    def send():
        response = upload(client, checkpoint_id, data, name)
        return response.status_code, html.unescape(response.get_data(as_text=True))

    return send


def _save(client, plan, **fields):
    data = plan_form(version=str(plan.version), **fields)
    for index, checkpoint in enumerate(plan.checkpoints):
        data[f"checkpoints-{index}-id"] = str(checkpoint.id)

    def send():
        response = client.post(f"{BASE}/plan", data=data)
        return response.status_code, html.unescape(response.get_data(as_text=True))

    return send


def _assert_consistent():
    """Check every import's summary and rows against the plan's targets as they are now."""
    plan = _plan()
    targets = targets_of(plan)
    for item in plan.imports:
        rows = db.session.scalars(select(Participant).where(Participant.import_id == item.id))
        rows = list(rows)
        expected = figures.summarise(rows, targets, item.summary.get("stage_count"))
        assert {key: value for key, value in item.summary.items() if key != "stage_count"} == (
            expected
        )
        for row in rows:
            assert (row.status, row.missed) == figures.status_of(row, targets), row.last_name


def test_two_imports_at_the_same_checkpoint_make_one(two_correspondents, concurrently):
    first, second = two_correspondents
    launch = _plan().checkpoints[0]
    results = concurrently(
        _import(first, launch.id, profiles_export(LAUNCH), "premier.csv"),
        _import(second, launch.id, profiles_export(FINAL), "second.csv"),
    )
    statuses = sorted(status for status, _page in results)
    assert statuses == [200, 302]
    loser = next(page for status, page in results if status == 200)
    # PostgreSQL: the second writer's version check fails. SQLite: it runs after the
    # first and finds the checkpoint taken.
    assert CONFLICT in loser or "a déjà des résultats" in loser
    assert _count(ResultImport) == 1
    assert _count(Participant) == 4
    kept = db.session.scalar(select(ResultImport))
    assert kept.participant_count == 4
    assert [event.action for event in _plan().events].count("imported") == 1
    _assert_consistent()


def test_the_same_file_at_two_checkpoints_at_once_is_counted_once(two_correspondents, concurrently):
    first, second = two_correspondents
    launch, final = _plan().checkpoints
    data = profiles_export(LAUNCH)
    results = concurrently(
        _import(first, launch.id, data, "a.csv"), _import(second, final.id, data, "b.csv")
    )
    assert sorted(status for status, _page in results) == [200, 302]
    loser = next(page for status, page in results if status == 200)
    assert CONFLICT in loser or "a déjà été importé" in loser
    assert _count(ResultImport) == 1
    assert _count(Participant) == 4


def test_two_plan_saves_from_the_same_version(two_correspondents, concurrently):
    first, second = two_correspondents
    plan = _plan()
    results = concurrently(
        _save(first, plan, targets={"2.1": 4}, population="Population du premier"),
        _save(second, plan, targets={"2.1": 5}, population="Population du second"),
    )
    assert sorted(status for status, _page in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    assert PLAN_CONFLICT in loser
    kept = "du second" if "Population du second" in loser else "du premier"
    assert f'value="Population {kept}"' in loser  # the loser's input is on screen
    plan = _plan()
    assert plan.population != f"Population {kept}"
    assert plan.version == 2
    assert [event.action for event in plan.events] == ["created", "saved"]


def test_an_import_racing_a_change_of_targets_stores_figures_of_the_final_targets(
    two_correspondents, concurrently
):
    first, second = two_correspondents
    plan = _plan()
    launch = plan.checkpoints[0]
    results = concurrently(
        _import(first, launch.id, profiles_export(LAUNCH), "a.csv"),
        _save(second, plan, targets={"2.1": 2}),
    )
    statuses = [status for status, _page in results]
    print(f"import {statuses[0]}, plan save {statuses[1]} on {db.engine.dialect.name}")
    assert 500 not in statuses
    for status, page in results:
        if status == 200:
            assert CONFLICT in page or PLAN_CONFLICT in page
    _assert_consistent()
    plan = _plan()
    imported, saved = (status == 302 for status in statuses)
    assert imported or saved
    assert _count(ResultImport) == (1 if imported else 0)
    assert {t.competence: t.level for t in plan.targets} == (
        {"2.1": 2} if saved else {"2.1": 3, "4.1": 2}
    )
    assert _count(PlanEvent) == 1 + imported + saved


def test_an_import_after_a_change_of_targets_uses_the_new_targets(two_correspondents):
    """The sequential case, for reference: no race, both succeed, figures follow the targets."""
    first, second = two_correspondents
    plan = _plan()
    assert _save(second, plan, targets={"2.1": 2})()[0] == 302
    assert _import(first, plan.checkpoints[0].id, profiles_export(LAUNCH), "a.csv")()[0] == 302
    _assert_consistent()
    assert db.session.scalar(select(ResultImport.summary))["reached_all"] == 3
