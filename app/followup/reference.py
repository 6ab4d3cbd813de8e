"""The 16 PIX competences in 5 areas, read once from competences.toml."""

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

COMPETENCES_FILE = Path(__file__).with_name("competences.toml")
MAX_LEVEL = 8
PIX_PER_LEVEL = 8
# Typographic apostrophes and primes that PIX, word processors or spreadsheets may write.
APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u2032\u00b4`", "'"))


@dataclass(frozen=True)
class Area:
    """A PIX area (domaine), such as 1 Information et données."""

    code: int
    name_fr: str
    name_en: str


@dataclass(frozen=True)
class Competence:
    """A PIX competence, such as 2.1 Interagir, with its area."""

    code: str
    name_fr: str
    name_en: str
    area: Area


def normalise(text: str) -> str:
    """Return text folded for comparison: no accents nor case, one apostrophe, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@cache
def areas() -> tuple[Area, ...]:
    """Return the 5 areas in code order."""
    return tuple(Area(**row) for row in _data()["area"])


@cache
def competences() -> tuple[Competence, ...]:
    """Return the 16 competences in code order."""
    by_code = {area.code: area for area in areas()}
    return tuple(
        Competence(**{**row, "area": by_code[row["area"]]}) for row in _data()["competence"]
    )


def competence(code: str) -> Competence:
    """Return the competence of a code such as "2.1"; raise KeyError for an unknown code."""
    return _by_code()[code]


def find_competence(name: str) -> Competence | None:
    """Return the competence whose French or English name is `name`, compared loosely."""
    return _by_name().get(normalise(name))


@cache
def _data() -> dict:
    with COMPETENCES_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def _by_code() -> dict[str, Competence]:
    return {item.code: item for item in competences()}


@cache
def _by_name() -> dict[str, Competence]:
    names = {}
    for item in competences():
        names[normalise(item.name_fr)] = item
        names[normalise(item.name_en)] = item
    return names
