"""The demo follow-ups: several directorates, read through the real pages."""

from sqlalchemy import func, select

from app.extensions import db
from app.followup.models import FollowupPlan, Participant, ResultImport
from tests.conftest import log_in


def test_demo_loads_followups_of_several_directorates_once(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "5 campaign follow-ups created" in result.output
    plans = {
        (plan.declaration.directorate.code, plan.position): plan
        for plan in db.session.scalars(select(FollowupPlan))
    }
    assert set(plans) == {
        ("DREAL-BRE", 1), ("DIR-O", 1), ("DREAL-ARA", 1), ("DREAL-ARA", 2), ("DGEC", 2)
    }  # fmt: skip
    imported = db.session.scalars(
        select(ResultImport)
        .where(ResultImport.plan_id == plans["DREAL-BRE", 1].id)
        .order_by(ResultImport.id)
    ).all()
    assert len(imported) == 3
    counts = [item.summary["participants"] for item in imported]
    shared = [item.summary["shared"] for item in imported]
    assert counts == sorted(counts) and shared == sorted(shared) and shared[0] < shared[-1]
    reached = [item.summary["reached_all"] for item in imported]
    assert reached[0] < reached[-1]
    assert not plans["DREAL-ARA", 2].imports  # a plan still without results
    assert [item.participant_count for item in plans["DGEC", 2].imports] == [3]  # hidden outside
    total = db.session.scalar(select(func.sum(ResultImport.participant_count)))
    assert db.session.scalar(select(func.count(Participant.id))) == total

    again = runner.invoke(args=["demo"])
    assert "0 campaign follow-ups created" in again.output
    assert db.session.scalar(select(func.count(ResultImport.id))) == 3 + 2 + 1 + 1

    assert log_in(client, "dreal-bre@example.org", "demo-pix-2023").status_code == 302
    page = client.get("/fr/followup/PIX-2023/DREAL-BRE/1/").get_data(as_text=True)
    assert "Bilan final" in page and 'data-testid="evolution-chart"' in page


def test_demo_skills_follow_up_hides_the_small_pilot(app, runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert log_in(client, "equipe-projet@example.org", "demo-pix-2023").status_code == 302
    page = client.get("/en/followup/skills/PIX-2023/").get_data(as_text=True)
    assert 'data-directorate="DIR-O"' in page
    assert 'data-number="left_out">1<' in page  # the DGEC pilot of three participations


def test_the_demo_follow_up_points_to_resources_for_its_competences_below_target(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert log_in(client, "dreal-bre@example.org", "demo-pix-2023").status_code == 302
    page = client.get("/fr/followup/PIX-2023/DREAL-BRE/1/").get_data(as_text=True)
    section = page.split('id="resources"', 1)[1].split("</section>", 1)[0]
    for code, example in [
        ("2.1", "Exemple – Tutorat numérique entre collègues"),
        (
            "3.1",
            "Exemple – Atelier «\u00a0Rédiger et mettre en forme un document administratif\u00a0»",
        ),
        ("4.1", "Exemple – Fiche pratique\u00a0: sécuriser son poste et ses comptes"),
    ]:
        block = section.split(f'data-gap="{code}"', 1)[1].split("data-gap=", 1)[0]
        assert example in block
        assert "Cas d’usage et parcours conseillés" in block
        assert 'href="/fr/content/' in block
