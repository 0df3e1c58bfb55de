"""Free text a person types -- a title, a name, a description, a message, a comment.

Each is trimmed and refused past its own limit with the same located 422
everywhere (``msg: "must be at most N characters"`` at the field's ``loc``),
so a form shows the message next to the field and an integrator reads one
wording, whichever resource it is. The limits themselves belong to each
domain (docs/security.md lists them); this is only how they are applied.
"""

from __future__ import annotations

from typing import Any

from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_

DESCRIPTION_LOC: list[str | int] = ["body", "description"]


def too_long(loc: list[str | int], max_length: int) -> dict[str, Any]:
    """The located error of a text past ``max_length`` (for forms that collect several)."""
    return field_error(loc, f"must be at most {max_length} characters")


def checked_text(text: str | None, *, loc: list[str | int], max_length: int, refusal: str) -> str:
    """``text`` without surrounding blanks (``""`` for ``None``); 422 past ``max_length``.

    ``refusal`` is the summary of the 422 (``N_("The title is too long")``), a
    whole sentence per field so that each language words it in its own grammar.
    """
    cleaned = (text or "").strip()
    if len(cleaned) > max_length:
        raise InvalidInput(refusal, errors=[too_long(loc, max_length)])
    return cleaned


def checked_description(description: str, *, max_length: int) -> str:
    """An admin's description of what they set up (a cohort, a webhook endpoint), trimmed."""
    return checked_text(
        description,
        loc=DESCRIPTION_LOC,
        max_length=max_length,
        refusal=N_("The description is too long"),
    )
