"""Language selection: the language is the first segment of every URL (/fr/..., /en/...)."""

import unicodedata
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask_babel import get_locale, get_translations
from sqlalchemy import func
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


def catalogue():
    """Return the translations of the current locale (forced or not), found once per app.

    Flask-Babel finds them again on every call (three context lookups, about 20 µs), which a
    long list does thousands of times.
    """
    locale = get_locale()
    if locale is None:
        return get_translations()
    catalogues = current_app.extensions["catalogues"]
    key = str(locale)
    found = catalogues.get(key)
    if found is None:
        found = catalogues[key] = get_translations()
    return found


def fast_gettext(message: str) -> str:
    """Translate a message into the current language (the templates' `_` and `gettext`)."""
    return catalogue().ugettext(message)


def fast_ngettext(singular: str, plural: str, number: int) -> str:
    """Translate a message with a number into the current language (the templates' `ngettext`)."""
    return catalogue().ungettext(singular, plural, number)


def fast_pgettext(context: str, message: str) -> str:
    """Translate a message in a context into the current language."""
    return catalogue().upgettext(context, message)


def fast_npgettext(context: str, singular: str, plural: str, number: int) -> str:
    """Translate a message in a context, with a number, into the current language."""
    return catalogue().unpgettext(context, singular, plural, number)


class Labels(dict):
    """Labels of reference values (lazy strings by key), each translated once per language.

    `labels[key]` is the lazy string, for forms built at import time; `labels.text(key)` is the
    text in the current language, which a long list asks for on every row.
    """

    def __init__(self, labels: dict) -> None:
        super().__init__(labels)
        self._texts: dict[str, dict] = {}

    def text(self, key) -> str:
        """Return the label of the key in the current language."""
        language = current_language()
        texts = self._texts.get(language)
        if texts is None:
            texts = self._texts[language] = {k: str(v) for k, v in self.items()}
        return texts[key]


def localized(obj, field: str) -> str:
    """Return obj.<field>_<language>, falling back to French when empty."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_fr")


def localized_column(model, field: str):
    """Return the SQL expression of model.<field>_<language>, falling back to French when empty
    (`localized` for a query that reads columns, not records)."""
    french = getattr(model, f"{field}_fr")
    language = current_language()
    if language == "fr":
        return french
    return func.coalesce(func.nullif(getattr(model, f"{field}_{language}"), ""), french)


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
    """Register the language converter, URL hooks and template helpers (after Babel's)."""
    app.url_map.converters["lang"] = LanguageConverter
    app.extensions["catalogues"] = {}
    app.jinja_env.install_gettext_callables(
        gettext=fast_gettext,
        ngettext=fast_ngettext,
        pgettext=fast_pgettext,
        npgettext=fast_npgettext,
        newstyle=True,
    )

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
