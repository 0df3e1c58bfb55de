"""Which language to answer in: the available catalogs, ``Accept-Language``, negotiation.

Pure rules over strings and the catalog folder (``app.core.i18n`` applies them to a
request, a user's preference and the settings); docs/i18n.md gives the order.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError

from app.core.config import get_settings

#: The language the source strings are written in: it needs no catalog.
SOURCE_LOCALE = "en"
#: An ``Accept-Language`` header longer than this is ignored, not parsed.
MAX_ACCEPT_LANGUAGE = 512

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


def match_locale(tag: str, available: tuple[str, ...]) -> str | None:
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
        if candidate and (found := match_locale(candidate, available)):
            return found
    for tag in parse_accept_language(accept_language or ""):
        if found := match_locale(tag, available):
            return found
    return match_locale(default, available) or SOURCE_LOCALE
