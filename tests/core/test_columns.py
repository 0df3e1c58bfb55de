"""The shared column and constraint helpers spell every table as migrated."""

from __future__ import annotations

from sqlalchemy import Text

from app.accounts.models import User
from app.core.columns import UTCDateTime
from app.mail.models import MailMessage, UndeliverableAddress


def test_id_row_gives_each_table_its_own_first_id_column() -> None:
    users = User.__table__.c  # type: ignore[attr-defined]
    mails = MailMessage.__table__.c  # type: ignore[attr-defined]
    assert next(iter(users.keys())) == "id" and users.id.primary_key
    assert users.id is not mails.id and mails.id.table.name == "mail_messages"


def test_timestamp_and_text_helpers_follow_the_annotation() -> None:
    columns = MailMessage.__table__.c  # type: ignore[attr-defined]
    assert isinstance(columns.created_at.type, UTCDateTime) and not columns.created_at.nullable
    assert columns.sent_at.nullable and MailMessage().sent_at is None
    assert isinstance(columns.text_body.type, Text) and columns.text_body.nullable
    first = UndeliverableAddress.__table__.c.first_failed_at  # type: ignore[attr-defined]
    assert first.default is not None and first.server_default is None


def test_status_and_version_checks_spell_the_migrated_sql() -> None:
    from enum import StrEnum

    from app.core.constraints import status_check, version_check

    class _Status(StrEnum):
        draft = "draft"
        in_progress = "in_progress"

    check = status_check("things", _Status)
    assert (str(check.sqltext), check.name) == (
        "status IN ('draft', 'in_progress')",
        "ck_things_status",
    )
    assert (str(version_check("things").sqltext), version_check("things").name) == (
        "version >= 1",
        "ck_things_version",
    )
