"""The portal's request class: how large a form may be, and its uploads closed with it.

Werkzeug spools each file part of a multipart form to a temporary file and closes those of
`request.files` at the end of the request. When parsing stops half-way (a form larger than
MAX_FORM_MEMORY_SIZE, answered 413), the parts already spooled never reach `request.files`
and stay open until the garbage collector finds them.

A request may carry MAX_CONTENT_LENGTH bytes (MAX_UPLOAD_MB), except on a view marked with
`accepts_files`, for a user of a role the view admits: there it may carry as many files as the
view takes, each as large as MAX_ATTACHMENT_MB, so that a message with too many megabytes in all
is refused by its form, on its field, with the text kept, instead of a bare 413 page that loses
the text.
"""

from collections.abc import Callable
from typing import IO

from flask import Request, current_app
from flask_login import current_user

_MB = 1024 * 1024
# Room for the text fields of the form around its files (a message is 5,000 characters).
_FORM_ROOM = 64 * 1024


def accepts_files(count: int) -> Callable:
    """Mark a view that receives up to `count` files of MAX_ATTACHMENT_MB each."""

    def mark(view: Callable) -> Callable:
        view.files_accepted = count  # kept by functools.wraps on the decorators around it
        return view

    return mark


def _may_post(view: Callable) -> bool:
    """Tell whether the user may use the view: only they may send it more than the limit.

    The CSRF check reads the form before the access check runs: an anonymous visitor, or a
    user of another role, is held to MAX_CONTENT_LENGTH before anything is read.
    """
    access = getattr(view, "access", None)
    if access is None or not current_user.is_authenticated:
        return False
    return access.roles is None or getattr(current_user, "role", None) in access.roles


class PortalRequest(Request):
    """A request that closes every upload it spooled, even those of a form refused half-way."""

    @property
    def max_content_length(self) -> int | None:
        """The most bytes this request may carry (MAX_CONTENT_LENGTH, or more for files)."""
        if self._max_content_length is None and current_app and self.endpoint:
            view = current_app.view_functions.get(self.endpoint)
            count = getattr(view, "files_accepted", None)
            limit = current_app.config["MAX_CONTENT_LENGTH"]
            if count and limit is not None and _may_post(view):
                each = current_app.config["MAX_ATTACHMENT_MB"] * _MB
                return max(int(count * each) + _FORM_ROOM, limit)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, *args, **kwargs) -> IO[bytes]:
        stream = super()._get_file_stream(*args, **kwargs)
        self.__dict__.setdefault("_spooled", []).append(stream)
        return stream

    def close(self) -> None:
        """Close the files of the form, then every other upload spooled while parsing it."""
        super().close()
        for stream in self.__dict__.pop("_spooled", []):
            stream.close()
