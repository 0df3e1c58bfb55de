"""Dates and numbers as a locale writes them (Babel), and dates typed the locale's way.

Formatting only: which locale a page is in is ``app.core.i18n``'s business; the
template filters there call these with it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.dates import get_date_format
from babel.dates import parse_date as babel_parse_date
from babel.numbers import format_decimal, format_percent

from app.core.negotiation import SOURCE_LOCALE

#: What a missing date prints as (an en dash, as the pages always have).
NO_DATE = "\u2013"
#: The day a date field's hint writes out: the last of a year, so day and month cannot be confused.
_EXAMPLE_DAY = (12, 31)


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


def date_example_in(locale: str) -> str:
    """A date as ``locale`` writes it in short form ("12/31/2026", "31.12.2026").

    The hint beside a date field: the year is written in full whatever the pattern says.
    """
    babel = babel_locale(locale)
    pattern = get_date_format("short", locale=babel).pattern
    full_year = re.sub(r"y+", "yyyy", pattern)
    day = date(date.today().year, *_EXAMPLE_DAY)
    return babel_format_date(day, format=full_year, locale=babel)


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
