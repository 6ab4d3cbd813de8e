"""Archives built fast for the tests: ZIP bombs, archives that lie, large workbooks."""

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

MB = 1024 * 1024


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def write_zip(members: Iterable[tuple[str, bytes, int, int]]) -> bytes:
    """Return a ZIP archive of (name, deflated data, CRC-32, size announced) members.

    The size announced is written as given, true or not.
    """
    out = io.BytesIO()
    directory = []
    members = list(members)
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data),
                              size, len(encoded), 0) + encoded + data)  # fmt: skip
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21,
                                     crc, len(data), size, len(encoded), 0, 0, 0, 0, 0,
                                     offset) + encoded)  # fmt: skip
    start = out.tell()
    central = b"".join(directory)
    out.write(central)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                          len(central), start, 0))  # fmt: skip
    return out.getvalue()


def members_of(archive: bytes) -> list[tuple[str, bytes, int, int]]:
    """Return the members of an archive, deflated again, for write_zip."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        return [
            (info.filename, _deflated(data), zlib.crc32(data), len(data))
            for info in source.infolist()
            for data in [source.read(info)]
        ]


def zeros_member(name: str, megabytes: int, announced: int | None = None):
    """Return a member of `megabytes` MB of zeros, deflated (about 1 KB per MB).

    The deflate stream is one block of 1 MB of zeros repeated: after a full flush the
    compressor starts afresh, so the block is computed once, not a gigabyte compressed.
    """
    chunk = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * megabytes + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    size = megabytes * MB
    return name, data, crc, size if announced is None else announced


def zip_bomb(megabytes: int = 1024, around: bytes | None = None) -> bytes:
    """Return a workbook (or a bare archive) with a sheet of `megabytes` MB of zeros."""
    members = members_of(around) if around else []
    members = [m for m in members if m[0] != "xl/worksheets/sheet1.xml"]
    return write_zip([*members, zeros_member("xl/worksheets/sheet1.xml", megabytes)])


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _cell(reference: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return f'<c r="{reference}"><v>{value:d}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _sheet_rows(rows: Iterable[Sequence]) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    letters = [get_column_letter(index) for index in range(1, 101)]
    for number, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(row))
        yield f'<row r="{number}">{cells}</row>'.encode()
    yield b"</sheetData></worksheet>"


def write_xlsx(sheets: dict[str, Iterable[Sequence]]) -> bytes:
    """Return a minimal workbook (inline strings, whole numbers, no styles) written as a stream.

    Much faster than openpyxl for the 100,000-row workbooks of the tests.
    """
    titles = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{TYPES}.worksheet+xml"/>'
        for n in range(1, len(titles) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            + "".join(
                f'<sheet name="{escape(title)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, title in enumerate(titles, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{DOC_RELS}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(titles) + 1)
            )
            + "</Relationships>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for number, rows in enumerate(sheets.values(), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w") as stream:
                for piece in _sheet_rows(rows):
                    stream.write(piece)
    return out.getvalue()


def post_file(client, url: str, field: str, content: bytes, filename: str = "upload.xlsx"):
    """Post a file as a browser would, the body built in memory.

    The test client would spool a body over 500 KB to a temporary file it never closes.
    """
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(content), filename)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
