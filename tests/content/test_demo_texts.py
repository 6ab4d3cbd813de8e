"""The demo content's texts: examples say so in both languages, nothing is promised that the
portal does not do, news items carry the date of what they report, reloading corrects old texts.
"""

import re

from babel.dates import format_date
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.content import services
from app.content.demo import AUTHOR, COMMENT, entries
from app.content.models import ContentItem, ContentKind
from app.directorates.models import Call, portal_today
from app.extensions import db
from tests.conftest import log_in

NOTICE = {"fr": "**Contenu d’exemple**\u00a0: ", "en": "**Example content**: "}
TITLE = {"fr": "Exemple – ", "en": "Example – "}
HEADING = {"fr": "(exemple)", "en": "(example)"}
TEXTS = ("title", "summary", "body", "audience", "location", "registration", "link")
# What the demo once promised and the portal does not do (invitations sent by themselves: the
# project team sends them; a network, materials, recordings), or said wrongly (no individual
# results in the portal), or invented as fact (June campaigns, a registration deadline).
# The webinar invitations and registrations themselves are what the portal now does.
FORBIDDEN = (
    r"inscriptions? automatique",
    r"invitations? automatique",
    r"automatic\w* (invit|regist)",
    r"(invited|registered) automatically",
    r"réseau[^.]* (sur|de) ce portail",
    r"network[^.]* on this portal",
    r"réseau d’ambassadeurs",
    r"network of ambassadors",
    r"prêts? à l’emploi",
    r"ready[- ]to[- ]use",
    r"ready-made",
    r"espace d’échange",
    r"discussion space",
    r"un enregistrement",
    r"\brecording\b",
    r"lien de connexion",
    r"joining link",
    r"documentation détaillée",
    r"detailed documentation",
    r"aucun résultat individuel",
    r"no individual results",
    r"\bjuin\b",
    r"\bjune\b",
    r"12 mai",
    r"12 may",
    r"visio\.example\.org",
)


def _load(runner) -> str:
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def _items() -> dict[tuple[str, str], ContentItem]:
    """Return the demo items by (key in the file, language)."""
    items = db.session.scalars(select(ContentItem)).all()
    by_slug = {(item.language, item.slug): item for item in items}
    return {
        (entry["key"], language): by_slug[language, entry[language]["slug"]]
        for entry in entries()
        for language in ("fr", "en")
    }


def test_the_demo_promises_nothing_the_portal_does_not_do(runner, client):
    _load(runner)
    items = db.session.scalars(select(ContentItem)).all()
    assert len(items) == 2 * len(entries())
    for item in items:
        text = " ".join(getattr(item, name) for name in TEXTS).replace("\u00a0", " ").lower()
        for pattern in FORBIDDEN:
            assert re.search(pattern, text) is None, (item.slug, pattern)
        if item.kind is ContentKind.EVENT:
            assert item.link == ""  # no joining link that leads nowhere
    # The areas the texts send readers to are the portal's own, under these very names.
    texts = {
        language: " ".join(i.body for i in items if i.language == language).replace("\u00a0", " ")
        for language in ("fr", "en")
    }
    assert "« Suivi des campagnes »" in texts["fr"] and "« Présentations en CODIR »" in texts["fr"]
    assert '"Campaign follow-up"' in texts["en"] and '"CODIR presentations"' in texts["en"]
    with force_locale("fr"):
        assert gettext("Campaign follow-up") == "Suivi des campagnes"
        assert gettext("CODIR presentations") == "Présentations en CODIR"
    assert log_in(client, "dreal-bre@example.org", "demo-pix-2023").status_code == 302
    home = client.get("/fr/").get_data(as_text=True)
    assert 'data-testid="followup-link"' in home and "Présentations en CODIR" in home


