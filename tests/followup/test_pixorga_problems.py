"""PIX Orga exports that are refused, and why: every problem of the file, in the user's words."""

import pytest

from app.followup import pixorga, rows
from app.followup.pixorga import MAX_BYTES, ResultFileError, parse_results
from tests.followup.pixorga_files import (
    Raw,
    assessment_fr,
    pix_csv,
    problems_of,
    profiles_en,
    profiles_fr_old,
)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", b"\r\n"])
def test_an_empty_file_is_refused(data):
    assert problems_of(data) == [(None, None, "The file is empty.")]


@pytest.mark.parametrize(
    ("sample", "encoding"),
    [(profiles_fr_old, "latin-1"), (assessment_fr, "cp1252"), (assessment_fr, "utf-16")],
)
def test_a_file_not_in_utf8_is_refused_with_the_line(sample, encoding):
    text = pix_csv(*sample(), bom=False).decode()
    problems = problems_of(text.encode(encoding))
    assert len(problems) == 1
    line, _column, message = problems[0]
    assert line == 1  # "Prénom" in the header is the first text that is not UTF-8
    assert message == (
        "The file is not encoded in UTF-8, as PIX Orga writes it (line 1 cannot be read). "
        "Download the export again from PIX Orga, or save it as “CSV UTF-8”."
    )


def test_a_file_not_in_utf8_further_down_names_that_line():
    header, data = profiles_fr_old()
    text = pix_csv(header, data).replace("Inès".encode(), "Inès".encode("latin-1"))
    assert problems_of(text)[0][0] == 2


@pytest.mark.parametrize(("separator", "word"), [(",", "commas"), ("\t", "tabs")])
def test_a_file_with_another_separator_is_refused(separator, word):
    header, data = assessment_fr()
    problems = problems_of(pix_csv(header, data).replace(b";", separator.encode()))
    assert [(line, column) for line, column, _message in problems] == [(1, None)]
    assert f"separated by {word}, not by semicolons" in problems[0][2]


def test_missing_name_columns_are_each_reported():
    header, data = assessment_fr()
    keep = [index for index in range(len(header)) if index not in (5, 6)]
    text = pix_csv([header[i] for i in keep], [[row[i] for i in keep] for row in data])
    assert problems_of(text) == [
        (
            1,
            None,
            "The file has no column for the participant's last name "
            "(Nom du Participant / Participant's last name).",
        ),
        (
            1,
            None,
            "The file has no column for the participant's first name "
            "(Prénom du Participant / Participant's first name).",
        ),
    ]


def test_a_file_that_is_not_a_pix_export_is_refused():
    text = pix_csv(["Matricule", "Nom", "Prénom"], [["A1", "Martin", "Chloé"]])
    (problem,) = problems_of(text)
    assert problem[2].startswith("This does not look like a PIX Orga result export: none of")


def test_a_file_without_the_columns_of_its_kind_is_refused():
    header, data = assessment_fr()
    (problem,) = problems_of(pix_csv(header[:9], [row[:9] for row in data]))
    assert problem[2] == (
        "This does not look like a PIX Orga result export: it has neither the column "
        "“Partage (O/N) / Shared (Y/N)” of an assessment campaign nor the column "
        "“Envoi (O/N) / Sent (Y/N)” of a profiles collection campaign."
    )


def test_a_file_with_the_columns_of_both_kinds_is_refused():
    header, data = assessment_fr()
    text = pix_csv([*header, "Nombre de pix total"], [[*row, 12] for row in data])
    (problem,) = problems_of(text)
    assert "both an assessment campaign and a profiles collection campaign" in problem[2]


def test_a_missing_result_column_is_reported():
    header, data = assessment_fr()
    del header[9]
    for row in data:
        del row[9]
    assert problems_of(pix_csv(header, data)) == [
        (
            1,
            None,
            "The file has no column for the progression (% de progression / % of progression).",
        )
    ]


def test_duplicated_headers_are_refused_even_written_differently():
    header, data = assessment_fr()
    header.insert(9, "Groupe")
    header.append("PARTAGE (o/n)")
    for row in data:
        row.insert(9, "A")
        row.append(True)
    problems = problems_of(pix_csv(header, data))
    assert [(line, column) for line, column, _message in problems] == [
        (1, "PARTAGE (o/n)"),
        (1, "Groupe"),
    ]
    assert problems[0][2] == (
        "The column “PARTAGE (o/n)” appears twice (columns 13 and 31): "
        "a file must have each column once."
    )


