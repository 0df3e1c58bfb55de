"""Stored rubric versions: pinned by hash, refused when edited without a version bump."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlmodel import Session

from app.rubrics.loader import load_rubric_file
from app.rubrics.service import (
    RubricVersionConflict,
    get_rubric_version,
    rubric_of,
    sync_rubrics,
)

MINI = Path(__file__).parents[1] / "fixtures" / "rubrics" / "mini.yaml"


def _variant(tmp_path: Path, **changes: str) -> Path:
    data = yaml.safe_load(MINI.read_text()) | changes
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_sync_is_idempotent(session: Session) -> None:
    loaded = load_rubric_file(MINI)
    first = sync_rubrics(session=session, loaded=[loaded])
    again = sync_rubrics(session=session, loaded=[loaded])
    assert [r.id for r in first] == [r.id for r in again]
    row = get_rubric_version(session=session, rubric_id="mini")
    assert row.is_current and row.content_hash == loaded.content_hash
    assert rubric_of(row) == loaded.rubric


def test_edit_without_version_bump_is_refused(session: Session, tmp_path: Path) -> None:
    edited = load_rubric_file(_variant(tmp_path, title="Mini, edited"))
    with pytest.raises(RubricVersionConflict, match="needs a new `version` value") as info:
        sync_rubrics(session=session, loaded=[edited])
    assert str(tmp_path / "mini.yaml") in info.value.detail


def test_a_new_version_becomes_current_and_the_old_one_stays(
    session: Session, tmp_path: Path
) -> None:
    new = load_rubric_file(_variant(tmp_path, title="Mini, edited", version="3"))
    sync_rubrics(session=session, loaded=[new])
    assert get_rubric_version(session=session, rubric_id="mini").version == "3"
    old = get_rubric_version(session=session, rubric_id="mini", version="2")
    assert not old.is_current and rubric_of(old).title == "Mini framework"
