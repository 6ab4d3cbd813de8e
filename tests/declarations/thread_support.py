"""Helpers of the conversation tests: addresses, posting a message or a note, a small PDF."""

import io
import re

from sqlalchemy import func, select

from app.declarations.thread_models import DeclarationMessage
from app.extensions import db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def page_url(lang: str = "fr", code: str = "DREAL-PDL", call: str = "PIX-2023") -> str:
    """Return the address of a declaration page."""
    return f"/{lang}/declarations/{call}/{code}"


def post_message(
    client, body: str, files=(), lang: str = "fr", code: str = "DREAL-PDL", once: str = ""
):
    """Post a message (files as (bytes, name) pairs; `once`: the form's key) and return the
    response, not followed."""
    data = {"message-body": body, "message-once": once}
    if files:
        data["message-files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(
        f"{page_url(lang, code)}/messages", data=data, content_type="multipart/form-data"
    )


def post_note(client, body: str, lang: str = "fr", code: str = "DREAL-PDL", once: str = ""):
    """Post a private note and return the response, not followed."""
    return client.post(f"{page_url(lang, code)}/notes", data={"note-body": body, "note-once": once})


def form_key(client, form: str = "message", code: str = "DREAL-PDL") -> str:
    """Return the key of a form (message or note) of the page, as a browser would send it."""
    page = client.get(page_url("fr", code)).get_data(as_text=True)
    return re.search(
        rf'id="{form}-once" name="{form}-once" type="hidden" value="([^"]+)"', page
    ).group(1)


def count(model) -> int:
    """Return the number of rows of a table."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def messages() -> list[DeclarationMessage]:
    """Return every message, oldest first."""
    db.session.rollback()
    return list(db.session.scalars(select(DeclarationMessage).order_by(DeclarationMessage.id)))


def stored_files(folder) -> list:
    """Return the files stored in the attachments folder (none if it does not exist)."""
    return sorted(folder.iterdir()) if folder.exists() else []
