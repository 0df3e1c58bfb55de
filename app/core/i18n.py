"""Languages: which locale a page is in, its translated strings, and locale formatting.

The source strings are English, written in the templates and the code. A
translation is a gettext catalog, ``app/locale/<locale>/LC_MESSAGES/messages.po``
(docs/i18n.md). A locale is *available* when its catalog exists: adding a
language needs a catalog (and a rubric translation), no code.

Catalogs are compiled from the ``.po`` file the first time a process needs
them (a few milliseconds), so there is no build step that a fresh clone could
miss and no compiled file that could go stale beside its source. The compiled
catalog is derived data, cached per process like a parsed template.

The locale of a request is negotiated per request, in this order:

1. the signed-in person's preference (their profile, ``User.locale``);
2. the ``stepwise_locale`` cookie (the language switcher sets it, so it works
   before signing in too);
3. the browser's ``Accept-Language`` header, by its quality values, with a
   regional tag falling back to its language (``de-AT`` finds ``de``);
4. ``STEPWISE_DEFAULT_LOCALE``.

The result is kept on ``request.state.locale`` for the rest of the request.
E-mails and reports have no request: their templates are rendered with an
explicit ``locale`` in the context, which wins over everything else.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import get_settings
from app.core.locale_formats import NO_DATE as NO_DATE
from app.core.locale_formats import babel_locale as babel_locale
from app.core.locale_formats import date_example_in as date_example_in
from app.core.locale_formats import format_date_in as format_date_in
from app.core.locale_formats import format_datetime_in as format_datetime_in
from app.core.locale_formats import format_fixed_in as format_fixed_in
from app.core.locale_formats import format_number_in as format_number_in
from app.core.locale_formats import format_percent_in as format_percent_in
from app.core.locale_formats import format_time_in as format_time_in
from app.core.locale_formats import parse_date_in as parse_date_in
from app.core.negotiation import MAX_ACCEPT_LANGUAGE as MAX_ACCEPT_LANGUAGE
from app.core.negotiation import SOURCE_LOCALE as SOURCE_LOCALE
from app.core.negotiation import available_locales as available_locales
from app.core.negotiation import language_name as language_name
from app.core.negotiation import match_locale as _match
from app.core.negotiation import negotiate_locale as negotiate_locale
from app.core.negotiation import normalize as normalize
from app.core.negotiation import parse_accept_language as parse_accept_language

#: Set by the language switcher; read when nobody is signed in (or has no preference).
LOCALE_COOKIE = "stepwise_locale"


def _preference(user: Any) -> str | None:
    """The signed-in person's saved locale; none when the row can no longer be read.

    An error page after a rolled-back request may hold an expired ``User``:
    its language is then not worth a failed render.
    """
    try:
        value = getattr(user, "locale", None)
    except SQLAlchemyError:
        return None
    return value if isinstance(value, str) else None


def locale_of_request(request: Any) -> str:
    """The request's negotiated locale, computed once and kept on ``request.state``."""
    state = request.state
    cached = getattr(state, "locale", None)
    if isinstance(cached, str):
        return cached
    locale = negotiate_locale(
        preference=_preference(getattr(state, "user", None)),
        cookie=request.cookies.get(LOCALE_COOKIE),
        accept_language=request.headers.get("accept-language"),
        available=available_locales(),
        default=get_settings().default_locale,
    )
    state.locale = locale
    return locale


@lru_cache(maxsize=32)
def _compiled(path: Path, mtime_ns: int) -> Translations:
    with path.open("rb") as source:
        catalog = read_po(source)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


#: The source locale's "catalog": every message as it is written (it holds no state).
_SOURCE_CATALOG = NullTranslations()


@lru_cache(maxsize=32)
def _catalog_path(locales_dir: Path, locale: str) -> Path:
    """Where ``locale``'s ``.po`` file is (pathlib joins cost ~5 µs: worth keeping)."""
    return locales_dir / locale / "LC_MESSAGES" / "messages.po"


