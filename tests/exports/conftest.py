"""The known data set: DREAL-PDL submitted, DREAL-ARA in draft, DGPR accepted, the rest silent."""

import pytest

from tests.factories import Known, build_known


@pytest.fixture
def known(app) -> Known:
    """Build the known data set of the 2023 call."""
    return build_known()
