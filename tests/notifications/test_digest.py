"""The daily digest: once per user and period, what others submitted, never twice."""

import contextlib
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.audit import AuditEntry
from app.auth.models import Notifications, User
from app.content.models import ContentItem, ContentKind, ContentState
from app.declarations.models import Declaration, DeclarationEvent
from app.extensions import db, utcnow
from app.notifications import digest, services
from tests.conftest import log_in, outbox
from tests.content.conftest import make
from tests.notifications.conftest import submit_declaration

LATER = timedelta(hours=1)
SUBJECT = "Récapitulatif PIX du jour"


def _digests(before: int) -> dict[str, str]:
    """Return the digests queued since `before`: body by recipient (one each, at most)."""
    found = [m for m in outbox()[before:] if "digest" in m.subject or SUBJECT in m.subject]
    assert len({m.recipients for m in found}) == len(found), "a user got two digests"
    return {m.recipients: m for m in found}


def _submit_content(app, author, title: str, section: ContentItem) -> ContentItem:
    item = make(author, ContentKind.PAGE, "fr", section, title)
    client = app.test_client()
    log_in(client, author)
    assert client.post(f"/fr/content/item/{item.id}/submit").status_code == 302
    return item


@pytest.fixture
def section(team):
    return make(
        team.french, ContentKind.SECTION, "fr", None, "Déployer", ContentState.PUBLISHED,
        slug="deployer",
    )  # fmt: skip


def test_the_digest_lists_what_others_submitted_in_each_users_language(
    app, call, team, section, directorate_user, cvrh_user
):
    services.choose(team.english, Notifications.DIGEST)
    submit_declaration(app, directorate_user)
    _submit_content(app, cvrh_user, "Fiche ambassadeur", section)
    _submit_content(app, team.digest, "Webinaires", section)  # by the French digest user
    published = _submit_content(app, cvrh_user, "Agenda", section)
    published.state = ContentState.PUBLISHED  # reviewed already: no longer waiting
    db.session.commit()
    before = len(outbox())

    report = digest.send_digests(utcnow() + LATER)

    assert (report.sent, report.already_sent) == (2, 0)
    digests = _digests(before)
    assert set(digests) == {team.digest.email, team.english.email}
    french, english = digests[team.digest.email], digests[team.english.email]
    assert french.subject == "Récapitulatif PIX du jour\u00a0: 2 soumissions à examiner"
    assert "1 déclaration soumise\u00a0:" in french.body
    assert "- DREAL Pays de la Loire – " in french.body
    assert "Déploiement PIX 2023, soumise le " in french.body
    assert "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL\n" in french.body
    assert "1 contenu en attente de relecture\u00a0:" in french.body
    assert "- Fiche ambassadeur (Page, français)\n" in french.body
    assert "http://portal.test/fr/content/deployer/fiche-ambassadeur\n" in french.body
    assert "Webinaires" not in french.body  # their own
    assert "Agenda" not in french.body  # published meanwhile
    assert "http://portal.test/fr/content/review" in french.body
    assert english.subject == "PIX daily digest: 3 submissions to review"
    assert "1 declaration submitted:" in english.body
    assert "http://portal.test/en/declarations/PIX-2023/DREAL-PDL\n" in english.body
    assert "2 content items waiting for review:" in english.body
    assert "- Webinaires (Page, French)" in english.body
    assert "http://portal.test/en/account" in english.body


def test_a_declaration_submitted_again_is_listed_once_and_says_so(
    app, client, login, call, team, directorate_user
):
    submit_declaration(app, directorate_user)
    login(team.french)
    client.post("/fr/declarations/PIX-2023/DREAL-PDL/request_corrections", data={"comment": "?"})
    version = db.session.scalar(select(Declaration.version))
    submit_declaration(app, directorate_user, version=str(version))
    before = len(outbox())
    digest.send_digests(utcnow() + LATER)
    body = _digests(before)[team.digest.email].body
    assert body.count("DREAL Pays de la Loire") == 1
    assert "soumise de nouveau après corrections le " in body


def test_nothing_happened_sends_nothing_but_the_period_is_covered(app, team):
    before = len(outbox())
    moment = utcnow() + LATER
    report = digest.send_digests(moment)
    assert (report.sent, report.quiet) == (0, 1)
    assert outbox()[before:] == []
    db.session.refresh(team.digest)
    assert team.digest.digest_covered_until == moment - digest.SETTLE


