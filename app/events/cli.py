"""`flask events`: the reminder of the day before a session."""

from datetime import date

import click

from app.directorates.models import portal_today
from app.events import reminders

events_cli = click.Group("events", help="Webinars: sessions and registrations.")


@events_cli.command("remind")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Act as if today were this day (YYYY-MM-DD); default: today, Paris time.",
)
def remind_command(today):
    """E-mail the people registered at tomorrow's sessions (each registration once)."""
    day: date = today.date() if today else portal_today()
    report = reminders.remind(day)
    click.echo(
        f"Reminders sent: {report['sent']} (already sent: {report['already']}, "
        f"no longer named: {report['not_named']}, seat given up meanwhile: {report['cancelled']})."
    )
