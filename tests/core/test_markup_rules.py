"""Rules every template keeps, checked on the sources (the browser audit checks the pages)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES = sorted(ROOT.rglob("*.html"))


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("template", TEMPLATES, ids=_name)
def test_table_scroll_areas_are_reachable_by_keyboard(template):
    source = template.read_text(encoding="utf-8")
    for container in re.findall(r'<div class="fr-table__container"[^>]*>', source):
        assert 'tabindex="0"' in container, container


@pytest.mark.parametrize("template", TEMPLATES, ids=_name)
def test_buttons_with_an_icon_say_where_it_goes(template):
    # A DSFR button with an icon and no side shows the icon alone, its text hidden.
    if template.name == "_header.html":  # the header's tool links have their own layout
        return
    source = template.read_text(encoding="utf-8")
    for classes in re.findall(r'class="(fr-btn(?:\s[^"]*)?)"', source):
        if "fr-icon-" in classes:
            assert re.search(r"fr-btn--icon-(left|right)", classes), classes
    # Inside a group, the group decides: without its own side, its buttons lose their text.
    for classes in re.findall(r'class="(fr-btns-group(?:\s[^"]*)?)"', source):
        assert re.search(r"fr-btns-group--icon-(left|right)", classes), classes
