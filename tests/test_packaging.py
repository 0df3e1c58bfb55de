"""Packaging metadata that setuptools would otherwise warn about on every install."""

from __future__ import annotations

import re
import tomllib

from tests.fixtures.paths import ROOT


def test_the_licence_is_an_spdx_expression_not_a_deprecated_table() -> None:
    """A ``license = {text = ...}`` table makes setuptools print ~100 lines of deprecation
    warnings on every ``pip install -e .`` (``make run``); a string needs setuptools 77."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    licence = pyproject["project"]["license"]
    assert isinstance(licence, str)
    assert re.fullmatch(r"LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9.+-]+", licence), licence
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
    classifiers = pyproject["project"].get("classifiers", [])
    assert not [c for c in classifiers if c.startswith("License ::")]  # superseded by SPDX
