"""Markdown rendering: whatever an editor types, no script, handler or dangerous link survives."""

from html.parser import HTMLParser

import pytest

from app.content.markup import TAGS, excerpt, render

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://example.org></iframe>",
    "<object data=x></object><embed src=x>",
    "<style>body{display:none}</style>",
    '<p style="color:red">x</p>',
    "<form action=https://example.org><input></form>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<!-- <script>alert(1)</script> -->",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    '[x](https://example.org" onclick="alert(1))',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "<scr<script>ipt>alert(1)</script>",
]


class Elements(HTMLParser):
    """Collect every element and attribute of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def elements(html: str):
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_dangerous_survives(payload):
    html = str(render(payload))
    for tag, attributes in elements(html):
        assert tag in TAGS | {"div"}, tag
        for name, value in attributes:
            assert not name.startswith("on"), name
            assert name != "style"
            if name in ("href", "src"):
                assert value.split(":")[0].lower().strip() in ("http", "https", "mailto") or (
                    ":" not in value
                ), value


def test_tables_get_the_dsfr_wrapper_without_style():
    html = str(render("| Situation | Parcours |\n|:--|--:|\n| Arrivée | Découverte |"))
    assert html.startswith('<div class="fr-table"><div class="fr-table__wrapper">')
    assert "<th>Situation</th>" in html and "<td>Découverte</td>" in html
    assert "style" not in html
    divs = [dict(attrs)["class"] for tag, attrs in elements(html) if tag == "div"]
    assert divs == ["fr-table", "fr-table__wrapper", "fr-table__container", "fr-table__content"]


def test_headings_move_down_one_level_and_links_get_rel():
    html = str(render("# Titre\n\n## Sous-titre\n\n[PIX](https://pix.fr) [écrire](mailto:a@b.org)"))
    assert "<h2>Titre</h2>" in html and "<h3>Sous-titre</h3>" in html
    assert '<a href="https://pix.fr" rel="noopener noreferrer">PIX</a>' in html
    assert 'href="mailto:a@b.org"' in html


def test_raw_html_is_shown_as_text_and_accents_survive():
    html = str(render("L’agent <b>évalue</b> « ses » compétences"))
    assert "&lt;b&gt;évalue&lt;/b&gt;" in html
    assert "L’agent" in html and "« ses »" in html


def test_excerpt_is_plain_text_cut_at_a_word():
    text = "## Titre\n\nDu **texte** avec un [lien](https://pix.fr) et encore du texte."
    assert excerpt(text) == "Titre Du texte avec un lien et encore du texte."
    short = excerpt(text, 20)
    assert short.endswith("…") and len(short) <= 21 and "<" not in short
