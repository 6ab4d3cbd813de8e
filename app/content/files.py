"""Files attached to content: checked by their content, stored outside the static folder.

Accepted: PDF, Office Open XML (docx, xlsx, pptx), OpenDocument (odt, ods, odp) and the older
Office formats (doc, xls, ppt). The extension must agree with what the bytes are.

Files added to or removed from a published item wait in its working copy until the copy is
published (`workflow.REMOVAL`, `workflow.COPY_PUBLISHED`); removed files are kept for the history.
"""

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.auth.models import User
from app.content import policies, services
from app.content.models import Attachment, AttachmentState, ContentItem, ContentState
from app.content.workflow import REMOVAL
from app.extensions import db, utcnow
from app.uploads import ArchiveRefused, check_archive, size_of

PDF = "application/pdf"
OOXML = {
    "docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OLE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
EXTENSIONS = ("pdf", *OOXML, *ODF, *OLE)
# Office documents are ZIP archives, checked before they are opened. Their XML compresses
# far better than a workbook's import, hence a looser ratio than the import's.
ARCHIVE_MAX_ENTRIES = 5000
ARCHIVE_MAX_BYTES = 200 * 1024 * 1024
ARCHIVE_MAX_RATIO = 1000


class FileRefused(Exception):
    """The file is not one the portal accepts; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def detect(stream: IO[bytes], extension: str) -> str | None:
    """Return the content type of the file if its bytes are what its extension says, else None."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if extension == "pdf":
        return PDF if head.startswith(b"%PDF-") else None
    if extension in OLE:
        return OLE[extension] if head == OLE_MAGIC else None
    if extension in OOXML or extension in ODF:
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
                if extension in ODF:
                    kind = archive.read("mimetype").decode() if "mimetype" in names else ""
                    return ODF[extension] if kind == ODF[extension] else None
                folder, content_type = OOXML[extension]
                if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names):
                    return content_type
                return None
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError):
            return None
        finally:
            stream.seek(0)
    return None


def storage() -> Path:
    """Return the folder of stored files, created if missing."""
    folder = Path(current_app.config["ATTACHMENTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


NAME_LENGTH = 200  # Attachment.file_name


def _kept(character: str) -> bool:
    """Say whether a character may stay in a file name: a letter or digit of any script."""
    return unicodedata.category(character)[0] in "LNM" or character in "-_"


def safe_name(name: str) -> str:
    """Return a file name safe to store and to offer for download, its extension kept.

    No folder, no dot or underscore at either end; letters (accents included) and digits of
    any script, `-`, `_` and inner dots stay, anything else becomes `_`; only the part before
    the extension is shortened to fit.
    """
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:10]
    stem = re.sub(r"_+", "_", "".join(c if _kept(c) or c == "." else "_" for c in stem))
    stem = stem[: NAME_LENGTH - len(extension) - 1].strip("._") or "document"
    return f"{stem}.{extension}" if extension else stem


@dataclass
class CheckedFile:
    """An upload that passed the checks: its safe name, extension, size and content type."""

    name: str
    extension: str
    size: int
    content_type: str


def check(stream: IO[bytes], name: str) -> CheckedFile:
    """Check an upload's extension, size and content; raise FileRefused saying why.

    The one set of checks for every file a user attaches (content, declaration messages).
    """
    clean = safe_name(name)
    extension = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if extension not in EXTENSIONS:
        raise FileRefused(
            _(
                "Only PDF and office documents are accepted (%(types)s).",
                types=", ".join(EXTENSIONS),
            )
        )
    size = size_of(stream)
    limit = current_app.config["MAX_ATTACHMENT_MB"]
    if size > limit * 1024 * 1024:
        raise FileRefused(_("The file is larger than %(size)s MB.", size=format_decimal(limit)))
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if extension in OOXML or extension in ODF:
        try:  # an office document is a ZIP archive: refuse a bomb before reading it
            check_archive(stream, ARCHIVE_MAX_ENTRIES, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_RATIO)
        except ArchiveRefused as refused:
            if refused.reason != "damaged":  # a broken file is told by its type check below
                raise FileRefused(refused.message) from None
    content_type = detect(stream, extension)
    if content_type is None:
        raise FileRefused(
            _("The content of the file is not a .%(extension)s document.", extension=extension)
        )
    return CheckedFile(clean, extension, size, content_type)


def store(stream: IO[bytes]) -> str:
    """Write a checked upload to the storage folder under a new random key; return the key."""
    key = uuid.uuid4().hex
    stream.seek(0)
    with (storage() / key).open("wb") as target:
        while chunk := stream.read(1024 * 1024):
            target.write(chunk)
    return key


def discard(key: str) -> None:
    """Delete a stored file whose row was not saved (no stored file without its row)."""
    (storage() / key).unlink(missing_ok=True)


def attach(user: User, item: ContentItem, stream: IO[bytes], name: str) -> Attachment:
    """Check a file and attach it to an item (to its working copy if the item is published).

    Raise FileRefused with the reason, or services.Conflict if the item changed meanwhile.
    """
    checked = check(stream, name)
    key = store(stream)
    published = item.state is ContentState.PUBLISHED
    try:
        with services.changing(item):
            attachment = Attachment(
                item=item,
                file_name=checked.name,
                content_type=checked.content_type,
                size=checked.size,
                storage_key=key,
                uploaded_by_id=user.id,
                state=AttachmentState.ADDED if published else AttachmentState.CURRENT,
            )
            db.session.add(attachment)
            services.record_file_change(user, item, "attachment_added", checked.name)
    except BaseException:
        discard(key)
        raise
    return attachment


def remove(user: User, item: ContentItem, attachment: Attachment) -> None:
    """Remove a file from an item (from its working copy if the item is published), softly."""
    published = item.state is ContentState.PUBLISHED
    new = REMOVAL.get((published, attachment.state))
    if new is None or attachment.item_id != item.id or not policies.can_edit(user, item):
        raise services.NotAllowed
    with services.changing(item):
        attachment.state = new
        if new is AttachmentState.REMOVED:
            attachment.removed_at = utcnow()
        services.record_file_change(user, item, "attachment_removed", attachment.file_name)


def path_of(attachment: Attachment) -> Path:
    """Return where an attachment's bytes are stored."""
    return storage() / attachment.storage_key
