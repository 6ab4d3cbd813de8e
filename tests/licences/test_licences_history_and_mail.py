"""Every grant is in the declaration's history and the audit log (who, when, before → after,
comment), and e-mailed to each correspondent of the directorate in their language."""

import re
from html import unescape

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import Role
from app.extensions import db
from tests.conftest import make_user, outbox
from tests.licences.conftest import grant, grant_events, set_pool

VIEW_URL = "/{lang}/declarations/PIX-2023/DREAL-PDL"


@pytest.fixture
def correspondents(known, directorate_user):
    """DREAL-PDL's correspondents: one reading French, one English; and a deactivated one."""
    english = make_user(
        "colleague@example.org", Role.DIRECTORATE, directorate="DREAL-PDL", language="en"
    )
    gone = make_user("gone@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    gone.active = False
    db.session.commit()
    return directorate_user, english


@pytest.fixture
def staff(client, login, known, project_team_user):
    login(project_team_user)
    set_pool(client, 300)
    return project_team_user


def _text(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def test_each_correspondent_is_told_in_their_language(client, staff, correspondents):
    french, english = correspondents
    before = len(outbox())
    grant(client, "DREAL-PDL", 100, "Première vague : 100 licences, le reste à l'automne.")
    messages = {m.recipients: m for m in outbox()[before:]}
    assert set(messages) == {french.email, english.email}
    fr, en = messages[french.email], messages[english.email]
    assert fr.subject == "PIX\u00a0: licences accordées à DREAL-PDL"
    assert en.subject == "PIX: licences granted to DREAL-PDL"
    assert "L’équipe projet a accordé à votre direction 100 licences PIX" in fr.body
    assert "Votre déclaration demandait 140 licences." in fr.body
    assert "The project team has granted your directorate 100 PIX licences" in en.body
    assert "Your declaration requested 140 licences." in en.body
    for message in (fr, en):
        assert "Première vague : 100 licences, le reste à l'automne." in message.body
    assert "http://portal.test/en/declarations/PIX-2023/DREAL-PDL" in en.body
    assert "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL" in fr.body
    # A change says what it was before.
    grant(client, "DREAL-PDL", 120, version=None)
    changed = [m for m in outbox() if m.recipients == english.email][-1]
    assert "120 licences now, 100 before" in changed.body


def test_saving_the_same_grant_again_records_and_sends_nothing(client, staff, correspondents):
    grant(client, "DREAL-PDL", 100, "Même chose")
    before = len(outbox())
    assert grant(client, "DREAL-PDL", 100, "Même chose").status_code == 302
    assert len(outbox()) == before
    assert len(grant_events()) == 1


def test_a_changed_comment_alone_is_told_as_such(client, staff, correspondents):
    french, english = correspondents
    grant(client, "DREAL-PDL", 100, "Première vague")
    before = len(outbox())
    assert grant(client, "DREAL-PDL", 100, "Seconde vague en mars").status_code == 302
    messages = {m.recipients: m for m in outbox()[before:]}
    fr, en = messages[french.email], messages[english.email]
    assert fr.subject == "PIX\u00a0: commentaire sur les licences de DREAL-PDL"
    assert en.subject == "PIX: comment on the licences of DREAL-PDL"
    assert "has changed its comment on the PIX licences granted" in en.body
    assert "(100 licences)" in en.body
    assert "now" not in en.body  # no "100 licences now, 100 before"
    assert "L’équipe projet a modifié son commentaire" in fr.body
    assert "Seconde vague en mars" in fr.body
    # The comment removed: said so.
    before = len(outbox())
    assert grant(client, "DREAL-PDL", 100, "").status_code == 302
    removed = [m for m in outbox()[before:] if m.recipients == english.email]
    assert "Its comment was removed." in removed[0].body
    assert len(grant_events()) == 3


def test_the_declaration_history_says_who_when_what_and_why(client, staff, project_team_user):
    grant(client, "DREAL-PDL", 100, "Première vague")
    grant(client, "DREAL-PDL", 80, "Dotation réduite")
    events = grant_events()
    assert [(e.actor_id, e.changes, e.comment) for e in events] == [
        (project_team_user.id, {"granted_licences": [None, 100]}, "Première vague"),
        (project_team_user.id, {"granted_licences": [100, 80]}, "Dotation réduite"),
    ]
    page = _text(client.get(VIEW_URL.format(lang="en")).get_data(as_text=True))
    assert "Bruno Petit – Licences granted" in page
    assert "Licences granted: 100 → 80" in page
    assert "Licences granted: — → 100" in page
    assert "Dotation réduite" in page
    french = _text(client.get(VIEW_URL.format(lang="fr")).get_data(as_text=True))
    assert "Licences accordées : 100 → 80" in french


def test_the_audit_log_says_the_grants_and_the_pool_in_words(
    client, login, staff, admin_user, project_team_user
):
    grant(client, "DREAL-PDL", 100, "Première vague")
    set_pool(client, 250, "Ajustement")
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(["declaration.licences_granted", "licences.pool_set"]))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id, e.details) for e in entries] == [
        ("licences.pool_set", project_team_user.id,
         {"changes": {"pool": [None, 300]}, "comment": ""}),
        ("declaration.licences_granted", project_team_user.id,
         {"changes": {"granted_licences": [None, 100]}, "comment": "Première vague"}),
        ("licences.pool_set", project_team_user.id,
         {"changes": {"pool": [300, 250]}, "comment": "Ajustement"}),
    ]  # fmt: skip
    client.post("/en/logout")
    login(admin_user)
    log = _text(client.get("/en/admin/audit").get_data(as_text=True))
    assert "Licences granted Declaration no." in log
    assert "Licences granted: — → 100 Comment: Première vague" in log
    assert "Pool of licences of a call set Call for declarations no." in log
    assert "Pool of licences: 300 → 250 Comment: Ajustement" in log
