"""The shown feedback results as CSV rows: one per behavior and shown figure, nothing else.

A row carries what the pages show of a figure (behavior, group, n, median,
distribution): it is built from :class:`~app.feedback.results.FeedbackResults`,
so the export can hold no answer of a rater and no figure the rules hide.
Comments are not exported (they are text a rater wrote; the pages and the
PDF show them under their group).
"""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from app.accounts import service as accounts
from app.assessments import service as assessments
from app.feedback.results import FeedbackResults, get_feedback_results

#: The CSV columns; ``distribution`` is ``Level name: count`` per level, lowest first.
COLUMNS = (
    "behavior_id",
    "behavior",
    "group",
    "group_label",
    "n",
    "not_observed",
    "median",
    "distribution",
)


def feedback_rows(results: FeedbackResults) -> list[dict[str, str | int | float]]:
    """One row per behavior and shown figure, in the pages' order."""
    rows: list[dict[str, str | int | float]] = []
    for behavior in results.aggregate.behaviors:
        for figure in behavior.figures:
            rows.append(
                {
                    "behavior_id": behavior.id,
                    "behavior": behavior.name,
                    "group": figure.key,
                    "group_label": figure.label,
                    "n": figure.n,
                    "not_observed": figure.not_observed,
                    "median": figure.median,
                    "distribution": "; ".join(
                        f"{level.name}: {count}"
                        for level, count in zip(behavior.levels, figure.distribution, strict=True)
                    ),
                }
            )
    return rows


def feedback_csv(results: FeedbackResults) -> str:
    """:func:`feedback_rows` as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(feedback_rows(results))
    return out.getvalue()


def export_feedback_results(*, session: Session, assessment_id: int) -> FeedbackResults:
    """For the CLI: any assessment's shown results, read as its owner would (404 if none)."""
    found = assessments.find_assessment(session=session, assessment_id=assessment_id)
    owner = accounts.get_user(session=session, user_id=found.assessment.participant_id)
    return get_feedback_results(session=session, user=owner, assessment_id=assessment_id)
