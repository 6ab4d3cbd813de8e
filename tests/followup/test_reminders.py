"""`flask followup remind`: e-mails N days before a checkpoint without results, once per date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth import services as accounts
from app.auth.models import Role
from app.declarations.models import Campaign, DeclarationStatus
from app.extensions import db, utcnow
from app.followup import reminders
from app.followup.models import Checkpoint, CheckpointReminder, FollowupPlan
from tests.conftest import make_user, outbox
from tests.followup.plans import (
    BASE,
    LAUNCH,
    add_plan,
    declare_campaign,
    plan_form,
    profiles_export,
    upload,
)

TODAY = date(2026, 10, 1)
LAUNCH_ON = TODAY + timedelta(days=3)
CHECKPOINTS = [
    ("Lancement", LAUNCH_ON.isoformat()),
    ("Point d'étape", "2026-11-15"),
    ("Bilan final", "2026-12-31"),
]
LINK_FR = "http://portal.test/fr/followup/PIX-2023/DREAL-PDL/1/"
LINK_EN = "http://portal.test/en/followup/PIX-2023/DREAL-PDL/1/"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Fix the portal's today, so that dates in the e-mails are known."""
    monkeypatch.setattr(reminders, "portal_today", lambda: TODAY)


@pytest.fixture
def people(personas, directorate_user):
    """Who may import for DREAL-PDL (a French correspondent, an English PIX Orga admin), and
    who may not: a deactivated correspondent, another directorate, a CVRH, the project team."""
    english = make_user(
        "sam.taylor@example.org",
        Role.PIXORGA_ADMIN,
        directorate="DREAL-PDL",
        full_name="Sam Taylor",
        language="en",
    )
    former = make_user("ancien.dreal@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    accounts.set_active(former, False)
    return directorate_user, english


@pytest.fixture
def planned(client, login, people):
    """A submitted declaration of DREAL-PDL with a plan: launch in 3 days, then two more."""
    declare_campaign()
    login(people[0])
    response = client.post(f"{BASE}/plan", data=plan_form(checkpoints=CHECKPOINTS))
    assert response.status_code == 302, response.get_data(as_text=True)
    return _plan()


def _plan() -> FollowupPlan:
    db.session.expire_all()
    return db.session.scalar(select(FollowupPlan))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _save_checkpoints(client, checkpoints, removed=()):
    """Save the plan as the correspondent does, with its checkpoints moved or removed."""
    plan = _plan()
    data = plan_form(version=str(plan.version), checkpoints=checkpoints)
    for index, checkpoint in enumerate(plan.checkpoints):
        data[f"checkpoints-{index}-id"] = str(checkpoint.id)
        if index in removed:
            data[f"checkpoints-{index}-remove"] = "y"
    response = client.post(f"{BASE}/plan", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def remind(runner, *options):
    return runner.invoke(args=["followup", "remind", *options])


def test_each_person_who_may_import_is_e_mailed_in_their_language(runner, planned, people):
    french, english = people
    before = len(outbox())
    result = remind(runner, "--days-before", "3")
    assert result.exit_code == 0, result.output
    assert (
        'PIX-2023 DREAL-PDL campaign 1, checkpoint "Lancement" due on 2026-10-04: '
        "chloe.bernard@example.org, sam.taylor@example.org"
    ) in result.output
    assert (
        "reminded 1 checkpoints (2 e-mails), 0 already reminded, 0 directorates without an account."
    ) in result.output
    sent = {message.recipients: message for message in outbox()[before:]}
    # Not the deactivated correspondent, another directorate, the CVRH or the project team.
    assert set(sent) == {french.email, english.email}

    in_english = sent[english.email]
    assert in_english.language == "en"
    assert in_english.subject == (
        "PIX follow-up: results to import for “Campagne agents 2026” (Lancement, October 4, 2026)"
    )
    body = in_english.body
    assert "Hello Sam Taylor," in body
    assert (
        "The checkpoint “Lancement” of the campaign “Campagne agents 2026” is on October 4, 2026, "
        "and no PIX Orga results have been imported for it yet." in body
    )
    assert "Directorate: DREAL Pays de la Loire" in body
    assert "Call: PIX deployment 2023" in body
    assert "in PIX Orga, open the campaign and export its results (CSV file);" in body
    assert LINK_EN in body
    assert LINK_FR not in body

    in_french = sent[french.email]
    assert in_french.language == "fr"
    assert "Campagne agents 2026" in in_french.subject
    assert "4 octobre 2026" in in_french.subject
    assert in_french.subject.replace("\u00a0", " ").startswith("Suivi PIX : résultats à importer")
    assert "dans PIX Orga, ouvrez la campagne et exportez ses résultats" in in_french.body
    assert "Bonjour Chloe Bernard," in in_french.body
    assert "4 octobre 2026" in in_french.body
    assert "Direction\u00a0: DREAL Pays de la Loire" in in_french.body
    assert "Appel à déclarations\u00a0: Déploiement PIX 2023" in in_french.body
    assert "L’équipe projet PIX" in in_french.body
    assert LINK_FR in in_french.body
    assert LINK_EN not in in_french.body

    [marker] = db.session.scalars(select(CheckpointReminder))
    assert (marker.checkpoint.name, marker.days_before) == ("Lancement", 3)
    assert marker.due_on == LAUNCH_ON
    assert marker.sent_at is not None


def test_the_link_opens_the_campaign_follow_up(runner, client, planned):
    remind(runner, "--days-before", "3")
    body = next(m.body for m in outbox() if m.recipients == "chloe.bernard@example.org")
    assert LINK_FR in body
    page = client.get(LINK_FR.removeprefix("http://portal.test"))
    assert page.status_code == 200
    assert "Campagne agents 2026" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("days", "offset", "reminded"),
    [
        (3, 3, 1),  # N days ahead, the last day of the window
        (3, 1, 1),  # a day when the command did not run is caught up
        (3, 0, 1),  # due today
        (0, 0, 1),
        (2, 3, 0),  # beyond N days
        (5, -1, 0),  # past: never a "before" reminder
    ],
)
def test_the_window_runs_from_today_to_n_days_later(runner, planned, days, offset, reminded):
    launch = _plan().checkpoints[0]
    launch.due_on = TODAY + timedelta(days=offset)
    db.session.commit()
    before = len(outbox())
    result = remind(runner, "--days-before", str(days))
    assert result.exit_code == 0, result.output
    assert f"reminded {reminded} checkpoints ({2 * reminded} e-mails)" in result.output
    assert len(outbox()) == before + 2 * reminded
    assert _count(CheckpointReminder) == reminded


def test_a_checkpoint_with_results_is_not_reminded(runner, client, planned):
    response = upload(client, _plan().checkpoints[0].id, profiles_export(LAUNCH))
    assert response.status_code == 302, response.get_data(as_text=True)
    before = len(outbox())
    result = remind(runner, "--days-before", "3")
    assert "reminded 0 checkpoints (0 e-mails), 0 already reminded" in result.output
    assert len(outbox()) == before


def _purge(plan):
    plan.purged_at = utcnow()


def _back_to_draft(plan):
    plan.declaration.status = DeclarationStatus.DRAFT


def _campaign_removed(plan):
    campaign = db.session.scalar(
        select(Campaign).where(Campaign.declaration_id == plan.declaration_id)
    )
    db.session.delete(campaign)


@pytest.mark.parametrize("change", [_purge, _back_to_draft, _campaign_removed])
def test_a_campaign_no_longer_followed_is_not_reminded(runner, planned, change):
    change(_plan())
    db.session.commit()
    before = len(outbox())
    result = remind(runner, "--days-before", "3")
    assert result.exit_code == 0, result.output
    assert "reminded 0 checkpoints" in result.output
    assert len(outbox()) == before


def test_running_again_sends_nothing_twice(runner, planned):
    assert remind(runner, "--days-before", "3").exit_code == 0
    count = len(outbox())
    again = remind(runner, "--days-before", "3")
    assert "reminded 0 checkpoints (0 e-mails), 1 already reminded" in again.output
    assert len(outbox()) == count
    # Another N is another reminder.
    other = remind(runner, "--days-before", "7")
    assert "reminded 1 checkpoints (2 e-mails)" in other.output
    assert _count(CheckpointReminder) == 2


def test_a_moved_checkpoint_is_reminded_for_its_new_date(runner, client, planned):
    assert remind(runner, "--days-before", "3").exit_code == 0
    count = len(outbox())
    moved = [("Lancement", (TODAY + timedelta(days=2)).isoformat()), *CHECKPOINTS[1:]]
    _save_checkpoints(client, moved)
    result = remind(runner, "--days-before", "3")
    assert 'checkpoint "Lancement" due on 2026-10-03' in result.output
    assert "reminded 1 checkpoints (2 e-mails), 0 already reminded" in result.output
    assert len(outbox()) == count + 2
    assert "3 octobre 2026" in outbox()[-2].body + outbox()[-1].body
    assert "reminded 0 checkpoints" in remind(runner, "--days-before", "3").output
    assert _count(CheckpointReminder) == 2


def test_a_reminded_checkpoint_can_still_be_removed(runner, client, planned):
    assert remind(runner, "--days-before", "3").exit_code == 0
    assert _count(CheckpointReminder) == 1
    _save_checkpoints(client, CHECKPOINTS, removed=(0,))
    assert [checkpoint.name for checkpoint in _plan().checkpoints] == [
        "Point d'étape",
        "Bilan final",
    ]
    assert _count(CheckpointReminder) == 0


def test_a_dry_run_lists_and_changes_nothing(runner, planned):
    before = len(outbox())
    audits = _count(AuditEntry)
    result = remind(runner, "--days-before", "3", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        'PIX-2023 DREAL-PDL campaign 1, checkpoint "Lancement" due on 2026-10-04: '
        "chloe.bernard@example.org, sam.taylor@example.org"
    ) in result.output
    assert "would remind 1 checkpoints (2 e-mails)" in result.output
    assert len(outbox()) == before
    assert _count(CheckpointReminder) == 0
    assert _count(AuditEntry) == audits
    # Nothing was recorded: the real run sends.
    assert "reminded 1 checkpoints" in remind(runner, "--days-before", "3").output


def test_a_negative_number_of_days_is_refused(runner, planned):
    before = len(outbox())
    result = remind(runner, "--days-before", "-1")
    assert result.exit_code == 2
    assert "Invalid value for '--days-before'" in result.output
    assert "-1 is not in the range x>=0" in result.output
    assert len(outbox()) == before
    assert remind(runner).exit_code == 2  # required


def test_a_directorate_without_account_is_counted_then_reminded_once_it_has_one(runner, planned):
    plan = add_plan(declare_campaign("DREAL-BRE"), checkpoints=("Lancement",))
    plan.checkpoints[0].due_on = TODAY + timedelta(days=1)
    db.session.commit()
    result = remind(runner, "--days-before", "3")
    assert result.exit_code == 0, result.output
    assert (
        "reminded 1 checkpoints (2 e-mails), 0 already reminded, "
        "1 directorates without an account (DREAL-BRE)."
    ) in result.output
    assert _count(CheckpointReminder) == 1
    make_user("rh.bretagne@example.org", Role.DIRECTORATE, directorate="DREAL-BRE")
    again = remind(runner, "--days-before", "3")
    assert "PIX-2023 DREAL-BRE campaign 1" in again.output
    assert "reminded 1 checkpoints (1 e-mails), 1 already reminded" in again.output
    assert outbox()[-1].recipients == "rh.bretagne@example.org"


def test_each_round_is_audited(runner, planned):
    remind(runner, "--days-before", "3")
    remind(runner, "--days-before", "3")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "followup.reminded").order_by(AuditEntry.id)
    ).all()
    assert [entry.details for entry in entries] == [
        {"days_before": 3, "sent": 1, "emails": 2, "already_reminded": 0, "without_account": []},
        {"days_before": 3, "sent": 0, "emails": 0, "already_reminded": 1, "without_account": []},
    ]
    assert entries[0].actor_id is None


