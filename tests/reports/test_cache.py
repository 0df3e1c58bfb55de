"""The PDF cache key and store: what changes the key, and one row per assessment and paper."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from app.accounts.models import User
from app.reports.builder import build_report_data
from app.reports.cache import cache_key, forget_renders, load_cached, store_pdf
from app.reports.model import ReportData, ReviewedBehavior, ReviewInput
from app.reports.models import ReportCache
from app.rubrics.schemas import Rubric
from app.scoring import score_responses
from tests.reports.conftest import MINI_ANSWERS, SubmitFactory


def _data(rubric: Rubric, coach_level: int | None = None, locale: str = "en") -> ReportData:
    review = (
        None
        if coach_level is None
        else ReviewInput("Casey", behaviors={"planning": ReviewedBehavior(level=coach_level)})
    )
    return build_report_data(
        rubric=rubric,
        result=score_responses(rubric, MINI_ANSWERS),
        participant_name="Pat",
        assessed_on=date(2025, 3, 14),
        review=review,
        locale=locale,
    )


def test_the_key_follows_every_input(mini_rubric: Rubric) -> None:
    base = cache_key(_data(mini_rubric, 1), rubric_hash="h1", paper="a4")
    assert base == cache_key(_data(mini_rubric, 1), rubric_hash="h1", paper="a4")
    assert len(base) == 64
    assert base != cache_key(_data(mini_rubric, 2), rubric_hash="h1", paper="a4")  # a coach rating
    assert base != cache_key(_data(mini_rubric), rubric_hash="h1", paper="a4")  # no review
    assert base != cache_key(_data(mini_rubric, 1), rubric_hash="h2", paper="a4")  # rubric
    assert base != cache_key(_data(mini_rubric, 1), rubric_hash="h1", paper="letter")
    # A German and an English report are two renders, even where no text differs.
    assert base != cache_key(_data(mini_rubric, 1, "de"), rubric_hash="h1", paper="a4")


def test_a_new_render_replaces_the_old_one_and_duplicates_are_harmless(
    session: Session, participant: User, submitted: SubmitFactory
) -> None:
    assessment_id = submitted(participant)
    for key, paper, pdf in (
        ("a", "a4", b"one"),
        ("l", "letter", b"L"),
        ("b", "a4", b"two"),  # replaces "a": the same assessment and paper
        ("b", "a4", b"two"),  # the same render again: harmless
    ):
        store_pdf(
            session=session,
            key=key * 64,
            assessment_id=assessment_id,
            paper=paper,
            pdf=pdf,
            directory=None,
        )
    keys = set(
        session.exec(select(ReportCache.key).where(ReportCache.assessment_id == assessment_id))
    )
    assert keys == {"b" * 64, "l" * 64}
    assert load_cached(session=session, key="b" * 64, directory=None) == b"two"
    assert load_cached(session=session, key="a" * 64, directory=None) is None


def test_forgetting_an_assessments_renders_removes_rows_and_files(
    session: Session, participant: User, submitted: SubmitFactory, tmp_path: Path
) -> None:
    """Erasure and retention: the files in the cache directory go with the rows."""
    mine, other = submitted(participant), submitted(participant)
    for key, assessment_id in (("m", mine), ("o", other)):
        store_pdf(
            session=session,
            key=key * 64,
            assessment_id=assessment_id,
            paper="a4",
            pdf=b"%PDF",
            directory=tmp_path,
        )
    assert (tmp_path / f"{'m' * 64}.pdf").exists()
    assert forget_renders(session=session, assessment_ids=[mine], directory=tmp_path) == 1
    assert not (tmp_path / f"{'m' * 64}.pdf").exists()
    assert load_cached(session=session, key="m" * 64, directory=tmp_path) is None
    assert load_cached(session=session, key="o" * 64, directory=tmp_path) == b"%PDF"
    assert forget_renders(session=session, assessment_ids=[mine], directory=tmp_path) == 0
