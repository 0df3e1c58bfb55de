"""Checking and reading questionnaire responses before they are scored.

The engine trusts its input (it is called on hot paths and on stored data), so
every boundary that accepts answers from outside -- the API, the CSV import,
the CLI -- calls :func:`validate_responses` first and reports *all* problems at
once. Validation is deliberately strict about types: JSON and Python callers
must send integers, and text sources (CSV cells, form fields) go through
:func:`parse_response_value` so the conversion rules live in one place instead
of being guessed at by the validator.

A value of ``None`` means "no answer" everywhere in this package (it is what
:func:`parse_response_value` returns for an empty cell), exactly like an absent
key: it is neither a problem nor an answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeGuard

from app.rubrics.schemas import NA, Rubric

#: A response value the engine accepts: an integer on the scale, or ``"n/a"``.
ResponseValue = int | str

_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")
_NA_TEXT = frozenset({"n/a", "na"})


@dataclass(frozen=True, slots=True)
class ResponseProblem:
    """One thing wrong with a submitted answer, named by item id."""

    item_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.item_id}: {self.message}"


def is_score(value: object) -> TypeGuard[int]:
    """True for an integer answer. ``bool`` is an ``int`` subclass but never a score."""
    return isinstance(value, int) and not isinstance(value, bool)


def _expected(rubric: Rubric) -> str:
    scale = rubric.scale
    text = f"an integer from {scale.min} to {scale.max}"
    return f"{text} or '{NA}'" if scale.allow_na else text


def _kind(value: object) -> str:
    """What sort of value was sent, in words -- never the value itself."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, float):
        return "a number with a fraction"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "another kind of value"


def _check_value(rubric: Rubric, value: object) -> str | None:
    """The problem with one known item's value, or None when it is acceptable.

    Messages state the rule and, at most, the *kind* of value sent: never the
    value, which may be a password typed into the wrong field or 100 MB long.
    """
    scale = rubric.scale
    if value is None:
        return None
    if isinstance(value, str) and value == NA:
        return None if scale.allow_na else f"'{NA}' is not allowed on this rubric's scale"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be {_expected(rubric)} (got {_kind(value)})"
    if not scale.min <= value <= scale.max:
        return f"is outside the scale {scale.min}..{scale.max}"
    return None


def validate_responses(rubric: Rubric, responses: Mapping[str, object]) -> list[ResponseProblem]:
    """Every problem with ``responses`` (empty when they can be scored).

    Problems on known items come in questionnaire order, so a form can show
    them top to bottom; unknown ids follow, in the order they were given.
    Missing answers are not problems here: whether a questionnaire must be
    complete is the caller's policy (see :func:`missing_items`).
    """
    known = rubric.items_by_id
    lo, hi = rubric.scale.min, rubric.scale.max
    if _plainly_valid(rubric, responses, known):
        return []  # the common case, decided in C: this runs on every POST /score
    problems: list[ResponseProblem] = []
    get = responses.get
    for item_id in known:
        value = get(item_id)  # absent and None alike: no answer, no problem
        if value is None or (value.__class__ is int and lo <= value <= hi):
            continue  # the common case, decided inline: this runs on every POST /score
        message = _check_value(rubric, value)
        if message is not None:
            problems.append(ResponseProblem(item_id, message))
    for item_id in responses:
        if item_id not in known:
            problems.append(ResponseProblem(_shown_id(item_id), "unknown item id for this rubric"))
    return problems


_PLAIN_CLASSES = frozenset({int, str, type(None)})


def _plainly_valid(
    rubric: Rubric, responses: Mapping[str, object], known: Mapping[str, object]
) -> bool:
    """True when every id is known and every value is exactly an allowed one.

    Set operations only, so no per-item Python: the classes first (``bool``,
    ``float`` and ``int`` subclasses compare equal to allowed ints, so they
    never pass here), then the values against the allowed set. False means
    "look closer", not "invalid": the item-by-item check decides.
    """
    values = responses.values()
    if not _PLAIN_CLASSES.issuperset(map(type, values)):
        return False
    scale = rubric.scale
    allowed = {None, *range(scale.min, scale.max + 1)}
    if scale.allow_na:
        allowed.add(NA)
    return allowed.issuperset(values) and known.keys() >= responses.keys()


#: Longest item id echoed in a problem: rubric ids are at most 64 characters
#: (``app.rubrics.schemas``), so a longer "id" is not one of ours.
_MAX_SHOWN_ID = 64


def _shown_id(item_id: object) -> str:
    """An unknown item id as a problem names it: its own text when it could be an id."""
    text = str(item_id)
    if len(text) <= _MAX_SHOWN_ID and text.isprintable():
        return text
    shown = "".join(c if c.isprintable() else "?" for c in text[:_MAX_SHOWN_ID])
    return f"{shown}…"


def parse_response_value(raw: str) -> ResponseValue | None:
    """Read one answer from text (a CSV cell, a form field).

    ``""`` (after trimming) is ``None``, meaning unanswered; ``"n/a"`` or
    ``"NA"`` in any case is :data:`~app.rubrics.schemas.NA`; an optionally
    signed run of ASCII digits is an ``int``. Anything else -- ``"3.0"``,
    ``"three"``, ``"1_000"`` -- is a ``ValueError`` whose message can be shown
    to the person who wrote the file. Whether the number is on the scale is
    :func:`validate_responses`' job, which knows the rubric.
    """
    text = raw.strip()
    if not text:
        return None
    if text.lower() in _NA_TEXT:
        return NA
    if _INTEGER_TEXT.fullmatch(text):
        return int(text)
    raise ValueError(
        f"cannot be read as an answer: expected a whole number, "
        f"'{NA}' (or 'NA'), or an empty cell for no answer"
    )


def missing_items(rubric: Rubric, responses: Mapping[str, object]) -> list[str]:
    """Ids of items with no value at all, in questionnaire order.

    ``"n/a"`` is a value (the participant responded), so it is not missing.
    """
    return [item_id for item_id in rubric.items_by_id if responses.get(item_id) is None]
