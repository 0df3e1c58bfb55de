"""Loading the rubrics directory into the database (server start-up and CLI)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.rubrics.loader import load_rubric_dir
from app.rubrics.models import RubricVersion
from app.rubrics.service import sync_rubrics


def load_and_sync_rubrics(*, session: Session, directory: Path) -> list[RubricVersion]:
    """Validate every file (raising with all problems) and store new versions."""
    return sync_rubrics(session=session, loaded=load_rubric_dir(directory))
