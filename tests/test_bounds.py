"""Numbers and ids from requests, read and bounded before the database: 400 or 404, never 500."""

import io

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.bounds import parse_id, parse_integer
from app.codir.models import CodirFormat, CodirRequest
from app.content.models import ContentItem, ContentKind
from app.directorates.models import Directorate
from app.extensions import db
from tests.content.conftest import make

TOO_LARGE = ["99999999999999999999", str(2**63), str(2**31)]
NOT_IDS = [*TOO_LARGE, "١", "٣٢", "１"]


@pytest.mark.parametrize(("text", "number"), [
    ("25", 25), (" 1 000 ", 1000), ("1\u202f000", 1000), ("-7", -7), ("+7", 7), ("007", 7),
    ("9" * 30, 10**18), ("-" + "9" * 5000, -(10**18)),
])  # fmt: skip
def test_parse_integer_reads_ascii_digits(text, number):
    assert parse_integer(text) == number


@pytest.mark.parametrize("text", ["", " ", "١٢", "１２", "²", "1.0", "1e3", "0x10", "1_000", "--1",
                                  "1-", "NaN", "\x00"])  # fmt: skip
def test_parse_integer_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_integer(text)


@pytest.mark.parametrize(("text", "number"), [("1", 1), (str(2**31 - 1), 2**31 - 1), ("0", None),
                                              (str(2**31), None), ("١", None), ("", None),
                                              (None, None), ("-1", None)])  # fmt: skip
def test_parse_id(text, number):
    assert parse_id(text) == number


@pytest.fixture
def records(project_team_user, directorate_user):
    """A CODIR request and a content item with an attachment-free page."""
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == "DREAL-PDL"))
    request = CodirRequest(directorate=directorate, cvrh=directorate.cvrh,
                           format=CodirFormat.VIDEO, audience="CODIR")  # fmt: skip
    db.session.add(request)
    db.session.commit()
    item = make(project_team_user, ContentKind.PAGE, "fr", None, "Page")
    return request, item


ADDRESSES = [
    ("admin", "get", "/en/admin/users/{id}"),
    ("admin", "post", "/en/admin/users/{id}/active"),
    ("admin", "get", "/en/admin/outbox/{id}"),
    ("project_team", "get", "/en/codir/{id}"),
    ("project_team", "post", "/en/codir/{id}/messages"),
    ("project_team", "get", "/en/content/item/{id}/edit"),
    ("project_team", "get", "/en/content/item/{id}/history"),
    ("project_team", "get", "/en/content/missing/{id}"),
    ("project_team", "post", "/en/content/item/{item}/restore/{id}"),
    ("project_team", "get", "/en/content/item/{item}/files/{id}/x.pdf"),
]


@pytest.mark.parametrize(("persona", "method", "address"), ADDRESSES)
@pytest.mark.parametrize("number", NOT_IDS)
def test_ids_the_database_cannot_hold_are_not_found(client, login, personas, records, persona,
                                                    method, address, number):  # fmt: skip
    login(personas[persona])
    url = address.format(id=number, item=records[1].id)
    # Out of their route, some addresses fall to the content pages' (GET only): 405.
    assert getattr(client, method)(url).status_code in (404, 405)


def test_ids_in_range_still_lead_to_their_record(client, login, project_team_user, records):
    login(project_team_user)
    request, item = records
    assert client.get(f"/en/codir/{request.id}").status_code == 200
    assert client.get(f"/en/content/item/{item.id}/edit").status_code == 200


def _fingerprint() -> tuple:
    return (db.session.scalar(select(func.count()).select_from(AuditEntry)),
            db.session.scalar(select(func.count()).select_from(ContentItem)),
            db.session.scalar(select(func.count()).select_from(Directorate)))  # fmt: skip


@pytest.mark.parametrize(("method", "url", "data"), [
    ("get", "/en/declarations/PIX-%00/", None),
    ("get", "/en/declarations/PIX-2023/?status=%00", None),
    ("get", "/en/console/PIX-2023/?region=a%00b", None),
    ("get", "/en/content/search?q=%00", None),
    ("post", "/en/admin/cvrhs/new", {"code": "CVRH-X", "name": "A\x00", "city": "Lyon",
                                     "email": "x@example.org"}),
    ("post", "/en/admin/users/new", {"email\x00": "x"}),
    ("post", "/en/content/new/page", {"title": "Titre", "body": "\x00", "save": "1"}),
    ("post", "/en/login", {"email": "x\x00@example.org", "password": "x"}),
])  # fmt: skip
def test_nul_characters_are_refused_before_any_view(client, login, admin_user, method, url, data):
    login(admin_user)
    before = _fingerprint()
    assert getattr(client, method)(url, data=data).status_code == 400
    assert _fingerprint() == before


def test_a_nul_character_in_a_file_name_is_refused(client, login, project_team_user, records):
    login(project_team_user)
    response = client.post(
        f"/en/content/item/{records[1].id}/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.7\n"), "note\x00.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
