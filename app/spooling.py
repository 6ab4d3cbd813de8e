"""The portal's request class: uploads spooled while a form is parsed are closed with it.

Werkzeug spools each file part of a multipart form to a temporary file and closes those of
`request.files` at the end of the request. When parsing stops half-way (a form larger than
MAX_FORM_MEMORY_SIZE, answered 413), the parts already spooled never reach `request.files`
and stay open until the garbage collector finds them.
"""

from typing import IO

from flask import Request


class PortalRequest(Request):
    """A request that closes every upload it spooled, even those of a form refused half-way."""

    def _get_file_stream(self, *args, **kwargs) -> IO[bytes]:
        stream = super()._get_file_stream(*args, **kwargs)
        self.__dict__.setdefault("_spooled", []).append(stream)
        return stream

    def close(self) -> None:
        """Close the files of the form, then every other upload spooled while parsing it."""
        super().close()
        for stream in self.__dict__.pop("_spooled", []):
            stream.close()
