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
import re
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
from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.dates import get_date_format
from babel.dates import parse_date as babel_parse_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import LazyProxy, Translations
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from app.core.config import get_settings

#: The language the source strings are written in: it needs no catalog.
SOURCE_LOCALE = "en"
#: Set by the language switcher; read when nobody is signed in (or has no preference).
LOCALE_COOKIE = "stepwise_locale"
#: An ``Accept-Language`` header longer than this is ignored, not parsed.
MAX_ACCEPT_LANGUAGE = 512
#: What a missing date prints as (an en dash, as the pages always have).
NO_DATE = "\u2013"

_LANGUAGE_RANGE = re.compile(
    r"\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*"
)


def normalize(tag: str) -> str:
    """``de-at`` and ``de_AT`` are the same locale: ``de_AT``."""
    parts = tag.replace("-", "_").split("_")
    head, rest = parts[0].lower(), parts[1:]
    return "_".join([head, *(p.upper() if len(p) == 2 else p.title() for p in rest)])


@lru_cache
def _catalog_locales(locales_dir: Path) -> tuple[str, ...]:
    if not locales_dir.is_dir():
        return ()
    return tuple(
        sorted(
            entry.name
            for entry in locales_dir.iterdir()
            if (entry / "LC_MESSAGES" / "messages.po").is_file()
        )
    )


def available_locales() -> tuple[str, ...]:
    """The source language first, then every locale that has a catalog."""
    found = _catalog_locales(get_settings().locales_dir)
    return (SOURCE_LOCALE, *(code for code in found if code != SOURCE_LOCALE))


def language_name(code: str) -> str:
    """A locale's name in its own language ("Deutsch"), for the switcher."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (ValueError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


def _match(tag: str, available: tuple[str, ...]) -> str | None:
    wanted = normalize(tag)
    if wanted in available:
        return wanted
    language = wanted.split("_", 1)[0]
    return language if language in available else None


def parse_accept_language(header: str) -> list[str]:
    """The language ranges of an ``Accept-Language`` header, best first (RFC 9110 §12.5.4).

    Ranges with ``q=0`` are refused ones and left out; malformed ranges are
    skipped rather than failing the request.
    """
    if len(header) > MAX_ACCEPT_LANGUAGE:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        found = _LANGUAGE_RANGE.fullmatch(part)
        if not found:
            continue
        quality = float(found.group(2)) if found.group(2) is not None else 1.0
        if quality > 0 and found.group(1) != "*":
            ranked.append((-quality, position, found.group(1)))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate_locale(
    *,
    preference: str | None,
    cookie: str | None,
    accept_language: str | None,
    available: tuple[str, ...],
    default: str,
) -> str:
    """The locale to answer in: the first of the four sources that names an available one."""
    for candidate in (preference, cookie):
        if candidate and (found := _match(candidate, available)):
            return found
    for tag in parse_accept_language(accept_language or ""):
        if found := _match(tag, available):
            return found
    return _match(default, available) or SOURCE_LOCALE


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


def translations(locale: str) -> NullTranslations:
    """The compiled catalog of ``locale`` (recompiled when its ``.po`` file changes)."""
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    path = get_settings().locales_dir / locale / "LC_MESSAGES" / "messages.po"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return NullTranslations()
    return _compiled(path, mtime)


def N_(message: str) -> str:
    """Mark a source string for extraction; it is translated later, where the locale is known."""
    return message


def gettext(locale: str, message: str) -> str:
    """``message`` in ``locale``; an empty string stays empty (gettext would answer the header)."""
    return translations(locale).gettext(message) if message else message


def ngettext(locale: str, singular: str, plural: str, n: int) -> str:
    return translations(locale).ngettext(singular, plural, n)


#: The locale of the render in progress, for templates whose context has neither
#: ``locale`` nor ``request``: macros imported without context, e-mails, reports.
_RENDERING: ContextVar[str | None] = ContextVar("stepwise_rendering_locale", default=None)


@contextmanager
def rendering_in(locale: str) -> Iterator[None]:
    """Render everything inside in ``locale`` (templates rendered synchronously within)."""
    token = _RENDERING.set(locale)
    try:
        yield
    finally:
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
    return text % variables


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


@lru_cache(maxsize=64)
def babel_locale(locale: str) -> Locale:
    """What formats dates and numbers for ``locale``: itself, else its language, else English.

    A catalog may exist for a tag Babel has no data for (a pseudo-locale such as
    ``en_XA``, or a private variant): its pages still get dates and numbers.
    """
    for candidate in (locale, locale.split("_", 1)[0]):
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse(SOURCE_LOCALE)


def format_date_in(locale: str, value: date | datetime | None, form: str = "medium") -> str:
    """A date as the locale writes it: "1 Dec 2026", "01.12.2026", "Dec 1, 2026"."""
    if value is None:
        return NO_DATE
    day = value.date() if isinstance(value, datetime) else value
    return babel_format_date(day, format=form, locale=babel_locale(locale))


def format_datetime_in(locale: str, value: datetime | None, form: str = "medium") -> str:
    if value is None:
        return NO_DATE
    return babel_format_datetime(
        value, format=form, tzinfo=value.tzinfo, locale=babel_locale(locale)
    )


def format_time_in(locale: str, value: datetime | None, form: str = "short") -> str:
    """A time of day as the locale writes it, in the value's own zone: "17:00", "5:00 PM"."""
    if value is None:
        return NO_DATE
    return babel_format_time(value, format=form, tzinfo=value.tzinfo, locale=babel_locale(locale))


