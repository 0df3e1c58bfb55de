"""Erasing a rater: their address goes, the levels they submitted stay, anonymous.

A rater is known only by the address their invitation went to. When that
person is erased, each invitation to it gets a placeholder address and a new
random link hash (the old link dies), the participant's personal message to
them is dropped, and so is everything they wrote (comments, keep / start
doing: free text can name its writer). A submitted invitation keeps its group
and picked levels, so the aggregates of the person they rated still add up;
an unsubmitted one never counted, so it is cancelled and its drafts deleted.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.credentials import hash_secret, new_secret
from app.core.timeutils import utcnow
from app.feedback import repository
from app.feedback.models import InvitationStatus

PLACEHOLDER = "erased-rater-{id}@erased.invalid"


def anonymise_rater(*, session: Session, email: str) -> int:
    """Anonymise every invitation sent to ``email``; how many there were."""
    invitations = repository.invitations_to(session, email=email.lower())
    submitted = [i.id for i in invitations if i.status == InvitationStatus.submitted.value]
    others = [i.id for i in invitations if i.status != InvitationStatus.submitted.value]
    now = utcnow()
    for invitation in invitations:
        invitation.email = PLACEHOLDER.format(id=invitation.id)
        invitation.message = None
        invitation.token_hash = hash_secret(new_secret())
        if invitation.status != InvitationStatus.submitted.value:
            invitation.status = InvitationStatus.cancelled.value
        invitation.updated_at = now
        session.add(invitation)
    repository.drop_rater_texts(
        session, invitation_ids=[i for i in submitted if i is not None], keep_levels=True
    )
    repository.drop_rater_texts(
        session, invitation_ids=[i for i in others if i is not None], keep_levels=False
    )
    session.flush()
    return len(invitations)
