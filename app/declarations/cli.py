"""`flask declarations`: reminders before the deadline and import of workbooks."""

import click
from sqlalchemy import select

from app.declarations import importer, reminders
from app.directorates.models import Call
from app.extensions import db

declarations = click.Group("declarations", help="Annex 1 declarations.")


def _calls(code: str | None) -> list[Call]:
    query = select(Call).where(Call.is_open.is_(True))
    if code:
        query = select(Call).where(Call.code == code)
    calls = list(db.session.scalars(query.order_by(Call.code)))
    if code and not calls:
        raise click.BadParameter(f"unknown call {code}", param_hint="--call")
    return calls


@declarations.command("remind")
@click.option(
    "--days-before",
    "days",
    required=True,
    type=click.IntRange(min=0),
    help="Remind the directorates whose deadline is in exactly this many days.",
)
@click.option("--call", "call_code", help="Only this call (default: every open call).")
def remind_command(days: int, call_code: str | None):
    """E-mail the directorates in draft or not started N days before their deadline (run daily)."""
    for call in _calls(call_code):
        report = reminders.remind_before_deadline(call, days)
        click.echo(
            f"{call.code}: {report.sent} reminded, {report.already_reminded} already reminded, "
            f"{report.without_account} with neither an account nor an active contact mailbox; "
            f"{report.through_contacts} of those reminded had no account yet and were reminded "
            "through their contact mailboxes."
        )


@declarations.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--call", "call_code", required=True, help="Code of the call, such as PIX-2023.")
def import_command(path: str, call_code: str):
    """Import the declarations of a workbook as submitted: all, or none if a row is wrong."""
    [call] = _calls(call_code)
    try:
        with open(path, "rb") as stream:
            imported = importer.import_workbook(stream, call, None)
    except importer.ImportFailed as error:
        for problem in error.problems:
            where = f"{problem.sheet}, row {problem.row}" if problem.row else problem.sheet
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException(f"nothing imported: {len(error.problems)} problems") from None
    codes = ", ".join(d.directorate.code for d in imported)
    click.echo(f"{len(imported)} declarations imported: {codes}")
