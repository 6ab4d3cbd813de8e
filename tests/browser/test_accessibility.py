"""Every main page of every role, in both languages, on the demo data, in Chromium at 1280 px:
no axe-core violation, no table out of reach, no button without visible text."""

import threading

import pytest
from flask import url_for
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from app.cli import demo_command
from app.codir.models import CodirRequest
from app.content import tree
from app.content.models import ContentItem, ContentKind, ContentState
from app.core.statement import AUDITED_PAGES
from app.directorates.models import Directorate, DirectorateContact, LearningPath
from app.events import links
from app.events.models import EventSession, Invitation
from app.extensions import db
from app.followup.models import Checkpoint, FollowupPlan
from app.mail import OutboxMessage
from tests.browser.audit import AXE, WIDTH, audit
from tests.browser.conftest import STEP_TIMEOUT_MS, launch_chromium
from tests.conftest import portal

pytestmark = pytest.mark.browser

PASSWORD = "demo-pix-2023"
ACCOUNTS = {
    "anonymous": None,
    "directorate": "dreal-pdl@example.org",
    "followed_directorate": "dreal-bre@example.org",
    "pixorga_admin": "nadia.fabre@example.org",
    "cvrh": "cvrh-nantes@example.org",
    "project_team": "equipe-projet@example.org",
    "admin": "admin@example.org",
}
PUBLIC = [
    ("core.index", {}),
    ("core.accessibility", {}),
    ("core.legal_notice", {}),
    ("core.personal_data", {}),
    ("content.sitemap", {}),
    ("content.news", {}),
    ("content.events", {}),
    ("content.search_page", {"q": "PIX"}),
    ("competences.index", {}),
]


def _id(query):
    return db.session.scalar(query.limit(1))


def _pages(role: str, lang: str) -> list[str]:
    """Return the addresses of the main pages a role works with, in a language."""
    bre = _id(select(Directorate.id).where(Directorate.code == "DREAL-BRE"))
    codir_pdl = _id(
        select(CodirRequest.id).join(Directorate).where(Directorate.code == "DREAL-PDL")
    )
    codir_dir_o = _id(select(CodirRequest.id).join(Directorate).where(Directorate.code == "DIR-O"))
    plan = db.session.get(
        FollowupPlan,
        _id(select(FollowupPlan.id).order_by(FollowupPlan.id)),
    )
    checkpoint = _id(
        select(Checkpoint.id).where(Checkpoint.plan_id == plan.id).order_by(Checkpoint.id)
    )
    campaign = {"call_code": "PIX-2023", "directorate_code": "DREAL-BRE", "position": 1}
    webinar = _id(select(EventSession.event_id).order_by(EventSession.id))
    held, catch_up = (
        _id(select(EventSession.id).where(EventSession.event_id == webinar).order_by(order))
        for order in (EventSession.starts_at, EventSession.starts_at.desc())
    )
    invited = db.session.get(Invitation, _id(select(Invitation.id).order_by(Invitation.email)))
    assert plan.declaration.directorate_id == bre
    declaration = {"call_code": "PIX-2023", "directorate_code": "DREAL-BRE"}
    draft = {"call_code": "PIX-2027", "directorate_code": "DREAL-PDL"}
    contact = _id(
        select(DirectorateContact.id).join(Directorate).where(Directorate.code == "DREAL-PDL")
    )
    claim_mail = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.contact_id.is_not(None))
        .order_by(OutboxMessage.id)
    )
    claim_token = claim_mail.body.split("/reach/claim/", 1)[1].split()[0]
    pages = {
        "anonymous": [
            *PUBLIC,
            *_content_pages(lang),
            ("auth.login", {}),
            ("auth.forgotten_password", {}),
            ("reach.claim", {"token": claim_token}),
            ("events.personal", {"token": links.token_for(invited)}),
        ],
        "directorate": [
            ("core.home", {}),
            ("declarations.index", {}),
            ("declarations.view", draft),
            ("declarations.edit", draft),
            ("codir.index", {}),
            ("codir.detail", {"request_id": codir_pdl}),
            ("directorates.detail", {"code": "DREAL-PDL"}),
            ("auth.account", {}),
        ],
        "followed_directorate": [
            ("core.home", {}),
            ("declarations.view", declaration),
            ("declarations.print_summary", declaration),
            ("codir.new", {}),
            ("followup.index", {}),
            ("followup.campaign", campaign),
            ("followup.plan", campaign),
            ("followup.checkpoint", {**campaign, "checkpoint_id": checkpoint}),
            ("followup.import_results", {**campaign, "checkpoint_id": checkpoint}),
            ("events.training_page", {"code": "DREAL-BRE"}),
        ],
        "pixorga_admin": [
            ("core.home", {}),
            ("followup.index", {}),
            ("followup.campaign", campaign),
        ],
        "cvrh": [
            ("core.home", {}),
            ("codir.index", {}),
            ("codir.detail", {"request_id": codir_pdl}),
            ("codir.detail", {"request_id": codir_dir_o}),
            ("declarations.index", {}),
            ("declarations.call_list", {"call_code": "PIX-2023"}),
            ("declarations.view", declaration),
            ("directorates.index", {}),
            ("directorates.detail", {"code": "DREAL-BRE"}),
            ("followup.skills_index", {}),
            ("followup.skills", {"call_code": "PIX-2023"}),
            ("events.training_page", {"code": "DREAL-BRE"}),
        ],
        "project_team": [
            ("core.home", {}),
            ("console.index", {}),
            ("console.dashboard", {"call_code": "PIX-2023"}),
            ("licences.overview", {"call_code": "PIX-2023"}),
            ("licences.grant", {"call_code": "PIX-2023", "directorate_code": "DIR-O"}),
            ("console.reach", {"call_code": "PIX-2027"}),
            ("console.claims", {"call_code": "PIX-2027"}),
            ("directorates.contact_list", {"code": "DIR-O"}),
            ("directorates.edit_contact", {"code": "DREAL-PDL", "contact_id": contact}),
            ("declarations.call_list", {"call_code": "PIX-2023"}),
            ("declarations.view", {"call_code": "PIX-2023", "directorate_code": "DIR-O"}),
            ("codir.index", {}),
            ("directorates.index", {}),
            ("followup.skills", {"call_code": "PIX-2023"}),
            ("content.manage", {}),
            ("content.review", {}),
            ("content.new", {"kind": "page"}),
            ("content.new", {"kind": "event"}),
            *_content_pages(lang)[:2],
            *_editing_pages(lang),
            ("events.index", {}),
            ("events.manage", {"event_id": webinar}),
            ("events.new_session", {"event_id": webinar}),
            ("events.edit_session", {"session_id": catch_up}),
            ("events.session_page", {"session_id": held}),
            ("events.session_page", {"session_id": catch_up}),
        ],
        "admin": [
            ("core.home", {}),
            ("admin.users", {}),
            ("admin.invite_user", {}),
            ("admin.audit_log", {}),
            ("admin.outbox", {}),
            ("admin.reference", {}),
            ("admin.directorates", {}),
            ("admin.edit_directorate", {"code": "DREAL-BRE"}),
            ("admin.edit_call", {"code": "PIX-2027"}),
            ("admin.edit_cvrh", {"code": "CVRH-NANTES"}),
            ("admin.edit_learning_path", {"code": _id(select(LearningPath.code))}),
        ],
    }[role]
    message = _id(select(OutboxMessage.id).order_by(OutboxMessage.id))
    if role == "admin" and message:
        pages.append(("admin.outbox_message", {"message_id": message}))
    return [url_for(endpoint, lang=lang, **values) for endpoint, values in pages]


