"""Rubric translations without a database: the file format, its checks, the fallback.

``tests/fixtures/rubrics/mini.de.yaml`` is a German translation of the test
rubric that leaves the expert level of "review" out on purpose.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.rubrics.loader import content_hash, is_translation_file, load_rubric_file, rubric_files
from app.rubrics.schemas import Rubric
from app.rubrics.transfer import ExportFormat, TransferError, export_rubric, import_rubric_bytes
from app.rubrics.translation_checks import check_translation, translate_rubric
from app.rubrics.translation_files import load_translations, translation_files
from app.rubrics.translations import (
    RubricTranslation,
    TranslationFileError,
    parse_translation,
    rubric_texts,
)
from app.rubrics.writer import translation_yaml
from app.scoring import score_responses
from tests.fixtures.paths import FIXTURE_RUBRICS

MINI = FIXTURE_RUBRICS / "mini.yaml"
MINI_DE = FIXTURE_RUBRICS / "mini.de.yaml"
PLANNING = "competencies.craft.behaviors.planning"
REVIEW = "competencies.craft.behaviors.review"


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_file(MINI).rubric


@pytest.fixture
def german() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINI_DE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def translation(data: dict[str, Any]) -> RubricTranslation:
    return parse_translation(data, source="mini.de.yaml")


def paths(problems: list[Any]) -> list[str]:
    return [problem.path for problem in problems]


def test_the_fixture_translation_reads_and_its_texts_sit_at_the_rubrics_paths(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    found = translation(german)
    assert (found.rubric_id, found.locale, found.source_version) == ("mini", "de", "2")
    assert found.texts[f"{PLANNING}.levels.novice.items.pl-1"] == "Ich plane meinen Tag."
    assert found.texts[f"{PLANNING}.levels.novice.actions[0]"] == "Führen Sie eine tägliche Liste."
    assert found.texts["scale.labels.4"] == "Immer"
    assert set(found.texts) <= set(rubric_texts(rubric.model_dump()))


def test_an_incomplete_translation_reports_missing_and_extra_keys_by_path(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    behaviors = german["competencies"]["craft"]["behaviors"]
    del behaviors["planning"]["levels"]["practitioner"]["items"]["pl-2b"]
    del german["levels"]["expert"]["summary"]
    behaviors["planning"]["levels"]["novice"]["items"]["pl-9"] = "Gibt es nicht."
    behaviors["ghost"] = {"name": "Geist"}
    behaviors["planning"]["levels"]["novice"]["actions"].append("Eine zu viel.")

    report = check_translation(rubric, translation(german))

    assert not report.ok
    assert paths(report.errors) == [
        f"{PLANNING}.levels.novice.actions",
        f"{PLANNING}.levels.novice.items.pl-9",
        f"{REVIEW.replace('review', 'ghost')}.name",
    ]
    assert "2 entries, the rubric has 1" in str(report.errors[0])
    assert "extra key" in str(report.errors[1])
    missing = paths(report.warnings)
    assert "levels.expert.summary" in missing
    assert f"{PLANNING}.levels.practitioner.items.pl-2b" in missing
    # The whole untranslated expert level of "review": texts one by one, actions as a list.
    assert f"{REVIEW}.levels.expert.items.rv-3a" in missing
    assert f"{REVIEW}.levels.expert.actions" in missing
    assert f"{PLANNING}.levels.novice.actions" not in missing  # wrong length: an error only


def test_wrong_types_and_unknown_fields_are_errors_with_their_paths(
    german: dict[str, Any],
) -> None:
    german["levels"]["novice"] = "Einsteiger"
    german["competencies"]["craft"]["behaviors"]["planning"]["levels"]["novice"]["order"] = 1
    german["competencies"]["craft"]["name"] = ""
    german["version"] = "2"
    german["source_version"] = 2

    with pytest.raises(TranslationFileError) as info:
        translation(german)

    assert paths(info.value.problems) == [
        "source_version",
        "levels.novice",
        "competencies.craft.name",
        f"{PLANNING}.levels.novice.order",
        "version",
    ]
    assert "mini.de.yaml: levels.novice: must be a mapping" in info.value.render()


def test_a_translation_of_a_rubric_that_is_not_loaded_is_an_error(
    tmp_path: Path, german: dict[str, Any]
) -> None:
    german["rubric"] = "sales"
    path = tmp_path / "sales.de.yaml"
    path.write_text(yaml.safe_dump(german, allow_unicode=True), encoding="utf-8")

    found = load_translations([path], [load_rubric_file(MINI)])

    assert not found.ok and not found.checked
    assert f"{path}: rubric: no rubric 'sales' is loaded (the rubrics: mini)" in (
        found.errors[0].render()
    )


def test_an_older_source_version_is_a_warning_that_strings_may_be_stale(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    german["source_version"] = "1"
    report = check_translation(rubric, translation(german))
    assert report.ok
    assert str(report.warnings[0]) == (
        "source_version: written against version 1, the rubric is 2: strings may be stale"
    )


def test_translation_files_are_not_rubric_files() -> None:
    assert is_translation_file(Path("product-owner.de.yaml"))
    assert is_translation_file(Path("product-owner.de-AT.yaml"))
    assert not is_translation_file(Path("product-owner.yaml"))
    assert MINI_DE not in rubric_files(FIXTURE_RUBRICS)
    assert translation_files(FIXTURE_RUBRICS) == [MINI_DE]


def test_translate_rubric_falls_back_string_by_string(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    del german["competencies"]["craft"]["behaviors"]["planning"]["levels"]["novice"]["items"]
    shown = translate_rubric(rubric, translation(german))

    planning, review = shown.competencies[0].behaviors
    assert shown.title == "Mini-Rahmenwerk" and shown.scale.labels == {0: "Nie", 4: "Immer"}
    assert [level.name for level in shown.levels] == ["Einsteiger", "Praktiker", "Experte"]
    assert planning.name == "Planung"
    assert planning.levels["novice"].descriptor == "Plant einen Tag."
    assert planning.levels["novice"].items[0].text == "I plan my day."  # left out: English
    assert review.levels["novice"].actions == ["Bitten Sie einmal pro Woche um eine Überprüfung."]
    assert review.levels["expert"].descriptor == "Reviews others."  # not translated: English
    assert review.levels["expert"].items[1].text == "I teach reviewing."


def test_ids_orders_and_scores_are_identical_in_both_locales(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    shown = translate_rubric(rubric, translation(german))
    assert list(shown.items_by_id) == list(rubric.items_by_id)
    assert shown.scale.model_dump(exclude={"labels"}) == rubric.scale.model_dump(exclude={"labels"})
    assert shown.scoring == rubric.scoring
    answers: dict[str, int | str] = {"pl-1": 4, "pl-2a": 3, "pl-2b": 4, "pl-3": 1, "rv-1": 4}
    english, translated = score_responses(rubric, answers), score_responses(shown, answers)
    assert without_names(english.model_dump()) == without_names(translated.model_dump())
    assert english.competencies[0].behaviors[0].level == 2  # the comparison compares something
    assert translated.competencies[0].behaviors[0].name == "Planung"


#: What a result quotes from the rubric (so a translation changes it): never a number.
TEXTS = {"name", "level_name", "title", "descriptor", "actions"}


def without_names(data: Any) -> Any:
    """A dumped result with its display texts (which a translation changes) left out."""
    if isinstance(data, dict):
        return {k: without_names(v) for k, v in data.items() if k not in TEXTS}
    if isinstance(data, list | tuple):
        return [without_names(v) for v in data]
    return data


def test_a_translation_changes_neither_the_rubrics_content_hash_nor_its_own_by_reformatting(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    before = content_hash(rubric)
    found = translation(german)
    translate_rubric(rubric, found)
    assert content_hash(load_rubric_file(MINI).rubric) == before
    again = parse_translation(yaml.safe_load(translation_yaml(found)))
    assert again.texts == found.texts and again.content_hash == found.content_hash
    german["title"] = "Kleines Rahmenwerk"
    assert translation(german).content_hash != found.content_hash


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_spreadsheets_carry_translations_and_read_them_back(
    rubric: Rubric, german: dict[str, Any], fmt: str
) -> None:
    found = translation(german)
    data = export_rubric(rubric, ExportFormat(fmt), base_url="http://x", translations=[found])

    back = import_rubric_bytes(data, fmt, source=f"mini.{fmt}")

    assert content_hash(back.rubric) == content_hash(rubric)
    assert [t.locale for t in back.translations] == ["de"]
    assert back.translations[0].texts == found.texts
    assert back.translations[0].content_hash == found.content_hash
    written = back.translation_files(Path("out/mini.yaml"))
    assert list(written) == [Path("out/mini.de.yaml")]


def test_a_spreadsheet_translation_row_with_an_unknown_key_is_located(
    rubric: Rubric, german: dict[str, Any]
) -> None:
    german["competencies"]["craft"]["behaviors"]["planning"]["levels"]["novice"]["items"][
        "pl-9"
    ] = "Gibt es nicht."
    data = export_rubric(
        rubric, ExportFormat.csv, base_url="http://x", translations=[translation(german)]
    )
    with pytest.raises(TransferError) as info:
        import_rubric_bytes(data, "csv", source="mini.zip")
    assert f"sheet 'translations', row 21, column 'key': {PLANNING}.levels.novice.items.pl-9" in (
        str(info.value)
    )


def test_a_roles_name_translates_its_title() -> None:
    rubric = load_rubric_file(FIXTURE_RUBRICS.parents[2] / "rubrics" / "product-owner.yaml").rubric
    role = rubric.roles[0]
    found = parse_translation(
        {
            "rubric": rubric.id,
            "locale": "de",
            "source_version": rubric.version,
            "roles": {role.id: {"name": "Rolle auf Deutsch"}},
        }
    )
    assert found.texts == {f"roles.{role.id}.title": "Rolle auf Deutsch"}
    assert translate_rubric(rubric, found).roles[0].title == "Rolle auf Deutsch"
    assert translate_rubric(rubric, found).roles[0].targets == role.targets
