"""The stored version's document is a deferred column, declared without a mapper warning.

Loading a ``RubricVersion`` row must not decode its ~80 kB document (pages read
the parsed rubric from the cache keyed by the content hash); SQLAlchemy warned
on every start while the attribute was replaced after mapping.
"""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import inspect
from sqlmodel import Session, select

from app.rubrics.models import RubricVersion


def test_the_document_is_deferred_on_the_tables_own_column() -> None:
    prop = inspect(RubricVersion).attrs["document"]
    assert prop.deferred
    assert prop.columns[0] is RubricVersion.__table__.c.document  # type: ignore[attr-defined]


def test_mapping_the_models_warns_of_nothing() -> None:
    code = "import warnings; warnings.simplefilter('error'); import app.models"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_loaded_row_reads_its_document_on_access(session: Session) -> None:
    session.add(
        RubricVersion(
            rubric_id="deferred", version="1", title="T", content_hash="h" * 64, document={"a": 1}
        )
    )
    session.flush()
    session.expunge_all()
    row = session.exec(select(RubricVersion).where(RubricVersion.rubric_id == "deferred")).one()
    assert "document" not in row.__dict__
    assert row.document == {"a": 1}
