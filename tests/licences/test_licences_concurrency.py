"""Two project team members at the same instant: the pool is never exceeded, two edits of the
same grant give one conflict, never a 500 nor a doubled history entry or e-mail."""

import pytest

from app.auth.models import Role
from app.licences.models import LicenceGrant, LicencePool
from tests.conftest import PASSWORD, log_in, make_user, outbox
from tests.licences.conftest import (
    count,
    grant,
    grant_events,
    grant_version,
    granted,
    pool_events,
    pool_size,
    pool_version,
    set_pool,
)


@pytest.fixture
def two_members(app, known, project_team_user):
    """Two logged-in clients of the project team."""
    make_user("colleague@example.org", Role.PROJECT_TEAM)
    first, second = app.test_client(), app.test_client()
    assert log_in(first, project_team_user).status_code == 302
    assert log_in(second, "colleague@example.org", PASSWORD).status_code == 302
    return first, second


def _grant(client, code, licences, version, comment=""):
    def send():
        response = grant(client, code, licences, comment, version=version)
        return response.status_code, response.get_data(as_text=True)

    return send


def _pool(client, licences, version):
    def send():
        response = set_pool(client, licences, version=version)
        return response.status_code, response.get_data(as_text=True)

    return send


def test_two_grants_at_once_never_exceed_the_pool(two_members, concurrently):
    first, second = two_members
    set_pool(first, 150)
    results = concurrently(_grant(first, "DREAL-PDL", 100, ""), _grant(second, "DGPR", 90, ""))
    statuses = sorted(status for status, _ in results)
    assert statuses == [200, 302]
    refused = next(page for status, page in results if status == 200)
    assert "licences are left in the pool of this call" in refused
    assert sum(granted().values()) <= 150
    assert len(granted()) == 1
    assert len(grant_events()) == 1


def test_grants_that_fit_together_both_pass(two_members, concurrently):
    first, second = two_members
    set_pool(first, 235)
    results = concurrently(_grant(first, "DREAL-PDL", 140, ""), _grant(second, "DGPR", 95, ""))
    assert sorted(status for status, _ in results) == [302, 302]
    assert granted() == {"DREAL-PDL": 140, "DGPR": 95}


def test_lowering_the_pool_while_granting_never_leaves_more_granted(two_members, concurrently):
    first, second = two_members
    set_pool(first, 200)
    version = pool_version()
    results = concurrently(_pool(first, 50, version), _grant(second, "DREAL-PDL", 100, ""))
    # Whichever came first, the other is refused (the pool below the grant, or the grant
    # above the pool); both never pass.
    assert sorted(status for status, _ in results) == [200, 302]
    assert sum(granted().values()) <= pool_size()


def test_two_edits_of_one_grant_give_one_conflict(two_members, concurrently, directorate_user):
    first, second = two_members
    set_pool(first, 300)
    grant(first, "DREAL-PDL", 100)
    version = grant_version("DREAL-PDL")
    mails = len(outbox())
    results = concurrently(
        _grant(first, "DREAL-PDL", 120, version, "Mine"),
        _grant(second, "DREAL-PDL", 130, version, "Theirs"),
    )
    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    assert "The grant changed while you were editing it" in loser
    kept = "Theirs" if "Theirs" in loser else "Mine"
    assert kept in loser  # the loser's input is on screen
    assert granted()["DREAL-PDL"] in (120, 130)
    assert len(grant_events()) == 2  # the first grant and the winner's change, nothing doubled
    new_mails = [m for m in outbox()[mails:] if m.recipients == directorate_user.email]
    assert len(new_mails) == 1


def test_two_first_grants_of_one_directorate_make_one(two_members, concurrently):
    first, second = two_members
    set_pool(first, 300)
    results = concurrently(_grant(first, "DGPR", 50, "", "A"), _grant(second, "DGPR", 60, "", "B"))
    assert sorted(status for status, _ in results) == [302, 409]
    assert count(LicenceGrant) == 1
    assert len(grant_events()) == 1


def test_two_first_pools_at_once_make_one(two_members, concurrently):
    first, second = two_members
    results = concurrently(_pool(first, 100, ""), _pool(second, 200, ""))
    assert sorted(status for status, _ in results) == [302, 409]
    loser = next(page for status, page in results if status == 409)
    assert "The pool changed while you were editing it" in loser
    assert count(LicencePool) == 1
    assert len(pool_events()) == 1
