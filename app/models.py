"""Every table, imported in one place so Alembic and the tests see them all."""

from app.accounts.models import (
    ApiToken,
    CoachAssignment,
    Invitation,
    LoginFailure,
    LoginThrottleKey,
    User,
    WebSession,
)
from app.assessments.models import Assessment, AssessmentResponse
from app.coaching.models import CoachReview, PlanAction, PlanActionEvent, ReviewRating
from app.reports.models import ReportCache, ReportShareLink
from app.rubrics.models import RubricVersion

__all__ = [
    "ApiToken",
    "Assessment",
    "AssessmentResponse",
    "CoachAssignment",
    "CoachReview",
    "Invitation",
    "LoginFailure",
    "LoginThrottleKey",
    "PlanAction",
    "PlanActionEvent",
    "ReportCache",
    "ReportShareLink",
    "ReviewRating",
    "RubricVersion",
    "User",
    "WebSession",
]
