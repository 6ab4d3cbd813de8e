"""`flask export`: the consolidated files of a call, the same as the web console's."""

from pathlib import Path

import click
from sqlalchemy import select

from app.declarations import overview
from app.directorates.models import Call, DirectorateType
from app.directorates.services import all_directorates
from app.exports import files, services
from app.extensions import db


@click.command("export")
@click.option("--call", "call_code", required=True, help="Code of the call, such as PIX-2023.")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="xlsx: one workbook; csv: one file per sheet (a directory, or a .zip archive).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (xlsx, zip) or directory for the CSV files.",
)
@click.option("--language", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--status", default="", help="Only this declaration status (or not_started).")
@click.option("--type", "type_", type=click.Choice([t.value for t in DirectorateType]))
@click.option("--region", default="", help="Only the directorates of this region.")
@click.option("--cvrh", default="", help="Only the directorates attached to this CVRH code.")
@click.option("--late", is_flag=True, help="Only the late directorates.")
def export_command(call_code, kind, out, language, status, type_, region, cvrh, late):
    """Write the consolidated export of a call, as the project team downloads it."""
    call = db.session.scalar(select(Call).where(Call.code == call_code))
    if call is None:
        raise click.BadParameter(f"unknown call {call_code}", param_hint="--call")
    filters = overview.read_filters(
        {"status": status, "type": type_ or "", "region": region, "cvrh": cvrh,
         "late": "1" if late else ""}
    )  # fmt: skip
    dataset = services.dataset(call, all_directorates(), filters, language)
    if kind == "xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        files.write_workbook(dataset, out)
        click.echo(f"Workbook written: {out}")
    elif out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        files.write_csv_archive(dataset, out)
        click.echo(f"CSV archive written: {out}")
    else:
        for path in files.write_csv_directory(dataset, out):
            click.echo(f"CSV written: {path}")