#: Numbers are formatted through caches: Babel takes ~15 µs a number, and a results
#: page prints the same few scores ~70 times. Equal values print alike whatever their
#: type (2, 2.0 and Decimal("2.0") under one pattern), so they may share an entry.
_NUMBER_CACHE_SIZE = 4096


@lru_cache(maxsize=_NUMBER_CACHE_SIZE)
def format_number_in(locale: str, value: float | int | Decimal, digits: int = 1) -> str:
    return format_decimal(
        value,
        format=f"#,##0.{'#' * digits}" if digits else "#,##0",
        locale=babel_locale(locale),
    )


def format_percent_in(locale: str, value: float) -> str:
    """A share (0.15) as a whole percentage in ``locale`` ("15%", "15 %")."""
    return format_percent(value, locale=babel_locale(locale))


@lru_cache(maxsize=_NUMBER_CACHE_SIZE)
def format_fixed_in(locale: str, value: float | int | Decimal, digits: int = 2) -> str:
    """A number with exactly ``digits`` decimals, as a score is printed: "2.50", "2,50"."""
    return format_decimal(value, format=f"#,##0.{'0' * digits}", locale=babel_locale(locale))


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


#: The day a date field's hint writes out: the last of a year, so day and month cannot be confused.
_EXAMPLE_DAY = (12, 31)


@jinja2.pass_context
def date_example(context: jinja2.runtime.Context) -> str:
    """A date as the page's locale writes it in short form ("12/31/2026", "31.12.2026").

    The hint beside a date field: the year is written in full whatever the pattern says.
    """
    locale = babel_locale(_context_locale(context))
    pattern = get_date_format("short", locale=locale).pattern
    full_year = re.sub(r"y+", "yyyy", pattern)
    day = date(date.today().year, *_EXAMPLE_DAY)
    return babel_format_date(day, format=full_year, locale=locale)


def parse_date_in(locale: str, text: str) -> date | None:
    """A date field's value: ISO (what a date picker sends) or typed the locale's short way.

    ``None`` when it is neither, so the caller reports the field.
    """
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    if not re.fullmatch(r"[0-9./ -]{6,10}", text):
        return None
    try:
        return babel_parse_date(text, locale=babel_locale(locale), format="short")
    except (ValueError, IndexError):
        return None


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
