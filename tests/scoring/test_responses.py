"""validate_responses, parse_response_value and missing_items."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.rubrics.loader import load_rubric_file, parse_rubric
from app.rubrics.schemas import NA, Rubric
from app.scoring import ResponseProblem, missing_items, parse_response_value, validate_responses

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "rubrics" / "mini.yaml"
# questionnaire order of mini.yaml: competency, behavior, level order, item
MINI_ORDER = ["pl-1", "pl-2a", "pl-2b", "pl-3", "rv-1", "rv-3a", "rv-3b"]


@pytest.fixture(scope="module")
def mini() -> Rubric:
    """Scale 0..4, n/a not allowed."""
    return load_rubric_file(MINI).rubric


@pytest.fixture(scope="module")
def with_na() -> Rubric:
    """Scale 1..5 with n/a allowed; items a1, a2."""
    return parse_rubric(
        {
            "id": "na",
            "title": "NA",
            "version": "1",
            "description": "d",
            "levels": [{"id": "one", "name": "One", "order": 1, "summary": "s"}],
            "competencies": [
                {
                    "id": "c",
                    "name": "C",
                    "purpose": "p",
                    "description": "d",
                    "behaviors": [
                        {
                            "id": "b",
                            "name": "B",
                            "description": "d",
                            "levels": {
                                "one": {
                                    "descriptor": "d",
                                    "items": [{"id": "a1", "text": "t"}, {"id": "a2", "text": "t"}],
                                }
                            },
                        }
                    ],
                }
            ],
        }
    )


def test_valid_responses_have_no_problems(mini: Rubric, with_na: Rubric) -> None:
    assert validate_responses(mini, dict.fromkeys(MINI_ORDER, 0)) == []
    assert validate_responses(mini, {"pl-1": 4}) == []  # incomplete is not a problem here
    assert validate_responses(mini, {}) == []
    assert validate_responses(with_na, {"a1": NA, "a2": 5}) == []
    assert validate_responses(mini, {"pl-1": None}) == []  # None = unanswered


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "must be an integer from 0 to 4 (got true/false)"),
        (False, "(got true/false)"),
        ("3", "(got text)"),
        (3.0, "(got a number with a fraction)"),
        ([3], "(got a list)"),
        ({"a": 3}, "(got an object)"),
        ("N/A", "(got text)"),  # text spellings are parse_response_value's job
        (5, "is outside the scale 0..4"),
        (-1, "is outside the scale 0..4"),
        (NA, "'n/a' is not allowed"),
    ],
)
def test_bad_values_are_reported(mini: Rubric, value: object, fragment: str) -> None:
    problems = validate_responses(mini, {"pl-1": value})
    assert len(problems) == 1
    assert problems[0].item_id == "pl-1"
    assert fragment in problems[0].message


def test_expected_message_mentions_na_when_allowed(with_na: Rubric) -> None:
    [problem] = validate_responses(with_na, {"a1": "x"})
    assert problem.message == "must be an integer from 1 to 5 or 'n/a' (got text)"
    assert validate_responses(with_na, {"a1": 0})[0].message == "is outside the scale 1..5"


def test_all_problems_reported_in_questionnaire_order_then_unknowns(mini: Rubric) -> None:
    problems = validate_responses(
        mini, {"zz-unknown": 1, "rv-3b": 9, "pl-1": "x", "pl-2a": 2, "aa-unknown": 1}
    )
    assert [p.item_id for p in problems] == ["pl-1", "rv-3b", "zz-unknown", "aa-unknown"]
    assert problems[2] == ResponseProblem("zz-unknown", "unknown item id for this rubric")
    assert str(problems[2]) == "zz-unknown: unknown item id for this rubric"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("   ", None),
        ("n/a", NA),
        ("N/A", NA),
        ("NA", NA),
        ("na", NA),
        (" n/A ", NA),
        ("3", 3),
        (" 4 ", 4),
        ("0", 0),
        ("-1", -1),
        ("+2", 2),
        ("007", 7),
    ],
)
def test_parse_response_value(raw: str, expected: int | str | None) -> None:
    assert parse_response_value(raw) == expected


@pytest.mark.parametrize("raw", ["3.0", "3.5", "three", "1_000", "\u0663", "n/a/", "N.A.", "3 4"])
def test_parse_response_value_rejects_other_text(raw: str) -> None:
    with pytest.raises(ValueError, match="expected a whole number") as info:
        parse_response_value(raw)
    assert repr(raw) not in str(info.value)  # the rule, never the value


def test_parse_then_validate_reports_range(mini: Rubric) -> None:
    # parsing only reads text; the scale is checked by validate_responses
    assert validate_responses(mini, {"pl-1": parse_response_value("7")})[0].message == (
        "is outside the scale 0..4"
    )


@pytest.mark.parametrize(
    "value", ["my-secret-password-123", "x" * 100_000, 10**400, -(10**50), 3.14159]
)
def test_problems_never_echo_the_value(mini: Rubric, value: object) -> None:
    [problem] = validate_responses(mini, {"pl-1": value})
    assert str(value) not in problem.message
    assert repr(value) not in problem.message
    assert len(problem.message) < 100


def test_an_unknown_id_is_named_only_when_it_could_be_an_id(mini: Rubric) -> None:
    long_id = "k" * 10_000
    [problem] = validate_responses(mini, {long_id: 1})
    assert len(problem.item_id) <= 65 and problem.item_id.endswith("…")
    [problem] = validate_responses(mini, {"a\nb\x00": 1})
    assert problem.item_id.isprintable()


def test_missing_items(mini: Rubric, with_na: Rubric) -> None:
    assert missing_items(mini, {}) == MINI_ORDER
    assert missing_items(mini, dict.fromkeys(MINI_ORDER, 1)) == []
    # answered in reverse order: result still in questionnaire order; None counts as missing;
    # unknown ids are ignored
    responses = {"rv-3b": 1, "pl-3": None, "pl-1": 0, "zz": 3}
    assert missing_items(mini, responses) == ["pl-2a", "pl-2b", "pl-3", "rv-1", "rv-3a"]
    # n/a is a response, not a missing item
    assert missing_items(with_na, {"a1": NA}) == ["a2"]
