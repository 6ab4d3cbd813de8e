"""Markdown rendering: whatever an editor types, no script, handler or dangerous URL survives."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from app.content.markup import SCROLLER, TABLE_CLASSES, TAGS, excerpt, render

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java\tscript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="javascript&#58;alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://example.org></iframe>",
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<object data=x></object><embed src=x>",
    "<style>body{display:none}</style>",
    '<p style="color:red">x</p>',
    "<form action=https://example.org><input name=x><button>ok</button></form>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><img src=x onerror=alert(1)>-->",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    '[x](https://example.org" onclick="alert(1))',
    '![x" onerror="alert(1)](https://example.org/a.png)',
    "![x](https://example.org/a.png \"t' onerror='alert(1)\")",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "`<script>` and ```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "| a |\n|:-:|\n| [x](javascript:alert(1)) |",
    "> <script>alert(1)</script>\n> [x](javascript:alert(1))",
    "# <img src=x onerror=alert(1)>",
    "~~<script>alert(1)</script>~~",
    "*[x](javascript:alert(1))*",
]

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "object", "embed", "form", "input", "button", "svg", "math",
    "style", "link", "meta", "base", "body", "details",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}


class Elements(HTMLParser):
    """Collect the elements (with their attributes and ancestors) and comments of a fragment."""

    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.comments: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, dict(attrs), tuple(self.stack)))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_comment(self, data):
        self.comments.append(data)


def parse(html: str) -> Elements:
    """Return the parser after it has read `html`."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def scheme(url: str) -> str | None:
    """Return the lowercased scheme of a URL as a browser would read it, None if relative."""
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match[1].lower() if match else None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_dangerous_survives(payload):
    html = render(payload)
    assert isinstance(html, Markup)
    assert "<script" not in html.lower()
    parsed = parse(str(html))
    assert parsed.comments == []
    for tag, attributes, _ in parsed.found:
        assert tag in TAGS, tag
        assert tag not in DANGEROUS_TAGS, tag
        for name, value in attributes.items():
            assert not re.fullmatch(r"on\w+", name), name
            assert name != "style"
            if name in ("href", "src"):
                assert scheme(value) in SAFE_SCHEMES | {None}, value
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.IGNORECASE)
            if tag == "div":
                assert (name, value) == ("tabindex", "0") or value in TABLE_CLASSES


def test_raw_html_is_shown_as_text():
    html = str(render("L’agent <b>évalue</b> <script>alert(1)</script>")).strip()
    assert html == "<p>L’agent &lt;b&gt;évalue&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_tables_get_the_dsfr_wrapper_without_style():
    html = str(render("| Situation | Parcours |\n|:--|--:|\n| Arrivée | Découverte |"))
    wrapper = "".join(
        f'<div class="{name}" tabindex="0">' if name == SCROLLER else f'<div class="{name}">'
        for name in TABLE_CLASSES
    )
    assert html.startswith(wrapper + "<table>")
    assert html.rstrip().endswith("</table>" + "</div>" * 4)
    assert "<th>Situation</th>" in html and "<td>Découverte</td>" in html
    assert "style" not in html and "text-align" not in html
    parsed = parse(html)
    divs = [attributes for tag, attributes, _ in parsed.found if tag == "div"]
    assert divs == [
        {"class": name, "tabindex": "0"} if name == SCROLLER else {"class": name}
        for name in TABLE_CLASSES
    ]
    tables = [ancestors for tag, _, ancestors in parsed.found if tag == "table"]
    assert tables == [("div",) * 4]
    cells = [tag for tag, attributes, _ in parsed.found if tag in ("th", "td") and not attributes]
    assert cells == ["th", "th", "td", "td"]


def test_each_table_gets_its_own_wrapper():
    table = "| a |\n|---|\n| 1 |"
    html = str(render(f"{table}\n\nTexte\n\n{table}"))
    assert html.count('<div class="fr-table fr-table--multiline">') == 2
    assert html.count("<table>") == 2 and html.count("</div>") == 8


def test_text_cannot_fake_the_table_wrapper():
    html = str(render('[x](https://pix.fr "<table>") `</table>` <div class="fr-table">'))
    parsed = parse(html)
    assert [tag for tag, _, _ in parsed.found] == ["p", "a", "code"]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("# Titre", "<h2>Titre</h2>"),
        ("## Sous-titre", "<h2>Sous-titre</h2>"),
        ("### Trois", "<h2>Trois</h2>"),
        ("# Un\n## Deux\n### Trois", "<h2>Un</h2>\n<h3>Deux</h3>\n<h4>Trois</h4>"),
        ("## Deux\n### Trois", "<h2>Deux</h2>\n<h3>Trois</h3>"),
        ("# Un\n###### Six", "<h2>Un</h2>\n<h6>Six</h6>"),
        ("Titre\n=====", "<h2>Titre</h2>"),
        ("Titre\n=====\n\nSous\n----", "<h2>Titre</h2>\n<h3>Sous</h3>"),
    ],
)
def test_the_highest_heading_of_a_text_is_an_h2_under_the_page_title(markdown, expected):
    assert str(render(markdown)).strip() == expected


