"""Attachments: checked by content and size, stored outside static, downloaded safely."""

import io
import zipfile

import pytest
from werkzeug.http import parse_options_header

from app.content.models import Attachment, ContentKind, ContentState
from app.extensions import db
from tests.content.conftest import make

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
LONG = "Compte rendu du comité de pilotage " * 8  # 280 characters


def docx() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return stream.getvalue()


def odt() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return stream.getvalue()


def upload(client, item, content: bytes, name: str):
    return client.post(
        f"/fr/content/item/{item.id}/attachments",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def download_name(response) -> str:
    """Return the file name a browser takes from Content-Disposition (`filename*` first)."""
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert kind == "attachment"
    return options["filename"]


@pytest.mark.parametrize(
    ("content", "name", "stored_as"),
    [
        (PDF, "Note de cadrage 2023.pdf", "Note_de_cadrage_2023.pdf"),
        (docx(), "fiche rôle.docx", "fiche_rôle.docx"),
        (odt(), "../../etc/passwd.odt", "passwd.odt"),
        (PDF, "文件.pdf", "文件.pdf"),
        (PDF, "отчёт.pdf", "отчёт.pdf"),
        (PDF, "Rapport\u202e.PDF", "Rapport.PDF"),  # a right-to-left override is dropped
        (PDF, "a;b<c>|d*?.pdf", "a_b_c_d.pdf"),
        (PDF, LONG + ".pdf", LONG.replace(" ", "_")[:196].strip("_") + ".pdf"),
        (PDF, "отчёт " * 50 + ".pdf", ("отчёт_" * 50)[:196].strip("_") + ".pdf"),
        (PDF, ".pdf", "document.pdf"),
    ],
)
def test_accepted_files_are_stored_outside_static_and_downloaded(
    client, login, site, project_team_user, attachments_dir, content, name, stored_as
):
    login(project_team_user)
    response = upload(client, site.published, content, name)
    assert response.status_code == 302
    attachment = db.session.scalars(db.select(Attachment)).one()
    assert attachment.file_name == stored_as
    assert len(attachment.file_name) <= 200
    stored = attachments_dir / attachment.storage_key
    assert stored.read_bytes() == content
    assert "static" not in str(stored)
    client.post(f"/fr/content/item/{site.published.id}/publish")
    client.post("/fr/logout")
    page = client.get("/fr/content/deployer/note").get_data(as_text=True)
    url = f"/fr/content/item/{site.published.id}/files/{attachment.id}/"
    assert f'href="{url}' in page
    with client.get(url + stored_as) as download:
        assert download.status_code == 200
        assert download.data == content
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert download_name(download) == stored_as
        assert "\r" not in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "rapport.pdf", "n’est pas un document .pdf"),
        (b"MZ\x90\x00 not a pdf", "文件.pdf", "n’est pas un document .pdf"),
        (b"<html><script>alert(1)</script></html>", "page.pdf", "n’est pas un document .pdf"),
        (PDF, "script.exe", "Seuls les PDF"),
        (PDF, "文件", "Seuls les PDF"),
        (b"PK\x03\x04 broken zip", "tableau.xlsx", "n’est pas un document .xlsx"),
        (docx(), "tableau.xlsx", "n’est pas un document .xlsx"),
        (b"", "vide.pdf", "vide"),
    ],
)
def test_refused_files_say_why_on_the_field_and_nothing_is_kept(
    client, login, site, project_team_user, attachments_dir, content, name, message
):
    login(project_team_user)
    response = upload(client, site.published, content, name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert 'id="file-messages"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0
    assert not attachments_dir.exists() or not any(attachments_dir.iterdir())


def test_an_office_document_hiding_a_bomb_is_refused_before_it_is_opened(
    client, login, site, project_team_user, attachments_dir
):
    from tests.archives import members_of, post_file, write_zip, zeros_member

    bomb = write_zip([*members_of(docx()), zeros_member("word/media/zeros.bin", 1024)])
    assert len(bomb) < 2 * 1024 * 1024  # 2 MB that would unpack to 1 GB
    login(project_team_user)

    url = f"/fr/content/item/{site.published.id}/attachments"
    response = post_file(client, url, "file", bomb, "rapport.docx")

    assert response.status_code == 400
    assert "Une fois décompressé, le fichier dépasserait 200" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0
    assert not attachments_dir.exists() or not any(attachments_dir.iterdir())


@pytest.mark.app_config(MAX_ATTACHMENT_MB=0.001)  # about 1 kB: a small request, same check
def test_too_large_a_file_is_refused(client, login, site, project_team_user):
    login(project_team_user)
    response = upload(client, site.published, PDF + b"0" * 2048, "gros.pdf")
    assert response.status_code == 400
    assert "Le fichier fait plus de 0,001 Mo." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_only_editors_attach_and_readers_of_the_item_download(
    client, login, personas, site, project_team_user
):
    login(project_team_user)
    upload(client, site.private, PDF, "brouillon.pdf")
    attachment = db.session.scalars(db.select(Attachment)).one()
    url = f"/fr/content/item/{site.private.id}/files/{attachment.id}/brouillon.pdf"
    client.post("/fr/logout")
    assert client.get(url).status_code == 404  # the item is private
    for persona, expected in [("directorate", 404), ("cvrh", 404)]:
        login(personas[persona])
        assert client.get(url).status_code == expected
        assert upload(client, site.published, PDF, "x.pdf").status_code == 403
        client.post("/fr/logout")
    assert upload(client, site.published, PDF, "x.pdf").status_code == 302  # to the login page
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 1
    other = make(
        project_team_user,
        ContentKind.PAGE,
        "fr",
        site.section,
        "Autre",
        ContentState.PUBLISHED,
        slug="autre",
    )
    wrong_item = f"/fr/content/item/{other.id}/files/{attachment.id}/brouillon.pdf"
    assert client.get(wrong_item).status_code == 404
