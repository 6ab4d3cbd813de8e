"""`flask followup`: import PIX Orga results, remind before checkpoints, purge old rows."""

from pathlib import Path

import click
from sqlalchemy import select

from app.directorates.models import Directorate
from app.extensions import db
from app.followup import imports, reminders, services
from app.followup.pixorga import ResultFileError

followup = click.Group("followup", help="Campaign follow-up from PIX Orga results.")


@followup.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--call", "call_code", required=True, help="Code of the call, such as PIX-2023.")
@click.option("--directorate", "directorate_code", required=True, help="Code of the directorate.")
@click.option(
    "--campaign", type=click.IntRange(min=1), required=True, help="Number of the campaign (1, 2…)."
)
@click.option(
    "--checkpoint",
    type=click.IntRange(min=1),
    required=True,
    help="Number of the checkpoint in the plan (1 for the first).",
)
def import_command(
    path: Path, call_code: str, directorate_code: str, campaign: int, checkpoint: int
):
    """Import a PIX Orga result export at a checkpoint: all of it, or nothing."""
    directorate = db.session.scalar(select(Directorate).where(Directorate.code == directorate_code))
    if directorate is None:
        raise click.BadParameter(
            f"unknown directorate {directorate_code}", param_hint="--directorate"
        )
    context = services.find_context(call_code, directorate, campaign)
    if context is None or context.plan is None:
        raise click.ClickException(
            f"no follow-up plan for campaign {campaign} of {directorate_code} in {call_code}: "
            "a correspondent sets the plan in the portal first"
        )
    checkpoints = context.plan.checkpoints
    if checkpoint > len(checkpoints):
        raise click.BadParameter(
            f"the plan has {len(checkpoints)} checkpoints", param_hint="--checkpoint"
        )
    target = checkpoints[checkpoint - 1]
    try:
        with path.open("rb") as stream:
            result = imports.import_results(None, context, target, stream, path.name)
    except (ResultFileError, imports.Refused) as error:
        for problem in error.problems:
            where = ", ".join(
                part
                for part in (
                    f"line {problem.line}" if problem.line else "",
                    f"column {problem.column}" if problem.column else "",
                )
                if part
            )
            click.echo(f"{where}: {problem.message}" if where else problem.message, err=True)
        raise click.ClickException(f"nothing imported: {len(error.problems)} problems") from None
    except services.FollowupError as error:
        raise click.ClickException(f"nothing imported: {error}") from None
    click.echo(
        f"{result.participant_count} participations imported at checkpoint "
        f"{checkpoint} ({target.name})."
    )


@followup.command("purge")
@click.option(
    "--older-than",
    "days",
    required=True,
    type=click.IntRange(min=0),
    help="Purge campaigns that ended more than this many days ago.",
)
@click.option("--dry-run", is_flag=True, help="Say what would be purged, change nothing.")
def purge_command(days: int, dry_run: bool):
    """Delete the individual results of finished campaigns, keeping their figures."""
    done = imports.purge(days, dry_run=dry_run)
    verb = "would purge" if dry_run else "purged"
    click.echo(
        f"{verb} {done.participants} participations of {done.imports} imports "
        f"in {done.plans} campaigns."
    )


@followup.command("remind")
@click.option(
    "--days-before",
    "days",
    required=True,
    type=click.IntRange(min=0),
    help="Remind the checkpoints due within this many days (0: today) that have no results.",
)
@click.option("--dry-run", is_flag=True, help="List what would be sent, send and record nothing.")
def remind_command(days: int, dry_run: bool):
    """E-mail the directorates N days before a checkpoint without results (run daily)."""
    report = reminders.remind_before_checkpoints(days, dry_run=dry_run)
    for notice in report.notices:
        click.echo(
            f"{notice.call} {notice.directorate} campaign {notice.position}, "
            f'checkpoint "{notice.checkpoint}" due on {notice.due_on.isoformat()}: '
            f"{', '.join(notice.recipients)}"
        )
    verb = "would remind" if dry_run else "reminded"
    click.echo(
        f"{verb} {report.sent} checkpoints ({report.emails} e-mails), "
        f"{report.already_reminded} already reminded, "
        f"{len(report.without_account)} directorates without an account"
        + (f" ({', '.join(sorted(report.without_account))})." if report.without_account else ".")
    )
