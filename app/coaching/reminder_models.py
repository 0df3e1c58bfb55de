"""The plan-action reminders already sent: each one once.

A row is written *before* the reminder mail is queued, in the same
transaction, and the unique key (action, kind, due date) makes a second
writer's insert a no-op: two workers running the reminder scan at once send
one mail. The due date is part of the key, so moving an action's due date
earns it a fresh pair of reminders.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field

from app.core.columns import IdRow, timestamp_now


class ReminderKind(StrEnum):
    #: ``STEPWISE_REMINDER_DAYS_BEFORE`` days (or fewer) before the due date.
    due_soon = "due_soon"
    #: The due date has passed and the action is still open.
    overdue = "overdue"


class PlanActionReminder(IdRow, table=True):
    __tablename__ = "plan_action_reminders"
    __table_args__ = (
        UniqueConstraint("action_id", "kind", "due_date", name="uq_plan_action_reminders_once"),
    )

    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("plan_actions.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    due_date: date = Field(sa_column=Column(Date, nullable=False))
    sent_at: datetime = timestamp_now()
