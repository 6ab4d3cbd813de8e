"""Markdown written by editors, rendered to HTML that is safe whatever was typed.

markdown-it renders CommonMark with tables and strikethrough, raw HTML escaped; headings move
down one level (the page title is the only h1); nh3 (ammonia) then keeps only the tags and
attributes below and web, mail and relative links. Tables get the DSFR wrapper afterwards.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}
TABLE_OPEN = (
    '<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container">'
    '<div class="fr-table__content"><table>'
)
TABLE_CLOSE = "</table></div></div></div></div>"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _shift_headings(tokens) -> None:
    """Turn h1 into h2, h2 into h3 and so on (h6 stays h6)."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


def render(text: str) -> Markup:
    """Return the safe HTML of a Markdown text."""
    tokens = _markdown.parse(text or "")
    _shift_headings(tokens)
    raw = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        raw,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    clean = clean.replace("<table>", TABLE_OPEN).replace("</table>", TABLE_CLOSE)
    return Markup(clean)  # noqa: S704 - sanitised just above


def excerpt(text: str, length: int = 200) -> str:
    """Return the plain text of a Markdown text, cut at a word if longer than `length`."""
    plain = html.unescape(nh3.clean(str(render(text)), tags=set()))
    plain = re.sub(r"\s+", " ", plain).strip()
    if len(plain) <= length:
        return plain
    return plain[:length].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
