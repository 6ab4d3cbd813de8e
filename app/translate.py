"""`flask translate`: keep the Babel catalogues in step with the code."""

import subprocess
import sys
import tempfile
from pathlib import Path

import click
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "translations"
EXTRACT = [
    sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
    "-k", "_l", "-k", "lazy_gettext", "--no-location", "--sort-output",
    # Babel skips folders starting with "_" by default; templates/_macros holds strings too.
    "--ignore-dirs", ".* __pycache__ node_modules instance",
    "--project", "PIX deployment portal",
]  # fmt: skip

translate = click.Group("translate", help="Extract, update, compile and check translations.")


def _run(command: list[str]) -> None:
    """Run a Babel command quietly; show its output only if it fails."""
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        click.echo(result.stdout + result.stderr, err=True)
        raise SystemExit(result.returncode)


def _extract(target: Path) -> None:
    _run([*EXTRACT, "-o", str(target), "."])


@translate.command("update")
def update_command():
    """Extract the strings of the code and templates and merge them into each catalogue."""
    pot = CATALOGUES / "messages.pot"
    _extract(pot)
    _run([sys.executable, "-m", "babel.messages.frontend", "update", "-N", "--ignore-obsolete",
          "--no-wrap", "-i", str(pot), "-d", str(CATALOGUES)])  # fmt: skip
    click.echo("Catalogues updated: translate the new strings in translations/fr/.")


@translate.command("compile")
def compile_command():
    """Compile the catalogues (.po into .mo)."""
    _run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(CATALOGUES)])


@translate.command("check")
def check_command():
    """Fail unless the French catalogue has every string of the code, all translated, none fuzzy."""
    with tempfile.TemporaryDirectory() as tmp:
        pot_path = Path(tmp) / "messages.pot"
        _extract(pot_path)
        with pot_path.open("rb") as handle:
            wanted = {m.id for m in read_po(handle) if m.id}
    with (CATALOGUES / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    problems = []
    have = {m.id for m in catalogue if m.id}
    problems += [f"missing from the catalogue: {_show(i)}" for i in sorted(wanted - have, key=str)]
    problems += [f"no longer in the code: {_show(i)}" for i in sorted(have - wanted, key=str)]
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {_show(message.id)}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {_show(message.id)}")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo("Run `make translations-update`, then translate in translations/fr/.", err=True)
        raise SystemExit(1)
    click.echo(f"French catalogue complete: {len(wanted)} strings.")


def _show(message_id) -> str:
    return repr(message_id[0] if isinstance(message_id, tuple) else message_id)