def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (recompiled when its ``.po`` file changes)."""
    if locale == SOURCE_LOCALE:
        return _SOURCE_CATALOG
    path = _catalog_path(get_settings().locales_dir, locale)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return _SOURCE_CATALOG
    return _compiled(path, mtime)


def N_(message: str) -> str:
    """Mark a source string for extraction; it is translated later, where the locale is known."""
    return message


#: The locale of the render in progress, for templates whose context has neither
#: ``locale`` nor ``request``: macros imported without context, e-mails, reports.
_RENDERING: ContextVar[str | None] = ContextVar("stepwise_rendering_locale", default=None)

#: The catalog of the render in progress, as (locale, catalog): looked up (its ``.po``
#: file's mtime checked) once when the render starts instead of on every ``_()``, which
#: cost a ``stat`` each (~20 µs; a German results page prints ~600).
_RENDERING_CATALOG: ContextVar[tuple[str, NullTranslations] | None] = ContextVar(
    "stepwise_rendering_catalog", default=None
)


def _catalog(locale: str) -> NullTranslations:
    """``locale``'s catalog: the render's own when it is in that locale, else looked up."""
    held = _RENDERING_CATALOG.get()
    if held is not None and held[0] == locale:
        return held[1]
    return translations(locale)


def gettext(locale: str, message: str) -> str:
    """``message`` in ``locale``; an empty string stays empty (gettext would answer the header)."""
    return _catalog(locale).gettext(message) if message else message


def ngettext(locale: str, singular: str, plural: str, n: int) -> str:
    return _catalog(locale).ngettext(singular, plural, n)


@contextmanager
def rendering_in(locale: str) -> Iterator[None]:
    """Render everything inside in ``locale`` (templates rendered synchronously within).

    The locale's catalog is looked up once here, for every translation inside: a
    catalog edited meanwhile is picked up by the next render.
    """
    token = _RENDERING.set(locale)
    catalog = _RENDERING_CATALOG.set((locale, translations(locale)))
    try:
        yield
    finally:
        _RENDERING_CATALOG.reset(catalog)
        _RENDERING.reset(token)


def rendering_locale() -> str:
    """The locale of the render in progress (the default outside one)."""
    return _RENDERING.get() or default_locale()


#: Text for a page: a plain string, or one translated when it is printed (:func:`lazy_gettext`).
Text = str | LazyProxy


def lazy_gettext(message: str, **values: str) -> LazyProxy:
    """``message`` translated when it is printed, into the locale of that render.

    For text chosen before the template runs (a page's success notice, a
    refusal shown on a form page): the template prints it as ``{{ flash.text }}``,
    and only then is the locale of the render known. ``values`` fill the
    message's ``%(name)s`` placeholders, each translated too (they are texts of
    ours, such as a service's refusal; a text the catalog lacks stays as it is).
    """

    def render() -> str:
        locale = rendering_locale()
        text = gettext(locale, message)
        if not values:
            return text
        return text % {name: gettext(locale, value) for name, value in values.items()}

    return LazyProxy(render, enable_cache=False)


def default_locale() -> str:
    return _match(get_settings().default_locale, available_locales()) or SOURCE_LOCALE


def locale_for(preference: str | None) -> str:
    """The language of something rendered for a person outside a request (a mail, a report).

    Their saved choice (``User.locale``) when it is still available, else the
    installation's default: there is no browser to ask.
    """
    return (_match(preference, available_locales()) if preference else None) or default_locale()


def _context_locale(context: jinja2.runtime.Context) -> str:
    explicit = context.get("locale")
    if isinstance(explicit, str) and explicit:
        return explicit
    request = context.get("request")
    if request is not None:
        return locale_of_request(request)
    return rendering_locale()


@jinja2.pass_context
def _template_gettext(context: jinja2.runtime.Context, message: str | LazyProxy) -> str:
    if isinstance(message, LazyProxy):  # chosen in Python with lazy_gettext: translates itself
        return str(message)
    return gettext(_context_locale(context), message)


@jinja2.pass_context
def _template_ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return ngettext(_context_locale(context), singular, plural, n)


@jinja2.pass_context
def _template_underscore(
    context: jinja2.runtime.Context, message: str | LazyProxy, /, **variables: Any
) -> str:
    """``_()`` in a template: what jinja2.ext's newstyle ``_`` does, in one call.

    The extension's ``_`` resolves ``gettext`` and calls it through
    ``Context.call``, which calls the translation through ``Context.call``
    again: three calls of ~6 µs each for every ``_()`` a page prints (a results
    page prints ~500). Same result: translated, marked safe when autoescaping
    (so the values are escaped when they are filled in), always %-formatted.
    """
    text: str = _template_gettext(context, message)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalog's text, as jinja2.ext marks it)
    if variables or "%" in text:  # without either, formatting would give the same text
        return text % variables
    return text


@jinja2.pass_context
def _template_nplural(
    context: jinja2.runtime.Context, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """``ngettext()`` in a template, as the extension's newstyle one, in one call."""
    variables.setdefault("num", num)
    text: str = ngettext(_context_locale(context), singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (our catalog's text, as jinja2.ext marks it)
    return text % variables


@jinja2.pass_context
def _translate_filter(context: jinja2.runtime.Context, text: object) -> object:
    """``{{ error|translate }}``: a text chosen in Python (a service's refusal, marked
    with ``N_``) in the page's language; a text the catalog does not know prints as it is.

    Unlike ``_()`` it never %-formats, so any text is safe to pass through it.
    """
    if not isinstance(text, str) or not text:
        return text
    return gettext(_context_locale(context), text)


@jinja2.pass_context
def current_locale(context: jinja2.runtime.Context) -> str:
    """The page's locale, as a code."""
    return _context_locale(context)


@jinja2.pass_context
def html_lang(context: jinja2.runtime.Context) -> str:
    """The page's locale as a BCP 47 tag for ``<html lang>``: ``de``, ``en-GB``."""
    return _context_locale(context).replace("_", "-")


@jinja2.pass_context
def _fixed_filter(
    context: jinja2.runtime.Context, value: float | int | Decimal, digits: int = 2
) -> str:
    return format_fixed_in(_context_locale(context), value, digits)


@jinja2.pass_context
def _date_filter(
    context: jinja2.runtime.Context, value: date | datetime | None, form: str = "medium"
) -> str:
    return format_date_in(_context_locale(context), value, form)


@jinja2.pass_context
def _datetime_filter(
    context: jinja2.runtime.Context, value: datetime | None, form: str = "medium"
) -> str:
    return format_datetime_in(_context_locale(context), value, form)


@jinja2.pass_context
def _time_filter(
    context: jinja2.runtime.Context, value: datetime | None, form: str = "short"
) -> str:
    return format_time_in(_context_locale(context), value, form)


@jinja2.pass_context
def _number_filter(
    context: jinja2.runtime.Context, value: float | int | Decimal, digits: int = 1
) -> str:
    return format_number_in(_context_locale(context), value, digits)


@jinja2.pass_context
def _percent_filter(context: jinja2.runtime.Context, value: float) -> str:
    return format_percent_in(_context_locale(context), value)


@jinja2.pass_context
def date_example(context: jinja2.runtime.Context) -> str:
    """A date as the page's locale writes it in short form ("12/31/2026", "31.12.2026").

    The hint beside a date field: the year is written in full whatever the pattern says.
    """
    return date_example_in(_context_locale(context))


@jinja2.pass_context
def language_choices(context: jinja2.runtime.Context) -> list[tuple[str, str, bool]]:
    """(code, name in its own language, is current) for every available locale."""
    current = _context_locale(context)
    return [(code, language_name(code), code == current) for code in available_locales()]


def install(env: jinja2.Environment) -> None:
    """Give an environment ``_()``/``ngettext()`` per locale and the locale filters."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True
    )
    # The same callables without the extension's indirection (see _template_underscore).
    env.globals.update(_=_template_underscore, ngettext=_template_nplural)
    env.globals.update(
        current_locale=current_locale,
        html_lang=html_lang,
        language_choices=language_choices,
        date_example=date_example,
    )
    env.filters.update(
        format_date=_date_filter,
        format_datetime=_datetime_filter,
        format_time=_time_filter,
        format_number=_number_filter,
        format_fixed=_fixed_filter,
        format_percent=_percent_filter,
        translate=_translate_filter,
    )
