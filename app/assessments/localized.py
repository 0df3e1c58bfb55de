"""An assessment as a page in some locale shows it: its rubric's texts translated.

Scoring, answers and ids are untouched (a translation changes text only), so
only what a page or report *shows* goes through here; the services keep the
rubric as written, and an upgrade still compares item texts as written. The
stored result quotes the rubric's texts too: shown, it quotes the
translation (:func:`app.scoring.relabel.relabelled`), its numbers untouched.
"""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from app.assessments.state import AssessmentState, AssessmentSummary
from app.core.i18n import default_locale
from app.rubrics.translation_service import localized_rubric, same_part
from app.scoring.relabel import relabelled


def localized_state(*, session: Session, state: AssessmentState, locale: str) -> AssessmentState:
    """``state`` with its rubric (the asked part and the whole pinned one) in ``locale``."""
    return localize(session=session, state=state, locale=locale)[0]


def localize(
    *, session: Session, state: AssessmentState, locale: str | None
) -> tuple[AssessmentState, str | None]:
    """:func:`localized_state` and the hash of the translation applied (None: as written),
    which a rendered report records in its cache key."""
    found = localized_rubric(session=session, version=state.rubric_version, locale=locale)
    if found.translation_hash is None:
        return state, None
    record = state.assessment
    if record.result is not None:
        record = replace(record, result=relabelled(record.result, found.rubric))
    shown = replace(
        state,
        assessment=record,
        rubric=same_part(found.rubric, state.rubric),
        pinned_rubric=found.rubric if state.pinned_rubric is not None else None,
        rubric_version=replace(state.rubric_version, title=found.rubric.title),
    )
    return shown, found.translation_hash


def shown_name(*, session: Session, summary: AssessmentSummary, locale: str | None) -> str:
    """An assessment's name as ``locale`` reads it: its own title, else its rubric's title
    in that locale (e-mails name assessments this way, in the recipient's locale)."""
    if summary.assessment.title:
        return summary.assessment.title
    found = localized_rubric(
        session=session, version=summary.rubric_version, locale=locale or default_locale()
    )
    return found.rubric.title if found.translation_hash else summary.name