def test_unknown_columns_after_the_results_may_repeat():
    header, data = assessment_fr()
    header += ["Groupe", "@motdepasse3"]
    for row in data:
        row += ["A", "OK"]
    assert parse_results(pix_csv(header, data)).extra_columns == ["Groupe", "Matricule"]


def test_a_row_with_more_or_fewer_values_than_the_header_is_refused():
    header, data = assessment_fr()
    data[0].append("de trop")
    del data[2][-1]
    assert [message for _l, _c, message in problems_of(pix_csv(header, data))] == [
        "Line 2 has 30 values, but the header has 29 columns.",
        "Line 4 has 28 values, but the header has 29 columns.",
    ]


def test_every_problem_of_every_line_is_reported_and_nothing_is_returned():
    header, data = profiles_fr_old()
    data[0][11] = 70  # columns 10 and 11: level and pix of 1.1
    data[0][10] = Raw("2,5")
    data[1][6] = "31/02/2022"
    data[2][5] = Raw("Peut-être")
    data[2][8] = Raw("NA")
    data[2][7] = 2000
    problems = problems_of(pix_csv(header, data))
    assert problems == [
        (
            2,
            "Niveau pour la compétence Mener une recherche et une veille d'information",
            "Line 2: the level for “Mener une recherche et une veille d'information” is “2,5”, "
            "expected a whole number from 0 to 8.",
        ),
        (
            2,
            "Nombre de pix pour la compétence Mener une recherche et une veille d'information",
            "Line 2: the pix score for “Mener une recherche et une veille d'information” is “70”, "
            "expected a whole number from 0 to 64.",
        ),
        (
            3,
            "Date de l'envoi",
            "Line 3: “Date de l'envoi” is “31/02/2022”, which is not a date "
            "(expected DD/MM/YYYY, DD/MM/YYYY HH:MM or YYYY-MM-DD).",
        ),
        (
            4,
            "Envoi (O/N)",
            "Line 4: “Envoi (O/N)” is “Peut-être”, expected Oui or Non (Yes or No).",
        ),
        (
            4,
            "Nombre de pix total",
            "Line 4: “Nombre de pix total” is “2000”, expected a whole number from 0 to 1024.",
        ),
    ]


def test_a_level_out_of_range_is_named_by_its_competence():
    header, data = profiles_en()
    data[1][15] = 9
    assert problems_of(pix_csv(header, data))[0][2] == (
        "Line 3: the level for “Interagir” is “9”, expected a whole number from 0 to 8."
    )


@pytest.mark.parametrize("value", [Raw("1,5"), Raw("120 %"), Raw("-0,2"), Raw("beaucoup")])
def test_a_share_out_of_range_is_refused(value):
    header, data = assessment_fr()
    data[0][16] = value
    data[2][9] = value
    problems = problems_of(pix_csv(header, data))
    shown = value.text.lstrip("'")
    assert [message for _l, _c, message in problems] == [
        f"Line 2: the mastery of “Interagir” is “{shown}”, expected a share from 0 to 1 "
        "(such as 0,67) or a percentage (such as 67 %).",
        f"Line 4: “% de progression” is “{shown}”, expected a share from 0 to 1 "
        "(such as 0,67) or a percentage (such as 67 %).",
    ]


def test_a_shared_flag_may_not_be_missing():
    header, data = assessment_fr()
    data[0][11] = None
    assert problems_of(pix_csv(header, data))[0][2] == (
        "Line 2: “Partage (O/N)” is “NA”, expected Oui or Non (Yes or No)."
    )


@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.org")', "+33612345678", "@Martin"])
def test_a_formula_in_a_name_refuses_the_line(name):
    header, data = assessment_fr()
    data[1][5] = Raw(f'"{name.replace(chr(34), chr(34) * 2)}"')
    problems = problems_of(pix_csv(header, data))
    assert problems == [
        (
            3,
            "Nom du Participant",
            f"Line 3: “Nom du Participant” starts with “{name[0]}” without the apostrophe PIX "
            "Orga writes before such values: it may be a formula, so the line is refused.",
        )
    ]


def test_a_formula_in_an_extra_column_refuses_the_line():
    header, data = assessment_fr()
    data[0][8] = Raw("-A1207")
    assert problems_of(pix_csv(header, data))[0][:2] == (2, "Matricule")


def test_an_empty_name_is_refused():
    header, data = profiles_en()
    data[0][7] = ""
    assert problems_of(pix_csv(header, data)) == [
        (2, "Participant's first name", "Line 2: “Participant's first name” is empty.")
    ]


