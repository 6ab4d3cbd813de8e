"""The demo content's texts: news items carry the date of what they report, reloading corrects
old texts.
"""

from babel.dates import format_date
from sqlalchemy import select

from app.content import services
from app.content.demo import AUTHOR, COMMENT, entries
from app.content.models import ContentItem
from app.directorates.models import Call, portal_today
from app.extensions import db


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
