"""Language selection: the language is the first segment of every URL (/fr/..., /en/...)."""

import unicodedata
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from werkzeug.routing import BaseConverter

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


class LanguageConverter(BaseConverter):
    """URL converter that accepts only the portal's languages."""

    regex = "fr|en"


def best_language() -> str:
    """Return the visitor's preferred supported language, French by default."""
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(languages) or languages[0]


def select_locale() -> str:
    """Return the language of the current request: the URL's, else the browser's."""
    language = g.get("lang")
    if language:
        return language
    if has_request_context():
        # A URL that matched no page (404) still says its language in its first segment.
        prefix = request.path.strip("/").split("/", 1)[0]
        if prefix in current_app.config["LANGUAGES"]:
            return prefix
        return best_language()
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    """Return the language code of the page being rendered."""
    return str(get_locale() or "fr")


def localized(obj, field: str) -> str:
    """Return obj.<field>_<language>, falling back to French when empty."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_fr")


def switch_language_url(language: str) -> str:
    """Return the URL of the current page in another language (query string kept)."""
    alternate = g.get("alternate_urls", {}).get(language)
    if alternate:
        return alternate
    endpoint = request.endpoint
    if not endpoint or request.url_rule is None or "lang" not in request.url_rule.arguments:
        return url_for("core.index", lang=language)
    # The query string is kept as it is, never passed to url_for: its keys could replace the
    # page's own arguments or url_for's (endpoint, _scheme, _external...).
    url = url_for(endpoint, **{**(request.view_args or {}), "lang": language})
    query = urlencode(list(request.args.items(multi=True)))
    return f"{url}?{query}" if query else url


def init_app(app: Flask) -> None:
    """Register the language converter, URL hooks and template helpers."""
    app.url_map.converters["lang"] = LanguageConverter

    @app.url_value_preprocessor
    def pull_language(endpoint, values):
        if values and "lang" in values:
            g.lang = values.pop("lang")

    @app.url_defaults
    def add_language(endpoint, values):
        if "lang" in values or not endpoint:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values["lang"] = g.get("lang") or current_language()

    @app.context_processor
    def language_helpers():
        return {
            "current_language": current_language,
            "switch_language_url": switch_language_url,
            "language_names": LANGUAGE_NAMES,
            "localized": localized,
        }


def slugify(text: str, max_length: int = 120) -> str:
    """Return text as an address or file name part: ascii, lower case, words joined by hyphens."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    kept = (
        ch if ch.isascii() and ch.isalnum() else "" if unicodedata.combining(ch) else " "
        for ch in unicodedata.normalize("NFKD", text)
    )
    return "-".join("".join(kept).split())[:max_length].strip("-")
