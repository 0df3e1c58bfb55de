"""The pure scoring engine: rubric + answers -> levels (method "stepwise-threshold/1").

Import from here rather than from the submodules; see docs/scoring.md for the
method and the result contract.
"""

from app.scoring.engine import (
    METHOD,
    overall_level,
    progress,
    reported_score,
    score_behavior,
    score_competency,
    score_document,
    score_responses,
)
from app.scoring.responses import (
    ResponseProblem,
    ResponseValue,
    is_score,
    missing_items,
    parse_response_value,
    validate_responses,
)
from app.scoring.result import (
    BehaviorResult,
    CompetencyResult,
    CurrentLevel,
    LevelEvidence,
    NextLevel,
    RubricRef,
    ScoringResult,
)

__all__ = [
    "METHOD",
    "BehaviorResult",
    "CompetencyResult",
    "CurrentLevel",
    "LevelEvidence",
    "NextLevel",
    "ResponseProblem",
    "ResponseValue",
    "RubricRef",
    "ScoringResult",
    "is_score",
    "missing_items",
    "overall_level",
    "parse_response_value",
    "progress",
    "reported_score",
    "score_behavior",
    "score_competency",
    "score_document",
    "score_responses",
    "validate_responses",
]
