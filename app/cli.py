"""Command-line commands: seed, demo, users, directorates."""

import click
from flask import Flask, current_app
from sqlalchemy import select

from app.auth import services as accounts
from app.auth.models import Role
from app.directorates.models import Cvrh, Directorate
from app.directorates.seed import load_reference_data
from app.extensions import db


@click.command("seed")
def seed_command():
    """Load the reference data (directorates, CVRHs, calls, learning paths); safe to run again."""
    created = load_reference_data()
    click.echo(
        "Reference data loaded: {cvrh} CVRH, {directorate} directorates, {call} calls, "
        "{learning_path} learning paths created.".format(**created)
    )


@click.command("demo")
@click.option("--force", is_flag=True, help="Allow demo accounts in production mode.")
def demo_command(force: bool):
    """Load the reference data and the demo accounts (fictitious people); safe to run again."""
    from app.demo import DEMO_PASSWORD, load_demo

    if current_app.config["PORTAL_ENV"] == "production" and not force:
        raise click.ClickException("refusing to create demo accounts in production (use --force)")
    from app.codir.demo import load_demo_requests
    from app.content.demo import load_demo_content
    from app.declarations.demo import load_demo_declarations
    from app.events.demo import load_demo_events
    from app.followup.demo import load_demo_followup
    from app.licences.demo import load_demo_licences
    from app.reach.demo import load_demo_reach

    load_reference_data()
    accounts_created = load_demo()
    declarations_created = load_demo_declarations()
    requests_created = load_demo_requests()
    content_created, content_refreshed = load_demo_content()
    followups_created = load_demo_followup()
    grants_created = load_demo_licences()
    contacts_created, links_sent = load_demo_reach()
    sessions_created = load_demo_events()
    click.echo(
        f"Demo data loaded ({accounts_created} accounts, {declarations_created} declarations, "
        f"{requests_created} CODIR requests, {content_created} content items, "
        f"{followups_created} campaign follow-ups created, {grants_created} licence grants "
        f"made, {contacts_created} directorate contacts created, {links_sent} claim links "
        f"e-mailed, {sessions_created} webinar sessions added; "
        f"{content_refreshed} unedited content items brought up to date)."
    )
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    from app.demo import DEMO_USERS

    for person in DEMO_USERS:
        invited = " (invited: no password yet)" if person.get("invited") else ""
        click.echo(f"  {person['role'].value:<13} {person['email']}{invited}")


users = click.Group("users", help="Manage user accounts.")


@users.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option(
    "--directorate",
    "directorate_code",
    help="Directorate code (roles directorate and pixorga_admin).",
)
@click.option("--cvrh", "cvrh_code", help="CVRH code (role cvrh).")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--language", default="fr", type=click.Choice(["fr", "en"]))
@click.option("--password", help="Set this password instead of e-mailing an invitation.")
def create_user_command(email, role, directorate_code, cvrh_code, full_name, language, password):
    """Create an account; without --password an invitation is e-mailed."""
    directorate = cvrh = None
    if directorate_code:
        directorate = db.session.scalar(
            select(Directorate).where(Directorate.code == directorate_code)
        )
        if directorate is None:
            raise click.BadParameter(
                f"unknown directorate {directorate_code}", param_hint="--directorate"
            )
    if cvrh_code:
        cvrh = db.session.scalar(select(Cvrh).where(Cvrh.code == cvrh_code))
        if cvrh is None:
            raise click.BadParameter(f"unknown CVRH {cvrh_code}", param_hint="--cvrh")
    try:
        user = accounts.create_user(
            email,
            Role(role),
            full_name=full_name,
            language=language,
            directorate=directorate,
            cvrh=cvrh,
            password=password,
        )
    except accounts.AccountError as error:
        db.session.rollback()
        messages = {
            "email_taken": "an account already uses this e-mail address",
            "directorate_required": (
                "--directorate is required for the roles directorate and pixorga_admin"
            ),
            "cvrh_required": "--cvrh is required for the role cvrh",
        }
        raise click.ClickException(messages[str(error)]) from None
    how = "with the given password" if password else "invitation e-mailed"
    click.echo(f"Created {user.email} ({user.role.value}), {how}.")


directorates = click.Group("directorates", help="Reference directorates.")


@directorates.command("list")
def list_directorates_command():
    """Print each directorate's code and French name, one per line."""
    for directorate in db.session.scalars(select(Directorate).order_by(Directorate.code)):
        click.echo(f"{directorate.code}\t{directorate.name_fr}")


def init_app(app: Flask) -> None:
    """Register the commands on the app."""
    from app.backup.cli import backup
    from app.codir.cli import codir
    from app.declarations.cli import declarations
    from app.events.cli import events_cli
    from app.exports.cli import export_command
    from app.followup.cli import followup
    from app.mail.cli import mail_cli
    from app.notifications.cli import notifications
    from app.reach.cli import calls
    from app.translate import translate

    for command in (
        seed_command,
        demo_command,
        users,
        directorates,
        calls,
        declarations,
        codir,
        events_cli,
        export_command,
        followup,
        mail_cli,
        notifications,
        translate,
        backup,
    ):
        app.cli.add_command(command)
