"""`flask codir`: reminders to the CVRHs about requests waiting for an answer."""

import click

from app.codir import services
from app.directorates.models import portal_today

codir = click.Group("codir", help="CODIR presentation requests.")


@codir.command("remind")
@click.option(
    "--days",
    required=True,
    type=click.IntRange(min=0),
    help="Remind about requests waiting for an answer for more than this many days.",
)
def remind_command(days: int):
    """E-mail each CVRH its requests waiting for more than N days (never twice a day)."""
    report = services.remind_waiting(days, portal_today())
    if not report:
        click.echo("No request to remind about.")
    for code, count in sorted(report.items()):
        click.echo(f"{code}: {count} requests")
