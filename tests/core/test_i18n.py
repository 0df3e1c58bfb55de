"""Locale negotiation, catalogs and locale formatting (app/core/i18n.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core import i18n

AVAILABLE = ("en", "de", "pt_BR")


def negotiate(
    preference: str | None = None,
    cookie: str | None = None,
    accept: str | None = None,
    default: str = "en",
) -> str:
    return i18n.negotiate_locale(
        preference=preference,
        cookie=cookie,
        accept_language=accept,
        available=AVAILABLE,
        default=default,
    )


def test_the_profile_comes_first_then_the_cookie_then_the_browser_then_the_default() -> None:
    assert negotiate(preference="de", cookie="en", accept="en") == "de"
    assert negotiate(cookie="de", accept="en") == "de"
    assert negotiate(accept="de") == "de"
    assert negotiate(default="de") == "de"
    assert negotiate() == "en"


def test_an_unavailable_choice_falls_through_to_the_next_source() -> None:
    assert negotiate(preference="fr", cookie="xx", accept="de") == "de"
    assert negotiate(accept="fr", default="de") == "de"
    assert negotiate(default="fr") == "en"  # the source language, always there


def test_quality_values_order_the_header_and_q0_refuses() -> None:
    assert negotiate(accept="fr;q=1, en;q=0.5, de;q=0.8") == "de"
    assert negotiate(accept="de;q=0, en;q=0.1") == "en"
    assert negotiate(accept="de;q=0", default="en") == "en"
    # Equal quality: the header's order decides.
    assert negotiate(accept="de, en") == "de"
    assert negotiate(accept="en, de") == "en"


def test_a_region_finds_its_language_and_an_exact_region_wins() -> None:
    assert negotiate(accept="de-AT") == "de"
    assert negotiate(accept="de-ch;q=0.9") == "de"
    assert negotiate(accept="pt-br") == "pt_BR"
    assert negotiate(preference="pt-BR") == "pt_BR"


@pytest.mark.parametrize(
    "header", ["", ";;;", "*", "de;q=abc", "x" * 600, "de;q=2", "12-34", "de,;,en;q=0.5"]
)
def test_malformed_headers_never_fail(header: str) -> None:
    assert negotiate(accept=header) in AVAILABLE


def test_parse_keeps_order_and_drops_refused_ranges() -> None:
    assert i18n.parse_accept_language("en;q=0.2, de-DE, fr;q=0, *;q=0.1") == ["de-DE", "en"]


def test_german_catalog_translates_and_the_source_language_is_itself() -> None:
    assert i18n.gettext("de", "Sign in") == "Anmelden"
    assert i18n.gettext("en", "Sign in") == "Sign in"
    assert i18n.gettext("de", "A string nobody translated") == "A string nobody translated"
    assert "de" in i18n.available_locales()


def test_dates_and_numbers_follow_the_locale() -> None:
    day = date(2026, 12, 1)
    assert i18n.format_date_in("en", day) == "Dec 1, 2026"
    assert i18n.format_date_in("en_GB", day) == "1 Dec 2026"
    assert i18n.format_date_in("de", day) == "01.12.2026"
    assert i18n.format_date_in("de", datetime(2026, 12, 1, 23, 0, tzinfo=UTC), "long") == (
        "1. Dezember 2026"
    )
    assert i18n.format_number_in("de", 1234.5) == "1.234,5"
    assert i18n.format_number_in("en", 1234.5) == "1,234.5"
    assert i18n.format_date_in("de", None) == "\u2013"


def test_language_names_are_in_their_own_language() -> None:
    assert i18n.language_name("de") == "Deutsch"
    assert i18n.language_name("en") == "English"


def test_plural_forms_follow_each_language() -> None:
    one, many = "At least %(num)d character.", "At least %(num)d characters."
    assert i18n.ngettext("en", one, many, 1) % {"num": 1} == "At least 1 character."
    assert i18n.ngettext("en", one, many, 10) % {"num": 10} == "At least 10 characters."
    assert i18n.ngettext("de", one, many, 1) % {"num": 1} == "Mindestens 1 Zeichen."
    assert i18n.ngettext("de", one, many, 10) % {"num": 10} == "Mindestens 10 Zeichen."
    assert i18n.translations("de").plural(1) == 0 and i18n.translations("de").plural(0) == 1


def test_a_render_looks_its_catalog_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside ``rendering_in`` the catalog's file is checked when the render starts, not
    on every translation; outside one (or for another locale) it is looked up as before."""
    looked_up: list[str] = []
    real = i18n.translations

    def counting(locale: str) -> object:
        looked_up.append(locale)
        return real(locale)

    monkeypatch.setattr(i18n, "translations", counting)
    with i18n.rendering_in("de"):
        assert looked_up == ["de"]
        texts = [i18n.gettext("de", "Results") for _ in range(3)]
        assert texts == [real("de").gettext("Results")] * 3
        assert looked_up == ["de"]
        i18n.gettext("en", "Results")  # another locale inside the render: looked up
        assert looked_up == ["de", "en"]
    i18n.gettext("de", "Results")
    assert looked_up == ["de", "en", "de"]
