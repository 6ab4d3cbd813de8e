"""`flask declarations`: reminders before the deadline and import of workbooks."""

import click
from sqlalchemy import select

from app.declarations import reminders
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
            f"{report.without_account} without an account."
        )
