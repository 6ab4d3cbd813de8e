"""`flask followup import` and `flask followup purge`."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.extensions import db
from app.followup import imports
from app.followup.models import (
    Checkpoint,
    CompetenceTarget,
    FollowupPlan,
    Participant,
    ResultImport,
)
from tests.followup.plans import CALL, DIRECTORATE, FINAL, LAUNCH, declare_campaign, profiles_export


@pytest.fixture
def plan(app):
    declaration = declare_campaign()
    plan = FollowupPlan(
        declaration=declaration, position=1, kind="profiles_collection", population_size=10
    )
    plan.targets = [
        CompetenceTarget(competence="2.1", level=3),
        CompetenceTarget(competence="4.1", level=2),
    ]
    plan.checkpoints = [
        Checkpoint(position=1, name="Lancement", due_on=date(2026, 9, 1)),
        Checkpoint(position=2, name="Bilan final", due_on=date(2026, 12, 31)),
    ]
    db.session.add(plan)
    db.session.commit()
    return plan


def run_import(runner, path, checkpoint=1, campaign=1, directorate=DIRECTORATE):
    return runner.invoke(
        args=["followup", "import", str(path), "--call", CALL, "--directorate", directorate,
              "--campaign", str(campaign), "--checkpoint", str(checkpoint)]
    )  # fmt: skip


def test_import_reads_the_file_at_the_checkpoint(runner, plan, tmp_path):
    path = tmp_path / "Resultats-Profils-61001-2026-10-02-1000.csv"
    path.write_bytes(profiles_export(LAUNCH))
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert "4 participations imported at checkpoint 1 (Lancement)" in result.output
    imported = db.session.scalar(select(ResultImport))
    assert imported.checkpoint.name == "Lancement"
    assert imported.file_name == path.name
    assert imported.summary["reached_all"] == 1
    assert imported.actor_id is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "followup.imported"))
    assert entry.details["participants"] == 4


def test_a_bad_file_lists_its_problems_and_imports_nothing(runner, plan, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("Nom;Prénom\nDupont;Anne\n".encode("latin-1"))
    result = run_import(runner, path)
    assert result.exit_code == 1
    assert "nothing imported" in result.output
    assert db.session.scalar(select(func.count(ResultImport.id))) == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"checkpoint": 3}, "the plan has 2 checkpoints"),
        ({"campaign": 2}, "no follow-up plan for campaign 2"),
        ({"directorate": "NOPE"}, "unknown directorate NOPE"),
    ],
)
def test_wrong_coordinates_are_refused(runner, plan, tmp_path, options, message):
    path = tmp_path / "r.csv"
    path.write_bytes(profiles_export(LAUNCH))
    result = run_import(runner, path, **options)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(ResultImport.id))) == 0


def test_the_same_file_twice_is_refused(runner, plan, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(profiles_export(LAUNCH))
    assert run_import(runner, path).exit_code == 0
    result = run_import(runner, path, checkpoint=2)
    assert result.exit_code == 1
    assert "Lancement" in result.output
    assert db.session.scalar(select(func.count(ResultImport.id))) == 1


def test_purge_removes_rows_of_finished_campaigns_and_keeps_the_figures(runner, plan, tmp_path):
    for checkpoint, people in ((1, LAUNCH), (2, FINAL)):
        path = tmp_path / f"r{checkpoint}.csv"
        path.write_bytes(profiles_export(people))
        assert run_import(runner, path, checkpoint=checkpoint).exit_code == 0
    summaries = [
        item.summary for item in db.session.scalars(select(ResultImport).order_by(ResultImport.id))
    ]

    # The campaign ends on 31/12/2026: not finished 30 days before 30/01/2027.
    assert imports.purge(30, today=date(2027, 1, 29)).plans == 0
    dry = imports.purge(30, today=date(2027, 2, 1), dry_run=True)
    assert (dry.plans, dry.imports, dry.participants) == (1, 2, 8)
    assert db.session.scalar(select(func.count(Participant.id))) == 8

    done = imports.purge(30, today=date(2027, 2, 1))
    assert (done.plans, done.imports, done.participants) == (1, 2, 8)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    assert [
        item.summary for item in db.session.scalars(select(ResultImport).order_by(ResultImport.id))
    ] == summaries
    assert plan.purged_at is not None
    assert (
        db.session.scalar(select(func.count()).where(AuditEntry.action == "followup.purge_run"))
        == 1
    )
    assert imports.purge(30, today=date(2027, 2, 1)).plans == 0


def test_purge_command_reports_what_it_removed(runner, plan, tmp_path):
    plan.declaration.campaigns[0].ends_on = date(2020, 1, 1)
    db.session.commit()
    path = tmp_path / "r.csv"
    path.write_bytes(profiles_export(LAUNCH))
    assert run_import(runner, path).exit_code == 0
    result = runner.invoke(args=["followup", "purge", "--older-than", "90", "--dry-run"])
    assert "would purge 4 participations of 1 imports in 1 campaigns" in result.output
    assert db.session.scalar(select(func.count(Participant.id))) == 4
    result = runner.invoke(args=["followup", "purge", "--older-than", "90"])
    assert result.exit_code == 0, result.output
    assert "purged 4 participations of 1 imports in 1 campaigns" in result.output
    assert run_import(runner, path, checkpoint=2).exit_code == 1


def test_the_figures_of_a_purged_campaign_cannot_be_deleted(
    client, login, directorate_user, plan, tmp_path, runner
):
    path = tmp_path / "r.csv"
    path.write_bytes(profiles_export(LAUNCH))
    assert run_import(runner, path).exit_code == 0
    imports.purge(30, today=date(2027, 2, 1))
    result = db.session.scalar(select(ResultImport))
    login(directorate_user)
    response = client.post(f"/fr/followup/{CALL}/{DIRECTORATE}/1/imports/{result.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ResultImport.id))) == 1
    page = client.get(f"/fr/followup/{CALL}/{DIRECTORATE}/1/").get_data(as_text=True)
    assert "purgés" in page
