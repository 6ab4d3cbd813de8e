"""`flask calls`: opening a call for declarations from the command line."""

import click
from sqlalchemy import select

from app.directorates.models import Call
from app.extensions import db
from app.reach import opening

calls = click.Group("calls", help="Calls for declarations.")


@calls.command("open")
@click.argument("code")
def open_command(code: str):
    """Open a call and e-mail every active contact its link to claim an account (safe to rerun)."""
    call = db.session.scalar(select(Call).where(Call.code == code))
    if call is None:
        raise click.BadParameter(f"unknown call {code}", param_hint="CODE")
    try:
        report = opening.open_call(call)
    except opening.OpeningConflict:
        raise click.ClickException(
            f"{code} was being opened by someone else at the same time: run the command again"
        ) from None
    state = "opened" if report.opened else "already open"
    click.echo(
        f"{call.code} {state}: {report.sent} claim links e-mailed to the contacts of "
        f"{len(report.directorates)} directorates, {report.already_sent} contacts had theirs "
        "already."
    )
    if report.without_contact:
        click.echo(
            f"{len(report.without_contact)} directorates have no active contact mailbox: "
            + ", ".join(report.without_contact)
        )
