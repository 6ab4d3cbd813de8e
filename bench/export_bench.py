"""Benchmark the consolidated XLSX export of a call against bare openpyxl write-only.

Run it from the repository root:

    .venv/bin/python bench/export_bench.py
    .venv/bin/python bench/export_bench.py --directorates 500 --people 2500
    .venv/bin/python bench/export_bench.py --database-url postgresql://localhost/portal_bench

It builds a synthetic call in a temporary SQLite file, or in the database given by
--database-url (whose name must contain "bench" or "test": its tables are dropped and created
again): the reference data, N more directorates spread over the CVRHs, one call, and for each
directorate one declaration with about two campaigns and its ambassadors and administrators.

It then times the export as the web console writes it (dataset, then workbook), and the very same
cells written by openpyxl in write-only mode, without styles or neutralisation. Timings are the
best of --repeat runs without memory tracing; one more run of each under tracemalloc gives the
traced peak. The process's maximum resident size is shown for information.

It always exits with 0: it measures, it does not test. A target that is not met is reported with
"TARGET MISSED".
"""

import argparse
import gc
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.declarations.models import (  # noqa: E402
    Administrator,
    Ambassador,
    Campaign,
    Declaration,
    DeclarationStatus,
    PerimeterKind,
)
from app.directorates.models import Call, Cvrh, Directorate, DirectorateType  # noqa: E402
from app.directorates.seed import load_reference_data  # noqa: E402
from app.directorates.services import all_directorates  # noqa: E402
from app.exports import files, services  # noqa: E402
from app.extensions import db  # noqa: E402

SEED = 20250101
CHUNK = 5000
CALL_CODE = "BENCH-EXPORT"
MAX_RATIO = 1.5
MAX_PEAK_MB = 300
AMBASSADOR_SHARE = 3 / 5
MB = 1024 * 1024