def _published(lang: str) -> list[ContentItem]:
    """One published item of each kind, then every page holding a table."""
    items = db.session.scalars(
        select(ContentItem)
        .where(ContentItem.language == lang, ContentItem.state == ContentState.PUBLISHED)
        .order_by(ContentItem.id)
    ).all()
    firsts = [next(i for i in items if i.kind is kind) for kind in ContentKind]
    tables = [i for i in items if "|---" in i.body or "| ---" in i.body or "|:--" in i.body]
    return list(dict.fromkeys(firsts + tables))


def _content_pages(lang: str) -> list[tuple[str, dict]]:
    return [("content.view", {"path": tree.path_of(item)}) for item in _published(lang)]


def _editing_pages(lang: str) -> list[tuple[str, dict]]:
    item = _published(lang)[1]
    return [("content.edit", {"item_id": item.id}), ("content.history", {"item_id": item.id})]


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """Keep the output of a failed test to what the audit found."""


@pytest.fixture(scope="module")
def demo_site(database_url):
    """Serve the portal with the demo data (as `make run` loads it) for the whole module."""
    with portal(database_url) as app:
        result = app.test_cli_runner().invoke(demo_command)
        assert result.exit_code == 0, result.output
        with app.test_request_context():
            pages = {(role, lang): _pages(role, lang) for role in ACCOUNTS for lang in ("fr", "en")}
        db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", pages
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for the module: each test opens its own context."""
    with launch_chromium() as browser:
        yield browser


def test_axe_core_comes_from_the_local_npm_install():
    assert AXE.is_file(), "run `make setup` (npm ci) to install axe-core"


def test_the_statement_gives_the_number_of_pages_audited(demo_site):
    _, pages = demo_site
    assert sum(len(addresses) for addresses in pages.values()) == AUDITED_PAGES


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_main_pages_pass_the_audit(demo_site, chromium, role, lang):
    base, pages = demo_site
    context = chromium.new_context(viewport={"width": WIDTH, "height": 900}, locale=f"{lang}-FR")
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    if ACCOUNTS[role]:
        page.goto(f"{base}/{lang}/login")
        page.locator("#email").fill(ACCOUNTS[role])
        page.locator("#password").fill(PASSWORD)
        page.locator("#submit").click()
        expect(page).to_have_url(f"{base}/{lang}/home")
    problems = {}
    for path in pages[(role, lang)]:
        response = page.goto(base + path)
        assert response.status == 200, f"{path}: {response.status}"
        found = audit(page)
        if found:
            problems[path] = found
    context.close()
    report = "\n".join(f"{path}\n  " + "\n  ".join(found) for path, found in problems.items())
    assert not problems, report
    assert errors == []
