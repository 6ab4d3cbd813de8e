"""Markdown written by editors, rendered to HTML that is safe whatever was typed.

markdown-it renders CommonMark with GFM tables and strikethrough, raw HTML escaped as text.
A token pass moves headings down one level (the page title is the only h1), turns
strikethrough into `del` and drops the inline `text-align` styles of table cells (the
Content-Security-Policy forbids inline styles). Renderer rules wrap each table in the DSFR
divs. nh3 (ammonia) then keeps only the tags and attributes below, web, mail and relative
links (`rel="noopener noreferrer"` added), web and relative images, and the four DSFR classes.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TABLE_CLASSES = (
    "fr-table fr-table--multiline",
    "fr-table__wrapper",
    "fr-table__container",
    "fr-table__content",
)
# The scroll container of a table too wide for the screen: the keyboard must reach it.
SCROLLER = "fr-table__container"
TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div",
})  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "div": {"class", "tabindex"},
}
URL_SCHEMES = {"http", "https", "mailto"}
IMAGE_SCHEMES = {"http", "https"}
LINK_REL = "noopener noreferrer"

_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _table_open(self, tokens, idx, options, env) -> str:
    """Open the DSFR wrapper divs, then the table."""
    wrapper = "".join(
        f'<div class="{name}" tabindex="0">' if name == SCROLLER else f'<div class="{name}">'
        for name in TABLE_CLASSES
    )
    return wrapper + self.renderToken(tokens, idx, options, env)


def _table_close(self, tokens, idx, options, env) -> str:
    """Close the table, then the DSFR wrapper divs."""
    table = self.renderToken(tokens, idx, options, env).rstrip("\n")
    return table + "</div>" * len(TABLE_CLASSES) + "\n"


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])
_markdown.add_render_rule("table_open", _table_open)
_markdown.add_render_rule("table_close", _table_close)


def _top_heading(tokens) -> int:
    """Return the level of the text's highest heading (2 when it has none)."""
    return min((int(t.tag[1]) for t in tokens if t.type == "heading_open"), default=2)


def _adjust(tokens, shift: int) -> None:
    """Move headings so the highest is an h2 (the page's title is the h1), drop cell styles
    and render strikethrough as `del`."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{max(2, min(int(token.tag[1]) + shift, 6))}"
        elif token.type in ("th_open", "td_open"):
            token.attrs.pop("style", None)
        elif token.type in ("s_open", "s_close"):
            token.tag = "del"
        if token.children:
            _adjust(token.children, shift)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Return the attribute's value if it may stay, None to drop the attribute."""
    if tag == "div" and attribute == "tabindex":
        return value if value == "0" else None
    if tag == "div":
        return value if value in TABLE_CLASSES else None
    if tag == "img" and attribute == "src":
        scheme = _SCHEME.match(value)
        return value if scheme is None or scheme[1].lower() in IMAGE_SCHEMES else None
    return value


def render(text: str) -> Markup:
    """Return the sanitised HTML of a Markdown text."""
    tokens = _markdown.parse(text or "")
    _adjust(tokens, 2 - _top_heading(tokens))
    raw = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        raw,
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704 - sanitised just above


def excerpt(text: str, length: int = 200) -> str:
    """Return the plain text of a Markdown text, cut at a word with "…" if longer than `length`."""
    plain = html.unescape(nh3.clean(str(render(text)), tags=set()))
    plain = re.sub(r"\s+", " ", plain).strip()
    if len(plain) <= length:
        return plain
    cut = plain[: length + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else plain[:length]
    return cut.rstrip(" ,;:.") + "…"