def test_a_file_must_hold_a_single_campaign():
    header, data = assessment_fr()
    data[2][1] = 50000
    assert problems_of(pix_csv(header, data)) == [
        (
            4,
            "ID Campagne",
            "Line 4: “ID Campagne” is “50000”, but “48213” on line 2: "
            "a file must hold the results of a single campaign.",
        )
    ]


def test_the_list_of_problems_is_capped(monkeypatch):
    monkeypatch.setattr(rows, "MAX_PROBLEMS", 2)
    header, data = assessment_fr()
    for row in data:
        row[9] = 7
    messages = [message for _l, _c, message in problems_of(pix_csv(header, data))]
    assert len(messages) == 3
    assert messages[-1] == "And 1 more problem, not listed here."


def test_a_20_mb_file_is_refused_at_once():
    header, data = profiles_fr_old()
    text = pix_csv(header, data)
    rows_bytes = text.split(b"\n", 1)[1]
    big = text + rows_bytes * (20 * 1024 * 1024 // len(rows_bytes))
    assert len(big) > 20 * 1024 * 1024
    assert problems_of(big) == [
        (None, None, "The file is larger than 10 MB, the most that can be imported at once.")
    ]


class CountingStream:
    """A binary stream of a header then a row repeated up to `size` bytes, counting reads."""

    def __init__(self, head: bytes, row: bytes, size: int) -> None:
        self.buffer, self.row, self.size, self.read_bytes = head, row, size, 0

    def read(self, count: int) -> bytes:
        count = min(count, self.size - self.read_bytes)
        while len(self.buffer) < count:
            self.buffer += self.row * 1000
        piece, self.buffer = self.buffer[:count], self.buffer[count:]
        self.read_bytes += len(piece)
        return piece


def test_a_large_stream_is_read_only_up_to_the_limit():
    header, data = profiles_en()
    data[0][0] = "Affaires maritimes " * 50
    head, first, _rest = pix_csv(header, data).split(b"\n", 2)
    stream = CountingStream(head + b"\n", first + b"\n", size=20 * 1024 * 1024)
    with pytest.raises(ResultFileError) as caught:
        parse_results(stream)
    assert [item.message for item in caught.value.problems] == [
        "The file is larger than 10 MB, the most that can be imported at once."
    ]
    assert stream.read_bytes <= MAX_BYTES + pixorga.CHUNK_BYTES


def test_a_stream_of_too_many_short_rows_stops_after_the_limit():
    header, data = profiles_fr_old()
    head, first, _rest = pix_csv(header, data).split(b"\n", 2)
    stream = CountingStream(head + b"\n", first + b"\n", size=20 * 1024 * 1024)
    with pytest.raises(ResultFileError) as caught:
        parse_results(stream)
    assert [item.message for item in caught.value.problems] == [
        "The file has more than 20000 participations, the most that can be imported at once."
    ]
    assert stream.read_bytes <= len(head) + 20_001 * (len(first) + 1) + pixorga.CHUNK_BYTES


def test_too_many_participations_are_refused(monkeypatch):
    monkeypatch.setattr(pixorga, "MAX_PARTICIPATIONS", 2)
    header, data = assessment_fr()
    assert problems_of(pix_csv(header, data)) == [
        (
            None,
            None,
            "The file has more than 2 participations, the most that can be imported at once.",
        )
    ]
    assert len(parse_results(pix_csv(header, data[:2])).participations) == 2


def test_an_unclosed_quote_shifts_the_values_of_its_line():
    header, data = assessment_fr()
    data[1][7] = Raw('"Service sans fin')
    assert problems_of(pix_csv(header, data)) == [
        (3, None, "Line 3 has 28 values, but the header has 29 columns.")
    ]


def test_a_value_far_too_long_stops_the_reading():
    header, data = assessment_fr()
    data[0][9] = 7  # a problem found before
    data[1][7] = "Service " * 20_000
    assert problems_of(pix_csv(header, data)) == [
        (
            2,
            "% de progression",
            "Line 2: “% de progression” is “7”, expected a share from 0 to 1 (such as 0,67) "
            "or a percentage (such as 67 %).",
        ),
        (
            3,
            None,
            "Line 3 cannot be read: a quotation mark is not closed, or a value is far too long.",
        ),
    ]


def test_messages_follow_the_request_language(app):
    header, data = profiles_en()
    data[1][15] = 9
    with app.test_request_context("/en/"):
        (problem,) = problems_of(pix_csv(header, data))
    assert problem[2].startswith("Line 3: the level for “Interacting” is “9”")
