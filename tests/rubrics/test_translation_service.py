"""Stored translations: loaded beside their rubric version, looked up per locale, in CASE.

The test database holds ``mini`` 2 and its German translation
(``tests/fixtures/rubrics/mini.de.yaml``), loaded by ``tests/fixtures/database.py``
through the same start-up function the server runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import User
from app.rubrics.case import document_id, validate_package
from app.rubrics.loader import RubricLoadErrors, content_hash, load_rubric_file
from app.rubrics.models import RubricTranslationRow
from app.rubrics.service import get_rubric_version
from app.rubrics.startup import load_and_sync_rubrics
from app.rubrics.translation_files import load_translation_file
from app.rubrics.translation_service import localized_rubric, rubric_for_locale
from tests.fixtures.paths import FIXTURE_RUBRICS
from tests.fixtures.queries import count_statements

MINI_DE = FIXTURE_RUBRICS / "mini.de.yaml"


def test_the_translation_is_stored_beside_the_version_without_changing_its_hash(
    session: Session,
) -> None:
    version = get_rubric_version(session=session, rubric_id="mini")
    assert version.content_hash == content_hash(
        load_rubric_file(FIXTURE_RUBRICS / "mini.yaml").rubric
    )
    rows = session.exec(
        select(RubricTranslationRow).where(RubricTranslationRow.rubric_version_id == version.id)
    ).all()
    assert [(r.locale, r.is_current) for r in rows] == [("de", True)]
    assert rows[0].content_hash == load_translation_file(MINI_DE).content_hash


def test_rubric_for_locale_translates_and_falls_back_by_language(session: Session) -> None:
    version = get_rubric_version(session=session, rubric_id="mini")
    german = rubric_for_locale(session=session, version=version, locale="de")
    assert german.competencies[0].behaviors[0].name == "Planung"
    assert rubric_for_locale(session=session, version=version, locale="de_AT").title == (
        "Mini-Rahmenwerk"
    )
    assert rubric_for_locale(session=session, version=version, locale="fr").title == (
        "Mini framework"
    )
    assert rubric_for_locale(session=session, version=version, locale="en").title == (
        "Mini framework"
    )
    found = localized_rubric(session=session, version=version, locale="de")
    assert found.translation_hash == load_translation_file(MINI_DE).content_hash


def test_a_changed_translation_gets_a_new_row_and_the_old_one_stays(
    session: Session, tmp_path: Path
) -> None:
    (tmp_path / "mini.yaml").write_bytes((FIXTURE_RUBRICS / "mini.yaml").read_bytes())
    data = yaml.safe_load(MINI_DE.read_text(encoding="utf-8"))
    data["title"] = "Kleines Rahmenwerk"
    (tmp_path / "mini.de.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    old = load_translation_file(MINI_DE).content_hash
    before = get_rubric_version(session=session, rubric_id="mini")
    assert rubric_for_locale(session=session, version=before, locale="de").title == (
        "Mini-Rahmenwerk"
    )  # chosen once in this unit of work ...

    load_and_sync_rubrics(session=session, directory=tmp_path)  # ... and forgotten by storing

    version = get_rubric_version(session=session, rubric_id="mini")
    assert rubric_for_locale(session=session, version=version, locale="de").title == (
        "Kleines Rahmenwerk"
    )
    pinned = localized_rubric(session=session, version=version, locale="de", translation_hash=old)
    assert pinned.rubric.title == "Mini-Rahmenwerk"  # an old report renders as it was


#: The choosing query (id, locale, hash); the texts of a chosen translation are read once per
#: process and hash, so whether they are read depends on which test ran first.
_CHOICE = (
    "SELECT rubric_translations.id, rubric_translations.locale, rubric_translations.content_hash"
)


def _translation_lookups(session: Session, call: Callable[[], object]) -> int:
    with count_statements(session) as counted:
        call()
    return sum(" ".join(text.split()).startswith(_CHOICE) for text in counted.statements)


def test_a_unit_of_work_chooses_a_translation_once(session: Session) -> None:
    """A page translates one rubric for several parts; the row is chosen once per transaction."""
    version = get_rubric_version(session=session, rubric_id="mini")

    def german() -> None:
        assert rubric_for_locale(session=session, version=version, locale="de").title == (
            "Mini-Rahmenwerk"
        )

    assert _translation_lookups(session, german) == 1
    assert _translation_lookups(session, german) == 0
    assert (
        _translation_lookups(
            session, lambda: rubric_for_locale(session=session, version=version, locale="de_AT")
        )
        == 1
    )  # other locales, another choice
    session.commit()  # the next unit of work may see a translation stored elsewhere meanwhile
    assert _translation_lookups(session, german) == 1


def test_a_translation_with_an_extra_key_refuses_the_load(session: Session, tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_bytes((FIXTURE_RUBRICS / "mini.yaml").read_bytes())
    data = yaml.safe_load(MINI_DE.read_text(encoding="utf-8"))
    data["levels"]["guru"] = {"name": "Guru"}
    (tmp_path / "mini.de.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    try:
        load_and_sync_rubrics(session=session, directory=tmp_path)
    except RubricLoadErrors as exc:
        assert "mini.de.yaml: levels.guru.name: not in the rubric (extra key)" in str(exc)
    else:
        raise AssertionError("the load should have been refused")


def test_the_case_package_comes_in_a_translated_language(
    client: TestClient, participant: User, auth_headers: Callable[[User], dict[str, str]]
) -> None:
    path = f"/ims/case/v1p1/CFPackages/{document_id('mini')}"
    headers = auth_headers(participant)
    english = client.get(path, headers=headers).json()
    german = client.get(f"{path}?locale=de", headers=headers).json()
    assert english["CFDocument"]["language"] == "en"
    assert german["CFDocument"]["language"] == "de"
    assert german["CFDocument"]["title"] == "Mini-Rahmenwerk"
    assert validate_package(german) == []
    assert [i["identifier"] for i in german["CFItems"]] == [
        i["identifier"] for i in english["CFItems"]
    ]
    assert client.get(f"{path}?locale=fr", headers=headers).status_code == 404
    bad = client.get(f"{path}?locale=<x>", headers=headers)
    assert bad.status_code == 422 and "<x>" not in bad.text
