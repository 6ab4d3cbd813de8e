"""The demo follow-up: one directorate, three checkpoints, read through the real pages."""

from sqlalchemy import func, select

from app.extensions import db
from app.followup.models import FollowupPlan, Participant, ResultImport
from tests.conftest import log_in


def test_demo_loads_a_followup_over_three_checkpoints_once(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "1 campaign follow-ups created" in result.output
    plan = db.session.scalar(select(FollowupPlan))
    assert plan.declaration.directorate.code == "DREAL-BRE"
    imported = db.session.scalars(select(ResultImport).order_by(ResultImport.id)).all()
    assert len(imported) == 3
    counts = [item.summary["participants"] for item in imported]
    shared = [item.summary["shared"] for item in imported]
    assert counts == sorted(counts) and shared == sorted(shared) and shared[0] < shared[-1]
    reached = [item.summary["reached_all"] for item in imported]
    assert reached[0] < reached[-1]
    assert db.session.scalar(select(func.count(Participant.id))) == sum(counts)

    again = runner.invoke(args=["demo"])
    assert "0 campaign follow-ups created" in again.output
    assert db.session.scalar(select(func.count(ResultImport.id))) == 3

    assert log_in(client, "dreal-bre@example.org", "demo-pix-2023").status_code == 302
    page = client.get("/fr/followup/PIX-2023/DREAL-BRE/1/").get_data(as_text=True)
    assert "Bilan final" in page and 'data-testid="evolution-chart"' in page
