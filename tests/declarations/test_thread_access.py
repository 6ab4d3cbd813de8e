"""Who reads and writes the conversation on a declaration, and where the private notes never go."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.declarations.models import DeclarationEvent, DeclarationStatus
from app.declarations.thread_models import DeclarationMessage, DeclarationNote
from app.extensions import db
from tests.conftest import log_in, outbox
from tests.declarations.thread_support import (
    PDF,
    count,
    page_url,
    post_message,
    post_note,
)
from tests.factories import declare

PDL = page_url()
SECRET = "Note interne : direction lente à répondre, relancer en mai"


@pytest.fixture
def attachments_dir(app, tmp_path):
    """Keep the stored files in the test's own folder."""
    app.config["ATTACHMENTS_DIR"] = str(tmp_path / "attachments")
    return tmp_path / "attachments"


@pytest.fixture
def conversation(app, call, personas, attachments_dir):
    """DREAL Pays de la Loire's submitted declaration with a question carrying a file, an
    answer and a private note of the project team."""
    declare(call, "DREAL-PDL", DeclarationStatus.SUBMITTED, [], [])
    db.session.commit()
    client = app.test_client()
    log_in(client, personas["directorate"])
    response = post_message(client, "Question sur le périmètre", [(PDF, "périmètre.pdf")])
    assert response.status_code == 302, response.get_data(as_text=True)
    client = app.test_client()
    log_in(client, personas["project_team"])
    assert post_message(client, "Réponse de l’équipe projet").status_code == 302
    assert post_note(client, SECRET).status_code == 302
    question = db.session.scalar(select(DeclarationMessage).order_by(DeclarationMessage.id))
    return question


def _file_url(message) -> str:
    file = message.files[0]
    return f"{PDL}/messages/{message.id}/files/{file.id}/{file.file_name}"


LOGIN = "login"  # 302 to the login page
# (persona, reads the page with its messages, may post a message, may post a note, file status)
TABLE = [
    ("anonymous", LOGIN, LOGIN, LOGIN, LOGIN),
    ("other_directorate", 404, 404, 403, 404),
    ("other_cvrh", 404, 403, 403, 404),
    ("cvrh", 200, 403, 403, 200),
    ("directorate", 200, 302, 403, 200),
    ("project_team", 200, 302, 302, 200),
    ("admin", 200, 302, 302, 200),
]


@pytest.mark.parametrize(("persona", "reads", "posts", "notes", "file"), TABLE)
def test_the_conversation_is_read_and_written_by_those_it_belongs_to(
    client, personas, conversation, persona, reads, posts, notes, file
):
    if personas[persona] is not None:
        log_in(client, personas[persona])
    before = count(DeclarationMessage), count(DeclarationNote)

    page = client.get(PDL)
    posted = post_message(client, "Intrusion ?")
    noted = post_note(client, "Intrusion ?")
    with client.get(_file_url(conversation)) as downloaded:
        downloaded.close()

    for response, expected in ((page, reads), (posted, posts), (noted, notes), (downloaded, file)):
        if expected == LOGIN:
            assert response.status_code == 302
            assert "/fr/login?next=" in response.headers["Location"]
        else:
            assert response.status_code == expected
    body = page.get_data(as_text=True)
    assert ("Question sur le périmètre" in body) is (reads == 200)
    assert ("périmètre.pdf" in body) is (reads == 200)
    after = count(DeclarationMessage), count(DeclarationNote)
    assert after == (before[0] + (posts == 302), before[1] + (notes == 302))
    if posts == 302:
        assert posted.headers["Location"].endswith(f"{PDL}#thread")
    if persona == "cvrh":  # reads, without a form to write
        assert 'id="message-form"' not in body
    if posts == 302:
        assert 'id="message-form"' in body


@pytest.mark.parametrize("persona", ["directorate", "cvrh"])
def test_private_notes_never_reach_the_directorate_nor_its_cvrh(
    client, personas, conversation, persona
):
    log_in(client, personas[persona])
    for url in (PDL, f"{PDL}/print", "/fr/home", "/fr/declarations/"):
        page = client.get(url).get_data(as_text=True)
        assert SECRET not in page, url
        assert 'id="notes"' not in page and "Notes internes" not in page, url
    mails = outbox()
    assert mails and all(SECRET not in m.body and SECRET not in m.subject for m in mails)


def test_the_staff_read_the_notes_on_the_page(client, personas, conversation):
    for persona in ("project_team", "admin"):
        log_in(client, personas[persona])
        page = client.get(PDL).get_data(as_text=True)
        assert SECRET in page and 'id="notes"' in page
        client.post("/fr/logout")


def test_private_notes_are_in_no_history_and_no_export(client, personas, conversation):
    events = db.session.scalars(select(DeclarationEvent.comment)).all()
    assert all(SECRET not in comment for comment in events)
    actions = db.session.scalars(select(DeclarationEvent.action)).all()
    assert actions.count("message") == 2  # the messages are in the history, not the note
    log_in(client, personas["project_team"])
    with client.post("/fr/exports/PIX-2023/workbook.xlsx") as response:
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data))
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any("DREAL-PDL" in cell for cell in cells)  # the workbook was read
    assert not any(SECRET in cell or "Réponse de l’équipe" in cell for cell in cells)
    with client.post("/fr/exports/PIX-2023/csv.zip") as response:
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    texts = [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
    assert any("DREAL-PDL" in text for text in texts)
    for text in texts:
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows and not any(SECRET in cell for row in rows for cell in row)


def test_the_history_shown_to_the_directorate_names_messages_but_never_notes(
    client, personas, conversation
):
    log_in(client, personas["directorate"])
    page = client.get(PDL).get_data(as_text=True)
    history = page[page.index('id="history"') :]
    assert history.count("Message dans les échanges") == 2
    assert SECRET not in history


def test_a_file_of_another_conversation_is_not_found_through_this_one(
    client, call, personas, conversation
):
    """The file's address names the declaration: it must be the file's own."""
    log_in(client, personas["other_directorate"])
    file = conversation.files[0]
    url = f"{page_url(code='DREAL-ARA')}/messages/{conversation.id}/files/{file.id}/x.pdf"
    assert client.get(url).status_code == 404