def test_running_again_never_sends_the_same_event_twice(app, call, team, section, cvrh_user):
    _submit_content(app, cvrh_user, "Fiche ambassadeur", section)
    before = len(outbox())
    first = utcnow() + LATER
    assert digest.send_digests(first).sent == 1
    assert digest.send_digests(first).sent == 0  # the same run again
    assert digest.send_digests(first + LATER).sent == 0  # the next day, nothing new
    later = _submit_content(app, cvrh_user, "Calendrier", section)
    # Submitted after the second run's period (runs here are dated in the future).
    db.session.execute(
        update(AuditEntry)
        .where(AuditEntry.action == "content_submit", AuditEntry.object_id == str(later.id))
        .values(created_at=first + 2 * LATER)
    )
    db.session.commit()
    assert digest.send_digests(first + 3 * LATER).sent == 1
    digests = [m.body for m in outbox()[before:] if m.subject.startswith(SUBJECT)]
    assert len(digests) == 2
    assert "Fiche ambassadeur" in digests[0] and "Calendrier" not in digests[0]
    assert "Calendrier" in digests[1] and "Fiche ambassadeur" not in digests[1]


def test_an_event_committed_just_before_the_run_comes_in_the_next_digest(
    app, call, team, section, cvrh_user
):
    _submit_content(app, cvrh_user, "Fiche ambassadeur", section)
    before = len(outbox())
    assert digest.send_digests(utcnow() + timedelta(minutes=1)).sent == 0  # within SETTLE
    assert digest.send_digests(utcnow() + LATER).sent == 1
    assert "Fiche ambassadeur" in _digests(before)[team.digest.email].body


def test_only_the_users_who_chose_the_digest_get_one(app, call, team, directorate_user):
    services.choose(team.admin, Notifications.DIGEST)
    services.choose(team.digest, Notifications.IMMEDIATE)  # changed their mind
    team.silent.notifications = Notifications.DIGEST
    team.silent.active = False
    db.session.commit()
    submit_declaration(app, directorate_user)
    before = len(outbox())
    digest.send_digests(utcnow() + LATER)
    assert set(_digests(before)) == {team.admin.email}
    assert _digests(before)[team.admin.email].language == "en"


def test_the_command_sends_the_digests_and_is_audited(
    app, runner, call, team, directorate_user, client, login, admin_user
):
    submit_declaration(app, directorate_user)
    # A day has passed since the digest was chosen and the declaration submitted.
    yesterday = timedelta(days=1)
    db.session.execute(update(DeclarationEvent).values(created_at=utcnow() - yesterday / 2))
    db.session.execute(
        update(User)
        .where(User.id == team.digest.id)
        .values(digest_covered_until=utcnow() - yesterday)
    )
    db.session.commit()
    before = len(outbox())
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 digests sent, 0 users with nothing new, 0 already sent by another run." in (
        result.output
    )
    assert set(_digests(before)) == {team.digest.email}
    again = runner.invoke(args=["notifications", "digest"])
    assert "0 digests sent, 1 users with nothing new" in again.output
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "notifications.digest")
    ).all()
    assert [entry.details["sent"] for entry in entries] == [1, 0]
    # The audit log says it in words, in the page's language.
    login(admin_user)
    page = client.get("/fr/admin/audit").get_data(as_text=True)
    assert "Récapitulatifs quotidiens envoyés" in page and "Rien de nouveau à signaler" in page


def test_two_runs_at_once_send_one_digest(app, call, team, cvrh_user, concurrently, monkeypatch):
    """Both runs read the users before either claims a period (a barrier before each claim);
    the conditional UPDATE decides: for each user one run sends, the other finds it taken."""
    section = make(
        team.french, ContentKind.SECTION, "fr", None, "Déployer", ContentState.PUBLISHED,
        slug="deployer",
    )  # fmt: skip
    services.choose(team.english, Notifications.DIGEST)
    _submit_content(app, cvrh_user, "Fiche ambassadeur", section)
    moment = utcnow() + LATER
    both_read = threading.Barrier(2)
    claim = digest._claim

    def claim_after_both_read(*args):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait(timeout=5)
        return claim(*args)

    monkeypatch.setattr(digest, "_claim", claim_after_both_read)

    def run():
        with app.app_context():
            return digest.send_digests(moment)

    before = len(outbox())
    reports = concurrently(run, run)
    # Each user's period is taken by one run or the other (which one may vary by user).
    assert sum(report.sent for report in reports) == 2
    assert sum(report.already_sent for report in reports) == 2
    assert set(_digests(before)) == {team.digest.email, team.english.email}
