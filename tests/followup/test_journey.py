"""A campaign followed through the web: plan, two checkpoints, figures, evolution, list."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.directorates.models import CampaignKind, LearningPath
from app.extensions import db
from app.followup.models import Checkpoint, FollowupPlan, Participant, ResultImport
from tests.followup.plans import BASE, FINAL, LAUNCH, declare_campaign, plan_form, profiles_export


@pytest.fixture
def declared(app):
    return declare_campaign()


def upload(client, checkpoint: Checkpoint, data: bytes, name: str = "Resultats.csv"):
    return client.post(
        f"{BASE}/checkpoints/{checkpoint.id}/import",
        data={"results": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def planned(client, login, directorate_user, declared):
    login(directorate_user)
    response = client.post(f"{BASE}/plan", data=plan_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(FollowupPlan))


def test_plan_form_starts_from_the_declared_campaign(client, login, directorate_user, declared):
    login(directorate_user)
    page = client.get(f"{BASE}/plan").get_data(as_text=True)
    assert 'value="Agents du siège"' in page
    assert 'value="10"' in page
    assert 'value="Lancement"' in page and 'value="Mi-parcours"' in page
    assert "2026-09-01" in page and "2026-12-31" in page and "2026-10-31" in page


def test_saving_the_plan_records_targets_checkpoints_and_history(client, planned):
    assert {(t.competence, t.level) for t in planned.targets} == {("2.1", 3), ("4.1", 2)}
    assert [c.name for c in planned.checkpoints] == ["Lancement", "Bilan final"]
    data = plan_form(targets={"2.1": 4}, version=str(planned.version))
    data["checkpoints-0-id"] = str(planned.checkpoints[0].id)
    data["checkpoints-1-id"] = str(planned.checkpoints[1].id)
    assert client.post(f"{BASE}/plan", data=data).status_code == 302
    db.session.expire_all()
    assert {(t.competence, t.level) for t in planned.targets} == {("2.1", 4)}
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Plan modifié" in page and "Cible\u00a0: 4.1" in page


def test_two_checkpoints_give_figures_evolution_and_the_list(client, planned):
    launch, final = planned.checkpoints
    response = upload(client, launch, profiles_export(LAUNCH))
    assert response.status_code == 302, response.get_data(as_text=True)
    summary = db.session.scalar(select(ResultImport.summary))
    assert (summary["participants"], summary["started"], summary["shared"]) == (4, 4, 3)
    assert summary["competences"]["2.1"]["reached"] == 2
    assert summary["competences"]["2.1"]["median"] == 3
    assert summary["competences"]["4.1"]["distribution"][:4] == [0, 1, 1, 1]
    assert summary["reached_all"] == 1
    assert upload(client, final, profiles_export(FINAL)).status_code == 302

    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert 'data-figure="participants">4<' in page
    assert 'data-figure="reached-all">3<' in page
    assert "75\u00a0% des partagées" in page or "75 % des partagées" in page
    assert 'data-evolution="reached_all"' in page
    assert "+41,7" in page

    page = client.get(f"{BASE}/checkpoints/{launch.id}/").get_data(as_text=True)
    assert "Bernard" in page and "Dubois" in page and "Thomas" in page
    assert "Martin" not in page
    assert "4.1 Sécuriser" in page

    response = client.post(f"{BASE}/checkpoints/{launch.id}/list.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    response.close()
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "Groupe")
    assert [row[0] for row in rows[1:]] == ["Bernard", "Dubois", "Thomas"]
    # Shared at 10:00 in Paris: written as the portal's local time, a real date cell.
    assert rows[0][6] == "Partagé le"
    assert rows[1][6] == datetime(2026, 10, 2, 10, 0)
    assert rows[2][6] is None
    assert (
        db.session.scalar(
            select(func.count()).where(AuditEntry.action == "followup.list_downloaded")
        )
        == 1
    )


def test_the_same_file_twice_is_refused_and_changes_nothing(client, planned):
    launch, final = planned.checkpoints
    assert upload(client, launch, profiles_export(LAUNCH)).status_code == 302
    page = upload(client, final, profiles_export(LAUNCH), "copie.csv").get_data(as_text=True)
    assert "déjà été importé" in page
    assert db.session.scalar(select(func.count(ResultImport.id))) == 1
    assert db.session.scalar(select(func.count(Participant.id))) == 4


def test_another_pix_orga_campaign_is_refused(client, planned):
    launch, final = planned.checkpoints
    assert upload(client, launch, profiles_export(LAUNCH)).status_code == 302
    page = upload(client, final, profiles_export(FINAL, code="AUTRE26")).get_data(as_text=True)
    assert "AUTRE26" in page and "PDL26PROF" in page
    assert db.session.scalar(select(func.count(ResultImport.id))) == 1


def test_changing_a_target_recomputes_the_figures_and_the_list(client, planned):
    launch, _final = planned.checkpoints
    assert upload(client, launch, profiles_export(LAUNCH)).status_code == 302
    data = plan_form(targets={"2.1": 2}, version=str(planned.version))
    for index, checkpoint in enumerate(planned.checkpoints):
        data[f"checkpoints-{index}-id"] = str(checkpoint.id)
    assert client.post(f"{BASE}/plan", data=data).status_code == 302
    db.session.expire_all()
    summary = db.session.scalar(select(ResultImport.summary))
    assert summary["reached_all"] == 3
    statuses = dict(db.session.execute(select(Participant.last_name, Participant.status)).all())
    assert statuses == {
        "Martin": "reached",
        "Bernard": "reached",
        "Dubois": "not_shared",
        "Thomas": "reached",
    }


def test_deleting_an_import_removes_its_rows_and_frees_the_checkpoint(client, planned):
    launch, _final = planned.checkpoints
    assert upload(client, launch, profiles_export(LAUNCH)).status_code == 302
    result = db.session.scalar(select(ResultImport))
    response = client.post(f"{BASE}/imports/{result.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Participant.id))) == 0
    db.session.expire_all()
    assert planned.pixorga_code is None
    assert upload(client, launch, profiles_export(FINAL, code="AUTRE26")).status_code == 302


def test_the_plan_starts_from_the_chosen_learning_paths(client, login, directorate_user, declared):
    path = db.session.scalar(
        select(LearningPath).where(LearningPath.campaign_kind == CampaignKind.ASSESSMENT)
    )
    declared.campaigns[0].paths = [path]
    db.session.commit()
    login(directorate_user)
    page = client.get(f"{BASE}/plan").get_data(as_text=True)
    assert 'value="assessment" checked' in page or 'checked id="kind-0"' in page
    assert page.count("data-covered") == len(path.competences)