def test_links_get_rel_and_web_mail_and_relative_urls_survive():
    html = str(
        render(
            "[PIX](https://pix.fr) [écrire](mailto:pix@education.gouv.fr) "
            '[page](/contenus/pix "La page") [ancre](#haut) <https://pix.fr/aide>'
        )
    )
    links = [attributes for tag, attributes, _ in parse(html).found if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://pix.fr",
        "mailto:pix@education.gouv.fr",
        "/contenus/pix",
        "#haut",
        "https://pix.fr/aide",
    ]
    assert all(link["rel"] == "noopener noreferrer" for link in links)
    assert links[2]["title"] == "La page"
    assert '<a href="https://pix.fr" rel="noopener noreferrer">PIX</a>' in html


def test_images_keep_web_and_relative_sources_only():
    html = str(
        render(
            '![Logo](/static/logo.png "Le logo") ![Carte](https://pix.fr/carte.png) '
            "![Courriel](mailto:pix@education.gouv.fr)"
        )
    )
    images = [attributes for tag, attributes, _ in parse(html).found if tag == "img"]
    assert images == [
        {"src": "/static/logo.png", "alt": "Logo", "title": "Le logo"},
        {"src": "https://pix.fr/carte.png", "alt": "Carte"},
        {"alt": "Courriel"},
    ]


def test_inline_and_block_formatting_survives():
    markdown = (
        "**gras** *italique* ~~barré~~ `code`  \nsuite\n\n> citation\n\n- un\n- deux\n\n"
        "3. trois\n4. quatre\n\n---\n\n```\nbloc <b>\n```"
    )
    html = str(render(markdown))
    for fragment in (
        "<strong>gras</strong>",
        "<em>italique</em>",
        "<del>barré</del>",
        "<code>code</code>",
        "<br>",
        "<blockquote>",
        "<ul>",
        '<ol start="3">',
        "<li>quatre</li>",
        "<hr>",
        "<pre><code>bloc &lt;b&gt;\n</code></pre>",
    ):
        assert fragment in html, fragment


def test_accents_and_apostrophes_survive():
    html = str(render("L’agent n'a « rien » à déclarer : œuvre, Ça, naïf & co — fin.")).strip()
    assert html == "<p>L’agent n'a « rien » à déclarer : œuvre, Ça, naïf &amp; co — fin.</p>"


def test_empty_text_renders_nothing():
    assert render("") == Markup("")
    assert excerpt("") == ""


def test_excerpt_is_plain_text_with_collapsed_whitespace():
    text = "## Titre\n\nDu **texte** avec un [lien](https://pix.fr)\net   des   espaces.\n\n- a & b"
    assert excerpt(text) == "Titre Du texte avec un lien et des espaces. a & b"


def test_excerpt_of_a_table_separates_the_cells():
    assert excerpt("| a | b |\n|---|---|\n| 1 | 2 |") == "a b 1 2"


def test_excerpt_keeps_raw_html_as_plain_text():
    result = excerpt("Un <b>mot</b>")
    assert result == "Un <b>mot</b>"
    assert not isinstance(result, Markup)


def test_short_excerpt_is_unchanged():
    assert excerpt("Un deux trois", 13) == "Un deux trois"


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (7, "Un deux…"),
        (8, "Un deux…"),
        (12, "Un deux…"),
        (13, "Un deux trois…"),
        (3, "Un…"),
    ],
)
def test_long_excerpt_is_cut_at_a_word(length, expected):
    assert excerpt("Un deux trois quatre", length) == expected


def test_excerpt_drops_trailing_punctuation_before_the_ellipsis():
    assert excerpt("Premièrement, deuxièmement, troisièmement", 27) == "Premièrement, deuxièmement…"


def test_excerpt_cuts_a_single_long_word():
    assert excerpt("anticonstitutionnellement", 10) == "anticonsti…"


def test_excerpt_defaults_to_200_characters():
    result = excerpt("mot " * 100)
    assert result.endswith("mot…")
    assert len(result) <= 201
