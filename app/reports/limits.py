"""How much a report holds, so that the largest one the API accepts still renders in time.

The API accepts long texts (notes of 20,000 characters, hundreds of plan
actions of 5,000 characters each); printed in full, such a report runs to
hundreds of pages and never finishes within the render limit. A report is a
summary to keep and share, so it prints at most :data:`MAX_PLAN_ACTIONS`
actions (those due first) and shortens long texts at a word boundary; it says
so where it does, and the full text stays in the app. The figures are
checked by ``tests/reports/test_limits.py``, which renders a report at the
API's maximum within the default time limit.
"""

from __future__ import annotations

#: Plan actions printed; the rest are counted ("N more actions are in Stepwise").
MAX_PLAN_ACTIONS = 30
#: Characters of a plan action's title or success measure.
MAX_PLAN_TEXT = 300
#: Characters of the review summary and of each behavior's shared note.
MAX_NOTE = 1200
#: What a shortened text ends with.
ELLIPSIS = " […]"


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked as shortened."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    space = cut.rfind(" ")
    if not text[room].isspace() and space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def clip_optional(text: str | None, limit: int) -> str | None:
    return None if text is None else clip(text, limit)