def test_a_failure_half_way_keeps_what_was_sent_and_sends_the_rest_once(
    runner, planned, monkeypatch
):
    second = _plan().checkpoints[1]
    second.due_on = TODAY + timedelta(days=5)
    db.session.commit()
    before = len(outbox())
    send = reminders.mail.send

    def failing(*args, **context):
        if context["checkpoint"].name == "Point d'étape":
            raise RuntimeError("the mail template could not be rendered")
        return send(*args, **context)

    with monkeypatch.context() as patch:
        patch.setattr(reminders.mail, "send", failing)
        result = remind(runner, "--days-before", "5")
    assert isinstance(result.exception, RuntimeError)
    db.session.rollback()  # as when the process ends
    assert len(outbox()) == before + 2
    markers = db.session.scalars(select(CheckpointReminder)).all()
    assert [marker.checkpoint.name for marker in markers] == ["Lancement"]
    result = remind(runner, "--days-before", "5")
    assert 'checkpoint "Point d\'étape"' in result.output
    assert "reminded 1 checkpoints (2 e-mails), 1 already reminded" in result.output
    assert len(outbox()) == before + 4


def test_two_rounds_at_the_same_instant_send_once(app, planned, people, concurrently):
    """Both rounds read before either writes (PostgreSQL); SQLite runs them one after the
    other. The unique key of the reminder decides: one sends, the other finds it done."""

    def round_():
        with app.app_context():
            return reminders.remind_before_checkpoints(3)

    before = len(outbox())
    reports = concurrently(round_, round_)
    assert sorted((report.sent, report.already_reminded) for report in reports) == [
        (0, 1),
        (1, 0),
    ]
    assert sorted(message.recipients for message in outbox()[before:]) == [
        "chloe.bernard@example.org",
        "sam.taylor@example.org",
    ]
    assert _count(CheckpointReminder) == 1
    assert db.session.scalar(select(Checkpoint.name).join(CheckpointReminder)) == "Lancement"
