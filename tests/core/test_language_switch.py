"""The language switch of every page leads to a page, never to "not found".

Each role's pages are walked from its home pages, following the links they show, in French
and in English; on each page the switch (the `hreflang` alternate link) is followed. The walk
covers every GET route of the portal that takes a language, except the few listed below that
no page links to as a page (downloads, one-time links).
"""

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.auth.services import find_user_by_email
from app.content.models import ContentItem, ContentKind, ContentState
from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.codir.conftest import request_form
from tests.conftest import log_in
from tests.content.conftest import make

ROLES = {
    "anonymous": None,
    "directorate": "dreal-ara@example.org",  # a follow-up with results, one without
    "pixorga_admin": "nadia.fabre@example.org",
    "cvrh": "cvrh-nantes@example.org",
    "project_team": "equipe-projet@example.org",
    "admin": "admin@example.org",
}
# Pages of one kind visited at most (a list's pages, a section's items...).
SAME_KIND = 5
LINK = re.compile(r'href="(/(?:fr|en)/[^"#]*)"')
SWITCH = re.compile(r'<link rel="alternate" hreflang="(fr|en)" href="([^"]+)"')
# Routes no page links to as a page: downloads and e-mailed one-time links.
NOT_WALKED = {
    "auth.reset_password",
    "auth.accept_invitation",
    "codir.ics",
    "content.download",
    "declarations.message_file",  # a download, like the content's files
    "declarations.download_blank_workbook",  # a spreadsheet
    "declarations.download_receipt",  # a PDF
    "reach.claim",
    "events.feed",
    "events.event_calendar",
    "events.personal_calendar",
    "events.personal",
}


def _only_in_french(author) -> ContentItem:
    """A published page of the first section that has no English version."""
    section = db.session.scalar(
        select(ContentItem)
        .where(ContentItem.kind == ContentKind.SECTION, ContentItem.language == "fr")
        .order_by(ContentItem.id)
    )
    return make(
        author, ContentKind.PAGE, "fr", section, "Seulement en français", ContentState.PUBLISHED
    )


@pytest.fixture
def demo(app, runner):
    """The demo data (accounts, content, declarations, CODIR requests), a French-only page and
    an e-mail in the outbox (a CODIR request of DREAL Bretagne, sent through the web)."""
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert log_in(client, "dreal-bre@example.org", DEMO_PASSWORD).status_code == 302
    assert client.post("/fr/codir/new", data=request_form()).status_code == 302
    return _only_in_french(find_user_by_email(ROLES["project_team"]))


def _key(adapter, url: str):
    """Return the endpoint of a page and what makes it a page of its kind: the endpoint, the
    kind of item it makes or the content page it is, the names of its filters (not the ids
    nor the codes: one directorate's page stands for the others')."""
    parts = urlsplit(url)
    try:
        endpoint, args = adapter.match(parts.path, method="GET")
    except HTTPException:
        return None, None
    words = tuple(sorted((k, v) for k, v in args.items() if k in ("kind", "path")))
    query = tuple(sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair}))
    return endpoint, (endpoint, words, query)


class Walk:
    """The pages of one visitor, each fetched once, and the switches that led nowhere."""

    def __init__(self, app, client):
        self.adapter = app.url_map.bind("localhost")
        self.client = client
        self.pages: dict[str, tuple[int, str]] = {}
        self.endpoints: set[str] = set()
        self.broken: list[tuple[str, str, int]] = []

    def fetch(self, url: str) -> tuple[int, str]:
        """Return the status of a page and its HTML ("" for anything else), fetched once."""
        if url not in self.pages:
            response = self.client.get(url)
            html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
            self.pages[url] = (response.status_code, html)
        return self.pages[url]

    def run(self, starts: list[str]) -> None:
        """Visit the pages reachable from the starts, following each page's switch."""
        seen_kinds: Counter = Counter()
        visited: set[str] = set()
        queue = deque(starts)
        while queue:
            url = queue.popleft()
            if url in visited:
                continue
            visited.add(url)
            endpoint, kind = _key(self.adapter, url)
            if endpoint is None or seen_kinds[kind] >= SAME_KIND:
                continue
            seen_kinds[kind] += 1
            status, html = self.fetch(url)
            if status != 200 or not html:
                continue
            self.endpoints.add(endpoint)
            for _language, target in SWITCH.findall(html):
                target = unescape(target)
                switched, _html = self.fetch(target)
                if switched == 404 or switched >= 500:
                    self.broken.append((url, target, switched))
                else:
                    queue.append(target)  # its own links and switch are walked too
            language = url.split("/")[1]
            for link in LINK.findall(html):
                link = unescape(link)
                if link.split("/")[1] == language and "logout" not in link:
                    queue.append(link)


def _get_routes(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and "lang" in rule.arguments
    }


def test_the_switch_of_every_page_of_every_role_leads_to_a_page(app, demo):
    walked: set[str] = set()
    broken = {}
    for role, email in ROLES.items():
        client = app.test_client()
        if email is not None:
            assert log_in(client, email, DEMO_PASSWORD).status_code == 302
        starts = []
        for lang in ("fr", "en"):
            starts += [f"/{lang}/", f"/{lang}/content/sitemap"]
            if email is not None:
                starts += [f"/{lang}/home", f"/{lang}/account", f"/{lang}/content/manage"]
                starts.append(f"/{lang}/content/item/{demo.id}/diff?a=1&b=1")  # a form's answer
        walk = Walk(app, client)
        walk.run(starts)
        walked |= walk.endpoints
        if walk.broken:
            broken[role] = walk.broken
    assert broken == {}
    assert _get_routes(app) - walked - NOT_WALKED == set()
