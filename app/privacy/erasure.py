"""Erasing a person (GDPR Art. 17), by an admin.

In order, each through the owning domain:

1. their assessments with everything hanging off them: answers, levels,
   results, coach reviews (the coach's private notes about them included),
   ratings, the development plan, feedback requests and what their raters
   answered about them, cached report PDFs (rows and files) and share links;
2. their cohort memberships and cycle participations;
3. what they gave others as a rater: anonymised (placeholder address, no
   free text), the submitted levels kept so others' aggregates still add up;
4. mail in the outbox addressed to them or naming them, and their undeliverable mark;
5. their account: emptied into a tombstone (``app.accounts.erasure``) with
   every session, token, link, coach assignment and preference gone.

Reviews they held *as a coach* of others stay (they are the others' records)
and name an "Erased person". Cohort insight figures are computed when shown,
from current members' assessments, so the person's answers no longer count in
them: nothing stored needs anonymising there. The erasure writes one audit
event holding ids only, never a name or an address.
"""

from __future__ import annotations

import logging

from sqlmodel import Session

from app.accounts import erasure as accounts_erasure
from app.accounts import policy
from app.accounts.models import User
from app.assessments import service as assessments
from app.audit.service import record_erasure
from app.core.exceptions import Conflict
from app.feedback.anonymise import anonymise_rater
from app.mail.outbox import forget_address
from app.programmes.people import remove_person
from app.reports import service as reports

logger = logging.getLogger(__name__)


def erase_person(*, session: Session, actor: User, user_id: int) -> None:
    """Erase ``user_id``'s personal data (admins only; 404 for others and the erased)."""
    policy.ensure_admin(user=actor)
    person = accounts_erasure.erasable_user(session=session, user_id=user_id)
    if person.id == actor.id:
        raise Conflict("You cannot erase your own account: ask another admin")
    email, name = person.email, person.display_name
    ids = assessments.assessment_ids_of(session=session, participant_id=user_id)
    reports.forget_cached_reports(session=session, assessment_ids=ids)
    assessments.delete_assessments(session=session, assessment_ids=ids)
    remove_person(session=session, user_id=user_id)
    anonymise_rater(session=session, email=email)
    forget_address(session=session, address=email, name=name)
    accounts_erasure.anonymise_account(session=session, user=person)
    record_erasure(session=session, actor_id=actor.id, erased_user_id=user_id)
    logger.info("person erased: user_id=%s by user_id=%s", user_id, actor.id)
