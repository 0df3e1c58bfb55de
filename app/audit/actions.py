"""The action codes of the trail: short, fixed, ours (never built from input)."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    #: A coach (or admin) opened someone's review session (page or API).
    review_viewed = "review.viewed"
    #: Someone other than the participant downloaded their report PDF.
    report_downloaded = "report.downloaded"
    #: Someone other than the participant opened the HTML preview of their report.
    report_previewed = "report.previewed"
    #: A share link was opened (landing page or PDF); the actor is anonymous.
    share_link_opened = "share_link.opened"
    #: A cohort's results were exported (CSV or XLSX): one row per person in the file.
    cohort_exported = "cohort.exported"
    #: A cycle's PDF summary (aggregates) was downloaded.
    cycle_summary_exported = "cycle_summary.exported"
    #: An admin changed someone's roles.
    roles_changed = "user.roles_changed"
    #: Someone other than the participant read their feedback results.
    feedback_viewed = "feedback_results.viewed"
    #: A person was erased (the row keeps only the number they had).
    user_erased = "user.erased"


class Target(StrEnum):
    review = "review"
    assessment = "assessment"
    share_link = "share_link"
    cohort = "cohort"
    cycle = "cycle"
    user = "user"