def test_every_invented_detail_is_labelled_in_both_languages(runner, client):
    _load(runner)
    items = _items()
    flagged = {entry["key"] for entry in entries() if entry.get("example")}
    assert {"use-cases", "testimony", "webinar-ambassadors", "webinar-administrators"} <= flagged
    for entry in entries():
        key = entry["key"]
        titled = {items[key, language].title.startswith(TITLE[language]) for language in TITLE}
        assert len(titled) == 1, key  # an example title in both languages, or in neither
        for language in ("fr", "en"):
            item = items[key, language]
            heading = ""
            for line in item.body.splitlines():
                if line.startswith("#"):
                    heading = line
                elif line.startswith("|") and key in flagged and titled != {True}:
                    # An invented table in a real item stands under a heading that says so.
                    assert HEADING[language] in heading, (key, language, line)
            if key in flagged:
                assert item.body.lstrip().startswith(NOTICE[language]), (key, language)
                if item.kind is ContentKind.EVENT:
                    # The summary, above the date and time, says they are examples too.
                    assert ("exemple" if language == "fr" else "example") in item.summary.lower()
            else:
                assert NOTICE[language] not in item.body, (key, language)
                assert HEADING[language] not in item.body, (key, language)
                assert titled == {False}, key
    page = client.get("/fr/content/deployer-pix/temoignage-d-une-direction-regionale")
    html = page.get_data(as_text=True)
    assert "<strong>Contenu d’exemple</strong>" in html
    assert "Exemple – Témoignage" in html
    page = client.get("/en/content/webinars/ambassadors-webinar-16-may-2023")
    html = page.get_data(as_text=True)
    assert "<strong>Example content</strong>" in html and "Programme (example)" in html
    assert "By invitation: the project team writes to the ambassadors" in html
    # The sessions of the demo: the 2023 one at the demo's hours, and the catch-up session.
    assert "16 May 2023, 2:00 – 4:00\u00a0pm" in html and html.count("data-session=") == 2


def test_news_carry_the_date_of_what_they_report_not_the_load_date(runner, client):
    dates = {entry["key"]: entry.get("date") for entry in entries() if entry["kind"] == "news"}
    assert dates and all(dates.values())
    _load(runner)
    _load(runner)
    items = _items()
    call = db.session.scalar(select(Call).where(Call.code == "PIX-2023"))
    for key, day in dates.items():
        for language in ("fr", "en"):
            assert items[key, language].effective_on == day
        # The demo's news report the opening of the 2023 call (the note's date).
        assert day == call.opens_on
    today = portal_today()
    assert today not in dates.values()
    for language in ("fr", "en"):
        listing = client.get(f"/{language}/content/news/").get_data(as_text=True)
        for day in dates.values():
            assert format_date(day, "long", locale=language) in listing
        assert format_date(today, "long", locale=language) not in listing
    page = client.get("/fr/content/lancement-du-deploiement-de-pix").get_data(as_text=True)
    news_date = page.split("data-news-date>", 1)[1].split("<", 1)[0]
    assert news_date == format_date(dates["news-launch"], "long", locale="fr")


def test_reloading_corrects_unedited_items_and_keeps_edited_ones(runner):
    _load(runner)
    items = _items()
    # As a database loaded before the texts were corrected: an old text, no news date.
    stale = items["news-portal", "fr"]
    stale.body = "Le portail ne contient aucun résultat individuel."
    stale.effective_on = None
    revisions = len(stale.revisions)
    edited = items["role-ambassador", "fr"]
    author = edited.author
    assert author is not None and author.email == AUTHOR
    services.save(author, edited, {"body": "Texte revu par l’équipe projet."}, "Relecture")
    edited_revisions = len(edited.revisions)
    db.session.commit()

    output = _load(runner)
    assert "; 1 unedited content items brought up to date" in output
    db.session.expire_all()
    entry = next(e for e in entries() if e["key"] == "news-portal")
    stale = db.session.get(ContentItem, stale.id)
    assert stale.body == entry["fr"]["body"] and stale.effective_on == entry["date"]
    assert len(stale.revisions) == revisions + 1
    assert (stale.revisions[-1].action, stale.revisions[-1].comment) == ("saved", COMMENT)
    assert stale.revisions[-1].data["effective_on"] == entry["date"].isoformat()
    edited = db.session.get(ContentItem, edited.id)
    assert edited.working_copy["body"] == "Texte revu par l’équipe projet."
    assert len(edited.revisions) == edited_revisions

    assert "; 0 unedited content items brought up to date" in _load(runner)
    assert len(db.session.get(ContentItem, stale.id).revisions) == revisions + 1
