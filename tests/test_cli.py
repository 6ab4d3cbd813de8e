"""Command-line commands."""

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.directorates.models import Call, CampaignKind, Cvrh, Directorate, LearningPath
from app.extensions import db
from app.followup import reference
from tests.conftest import outbox


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_is_idempotent_and_keeps_admin_edits(runner):
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == "DGEC"))
    directorate.name_en = "Edited by an administrator"
    path = db.session.scalar(select(LearningPath).where(LearningPath.code == "EX-SECURITE"))
    path.active = False
    path.competences = ["4.1"]
    db.session.commit()
    before = (_count(Cvrh), _count(Directorate), _count(Call), _count(LearningPath))
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "0 directorates" in result.output
    assert "0 learning paths created" in result.output
    assert (_count(Cvrh), _count(Directorate), _count(Call), _count(LearningPath)) == before
    db.session.refresh(directorate)
    assert directorate.name_en == "Edited by an administrator"
    db.session.refresh(path)
    assert (path.active, path.competences) == (False, ["4.1"])


def test_seed_creates_the_example_learning_paths_once(runner):
    db.session.execute(LearningPath.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "6 learning paths created" in result.output
    paths = db.session.scalars(select(LearningPath).order_by(LearningPath.position)).all()
    assert {path.campaign_kind for path in paths} == set(CampaignKind)
    codes = {competence.code for competence in reference.competences()}
    for path in paths:
        assert path.active
        assert path.name_fr.startswith("Exemple – ")
        assert path.name_en.startswith("Example – ")
        assert path.description_fr and path.description_en and path.audience_fr
        assert path.competences and set(path.competences) <= codes
    assert [path.position for path in paths] == sorted({path.position for path in paths})


def test_reference_data_covers_the_recipients_of_the_note(app):
    codes = set(db.session.scalars(select(Directorate.code)))
    for code in (
        "DRIEAT-IF",
        "DRIHL-IF",
        "CGDD",
        "IGEDD",
        "DGALN",
        "DGEC",
        "DGITM",
        "DGPR",
        "CETU",
        "STRMTG",
        "CNPS",
        "SG-DRH-CRHAC",
        "DREAL-ARA",
        "DREAL-PACA",
    ):
        assert code in codes
    prefixes = {code.split("-")[0] for code in codes}
    assert {"DREAL", "DIRM", "DEAL", "DM", "DIR"} <= prefixes
    assert _count(Cvrh) == 10
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    assert call.deadline.isoformat() == "2023-04-28"
    assert call.title_en == "PIX deployment 2023"
    for directorate in db.session.scalars(select(Directorate)):
        assert (
            directorate.name_fr and directorate.name_en and directorate.region and directorate.cvrh
        )


def test_demo_creates_every_role_and_is_idempotent(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output
    users = _count(User)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert _count(User) == users
    from app.declarations.models import Declaration, DeclarationStatus

    assert set(db.session.scalars(select(Declaration.status))) == set(DeclarationStatus)
    from app.codir.models import CodirRequest, CodirStatus

    assert set(db.session.scalars(select(CodirRequest.status))) == set(CodirStatus)
    declarations = _count(Declaration)
    runner.invoke(args=["demo"])
    assert _count(Declaration) == declarations
    roles = set(db.session.scalars(select(User.role)))
    assert roles == set(Role)
    assert all(email.endswith("@example.org") for email in db.session.scalars(select(User.email)))


def test_demo_accounts_can_log_in(runner, client):
    runner.invoke(args=["demo"])
    from app.demo import DEMO_PASSWORD

    response = client.post(
        "/fr/login", data={"email": "dreal-pdl@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_users_create_with_password(runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New.Person@Example.org",
            "--role",
            "directorate",
            "--directorate",
            "DGPR",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    assert user.directorate.code == "DGPR"
    assert outbox() == []
    response = client.post(
        "/fr/login", data={"email": "new.person@example.org", "password": "a long enough password"}
    )
    assert response.status_code == 302


def test_users_create_without_password_sends_an_invitation(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "c@example.org",
            "--role",
            "cvrh",
            "--cvrh",
            "CVRH-TOURS",
        ]
    )
    assert result.exit_code == 0, result.output
    [message] = outbox()
    assert message.recipients == "c@example.org"
    assert "/fr/invitation/" in message.body


def test_users_create_refuses_bad_input(runner):
    missing = runner.invoke(
        args=["users", "create", "--email", "d@example.org", "--role", "directorate"]
    )
    assert missing.exit_code != 0
    assert "--directorate is required" in missing.output
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "d@example.org",
            "--role",
            "directorate",
            "--directorate",
            "NOPE",
        ]
    )
    assert unknown.exit_code != 0
    assert "unknown directorate" in unknown.output
    runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "e@example.org",
            "--role",
            "admin",
            "--password",
            "x" * 12,
        ]
    )
    taken = runner.invoke(args=["users", "create", "--email", "E@example.org", "--role", "admin"])
    assert taken.exit_code != 0
    assert "already uses" in taken.output
    assert _count(User) == 1


def test_directorates_list(runner):
    result = runner.invoke(args=["directorates", "list"])
    lines = result.output.splitlines()
    assert len(lines) == _count(Directorate)
    assert "DREAL-PDL\tDREAL Pays de la Loire" in lines
    assert lines == sorted(lines)
