"""Messages of the conversation: cleaned and escaped, bounded, files checked like the content's,
nothing kept half-way, e-mailed to the other side in each one's language, in every state."""

import io
import zipfile
from datetime import date, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.http import parse_options_header

from app.auth.models import Notifications, Role
from app.declarations import thread
from app.declarations.models import Declaration, DeclarationEvent, DeclarationStatus
from app.declarations.thread_models import (
    DeclarationMessage,
    DeclarationNote,
    MessageFile,
    ThreadRead,
)
from app.extensions import db, utcnow
from app.notifications import digest
from app.notifications import services as notifications
from tests.conftest import log_in, make_user, outbox
from tests.declarations.thread_support import (
    PDF,
    count,
    messages,
    page_url,
    post_message,
    post_note,
    stored_files,
)
from tests.factories import declare

PDL = page_url()


@pytest.fixture
def attachments_dir(app, tmp_path):
    """Keep the stored files in the test's own folder."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "attachments")
    return tmp_path / "attachments"


def docx() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return stream.getvalue()


def _field_errors(page: str, field: str) -> str:
    """Return the messages tied to a field (its messages group), as HTML."""
    start = page.index(f'id="{field}-messages"')
    return page[start : page.index("</div>", start)]


def test_a_message_is_cleaned_and_shown_escaped(client, login, call, directorate_user):
    login(directorate_user)
    body = "  <script>alert('x')</script>\x1b\x07 Bonjour,\r\n\r\nune question\u200b ?  "

    response = post_message(client, body)

    assert response.status_code == 302
    (message,) = messages()
    assert message.body == "<script>alert('x')</script> Bonjour,\n\nune question ?"
    assert message.side.value == "directorate" and message.author_id == directorate_user.id
    page = client.get(PDL).get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bonjour," in page


@pytest.mark.parametrize(
    ("lang", "body", "expected"),
    [
        ("fr", "   \n\t  ", "Rédigez votre message."),
        ("en", "", "Write your message."),
        ("fr", "é" * 5001, "Le texte est trop long (5001 caractères)\u00a0: 5000 au plus."),
        ("en", "a" * 5001, "The text is too long (5001 characters): 5000 at most."),
    ],
)
def test_an_empty_or_too_long_message_is_refused_on_its_field(
    client, call, directorate_user, attachments_dir, lang, body, expected
):
    log_in(client, directorate_user, lang=lang)

    response = post_message(client, body, [(PDF, "note.pdf")], lang=lang)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in _field_errors(page, "message-body")
    assert 'id="error-summary"' in page
    assert (count(DeclarationMessage), count(MessageFile)) == (0, 0)
    assert stored_files(attachments_dir) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([(PDF, "script.exe")], "script.exe\u00a0: Seuls les PDF et les documents bureautiques"),
        ([(b"MZ\x90\x00 not a pdf", "rapport.pdf")], "n’est pas un document .pdf"),
        ([(b"", "vide.pdf")], "vide"),
        ([(PDF, "bon.pdf"), (docx(), "tableau.xlsx")], "tableau.xlsx\u00a0: Le contenu"),
        ([(PDF, f"{n}.pdf") for n in range(6)], "Joignez 5 fichiers au plus."),
    ],
)
def test_a_refused_file_says_why_on_the_field_and_nothing_is_kept(
    client, login, call, directorate_user, attachments_dir, files, expected
):
    login(directorate_user)

    response = post_message(client, "Voici les pièces", files)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in _field_errors(page, "message-files")
    assert "Voici les pièces" in page  # the text typed is kept
    assert (count(DeclarationMessage), count(MessageFile)) == (0, 0)
    assert stored_files(attachments_dir) == []
    assert outbox() == []


@pytest.mark.app_config(MAX_ATTACHMENT_MB=0.001)  # about 1 kB: a small request, same check
def test_too_large_a_file_is_refused(client, login, call, directorate_user, attachments_dir):
    login(directorate_user)
    response = post_message(client, "Gros fichier", [(PDF + b"0" * 2048, "gros.pdf")])
    assert response.status_code == 400
    assert "Le fichier fait plus de 0,001 Mo." in _field_errors(
        response.get_data(as_text=True), "message-files"
    )
    assert stored_files(attachments_dir) == []


@pytest.mark.app_config(MAX_CONTENT_LENGTH=120_000, MAX_ATTACHMENT_MB=0.05)
def test_files_too_heavy_in_all_are_refused_on_the_field_with_the_text_kept(
    client, login, call, directorate_user, attachments_dir
):
    login(directorate_user)
    each = PDF + b"0" * (50_000 - len(PDF))  # under 0.05 MB; three weigh more than 120 kB

    response = post_message(client, "Trois annexes", [(each, f"{n}.pdf") for n in range(3)])

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Les fichiers pèsent 0,14 Mo en tout\u00a0: 0,11 Mo au plus." in _field_errors(
        page, "message-files"
    )
    assert "Trois annexes" in page  # the text typed is kept
    assert (count(DeclarationMessage), count(MessageFile)) == (0, 0)
    assert stored_files(attachments_dir) == []
    # Two of them go through.
    assert (
        post_message(client, "Deux annexes", [(each, "a.pdf"), (each, "b.pdf")]).status_code == 302
    )
    assert count(MessageFile) == 2


@pytest.mark.app_config(MAX_CONTENT_LENGTH=50_000, MAX_ATTACHMENT_MB=0.02)
def test_only_the_message_form_takes_more_than_the_upload_limit(
    client, login, call, project_team_user, attachments_dir
):
    login(project_team_user)
    # Over the 50 kB of a request, under what five files of 0.02 MB weigh: the form parses
    # and says so on the field, the text kept.
    response = post_message(client, "Gros", [(PDF + b"0" * 100_000, "gros.pdf")])
    assert response.status_code == 400
    assert "Gros" in response.get_data(as_text=True)
    expected = "Les fichiers pèsent 0,1 Mo en tout\u00a0: 0,05 Mo au plus."
    assert expected in _field_errors(response.get_data(as_text=True), "message-files")
    # Over what a message may carry; and other forms keep the limit of every request.
    assert post_message(client, "Énorme", [(PDF + b"0" * 200_000, "x.pdf")]).status_code == 413
    assert post_note(client, "x" * 60_000).status_code == 413
    assert count(DeclarationMessage) == count(DeclarationNote) == 0


@pytest.mark.app_config(MAX_CONTENT_LENGTH=50_000, MAX_ATTACHMENT_MB=0.02)
def test_the_larger_limit_is_only_for_those_who_may_write(client, login, call, cvrh_user):
    # Read before any access check (the CSRF check reads the form): held to the usual limit.
    heavy = [(PDF + b"0" * 100_000, "gros.pdf")]
    assert post_message(client, "Anonyme", heavy).status_code == 413
    login(cvrh_user)  # reads the conversation, may not write in it
    assert post_message(client, "CVRH", heavy).status_code == 413
    assert count(DeclarationMessage) == 0


def test_files_are_stored_outside_static_and_downloaded_as_attachments(
    client, login, call, directorate_user, cvrh_user, attachments_dir
):
    login(directorate_user)
    files = [(PDF, "Périmètre 2023.pdf"), (docx(), "../../fiche rôle.docx")]
    assert post_message(client, "Deux pièces", files).status_code == 302
    (message,) = messages()
    assert [f.file_name for f in message.files] == ["Périmètre_2023.pdf", "fiche_rôle.docx"]
    assert len(stored_files(attachments_dir)) == 2
    client.post("/fr/logout")
    log_in(client, cvrh_user)  # the CVRH reads the files too
    page = client.get(PDL).get_data(as_text=True)
    for file, (content, _name) in zip(message.files, files, strict=True):
        url = f"{PDL}/messages/{message.id}/files/{file.id}/{quote(file.file_name)}"
        assert f'href="{url}"' in page
        with client.get(url) as download:
            assert download.status_code == 200
            assert download.data == content
            kind, options = parse_options_header(download.headers["Content-Disposition"])
            assert kind == "attachment" and options["filename"] == file.file_name
            assert download.headers["X-Content-Type-Options"] == "nosniff"
            assert download.mimetype == file.content_type
        assert (attachments_dir / file.storage_key).read_bytes() == content
        assert "static" not in str(attachments_dir)
    wrong = f"{PDL}/messages/{message.id + 1}/files/{message.files[0].id}/x.pdf"
    assert client.get(wrong).status_code == 404


def test_a_failed_write_keeps_no_file_and_no_row(
    client, login, call, directorate_user, project_team_user, attachments_dir, monkeypatch
):
    def unavailable(*args, **kwargs):
        raise OperationalError("INSERT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(thread, "upsert_marker", unavailable)
    login(directorate_user)

    response = post_message(client, "Avec pièce", [(PDF, "piece.pdf")])

    assert response.status_code == 503
    assert (count(DeclarationMessage), count(MessageFile), count(ThreadRead)) == (0, 0, 0)
    assert stored_files(attachments_dir) == []
    assert outbox() == []


def test_the_directorate_writes_to_the_team_told_at_once_in_each_ones_language(
    client, login, call, directorate_user, project_team_user, admin_user
):
    english = make_user("olivia.hughes@example.org", Role.PROJECT_TEAM, language="en")
    digested = make_user("lea.morel@example.org", Role.PROJECT_TEAM)
    notifications.choose(digested, Notifications.DIGEST)
    silent = make_user("hugo.blanc@example.org", Role.PROJECT_TEAM)
    notifications.choose(silent, Notifications.NONE)
    login(directorate_user)

    assert post_message(client, "Combien de licences par agent ?").status_code == 302

    mails = {m.recipients: m for m in outbox()}
    # Immediately: the project team by default; the admin (nothing by default), the digest
    # and the silent members are not told now; the author never.
    assert set(mails) == {project_team_user.email, english.email}
    french, other = mails[project_team_user.email], mails[english.email]
    assert french.subject == "PIX\u00a0: un message de DREAL-PDL sur sa déclaration"
    assert "Chloe Bernard, de DREAL Pays de la Loire, a écrit à l’équipe projet" in french.body
    assert "Combien de licences par agent ?" in french.body
    assert "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL#thread" in french.body
    assert other.subject == "PIX: a message from DREAL-PDL on its declaration"
    assert "http://portal.test/en/declarations/PIX-2023/DREAL-PDL#thread" in other.body
    before = len(outbox())

    report = digest.send_digests(utcnow() + timedelta(hours=1))

    assert report.sent == 1
    (summary,) = outbox()[before:]
    assert summary.recipients == digested.email
    assert summary.subject == "Récapitulatif PIX du jour\u00a0: messages de 1 direction"
    assert "Messages de 1 direction\u00a0:" in summary.body
    assert "- DREAL Pays de la Loire – Déploiement PIX 2023\u00a0: 1 message" in summary.body
    assert "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL#thread" in summary.body


def test_the_team_writes_to_each_correspondent_in_their_language(
    client, login, call, directorate_user, other_directorate_user, project_team_user,
    attachments_dir,
):  # fmt: skip
    english = make_user(
        "sam.taylor@example.org", Role.DIRECTORATE, directorate="DREAL-PDL", language="en"
    )
    login(project_team_user)

    response = post_message(client, "Votre périmètre est validé.", [(PDF, "guide.pdf")])

    assert response.status_code == 302
    mails = {m.recipients: m for m in outbox()}
    assert set(mails) == {directorate_user.email, english.email}  # never the other directorate
    french, other = mails[directorate_user.email], mails[english.email]
    assert french.subject.startswith("PIX\u00a0: un message de l’équipe projet sur votre")
    assert "Bruno Petit, de l’équipe projet PIX, a écrit à votre direction" in french.body
    assert "Votre périmètre est validé." in french.body
    assert "1 fichier joint, à télécharger sur le portail\u00a0:\n- guide.pdf" in french.body
    assert "http://portal.test/fr/declarations/PIX-2023/DREAL-PDL#thread" in french.body
    assert other.subject == (
        "PIX: a message from the project team on your declaration (PIX deployment 2023)"
    )
    assert "http://portal.test/en/declarations/PIX-2023/DREAL-PDL#thread" in other.body


@pytest.mark.parametrize("status", [None, *DeclarationStatus])
def test_the_conversation_goes_on_in_every_state_and_after_the_call_closes(
    client, login, call, directorate_user, project_team_user, status
):
    if status is not None:
        declare(call, "DREAL-PDL", status, [], [])
    call.deadline = date.today() - timedelta(days=60)
    call.is_open = False
    db.session.commit()
    version = db.session.scalar(select(Declaration.version))
    login(directorate_user)
    assert post_message(client, "Une question tardive").status_code == 302
    client.post("/fr/logout")
    login(project_team_user)
    assert post_message(client, "Une réponse").status_code == 302

    assert [m.body for m in messages()] == ["Une question tardive", "Une réponse"]
    # A message changes nothing of the declaration: no version, no declaration created.
    assert db.session.scalar(select(Declaration.version)) == version
    assert count(Declaration) == (0 if status is None else 1)
    assert count(DeclarationEvent) == (0 if status is None else 2)


def test_a_declaration_changing_state_keeps_its_conversation(
    client, login, call, directorate_user, project_team_user
):
    declaration = declare(call, "DREAL-PDL", DeclarationStatus.SUBMITTED, [], [])
    db.session.commit()
    login(project_team_user)
    post_message(client, "Avant la relecture")
    url = f"{PDL}/request_corrections"
    data = {"comment": "Préciser le périmètre", "version": declaration.version}
    assert client.post(url, data=data).status_code == 302
    page = client.get(PDL).get_data(as_text=True)
    assert "Avant la relecture" in page and "Préciser le périmètre" in page


def test_notes_are_cleaned_bounded_and_audited_without_their_text(
    client, login, call, project_team_user, admin_user
):
    from app.audit import AuditEntry

    login(project_team_user)
    assert post_note(client, "  ").status_code == 400
    refused = post_note(client, "x" * 5001)
    assert refused.status_code == 400
    assert "Le texte est trop long" in _field_errors(refused.get_data(as_text=True), "note-body")
    assert post_note(client, "À relancer <b>vite</b>").status_code == 302
    assert [n.body for n in db.session.scalars(select(DeclarationNote))] == [
        "À relancer <b>vite</b>"
    ]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "declaration.note"))
    assert entry.details == {"call": "PIX-2023", "directorate": "DREAL-PDL"}
    assert outbox() == []  # a note is never e-mailed
    page = client.get(PDL).get_data(as_text=True)
    assert "À relancer &lt;b&gt;vite&lt;/b&gt;" in page
    client.post("/fr/logout")
    login(admin_user)
    audit = client.get("/fr/admin/audit").get_data(as_text=True)
    assert "Note interne de l’équipe projet ajoutée" in audit
    assert "relancer" not in audit


def test_the_demo_exchange_is_labelled_as_an_example(runner, client):
    for _ in range(2):  # loading again adds nothing
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    texts = [m.body for m in messages()] + list(db.session.scalars(select(DeclarationNote.body)))
    assert len(texts) == 3
    assert all(text.endswith("(exemple)") for text in texts)
    assert all("@" not in text for text in texts)
    log_in(client, "dreal-pdl@example.org", "demo-pix-2023")
    home = client.get("/fr/home").get_data(as_text=True)
    assert "1 message non lu" in home  # the project team's answer
    page = client.get("/fr/declarations/PIX-2027/DREAL-PDL").get_data(as_text=True)
    assert "une seule campagne suffit" in page and "Revoir le nombre" not in page
