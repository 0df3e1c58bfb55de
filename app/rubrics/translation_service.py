"""Stored rubric translations, and the rubric in a viewer's locale.

:func:`rubric_for_locale` is the one function pages, e-mails and the PDF
report call to show a rubric version in a locale: the version's current
translation for that locale (``de_AT`` falls back to ``de``), applied string
by string (:func:`app.rubrics.translation_checks.translate_rubric`). No
translation: the rubric itself.

Translations are stored per rubric version and locale, each distinct text
set with its own content hash (``RubricTranslationRow``), never inside the
rubric's document or its hash. What a report was rendered with is the pair
(rubric content hash, translation hash); both rows are kept forever, so the
same pair renders the same text again (:func:`localized_rubric` with
``translation_hash``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import Table, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.core.exceptions import NotFound
from app.core.i18n import normalize
from app.rubrics.case import export_package
from app.rubrics.models import RubricTranslationRow, RubricVersion
from app.rubrics.roles import limited_to_competencies
from app.rubrics.schemas import Rubric
from app.rubrics.service import Unkeyed, find_case_version, rubric_by_hash, rubric_of
from app.rubrics.translation_checks import translate_rubric
from app.rubrics.translation_files import CheckedTranslation
from app.rubrics.translations import RubricTranslation

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Holder = TypeVar("_Holder", bound="DataclassInstance")


class VersionLike(Protocol):
    """A stored rubric version, or a snapshot of one (``RubricRef``)."""

    @property
    def id(self) -> int | None: ...

    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class LocalizedRubric:
    rubric: Rubric
    #: The hash of the translation applied; None when the rubric is shown as written.
    translation_hash: str | None
    locale: str | None = None


_TRANSLATIONS: Table = RubricTranslationRow.metadata.tables[str(RubricTranslationRow.__tablename__)]
_CURRENT = (
    sa_select(_TRANSLATIONS.c.id, _TRANSLATIONS.c.locale, _TRANSLATIONS.c.content_hash)
    .where(_TRANSLATIONS.c.rubric_version_id == bindparam("version_id"))
    .where(_TRANSLATIONS.c.locale.in_(bindparam("locales", expanding=True)))
    .where(_TRANSLATIONS.c.is_current.is_(True))
)
_NAMED = sa_select(_TRANSLATIONS.c.id, _TRANSLATIONS.c.locale, _TRANSLATIONS.c.content_hash).where(
    _TRANSLATIONS.c.rubric_version_id == bindparam("version_id"),
    _TRANSLATIONS.c.content_hash == bindparam("digest"),
)


def sync_translations(
    *, session: Session, stored: list[RubricVersion], checked: list[CheckedTranslation]
) -> list[RubricTranslationRow]:
    """Store the usable translations of a directory load and make them current.

    ``stored`` are the versions the load stored or found (``sync_rubrics``);
    a locale of theirs with no file any more stops being current (its rows
    stay, for the reports rendered with them).
    """
    by_key = {(row.rubric_id, row.version): row for row in stored}
    rows: list[RubricTranslationRow] = []
    for item in checked:
        if not item.report.ok:
            continue
        version = by_key.get((item.rubric.rubric.id, item.rubric.rubric.version))
        if version is None or version.id is None:
            continue
        rows.append(_store(session, version.id, item.translation))
    kept = {row.id for row in rows}
    session.info.pop(_CHOSEN, None)
    ids = [row.id for row in stored if row.id is not None]
    if ids:
        stale = select(RubricTranslationRow).where(
            col(RubricTranslationRow.rubric_version_id).in_(ids),
            col(RubricTranslationRow.is_current).is_(True),
        )
        for row in session.exec(stale):
            if row.id not in kept:
                row.is_current = False
                session.add(row)
    session.flush()
    return rows


def _store(
    session: Session, version_id: int, translation: RubricTranslation
) -> RubricTranslationRow:
    session.info.pop(_CHOSEN, None)
    digest = translation.content_hash
    row = _find(session, version_id, translation.locale, digest)
    if row is None:
        row = RubricTranslationRow(
            rubric_version_id=version_id,
            locale=translation.locale,
            source_version=translation.source_version,
            content_hash=digest,
            texts=translation.texts,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another worker stored it at the same moment
            row = _find(session, version_id, translation.locale, digest)
            assert row is not None
    session.execute(
        update(RubricTranslationRow)
        .where(
            col(RubricTranslationRow.rubric_version_id) == version_id,
            col(RubricTranslationRow.locale) == translation.locale,
            col(RubricTranslationRow.content_hash) != digest,
        )
        .values(is_current=False)
    )
    row.is_current = True
    session.add(row)
    return row


def _find(
    session: Session, version_id: int, locale: str, digest: str
) -> RubricTranslationRow | None:
    return session.exec(
        select(RubricTranslationRow).where(
            RubricTranslationRow.rubric_version_id == version_id,
            RubricTranslationRow.locale == locale,
            RubricTranslationRow.content_hash == digest,
        )
    ).first()


def list_translations(*, session: Session, version_id: int) -> list[RubricTranslationRow]:
    """The current translations of a version, by locale (for exports)."""
    return list(
        session.exec(
            select(RubricTranslationRow)
            .where(
                RubricTranslationRow.rubric_version_id == version_id,
                col(RubricTranslationRow.is_current).is_(True),
            )
            .order_by(col(RubricTranslationRow.locale))
        )
    )


def translation_of(row: RubricTranslationRow, rubric_id: str) -> RubricTranslation:
    return RubricTranslation(
        rubric_id=rubric_id,
        locale=row.locale,
        source_version=row.source_version,
        texts=dict(row.texts),
        path=f"stored translation {row.content_hash[:12]}",
    )


def _candidates(locale: str) -> list[str]:
    """``de_AT`` is looked up as itself, then as ``de``."""
    language = locale.split("_", 1)[0]
    return [locale] if language == locale else [locale, language]


def localized_rubric(
    *,
    session: Session,
    version: VersionLike,
    locale: str | None,
    translation_hash: str | None = None,
) -> LocalizedRubric:
    """The version's whole rubric in ``locale`` (or with the named translation), and which
    translation that was. One small query; the texts and the translated rubric are cached
    per hash (immutable rows, so every worker derives the same)."""
    rubric = rubric_by_hash(
        content_hash=version.content_hash, load=lambda: _version_row(session, version).document
    )
    if not locale or version.id is None:
        return LocalizedRubric(rubric, None, None)
    candidates = _candidates(locale)
    chosen = _chosen_translation(session, version.id, candidates, translation_hash)
    if chosen is None:
        return LocalizedRubric(rubric, None, None)
    pk, found_locale, digest = chosen
    translated = _translated(
        version.content_hash, digest, Unkeyed(lambda: (rubric, _texts(session, pk, rubric.id)))
    )
    return LocalizedRubric(translated, digest, found_locale)


#: ``session.info`` key: (transaction, the translation each (version, locales or hash)
#: chose in it). A page translates the same rubric for several of its parts (the coach's
#: review read the same row twice). A new transaction starts afresh, as does storing a
#: translation, so another process's new translation is seen by the next unit of work.
_CHOSEN = "stepwise_chosen_translations"

_Chosen = tuple[int, str, str] | None


def _chosen_translation(
    session: Session, version_id: int, candidates: list[str], translation_hash: str | None
) -> _Chosen:
    """(pk, locale, content hash) of the translation to use, best locale first, or None."""
    key = (version_id, translation_hash or tuple(candidates))
    transaction = session.get_transaction()
    held_by, memo = session.info.get(_CHOSEN, (None, {}))
    if transaction is None or held_by is not transaction:
        memo = {}
    if key in memo:
        return memo[key]
    if translation_hash is None:
        query, params = _CURRENT, {"version_id": version_id, "locales": candidates}
    else:
        query, params = _NAMED, {"version_id": version_id, "digest": translation_hash}
    found = sorted(
        session.execute(query, params).all(),
        key=lambda r: candidates.index(r[1]) if r[1] in candidates else len(candidates),
    )
    memo[key] = chosen = (found[0][0], found[0][1], found[0][2]) if found else None
    session.info[_CHOSEN] = (session.get_transaction(), memo)
    return chosen


def rubric_for_locale(
    *, session: Session, version: VersionLike, locale: str | None, part: Rubric | None = None
) -> Rubric:
    """The version's rubric in ``locale``, falling back string by string to its own texts.

    ``part`` is a part of the version's rubric (an assessment limited to a
    role asks only some competencies): the same part is returned, translated.
    """
    found = localized_rubric(session=session, version=version, locale=locale)
    if part is None:
        return found.rubric
    return part if found.translation_hash is None else same_part(found.rubric, part)


def same_part(translated: Rubric, part: Rubric) -> Rubric:
    """The competencies of ``part`` (a role's part of the rubric), from ``translated``."""
    if len(part.competencies) == len(translated.competencies):
        return translated
    return limited_to_competencies(translated, {c.id for c in part.competencies})


def _version_row(session: Session, version: VersionLike) -> RubricVersion:
    if isinstance(version, RubricVersion):
        return version
    row = session.get(RubricVersion, version.id)
    assert row is not None  # versions are never deleted
    return row


def _texts(session: Session, pk: int, rubric_id: str) -> RubricTranslation:
    row = session.get(RubricTranslationRow, pk)
    assert row is not None
    return translation_of(row, rubric_id)


@lru_cache(maxsize=64)
def _translated(rubric_hash: str, translation_hash: str, holder: Unkeyed) -> Rubric:
    rubric, translation = holder.load()
    return translate_rubric(rubric, translation)


def stored_translations(*, session: Session, version: RubricVersion) -> list[RubricTranslation]:
    """The version's current translations (what a spreadsheet export carries)."""
    assert version.id is not None
    return [
        translation_of(row, version.rubric_id)
        for row in list_translations(session=session, version_id=version.id)
    ]


def get_case_package(
    *, session: Session, package_id: str, base_url: str, locale: str | None = None
) -> dict[str, Any]:
    """The CASE 1.1 package of a current rubric, in its own language or in ``locale``.

    A package holds one language (docs/case.md); a locale the rubric has no
    translation for is ``NotFound``, like an unknown package.
    """
    row = find_case_version(session=session, package_id=package_id)
    if locale is None:
        return export_package(rubric_of(row), base_url=base_url, changed=row.loaded_at)
    found = localized_rubric(session=session, version=row, locale=normalize(locale))
    if found.locale is None:
        raise NotFound("CFPackage not found in this language")
    return export_package(
        found.rubric,
        base_url=base_url,
        changed=row.loaded_at,
        language=found.locale.replace("_", "-"),
    )


def with_rubric_for_locale(
    holder: _Holder, *, session: Session, version: VersionLike | None, locale: str
) -> _Holder:
    """A page's dataclass holding (a part of) ``version``'s rubric as ``holder.rubric``,
    with that rubric in ``locale``; the same object when nothing is translated."""
    current: Rubric = getattr(holder, "rubric")  # noqa: B009 - any dataclass with a rubric
    if version is None:
        return holder
    rubric = rubric_for_locale(session=session, version=version, locale=locale, part=current)
    return holder if rubric is current else replace(holder, rubric=rubric)
