"""Administration pages in the page's language: directorate names, the audit log in words."""

import re
from html import unescape

from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import Role
from app.codir.models import CodirRequest
from app.extensions import db
from tests.codir.conftest import request_form, schedule_form
from tests.conftest import log_in, make_user


def _options(html: str, name: str) -> dict[str, str]:
    select_tag = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return {
        value: unescape(text)
        for value, text in re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)<', select_tag)
    }


def test_the_user_form_names_directorates_in_the_page_language(client, login, admin_user):
    login(admin_user)
    english = _options(client.get("/en/admin/users/new").get_data(as_text=True), "directorate")
    assert english["DREAL-PDL"] == (
        "DREAL-PDL – DREAL Pays de la Loire "
        "(regional directorate for environment, planning and housing)"
    )
    french = _options(client.get("/fr/admin/users/new").get_data(as_text=True), "directorate")
    assert french["DREAL-PDL"] == "DREAL-PDL – DREAL Pays de la Loire"
    # A directorate without an English name keeps its French one.
    from app.directorates.models import Directorate

    dgec = db.session.scalar(select(Directorate).where(Directorate.code == "DGEC"))
    dgec.name_en = ""
    db.session.commit()
    english = _options(client.get("/en/admin/users/new").get_data(as_text=True), "directorate")
    assert english["DGEC"] == f"DGEC – {dgec.name_fr}"


def _rows(html: str) -> dict[int, str]:
    """Return each audit row's text, tags removed, by entry id (the raw data left out)."""
    rows = {}
    for entry_id, cells in re.findall(r'<tr data-audit="(\d+)">(.*?)</tr>', html, re.S):
        shown = re.sub(r"<details.*?</details>", "", cells, flags=re.S)
        text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", shown)))
        rows[int(entry_id)] = text.replace("\u00a0", " ").replace("\u202f", " ")
    return rows


def _entry(action: str) -> int:
    return db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def test_the_audit_log_says_actions_and_changes_in_words(
    app, client, login, admin_user, directorate_user, cvrh_user
):
    own = app.test_client()
    log_in(own, directorate_user)
    assert own.post("/fr/codir/new", data=request_form()).status_code == 302
    codir_request = db.session.scalar(select(CodirRequest))
    cvrh = app.test_client()
    log_in(cvrh, cvrh_user)
    data = schedule_form(**{"schedule-time": "14:00", "schedule-duration": "45"})
    assert cvrh.post(f"/en/codir/{codir_request.id}/schedule", data=data).status_code == 302
    login(admin_user)
    someone = make_user("lucie.morel@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    client.post(
        f"/en/admin/users/{someone.id}",
        data={
            "email": someone.email,
            "full_name": "Lucie Morel",
            "role": "cvrh",
            "cvrh": "CVRH-NANTES",
            "language": "fr",
            "version": someone.version,
        },
    )
    client.post(
        "/en/admin/calls/PIX-2023",
        data={
            "code": "PIX-2023",
            "title_fr": "Déploiement PIX 2023",
            "title_en": "PIX deployment 2023",
            "opens_on": "2023-04-12",
            "deadline": "2099-05-15",
            "is_open": "y",
        },
    )
    schedule, user, call = (
        _entry("codir.schedule"),
        _entry("user.updated"),
        _entry("call.updated"),
    )
    assert None not in (schedule, user, call)

    english = _rows(client.get("/en/admin/audit").get_data(as_text=True))
    assert "Presentation scheduled" in english[schedule]
    assert f"CODIR request no. {codir_request.id}" in english[schedule]
    assert "Status: Waiting for an answer → Scheduled" in english[schedule]
    assert "Duration in minutes: 45" in english[schedule]
    assert re.search(r"Date of the presentation: \d+/\d+/\d+, 2:00 PM", english[schedule])
    assert "Account changed" in english[user]
    assert "Role: Directorate correspondent → CVRH staff" in english[user]
    assert "CVRH: — → CVRH-NANTES" in english[user]
    assert "Call for declarations changed" in english[call]
    assert "Deadline: April 28, 2023 → May 15, 2099" in english[call]
    assert "codir.schedule" not in english[schedule] and "{" not in english[schedule]

    french = _rows(client.get("/fr/admin/audit").get_data(as_text=True))
    assert "Présentation programmée" in french[schedule]
    assert "Statut : En attente de réponse → Programmée" in french[schedule]
    assert "Rôle : Correspondant de direction → Agent de CVRH" in french[user]
    assert "28 avril 2023 → 15 mai 2099" in french[call]
    # What was recorded stays at hand, folded.
    page = client.get("/en/admin/audit").get_data(as_text=True)
    assert "<summary>As recorded</summary><code>codir.schedule</code>" in page


def test_the_admin_home_shows_the_recent_entries_in_words(client, login, admin_user):
    someone = make_user("lucie.morel@example.org", Role.DIRECTORATE, directorate="DREAL-PDL")
    login(admin_user)
    assert (
        client.post(f"/en/admin/users/{someone.id}/active", data={"active": "0"}).status_code == 302
    )
    html = client.get("/en/home").get_data(as_text=True)
    assert "Account deactivated" in html
    assert "Compte désactivé" in client.get("/fr/home").get_data(as_text=True)
