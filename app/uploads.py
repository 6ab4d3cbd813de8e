"""Checks of uploaded ZIP-based files (XLSX workbooks...) before anything parses them.

A file of a few megabytes can decompress to gigabytes. The archive's central directory gives
the number of entries and their sizes; it is checked first, then every entry is read as a
stream and its bytes counted, since a directory can lie.
"""

import zipfile
import zlib
from typing import IO

from flask_babel import lazy_gettext as _l

# Entries smaller than this are not checked for their compression ratio: small files of
# repeated text compress well and can do no harm.
RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
# The end record of a ZIP file: signature, disk numbers, entries on this disk, entries in
# total (2 bytes at offset 10), size of the central directory (4 bytes at offset 12)...
_END_SIGNATURE = b"PK\x05\x06"
_END_SIZE = 22
_COMMENT_MAX = 0xFFFF
# Bytes of central directory allowed per entry (46 bytes, then the name and extra fields):
# zipfile reads the whole directory whatever the number of entries announced.
_DIRECTORY_PER_ENTRY = 256

MESSAGES = {
    "damaged": _l("The file is damaged or is not in the expected format: it cannot be read."),
    "too_many_entries": _l("The file is made of too many parts (%(max)d at most)."),
    "too_large": _l("Once decompressed, the file would be larger than %(max)d MB."),
    "too_compressed": _l(
        "The file is compressed so much that it could hide a much larger content: it is refused."
    ),
}


def size_of(stream: IO[bytes]) -> int:
    """Return the size of an upload in bytes, the stream rewound."""
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


class ArchiveRefused(ValueError):
    """The archive is refused before parsing; `message` says why in the user's language."""

    def __init__(self, reason: str, **values):
        super().__init__(reason)
        self.reason = reason
        self.values = values

    @property
    def message(self) -> str:
        """Return the reason in the user's language."""
        message = MESSAGES[self.reason]
        return str(message % self.values) if self.values else str(message)


def _check_end_record(file: IO[bytes], max_entries: int) -> None:
    """Check the entries and directory size the end record announces, before zipfile reads them.

    zipfile builds an object per entry of the central directory, however many there are.
    """
    file.seek(0, 2)
    size = file.tell()
    tail_size = min(size, _END_SIZE + _COMMENT_MAX)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    position = tail.rfind(_END_SIGNATURE)
    if position < 0 or position + _END_SIZE > len(tail):
        raise ArchiveRefused("damaged")
    # 0xFFFF entries means "see the ZIP64 record": more than any workbook holds.
    entries = int.from_bytes(tail[position + 10 : position + 12], "little")
    directory = int.from_bytes(tail[position + 12 : position + 16], "little")
    if entries > max_entries or directory > max_entries * _DIRECTORY_PER_ENTRY:
        raise ArchiveRefused("too_many_entries", max=max_entries)


def check_archive(file: IO[bytes], max_entries: int, max_total: int, max_ratio: float) -> None:
    """Refuse (ArchiveRefused) an archive of too many entries, too large or too compressed.

    `max_total` bounds the uncompressed bytes of all entries together, `max_ratio` the
    uncompressed size of an entry over its compressed size. The file is left at its start.
    """
    try:
        _check_end_record(file, max_entries)
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise ArchiveRefused("too_many_entries", max=max_entries)
            _check_declared(entries, max_total, max_ratio)
            _check_content(archive, entries, max_total, max_ratio)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        # Corrupt data, a wrong checksum, an unknown compression or a password.
        raise ArchiveRefused("damaged") from error
    finally:
        file.seek(0)


def _too_compressed(size: int, compressed: int, max_ratio: float) -> bool:
    return size > RATIO_FLOOR and size > compressed * max_ratio


def _check_declared(entries: list[zipfile.ZipInfo], max_total: int, max_ratio: float) -> None:
    if sum(entry.file_size for entry in entries) > max_total:
        raise ArchiveRefused("too_large", max=max_total // (1024 * 1024))
    for entry in entries:
        if _too_compressed(entry.file_size, entry.compress_size, max_ratio):
            raise ArchiveRefused("too_compressed")


def _check_content(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], max_total: int,
                   max_ratio: float) -> None:  # fmt: skip
    """Decompress every entry as a stream, counting the bytes it really holds."""
    total = 0
    for entry in entries:
        size = 0
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if total > max_total:
                    raise ArchiveRefused("too_large", max=max_total // (1024 * 1024))
                if _too_compressed(size, entry.compress_size, max_ratio):
                    raise ArchiveRefused("too_compressed")
