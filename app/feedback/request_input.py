"""What a participant sends to open a feedback request or invite raters, checked.

Every check runs before anything is written, so a refused invite leaves no
trace, and one 422 locates every bad field at once without echoing a value
(an address is personal data). The mail server has the last word on an
address; here it only has to look like one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.accounts.service import normalize_email
from app.core.config import get_settings
from app.core.exceptions import InvalidInput, field_error
from app.core.i18n import N_
from app.core.text_fields import checked_text
from app.feedback.models import MAX_INVITATIONS, MESSAGE_MAX_LENGTH

#: The latest due date one may set, in days from today.
MAX_DUE_DAYS = 180
#: A plausible address: something@something.tld, no spaces (the mail server has the last word).
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class RaterIn:
    """One rater to invite: address, group key, an optional personal message."""

    email: str
    group: str
    message: str | None = None


def clean_message(value: str | None, loc: list[str | int]) -> str | None:
    """The message stripped, ``None`` when blank; 422 at ``loc`` when too long."""
    text = checked_text(
        value, loc=loc, max_length=MESSAGE_MAX_LENGTH, refusal=N_("The message is too long")
    )
    return text or None


def check_due(due: date, *, today: date) -> None:
    """422 unless ``due`` is between today and :data:`MAX_DUE_DAYS` ahead."""
    if not today <= due <= today + timedelta(days=MAX_DUE_DAYS):
        raise InvalidInput(
            N_("The due date must be between today and 180 days from now"),
            errors=[
                field_error(
                    ["body", "due_date"], f"must be between today and {MAX_DUE_DAYS} days ahead"
                )
            ],
        )


def clean_raters(
    raters: Sequence[RaterIn], *, taken: set[str], participant_email: str, room: int
) -> list[RaterIn]:
    """Normalised raters, or one 422 locating every bad field (never echoing a value)."""
    groups = get_settings().feedback_group_labels
    errors: list[dict[str, object]] = []
    if not raters:
        errors.append(field_error(["body", "raters"], "invite at least one rater"))
    if len(raters) > room:
        errors.append(
            field_error(
                ["body", "raters"],
                f"at most {MAX_INVITATIONS} invitations per request ({room} left)",
            )
        )
    clean: list[RaterIn] = []
    seen = set(taken)
    for index, rater in enumerate(raters):
        loc: list[str | int] = ["body", "raters", index]
        email = normalize_email(rater.email or "")
        if len(email) > 254 or not _EMAIL.match(email):
            errors.append(field_error([*loc, "email"], N_("is not an email address")))
        elif email == participant_email:
            errors.append(field_error([*loc, "email"], N_("is the participant's own address")))
        elif email in seen:
            errors.append(field_error([*loc, "email"], N_("is already invited to this request")))
        seen.add(email)
        if rater.group not in groups:
            errors.append(field_error([*loc, "group"], "must be one of: " + ", ".join(groups)))
        try:
            message = clean_message(rater.message, [*loc, "message"])
        except InvalidInput as bad:
            errors.extend(bad.errors or [])
            message = None
        clean.append(RaterIn(email=email, group=rater.group, message=message))
    if errors:
        raise InvalidInput(N_("Some raters could not be invited"), errors=errors)
    return clean
