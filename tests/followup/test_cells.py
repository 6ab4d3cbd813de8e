"""Reading one cell of a PIX Orga export: shares, whole numbers, yes/no, Paris dates."""

from datetime import UTC, datetime

import pytest

from app.followup.cells import (
    BadValue,
    clean,
    read_datetime,
    read_share,
    read_whole,
    read_yes_no,
)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("'=A1", "=A1"),
        ("'+33 6 12", "+33 6 12"),
        ("'-", "-"),
        ("'@lice", "@lice"),
        ("''=A1", "''=A1"),
        ("'t Hooft", "'t Hooft"),
        ("'", "'"),
        ("  Martin ", "Martin"),
    ],
)
def test_clean_removes_one_apostrophe_before_a_formula_character(raw, cleaned):
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "share"),
    [
        ("0,67", 0.67),
        ("0.67", 0.67),
        ("1", 1.0),
        ("0", 0.0),
        ("67 %", 0.67),
        ("67%", 0.67),
        ("67\u00a0%", 0.67),
        ("12,5 %", 0.125),
        ("NA", None),
        ("", None),
    ],
)
def test_read_share(raw, share):
    assert read_share(raw) == share


@pytest.mark.parametrize("raw", ["1,5", "101 %", "beaucoup", "nan", "1e-1", "'-0,2", "0,5,1"])
def test_read_share_refuses(raw):
    with pytest.raises(BadValue):
        read_share(raw)


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("8", 8), (" 8 ", 8), ("NA", None)])
def test_read_whole(raw, value):
    assert read_whole(raw, 8) == value


@pytest.mark.parametrize("raw", ["9", "2,0", "-1", "'-1", "²", "\u0663", "huit"])
def test_read_whole_refuses(raw):
    with pytest.raises(BadValue):
        read_whole(raw, 8)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        *[(text, True) for text in ("Oui", "OUI", "oui", "O", "o", "Yes", "Y", "y")],
        *[(text, False) for text in ("Non", "N", "No", "n", "NON")],
        ("NA", None),
        ("", None),
    ],
)
def test_read_yes_no(raw, value):
    assert read_yes_no(raw) is value


@pytest.mark.parametrize("raw", ["Vrai", "1", "Ouii", "na"])
def test_read_yes_no_refuses(raw):
    with pytest.raises(BadValue):
        read_yes_no(raw)


@pytest.mark.parametrize(
    ("raw", "moment"),
    [
        ("12/03/2024 09:30", datetime(2024, 3, 12, 8, 30, tzinfo=UTC)),
        ("12/03/2024", datetime(2024, 3, 11, 23, 0, tzinfo=UTC)),
        ("2024-03-12", datetime(2024, 3, 11, 23, 0, tzinfo=UTC)),
        ("2024-07-01 10:00", datetime(2024, 7, 1, 8, 0, tzinfo=UTC)),
        ("1/7/2024 9:05", datetime(2024, 7, 1, 7, 5, tzinfo=UTC)),
        ("01/07/2024 09:05:30", datetime(2024, 7, 1, 7, 5, 30, tzinfo=UTC)),
        # 02:30 happens twice on the night summer time ends: the first one (still summer).
        ("27/10/2024 02:30", datetime(2024, 10, 27, 0, 30, tzinfo=UTC)),
        ("NA", None),
    ],
)
def test_read_datetime_from_paris_time(raw, moment):
    assert read_datetime(raw) == moment


@pytest.mark.parametrize(
    "raw", ["31/02/2024", "12-03-2024", "2024/03/12", "12/03/24", "12/03/2024 25:00", "demain"]
)
def test_read_datetime_refuses(raw):
    with pytest.raises(BadValue):
        read_datetime(raw)
