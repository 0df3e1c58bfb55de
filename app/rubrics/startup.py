"""Loading the rubrics directory into the database (server start-up and CLI)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from app.rubrics.loader import RubricLoadErrors, load_rubric_dir
from app.rubrics.models import RubricVersion
from app.rubrics.service import sync_rubrics
from app.rubrics.translation_files import TranslationsLoad, load_translations, translation_files
from app.rubrics.translation_service import sync_translations


def load_and_sync_rubrics(*, session: Session, directory: Path) -> list[RubricVersion]:
    """Validate every file (raising with all problems) and store new versions, then the
    translations beside them (docs/rubric-format.md, Translations)."""
    loaded = load_rubric_dir(directory)
    stored = sync_rubrics(session=session, loaded=loaded)
    sync_directory_translations(
        session=session,
        stored=stored,
        found=load_translations(translation_files(directory), loaded),
    )
    return stored


def sync_directory_translations(
    *, session: Session, stored: list[RubricVersion], found: TranslationsLoad
) -> None:
    """Store the translations of a load; any error in one refuses the load, like a rubric's.

    Missing texts are warnings only: the rubric's own strings are shown there.
    """
    errors = found.all_errors()
    if errors:
        raise RubricLoadErrors(list(errors))
    sync_translations(session=session, stored=stored, checked=found.checked)
