"""What a coach may send as a behavior's rating, checked against the assessment's rubric.

Ratings are level *orders*: a coach rating is 0 ("Not yet") or a level the
behavior defines (the values the self-assessment can produce, so the two
compare level for level); a target must be a level the behavior defines.
Every bad value is reported at once, before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.coaching import access
from app.coaching.calibration import allowed_orders, behaviors_by_id
from app.coaching.models import CoachReview
from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_

#: The fields of one behavior's rating a save may send.
RATING_FIELDS = ("coach_level", "target_level", "rationale", "evidence")


def validate_ratings(
    session: Session, review: CoachReview, ratings: Mapping[str, Mapping[str, Any]]
) -> None:
    """Every bad rating at once, located at ``body.ratings.<behavior>.<field>``."""
    rubric = access.load_assessment(session, review.assessment_id).rubric
    behaviors = behaviors_by_id(rubric)
    errors = []
    for behavior_id, fields in ratings.items():
        loc: list[str | int] = ["body", "ratings", behavior_id]
        behavior = behaviors.get(behavior_id)
        if behavior is None:
            errors.append(field_error(loc, N_("not a behavior of this assessment's rubric")))
            continue
        orders = allowed_orders(rubric, behavior)
        names = ", ".join(str(o) for o in orders)
        coach_level = fields.get("coach_level")
        if coach_level is not None and coach_level not in orders:
            errors.append(
                field_error(
                    [*loc, "coach_level"], f"must be one of this behavior's levels: {names}"
                )
            )
        target = fields.get("target_level")
        if target is not None and (target == 0 or target not in orders):
            errors.append(
                field_error(
                    [*loc, "target_level"],
                    f"must be a level this behavior defines: {', '.join(map(str, orders[1:]))}",
                )
            )
        unknown = set(fields) - set(RATING_FIELDS)
        errors += [field_error([*loc, f], N_("unknown field")) for f in sorted(unknown)]
    if errors:
        raise InvalidInput(f"{len(errors)} rating value(s) cannot be accepted", errors=errors)
