"""Recognise the columns of a PIX Orga result export by their header text, never by position.

Headers are compared after `reference.normalise` (accents, case, apostrophes, spaces), so
"Nom de l’organisation" and "NOM DE L'ORGANISATION" are one header. Unknown columns that stand
before the first result column are the organisation's extra columns (group, external id...);
unknown columns after it (badges, skills, later additions of PIX) are ignored.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.followup.reference import find_competence, normalise
from app.followup.results import Problem

ASSESSMENT = "assessment"
PROFILES_COLLECTION = "profiles_collection"

# Columns that describe the campaign and the person (French newer, French older, English).
IDENTITY_HEADERS = {
    "organisation_name": ("Nom de l'organisation", "Organisation's name"),
    "campaign_id": ("ID Campagne", "Campaign ID"),
    "campaign_code": ("Code", "Code campagne", "Campaign code"),
    "campaign_name": ("Nom de la campagne", "Campaign's name"),
    "target_profile_name": ("Parcours", "Nom du Profil Cible", "Target profile's name"),
    "last_name": ("Nom du Participant", "Participant's last name"),
    "first_name": ("Prénom du Participant", "Participant's first name"),
}
# Result columns, with the kind of campaign they belong to.
RESULT_HEADERS = {
    "progression": (ASSESSMENT, ("% de progression", "% of progression")),
    "started_at": (
        None,
        ("Date et heure de début (Europe/Paris)", "Date de début", "Started on"),
    ),
    "shared": (ASSESSMENT, ("Partage (O/N)", "Shared (Y/N)")),
    "shared_at": (
        ASSESSMENT,
        ("Date et heure du partage (Europe/Paris)", "Date du partage", "Shared on"),
    ),
    "mastery": (
        ASSESSMENT,
        (
            "% maitrise de l'ensemble des acquis du profil",
            "% of items successfully completed in the target profile",
        ),
    ),
    "sent": (PROFILES_COLLECTION, ("Envoi (O/N)", "Sent (Y/N)")),
    "sent_at": (
        PROFILES_COLLECTION,
        ("Date et heure de l'envoi (Europe/Paris)", "Date de l'envoi", "Sent on"),
    ),
    "total_pix": (PROFILES_COLLECTION, ("Nombre de pix total", "Total pix score")),
    "certifiable": (
        PROFILES_COLLECTION,
        ("Certifiable (O/N)", "Eligible for certification (Y/N)"),
    ),
    "certifiable_count": (
        PROFILES_COLLECTION,
        ("Nombre de compétences certifiables", "Number of competences eligible for certification"),
    ),
}
# "<prefix> <name>" columns: (prefix, kind, measure read or None when recognised and ignored).
# Area prefixes come first: "... in the competence area X" also starts like "... in the competence".
NAMED_HEADERS = (
    ("% de maitrise des acquis du domaine", ASSESSMENT, None),
    ("Nombre d'acquis du profil cible du domaine", ASSESSMENT, None),
    ("Acquis maitrisés du domaine", ASSESSMENT, None),
    ("% of items successfully completed in the competence area", ASSESSMENT, None),
    ("Number of items of the target profile in the competence area", ASSESSMENT, None),
    ("Items of the target profile successfully completed in the competence area", ASSESSMENT, None),
    ("% de maitrise des acquis de la compétence", ASSESSMENT, "mastery"),
    ("Nombre d'acquis du profil cible dans la compétence", ASSESSMENT, None),
    ("Acquis maitrisés dans la compétence", ASSESSMENT, None),
    ("% of items successfully completed in the competence", ASSESSMENT, "mastery"),
    ("Number of items of the target profile in the competence", ASSESSMENT, None),
    ("Items of the target profile successfully completed in the competence", ASSESSMENT, None),
    ("Niveau pour la compétence", PROFILES_COLLECTION, "level"),
    ("Level reached in the competence", PROFILES_COLLECTION, "level"),
    ("Nombre de pix pour la compétence", PROFILES_COLLECTION, "pix"),
    ("Pix score for the competence", PROFILES_COLLECTION, "pix"),
)
STAGE_HEADER = re.compile(r"(?:palier obtenu|success rate) \(/(\d+)\)", re.ASCII)
REQUIRED = ("organisation_name", "campaign_id", "campaign_name", "last_name", "first_name")
REQUIRED_BY_KIND = {
    ASSESSMENT: ("progression", "shared"),
    PROFILES_COLLECTION: ("sent", "total_pix"),
}
LABELS = {
    "organisation_name": _l("the organisation's name"),
    "campaign_id": _l("the campaign ID"),
    "campaign_name": _l("the campaign's name"),
    "last_name": _l("the participant's last name"),
    "first_name": _l("the participant's first name"),
    "progression": _l("the progression"),
    "shared": _l("whether the results were shared"),
    "sent": _l("whether the profile was sent"),
    "total_pix": _l("the total pix score"),
}
_HEADERS = {normalise(text): name for name, texts in IDENTITY_HEADERS.items() for text in texts} | {
    normalise(text): name for name, (_kind, texts) in RESULT_HEADERS.items() for text in texts
}
_NAMED = tuple((normalise(prefix) + " ", kind, measure) for prefix, kind, measure in NAMED_HEADERS)


@dataclass
class Layout:
    """Where each piece of data sits in the rows of one file."""

    kind: str
    headers: list[str]
    fields: dict[str, int] = field(default_factory=dict)
    competences: dict[tuple[str, str], int] = field(default_factory=dict)
    stage: tuple[int, int] | None = None
    extras: list[tuple[str, int]] = field(default_factory=list)
    other_competences: list[str] = field(default_factory=list)


def read_header(headers: list[str]) -> tuple[Layout | None, list[Problem]]:
    """Return the layout of a header row, or None with the problems that prevent reading it."""
    layout = Layout(kind="", headers=headers)
    kinds: set[str] = set()
    seen: dict[tuple, int] = {}
    problems: list[Problem] = []
    unknown: list[int] = []
    first_result = len(headers)
    for index, header in enumerate(headers):
        key, kind = _recognise(header.strip(), index, layout)
        if kind:
            kinds.add(kind)
        if key is None:
            unknown.append(index)
            continue
        if key[0] != "field" or key[1] not in IDENTITY_HEADERS:
            first_result = min(first_result, index)
        if key in seen:
            problems.append(_duplicate(headers, seen[key], index))
        seen[key] = index
    for index in unknown:
        header = headers[index].strip()
        key = ("extra", normalise(header))
        if index > first_result or not header:
            continue
        if key in seen:
            problems.append(_duplicate(headers, seen[key], index))
        seen[key] = index
        layout.extras.append((header, index))
    if not kinds and not ({"last_name", "first_name"} & layout.fields.keys()):
        example = IDENTITY_HEADERS["last_name"][0]
        message = _(
            "This does not look like a PIX Orga result export: none of its columns is one that "
            "PIX Orga writes (such as “%(example)s”).",
            example=example,
        )
        return None, [Problem(1, None, message)]
    if len(kinds) == 1:
        layout.kind = kinds.pop()
    else:
        problems.append(Problem(1, None, _kind_message(kinds)))
    needed = REQUIRED + REQUIRED_BY_KIND.get(layout.kind, ())
    problems += [_missing(name) for name in needed if name not in layout.fields]
    return (None if problems else layout), problems


def _recognise(header: str, index: int, layout: Layout) -> tuple[tuple | None, str | None]:
    """Record a known column in the layout; return its key and kind (None, None if unknown)."""
    text = normalise(header)
    name = _HEADERS.get(text)
    if name:
        layout.fields.setdefault(name, index)
        kind = RESULT_HEADERS[name][0] if name in RESULT_HEADERS else None
        return ("field", name), kind
    stage = STAGE_HEADER.fullmatch(text)
    if stage:
        layout.stage = layout.stage or (index, int(stage.group(1)))
        return ("stage",), ASSESSMENT
    for prefix, kind, measure in _NAMED:
        if not text.startswith(prefix):
            continue
        if measure is None:
            return ("ignored", index), kind
        fragment = text[len(prefix) :]
        found = find_competence(fragment)
        if found is None:
            as_written = _tail(header, fragment)
            if as_written not in layout.other_competences:
                layout.other_competences.append(as_written)
            return ("ignored", index), kind
        layout.competences.setdefault((measure, found.code), index)
        return ("competence", measure, found.code), kind
    return None, None


def _tail(header: str, fragment: str) -> str:
    """Return the last words of a header that hold a competence's name, as written in the file."""
    words = header.split()
    return " ".join(words[len(words) - len(fragment.split()) :])


def _duplicate(headers: list[str], first: int, second: int) -> Problem:
    message = _(
        "The column “%(header)s” appears twice (columns %(first)s and %(second)s): "
        "a file must have each column once.",
        header=headers[second].strip(),
        first=first + 1,
        second=second + 1,
    )
    return Problem(1, headers[second].strip(), message)


def _missing(name: str) -> Problem:
    texts = IDENTITY_HEADERS.get(name) or RESULT_HEADERS[name][1]
    message = _(
        "The file has no column for %(what)s (%(headers)s).",
        what=LABELS[name],
        headers=" / ".join(texts),
    )
    return Problem(1, None, message)


def _kind_message(kinds: set[str]) -> str:
    if kinds:
        return _(
            "This does not look like a PIX Orga result export: it has the columns of both an "
            "assessment campaign and a profiles collection campaign."
        )
    return _(
        "This does not look like a PIX Orga result export: it has neither the column "
        "“%(assessment)s” of an assessment campaign nor the column “%(collection)s” of a "
        "profiles collection campaign.",
        assessment=" / ".join(RESULT_HEADERS["shared"][1]),
        collection=" / ".join(RESULT_HEADERS["sent"][1]),
    )
