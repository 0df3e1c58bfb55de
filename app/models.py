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
from app.accounts.password_reset_models import PasswordReset, PasswordResetRequest
from app.accounts.preferences import NotificationPreference
from app.accounts.sso_models import SsoIdentity, SsoLoginAttempt
from app.assessments.models import Assessment, AssessmentLevel, AssessmentResponse
from app.audit.models import AuditEvent
from app.coaching.models import CoachReview, PlanAction, PlanActionEvent, ReviewRating
from app.coaching.reminder_models import PlanActionReminder
from app.feedback.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackOverall,
    FeedbackRequest,
)
from app.jobs.models import Job
from app.mail.models import MailMessage, UndeliverableAddress
from app.programmes.models import Cohort, CohortMember, Cycle, CycleParticipation
from app.reports.models import ReportCache, ReportShareLink
from app.rubrics.models import RubricTranslationRow, RubricUpload, RubricVersion
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "Assessment",
    "AssessmentLevel",
    "AssessmentResponse",
    "AuditEvent",
    "CoachAssignment",
    "CoachReview",
    "Cohort",
    "CohortMember",
    "Cycle",
    "CycleParticipation",
    "FeedbackAnswer",
    "FeedbackInvitation",
    "FeedbackOverall",
    "FeedbackRequest",
    "Invitation",
    "Job",
    "LoginFailure",
    "LoginThrottleKey",
    "MailMessage",
    "NotificationPreference",
    "PasswordReset",
    "PasswordResetRequest",
    "PlanAction",
    "PlanActionEvent",
    "PlanActionReminder",
    "ReportCache",
    "ReportShareLink",
    "ReviewRating",
    "RubricTranslationRow",
    "RubricUpload",
    "RubricVersion",
    "SsoIdentity",
    "SsoLoginAttempt",
    "UndeliverableAddress",
    "User",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
