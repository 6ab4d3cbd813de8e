"""The check of uploaded archives, before anything parses them."""

import gc
import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.uploads import ArchiveRefused, check_archive
from tests.archives import MB, write_zip, zeros_member, zip_bomb

LIMITS = {"max_entries": 10, "max_total": 50 * MB, "max_ratio": 100}


def _archive(files: dict[str, bytes]) -> io.BytesIO:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    stream.seek(0)
    return stream


def _reason(stream, **limits) -> str:
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(stream, **{**LIMITS, **limits})
    assert stream.tell() == 0
    return refused.value.reason


def test_an_ordinary_archive_passes_and_is_left_at_its_start():
    stream = _archive({"a.xml": b"<a/>" * 1000, "b.txt": bytes(range(256)) * 100})
    stream.seek(7)
    check_archive(stream, **LIMITS)
    assert stream.tell() == 0
    assert zipfile.ZipFile(stream).read("a.xml") == b"<a/>" * 1000


def test_a_small_entry_may_compress_well():
    check_archive(_archive({"zeros": bytes(MB)}), **LIMITS)


def test_too_many_entries():
    stream = _archive({f"{n}.txt": b"" for n in range(11)})
    assert _reason(stream) == "too_many_entries"
    assert _reason(_archive({"a": b""}), max_entries=0) == "too_many_entries"


def test_too_large_once_decompressed():
    assert _reason(io.BytesIO(zip_bomb(1024))) == "too_large"
    stream = _archive({"a": bytes(range(256)) * 8 * 1024, "b": bytes(range(256)) * 8 * 1024})
    assert _reason(stream, max_total=3 * MB) == "too_large"


def test_too_compressed():
    assert _reason(io.BytesIO(write_zip([zeros_member("sheet.xml", 20)]))) == "too_compressed"
    assert _reason(_archive({"zeros": bytes(2 * MB)}), max_ratio=10) == "too_compressed"


def test_an_archive_that_hides_its_size_is_damaged():
    # 30 MB announced as 1,000 bytes: zipfile stops at 1,000 bytes, then the checksum fails.
    stream = io.BytesIO(write_zip([zeros_member("sheet.xml", 30, announced=1000)]))
    assert _reason(stream) == "damaged"


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7", b"PK\x03\x04 truncated", bytes(100)])
def test_not_an_archive(content):
    assert _reason(io.BytesIO(content)) == "damaged"


def test_an_unknown_compression_is_damaged():
    data = _archive({"a.txt": b"hello"}).getvalue()
    # Compression method 99 (AES) in the local header and the central directory.
    data = data.replace(b"\x14\x00\x00\x00\x08\x00", b"\x14\x00\x00\x00\x63\x00")
    assert _reason(io.BytesIO(data)) == "damaged"


def test_the_message_is_in_the_user_language(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        error = ArchiveRefused("too_large", max=50)
        assert error.message == "Once decompressed, the file would be larger than 50 MB."


def test_a_form_refused_half_way_closes_the_files_it_spooled(client, login, directorate_user):
    # A file part, then a text too large for MAX_FORM_MEMORY_SIZE: the parser stops with a 413
    # and the file it had spooled never reached request.files. It stayed open (a
    # ResourceWarning, turned into a failure by the test settings); the request closes it.
    login(directorate_user)
    items = MultiDict()
    items.add("message-files", FileStorage(io.BytesIO(b"%PDF-1.7\n" + bytes(600_000)), "a.pdf"))
    items.add("message-body", "é" * 400_000)
    boundary, body = encode_multipart(items)
    response = client.post(
        "/fr/declarations/PIX-2023/DREAL-PDL/messages",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    gc.collect()
