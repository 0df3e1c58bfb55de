"""Uploads through the service: pending in the database, confirmed once, by their uploader,
and kept current across a restart's directory sync until the directory brings a newer one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlmodel import Session, select

from app.accounts.models import Role, User
from app.core.exceptions import InvalidInput, NotFound
from app.core.timeutils import utcnow
from app.rubrics import uploads
from app.rubrics.loader import load_rubric_file
from app.rubrics.models import SOURCE_UPLOAD, RubricUpload
from app.rubrics.service import get_rubric_version, sync_rubrics
from tests.fixtures.factories import UserFactory
from tests.fixtures.paths import FIXTURE_RUBRICS

MINI = FIXTURE_RUBRICS / "mini.yaml"
TTL = timedelta(minutes=30)


def _yaml(version: str) -> bytes:
    data = yaml.safe_load(MINI.read_text()) | {"version": version}
    return yaml.safe_dump(data).encode()


def _preview(session: Session, user: User, version: str = "3", **kw: object) -> str:
    preview = uploads.preview_upload(
        session=session,
        data=_yaml(version),
        filename="mini.yaml",
        uploaded_by=user.id or 0,
        ttl=TTL,
        **kw,  # type: ignore[arg-type]
    )
    assert preview.status == "new_version" and preview.token, preview.errors
    return preview.token


def test_an_upload_waits_in_the_database_and_is_confirmed_once(
    session: Session, admin: User
) -> None:
    token = _preview(session, admin)
    pending = session.exec(select(RubricUpload)).one()
    assert pending.token_hash != token and (pending.rubric_id, pending.version) == ("mini", "3")
    row = uploads.confirm_upload(session=session, token=token, uploaded_by=admin.id or 0)
    assert row.source == SOURCE_UPLOAD and row.is_current
    assert session.exec(select(RubricUpload)).all() == []
    with pytest.raises(NotFound):
        uploads.confirm_upload(session=session, token=token, uploaded_by=admin.id or 0)


def test_only_the_uploader_confirms_and_only_before_expiry(
    session: Session, admin: User, make_user: UserFactory
) -> None:
    other = make_user(Role.admin)
    token = _preview(session, admin)
    with pytest.raises(NotFound):
        uploads.confirm_upload(session=session, token=token, uploaded_by=other.id)
    later = utcnow() + TTL + timedelta(seconds=1)
    with pytest.raises(NotFound):
        uploads.confirm_upload(session=session, token=token, uploaded_by=admin.id or 0, now=later)
    # A new preview replaces the uploader's pending one and purges expired ones.
    _preview(session, admin)
    assert len(session.exec(select(RubricUpload)).all()) == 1


def test_an_unknown_suffix_is_a_located_error(session: Session, admin: User) -> None:
    with pytest.raises(InvalidInput) as info:
        uploads.preview_upload(
            session=session, data=b"x", filename="mini.csv", uploaded_by=1, ttl=TTL
        )
    assert info.value.errors and info.value.errors[0]["loc"] == ["file"]
    assert uploads.upload_name("C:\\Users\\me\\mini.yaml") == "mini.yaml"


def test_an_upload_stays_current_until_the_directory_brings_a_newer_version(
    session: Session, admin: User, tmp_path: Path
) -> None:
    token = _preview(session, admin)
    directory_version = get_rubric_version(session=session, rubric_id="mini", version="2")
    uploads.confirm_upload(
        session=session,
        token=token,
        uploaded_by=admin.id or 0,
        now=directory_version.loaded_at + timedelta(microseconds=1),
    )
    # A restart loads the directory, which still holds version 2: the upload stays current.
    sync_rubrics(session=session, loaded=[load_rubric_file(MINI)])
    assert get_rubric_version(session=session, rubric_id="mini").version == "3"
    # The directory gets version 4: stored after the upload, so it becomes current.
    path = tmp_path / "mini.yaml"
    path.write_bytes(_yaml("4"))
    sync_rubrics(session=session, loaded=[load_rubric_file(path)])
    assert get_rubric_version(session=session, rubric_id="mini").version == "4"
    assert not get_rubric_version(session=session, rubric_id="mini", version="3").is_current
