"""The access log of the production server never keeps the token of a secret link."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "eyJjIjo3LCJkIjoxfQ.aBcD.SeCrEt-part_42"


@pytest.fixture
def logger():
    """Gunicorn's logger as the portal's gunicorn.conf.py sets it up."""
    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    assert config.logger_class.__name__ == "AccessLogger"
    return config.logger_class(config)


def _log(logger, caplog, path: str, referer: str = "-") -> str:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    caplog.clear()
    logger.access(response, request, environ, timedelta(milliseconds=12))
    [record] = [r for r in caplog.records if r.name == "gunicorn.access"]
    return record.getMessage()


@pytest.mark.parametrize(
    "path",
    [
        f"/fr/reach/claim/{TOKEN}",
        f"/en/events/invitation/{TOKEN}/webinar.ics",
        f"/fr/invitation/{TOKEN}",
        f"/fr/password/reset/{TOKEN}?next=x",
    ],
)
def test_the_token_of_a_secret_link_is_masked(logger, caplog, path):
    line = _log(logger, caplog, path, referer=f"https://portail.example.org{path}")
    assert "SeCrEt" not in line
    assert line.count("[token]") == 2  # the request line and the referrer
    assert "192.0.2.7" in line and " 200 512 12ms " in line


def test_other_addresses_are_logged_whole(logger, caplog):
    line = _log(logger, caplog, "/fr/events/invitations/12/send-again?page=2")
    assert '"GET /fr/events/invitations/12/send-again?page=2 HTTP/1.1" 200' in line
