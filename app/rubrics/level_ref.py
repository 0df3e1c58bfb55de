"""A rubric level as figures and reports name it: its order and its name, nothing else.

The feedback aggregates (a behavior's scale), the development report (self,
coach and target levels) and the pages built from either all refer to a
level this way, so it is one plain, frozen type here in the lowest layer that
each of them imports, rather than one look-alike per domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LevelRef:
    """A level's order (1 = the lowest level, 0 = "Not yet") and its display name."""

    order: int
    name: str
