"""Gunicorn's access log without the secrets that some addresses carry.

A claim link, a webinar link, an account invitation and a password reset each hold their
token in the path; the journal keeps the access log for weeks, and the pages reached by such
a link send it again as their assets' Referer. The log shows "[token]" in its place.
"""

import re

from gunicorn.glogging import Logger

SECRET_PATH = re.compile(
    r"(/(?:reach/claim|events/invitation|invitation|password/reset)/)[^/?#\s\"]+"
)
# The atoms of the log format that hold a path or an address.
MASKED = ("r", "U", "f", "{referer}i")


def mask(text: str) -> str:
    """Return a request line or address with the token of a secret link replaced."""
    return SECRET_PATH.sub(r"\1[token]", text)


class AccessLogger(Logger):
    """Gunicorn's logger, with the tokens of secret links masked in the access log."""

    def atoms(self, resp, req, environ, request_time):
        """Return gunicorn's log atoms, the paths and the referrer masked."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in MASKED:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask(atoms[key])
        return atoms
