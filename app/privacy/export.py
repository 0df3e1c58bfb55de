"""A person's data export: ``data.json`` and their report PDFs, in one zip.

Built for the signed-in person only (there is no export of someone else: an
admin who needs one uses the database). Every part comes from the owning
domain in the shape that person already sees: assessments with answers and
stored results, finalized reviews without the coach's private notes, the
plan, feedback requests with the shown aggregates only, cohort memberships,
live sessions and tokens (metadata, never secrets), notification choices.

PDFs are rendered while the request waits (cached ones are reused), newest
first, at most ``STEPWISE_EXPORT_MAX_REPORTS``; ``data.json`` lists which are
included and which were left out (each stays downloadable on its own).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict
from datetime import datetime
from functools import partial
from typing import Any

from fastapi.concurrency import run_in_threadpool
from pydantic_core import to_jsonable_python
from sqlmodel import Session

from app.accounts import signins
from app.accounts.models import User
from app.accounts.preferences import preferences_of
from app.assessments import service as assessments
from app.assessments.state import assessment_document
from app.coaching.exports import plan_of, shared_reviews_of
from app.core.config import get_settings
from app.core.db import UnitOfWorkFactory
from app.core.timeutils import utcnow
from app.feedback.exports import feedback_export_of
from app.programmes.people import programme_data_of
from app.reports import service as reports

#: Bumped when the shape of data.json changes.
FORMAT = "stepwise-export/1"


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "locale": user.locale,
        "roles": sorted(user.role_set),
        "is_active": user.is_active,
        "created_at": user.created_at,
        "has_password": user.password_hash is not None,
    }


def export_document(*, session: Session, user: User) -> dict[str, Any]:
    """Everything about ``user`` as plain data (the body of ``data.json``)."""
    assert user.id is not None
    states = [
        assessments.get_own_assessment(session=session, user=user, assessment_id=s.id)
        for s in assessments.list_my_assessments(session=session, user=user)
    ]
    feedback = [f for f in (feedback_export_of(session=session, state=s) for s in states) if f]
    return {
        "format": FORMAT,
        "exported_at": utcnow(),
        "profile": _profile(user),
        "assessments": [assessment_document(s) for s in states],
        "reviews": shared_reviews_of(session=session, participant_id=user.id),
        "development_plan": plan_of(session=session, participant_id=user.id),
        "feedback_requests": feedback,
        **programme_data_of(session=session, user_id=user.id),
        "sessions": [
            asdict(e)
            for e in signins.list_sessions(session=session, user=user, current_session_id=None)
        ],
        "sso_links": signins.sso_links_of(session=session, user=user),
        "api_tokens": [
            asdict(e) for e in signins.list_tokens(session=session, user=user, bearer_secret=None)
        ],
        "notification_preferences": {
            kind.value: on for kind, on in preferences_of(session=session, user=user).items()
        },
    }


def _submitted_ids(document: dict[str, Any]) -> list[int]:
    """Submitted assessments, newest submission first."""
    submitted = [a for a in document["assessments"] if a.get("submitted_at") is not None]
    submitted.sort(key=lambda a: (a["submitted_at"], a["id"]), reverse=True)
    return [int(a["id"]) for a in submitted]


async def build_export_zip(*, session: Session, new_unit: UnitOfWorkFactory, user: User) -> bytes:
    """The zip: ``data.json`` plus ``reports/<filename>.pdf`` per included report.

    Reports come through the reports domain exactly as the person's own
    downloads do (cache first; a render records its lease and PDF in units
    of work of ``new_unit``, since the request's own is read-only).
    """
    document = await run_in_threadpool(partial(export_document, session=session, user=user))
    limit = get_settings().export_max_reports
    ids = _submitted_ids(document)
    pdfs: list[tuple[str, bytes]] = []
    for assessment_id in ids[:limit]:
        rendered = await reports.get_report_pdf(
            session=session, new_unit=new_unit, user=user, assessment_id=assessment_id
        )
        if rendered.pdf is not None:
            pdfs.append((rendered.filename, rendered.pdf))
    document["reports"] = {
        "included": [f"reports/{name}" for name, _ in pdfs],
        "omitted_assessment_ids": ids[limit:],
    }
    return await run_in_threadpool(_zipped, document, pdfs)


def _zipped(document: dict[str, Any], pdfs: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        body = json.dumps(to_jsonable_python(document), indent=2, ensure_ascii=False)
        archive.writestr("data.json", body)
        for name, pdf in pdfs:
            archive.writestr(f"reports/{name}", pdf)
    return buffer.getvalue()


def export_filename(user: User, now: datetime | None = None) -> str:
    day = (now or utcnow()).date().isoformat()
    return f"stepwise-data-{user.id}-{day}.zip"