STATUSES = (
    [DeclarationStatus.SUBMITTED] * 80
    + [DeclarationStatus.DRAFT] * 10
    + [DeclarationStatus.ACCEPTED] * 8
    + [DeclarationStatus.CORRECTIONS_REQUESTED] * 2
)
REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "La Réunion",
)
NAMES = {
    DirectorateType.DREAL: (
        "Direction régionale de l'environnement, de l'aménagement et du logement",
        "Regional directorate for the environment, planning and housing",
    ),
    DirectorateType.DRIEAT: (
        "Direction régionale et interdépartementale de l'environnement, de l'aménagement "
        "et des transports",
        "Regional and interdepartmental directorate for the environment, planning and transport",
    ),
    DirectorateType.DRIHL: (
        "Direction régionale et interdépartementale de l'hébergement et du logement",
        "Regional and interdepartmental directorate for accommodation and housing",
    ),
    DirectorateType.DIRM: (
        "Direction interrégionale de la mer",
        "Interregional sea directorate",
    ),
    DirectorateType.DEAL: (
        "Direction de l'environnement, de l'aménagement et du logement",
        "Directorate for the environment, planning and housing",
    ),
    DirectorateType.DM: ("Direction de la mer", "Sea directorate"),
    DirectorateType.DIR: (
        "Direction interdépartementale des routes",
        "Interdepartmental road directorate",
    ),
    DirectorateType.CENTRAL: (
        "Secrétariat général – service de l'administration centrale",
        "General secretariat – central administration department",
    ),
    DirectorateType.TECHNICAL: (
        "Centre d'études et d'expertise sur les risques, l'environnement et la mobilité",
        "Centre for studies and expertise on risks, the environment and mobility",
    ),
}
FIRST_NAMES = (
    "Éloïse", "Jérôme", "Anaïs", "François", "Hélène", "Loïc", "Gaëlle", "Noël", "Céline",
    "Benoît", "Maëlle", "Raphaël", "Zoé", "Clément", "Inès", "Agnès", "Aurélien", "Chloé",
    "Jean-Sébastien", "Marie-Thérèse",
)  # fmt: skip
LAST_NAMES = (
    "Lefèvre", "Gérard", "D'Aubigné", "Le Bihan", "Ménard", "Bénard", "Chevalier-Môret",
    "de La Fontaine", "Février", "Thébault", "Brûlé", "Pérez", "N'Diaye", "Lemaître",
    "Ollivier", "Prévost", "Rousseau", "Dupré", "Garnier", "Héraud",
)  # fmt: skip
UNITS = (
    "Service de l'aménagement et du logement",
    "Pôle ressources humaines – formation",
    "Unité départementale de l'Hérault",
    "Mission d'appui à l'ingénierie territoriale",
    "Bureau des affaires générales",
    "Service « risques naturels et hydrauliques »",
    "=Secrétariat général",
    "",
)
FUNCTIONS = (
    "Responsable de formation",
    "Chargée de mission RH",
    "Adjoint au chef du pôle compétences",
    "Gestionnaire de proximité",
    "Conseillère en évolution professionnelle",
    "+ référent numérique",
)
COMMENTS = (
    "Déploiement prévu en deux vagues ; l'équipe d'encadrement sera formée en priorité.",
    "Nous souhaitons un accompagnement du CVRH pour la séance d'ouverture.",
    "Les agents d'exploitation n'ont pas tous un poste : prévoir des créneaux en salle.",
    "",
    "",
    "=SOMME(A1:A9)",
    "+ campagne complémentaire à l'automne",
    "@direction : effectifs à confirmer après la réorganisation",
)
LABELS = (
    "Campagne « Socle numérique » – agents de catégorie C",
    "Parcours d'auto-positionnement des encadrants",
    "Sensibilisation à la cybersécurité (services déconcentrés)",
    "Certification PIX – agents volontaires",
    "Campagne d'été : unités d'intervention et d'exploitation",
    '=HYPERLINK("http://example.org";"Campagne")',
)
PERIMETERS = (
    "Ensemble des services du siège, hors unités départementales",
    "Agents de catégorie B et C des unités d'exploitation de la route",
    "Sites de Saint-Étienne, Besançon et Clermont-Ferrand",
    "Encadrants de proximité, y compris les chefs d'équipe d'entretien",
    "",
)
POPULATIONS = (
    "Agents de catégorie C",
    "Encadrants",
    "Nouveaux arrivants (moins d'un an)",
    "Tous les agents",
    "Assistants et secrétaires",
)
PATHS = (
    "Parcours 1 – Rechercher et veiller ; Parcours 4 – Protéger ses données",
    "Parcours 2 – Communiquer et collaborer",
    "Parcours 3 – Créer des contenus ; Parcours 5 – Environnement numérique",
    "Tous les parcours de l'annexe 2",
    "",
)
PERIMETER_KINDS = tuple(PerimeterKind)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directorates", type=int, default=5000, help="default: 5000")
    parser.add_argument(
        "--people",
        type=int,
        default=25000,
        help="ambassadors and administrators in all (3 to 2), default: 25000",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, the best kept")
    parser.add_argument(
        "--database-url",
        help="database to fill (its name must contain 'bench' or 'test'; tables are dropped)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file and workbooks")
    arguments = parser.parse_args(argv)
    if arguments.directorates < 1 or arguments.people < 0 or arguments.repeat < 1:
        parser.error("--directorates and --repeat must be at least 1, --people at least 0")
    return arguments


def database_url(given: str | None, directory: Path) -> str:
    """Return the SQLAlchemy URL to fill, refusing a database not named for benchmarks."""
    if not given:
        return "sqlite:///" + str(directory / "bench.sqlite3")
    name = Path(make_url(given).database or "").name.lower()
    if "bench" not in name and "test" not in name:
        sys.exit(f"refusing to drop the tables of {given}: its name must contain bench or test")
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = given
    try:
        from app.config import from_environment

        return from_environment(str(directory))["SQLALCHEMY_DATABASE_URI"]
    finally:
        if previous is None:
            del os.environ["DATABASE_URL"]
        else:
            os.environ["DATABASE_URL"] = previous


def make_app(url: str):
    """Create the portal bound to the benchmark database."""
    return create_app(
        {
            "TESTING": False,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "x" * 40,
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": "",
            "RATELIMIT_ENABLED": False,
        }
    )


def spread(total: int, parts: int) -> list[int]:
    """Split a total into near-equal whole parts."""
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def per_declaration(ids: list[int], total: int) -> dict[int, int]:
    """Map each declaration to its near-equal share of a total."""
    return dict(zip(ids, spread(total, len(ids)), strict=True))


def ascii_slug(text: str) -> str:
    """Return a name as e-mail friendly ascii."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


def bulk_insert(model, rows: Iterator[dict]) -> int:
    """Insert rows in chunks with the ORM bulk insert; return how many were inserted."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(insert(model), chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        db.session.execute(insert(model), chunk)
        count += len(chunk)
    return count


def directorate_rows(count: int, cvrh_ids: list[int], rng: random.Random) -> Iterator[dict]:
    """Yield the synthetic directorates."""
    kinds = list(DirectorateType)
    for index in range(1, count + 1):
        kind = kinds[index % len(kinds)]
        region = rng.choice(REGIONS)
        name_fr, name_en = NAMES[kind]
        yield {
            "code": f"BX-{index:05d}",
            "name_fr": f"{name_fr} – {region} n°{index}",
            "name_en": f"{name_en} – {region} no. {index}",
            "type": kind,
            "region": region,
            "cvrh_id": cvrh_ids[index % len(cvrh_ids)],
        }


def declaration_rows(call_id: int, ids: list[int], rng: random.Random) -> Iterator[dict]:
    """Yield one declaration per directorate, in a mix of statuses."""
    start = datetime(2025, 3, 3, 8, 30, tzinfo=UTC)
    for directorate_id in ids:
        status = rng.choice(STATUSES)
        created = start + timedelta(minutes=rng.randrange(60 * 24 * 40))
        updated = created + timedelta(minutes=rng.randrange(60 * 24 * 10))
        yield {
            "call_id": call_id,
            "directorate_id": directorate_id,
            "status": status,
            "wants_codir": rng.random() < 0.3,
            "comments": rng.choice(COMMENTS),
            "review_comment": None,
            "extended_until": date(2025, 5, 15) if rng.random() < 0.05 else None,
            "version": 1,
            "created_at": created,
            "updated_at": updated,
            "submitted_at": None if status is DeclarationStatus.DRAFT else updated,
        }


def campaign_rows(declarations: dict[int, bool], rng: random.Random) -> Iterator[dict]:
    """Yield one to three campaigns per declaration (two on average)."""
    for declaration_id, draft in declarations.items():
        for position in range(1, rng.choice((1, 2, 2, 3)) + 1):
            missing = draft and rng.random() < 0.5
            headcount = rng.randrange(5, 900)
            starts = date(2025, 6, 2) + timedelta(days=rng.randrange(150))
            yield {
                "declaration_id": declaration_id,
                "position": position,
                "label": rng.choice(LABELS),
                "perimeter_kind": None if missing else rng.choice(PERIMETER_KINDS),
                "perimeter_description": rng.choice(PERIMETERS),
                "target_population": rng.choice(POPULATIONS),
                "headcount": None if missing else headcount,
                "licences": None if missing else rng.randrange(1, headcount + 1),
                "starts_on": None if missing else starts,
                "ends_on": None if missing else starts + timedelta(days=rng.randrange(14, 90)),
                "learning_paths_note": rng.choice(PATHS),
            }


def person(rng: random.Random, number: int) -> dict:
    """Return the name and e-mail of a person, now and then one named elsewhere too."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    shared = rng.random() < 0.01
    suffix = rng.randrange(50) if shared else number
    email = f"{ascii_slug(first)}.{ascii_slug(last)}.{suffix}@example.org"
    return {"first_name": first, "last_name": last, "email": email}


def phone(rng: random.Random) -> str:
    """Return a French phone number, international form included."""
    digits = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    choice = rng.random()
    if choice < 0.4:
        return f"+33 {rng.choice('1234567')} {digits}"
    if choice < 0.9:
        return f"0{rng.choice('1234567')} {digits}"
    return ""


def ambassador_rows(counts: dict[int, int], rng: random.Random) -> Iterator[dict]:
    """Yield the ambassadors of each declaration."""
    number = 0
    for declaration_id, count in counts.items():
        for position in range(1, count + 1):
            number += 1
            yield {
                "declaration_id": declaration_id,
                "position": position,
                **person(rng, number),
                "phone": phone(rng),
                "unit": rng.choice(UNITS),
            }


def administrator_rows(counts: dict[int, int], rng: random.Random) -> Iterator[dict]:
    """Yield the PIX Orga administrators of each declaration."""
    number = 10_000_000
    for declaration_id, count in counts.items():
        for position in range(1, count + 1):
            number += 1
            yield {
                "declaration_id": declaration_id,
                "position": position,
                **person(rng, number),
                "function": rng.choice(FUNCTIONS),
                "hr_confirmed": rng.random() < 0.7,
            }


def build(directorates: int, people: int) -> tuple[int, dict[str, int]]:
    """Create the schema and the synthetic call; return the call's id and what was inserted."""
    rng = random.Random(SEED)
    db.drop_all()
    db.create_all()
    load_reference_data()
    cvrh_ids = list(db.session.scalars(select(Cvrh.id).order_by(Cvrh.code)))
    bulk_insert(Directorate, directorate_rows(directorates, cvrh_ids, rng))
    call_row = {
        "code": CALL_CODE,
        "title_fr": "Déploiement PIX – campagne d'essai « grande échelle »",
        "title_en": "PIX deployment – large-scale trial call",
        "opens_on": date(2025, 3, 1),
        "deadline": date(2025, 4, 30),
        "is_open": True,
    }
    db.session.execute(insert(Call), [call_row])
    call_id = db.session.scalar(select(Call.id).where(Call.code == CALL_CODE))
    synthetic = select(Directorate.id).where(Directorate.code.like("BX-%"))
    directorate_ids = list(db.session.scalars(synthetic.order_by(Directorate.id)))
    bulk_insert(Declaration, declaration_rows(call_id, directorate_ids, rng))
    query = select(Declaration.id, Declaration.status).where(Declaration.call_id == call_id)
    drafts = {
        declaration_id: status is DeclarationStatus.DRAFT
        for declaration_id, status in db.session.execute(query.order_by(Declaration.id))
    }
    ids = list(drafts)
    ambassadors = round(people * AMBASSADOR_SHARE)
    sizes = {
        "campaigns": bulk_insert(Campaign, campaign_rows(drafts, rng)),
        "ambassadors": bulk_insert(
            Ambassador, ambassador_rows(per_declaration(ids, ambassadors), rng)
        ),
        "administrators": bulk_insert(
            Administrator, administrator_rows(per_declaration(ids, people - ambassadors), rng)
        ),
    }
    db.session.commit()
    statuses = select(Declaration.status, func.count()).where(Declaration.call_id == call_id)
    statuses = statuses.group_by(Declaration.status)
    sizes["statuses"] = Counter(dict(db.session.execute(statuses).all()))
    sizes["declarations"] = len(ids)
    sizes["synthetic"] = len(directorate_ids)
    sizes["directorates"] = db.session.scalar(select(func.count(Directorate.id)))
    return call_id, sizes


def export_dataset(call_id: int) -> services.Dataset:
    """Return the dataset of the call's export as the web console builds it, in a new session."""
    db.session.remove()
    call = db.session.get(Call, call_id)
    return services.dataset(call, all_directorates(), {}, "fr")


def run_export(call_id: int, path: Path) -> None:
    """Write the consolidated workbook of the call as the web console does."""
    files.write_workbook(export_dataset(call_id), path)


def run_dataset_only(call_id: int) -> None:
    """Read every row of the export without writing any file."""
    for table in export_dataset(call_id).tables:
        for _row in table.rows:
            pass


def collect_cells(call_id: int) -> list[tuple[str, list, list[list]]]:
    """Return the title, headers and rows of every sheet of the export, as plain lists."""
    return [
        (table.title[:31], list(table.headers), [list(row) for row in table.rows])
        for table in export_dataset(call_id).tables
    ]


def run_bare(sheets: list[tuple[str, list, list[list]]], path: Path) -> None:
    """Write the same cells with bare openpyxl write-only: no styles, no neutralisation."""
    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(path)


def best_time(action: Callable[[], None], repeat: int) -> float:
    """Return the best wall time of several runs of an action, untraced."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def traced_peak(action: Callable[[], None]) -> float:
    """Return the peak memory traced during one run of an action, in MB."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def max_rss_mb() -> float:
    """Return the process's maximum resident size so far, in MB (ru_maxrss is in KB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(sizes: dict, sheets: list, results: dict, build_seconds: float, url: str) -> None:
    """Print the sizes, the timings and memory, and whether the targets hold."""
    people = sizes["ambassadors"] + sizes["administrators"]
    statuses = ", ".join(f"{s.value} {n:,}" for s, n in sorted(sizes["statuses"].items()))
    reference = sizes["directorates"] - sizes["synthetic"]
    cells = sum(len(headers) + sum(len(row) for row in rows) for _, headers, rows in sheets)
    print(f"Export benchmark on {make_url(url).get_backend_name()}")
    print("Sizes")
    print(
        f"  directorates    {sizes['directorates']:>9,}"
        f"  ({sizes['synthetic']:,} synthetic + {reference:,} reference)"
    )
    print(f"  declarations    {sizes['declarations']:>9,}  ({statuses})")
    print(f"  campaigns       {sizes['campaigns']:>9,}")
    print(
        f"  people          {people:>9,}"
        f"  ({sizes['ambassadors']:,} ambassadors + {sizes['administrators']:,} administrators)"
    )
    for title, _headers, rows in sheets:
        print(f"  rows of {title!r:<28}{len(rows):>9,}")
    print(f"  cells           {cells:>9,}  (headers included)")
    print(f"  database built in {build_seconds:.2f} s")
    print()
    print(f"{'':<36}{'seconds':>9}{'traced peak':>14}{'max RSS so far':>17}")
    for label, (seconds, peak, rss) in results.items():
        peak_text = f"{peak:.1f} MB" if peak is not None else "-"
        print(f"  {label:<34}{seconds:>9.3f}{peak_text:>14}{rss:>14.1f} MB")
    export_seconds, export_peak, _ = results["export"]
    bare_seconds = results["bare openpyxl write-only"][0]
    ratio = export_seconds / bare_seconds
    print()
    ratio_ok, peak_ok = ratio <= MAX_RATIO, export_peak < MAX_PEAK_MB
    print(
        f"Ratio export / bare: {ratio:.2f} (target <= {MAX_RATIO}): "
        f"{'OK' if ratio_ok else 'TARGET MISSED'}"
    )
    print(
        f"Peak memory of the export: {export_peak:.1f} MB traced (target < {MAX_PEAK_MB} MB): "
        f"{'OK' if peak_ok else 'TARGET MISSED'}"
    )
    if not (ratio_ok and peak_ok):
        print("TARGET MISSED")


def main(argv: list[str] | None = None) -> int:
    """Build the database, measure both writers and print the report."""
    arguments = parse_arguments(argv)
    directory = Path(tempfile.mkdtemp(prefix="export-bench-"))
    try:
        url = database_url(arguments.database_url, directory)
        app = make_app(url)
        with app.test_request_context("/fr/"):
            start = time.perf_counter()
            call_id, sizes = build(arguments.directorates, arguments.people)
            build_seconds = time.perf_counter() - start
            rss_built = max_rss_mb()
            export_path, bare_path = directory / "export.xlsx", directory / "bare.xlsx"
            results: dict[str, tuple[float, float | None, float]] = {}
            seconds = best_time(lambda: run_export(call_id, export_path), arguments.repeat)
            peak = traced_peak(lambda: run_export(call_id, export_path))
            results["export"] = (seconds, peak, max_rss_mb())
            seconds = best_time(lambda: run_dataset_only(call_id), arguments.repeat)
            results["  of which reading rows (no file)"] = (seconds, None, max_rss_mb())
            sheets = collect_cells(call_id)
            db.session.remove()
            seconds = best_time(lambda: run_bare(sheets, bare_path), arguments.repeat)
            peak = traced_peak(lambda: run_bare(sheets, bare_path))
            results["bare openpyxl write-only"] = (seconds, peak, max_rss_mb())
            report(sizes, sheets, results, build_seconds, url)
            print(f"  max RSS after building the database: {rss_built:.1f} MB")
            print(
                f"  workbooks: export {export_path.stat().st_size / MB:.1f} MB,"
                f" bare {bare_path.stat().st_size / MB:.1f} MB"
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        if arguments.keep:
            print(f"Kept {directory} (database and workbooks)")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
