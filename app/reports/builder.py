"""Building a report's content from a rubric, a scoring result and plain inputs.

Pure: no database, no web, no clock. The assessments and coaching domains
turn their rows into :class:`~app.reports.model.ReviewInput`,
:class:`~app.reports.model.PlanActionInput` and
:class:`~app.reports.model.HistoryPoint`; this module decides what the report
says. Rules worth knowing (they are also in the report's wording):

* The **reference level** of a behavior is the coach's rating when there is
  one, otherwise the self-assessed level. The development path starts there:
  every level the behavior defines above it up to the target, or only the
  next one when there is no target (or the target is already reached).
* A competency's **coach level** is computed with the rubric's own overall
  rule, and only when the coach rated all of its behaviors: a partial rating
  would silently change what "overall" means.
* **Gaps** are the largest distances from the reference level to the
  target, or, when no behavior has a target above it, the lowest reference
  levels. **Strengths** are the highest reference levels (then scores) among
  the rest: a behavior is never both.

The sentences the builder writes (calibration, highlight details, plan
statuses) are in the report's ``locale`` (``ReportData.locale``, part of the
cache key); the rubric's own texts arrive already in that language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from app.coaching.calibration import (
    agreed_competency_level,
    due_first,
    next_steps,
    reference_level,
)
from app.coaching.models import ACTION_STATUS_LABELS
from app.core.i18n import SOURCE_LOCALE, format_fixed_in, gettext, ngettext
from app.reports.limits import MAX_NOTE, MAX_PLAN_ACTIONS, MAX_PLAN_TEXT, clip, clip_optional
from app.reports.model import (
    CompetencyLevels,
    GrowthPoint,
    GrowthSeries,
    Highlight,
    HistoryPoint,
    LevelDefinition,
    LevelRef,
    PathStep,
    PlanAction,
    PlanActionInput,
    ReportBehavior,
    ReportCompetency,
    ReportData,
    ReportFeedback,
    ReviewedBehavior,
    ReviewInput,
)
from app.rubrics.roles import BehaviorGap
from app.rubrics.schemas import NOT_YET, Behavior, Competency, Rubric
from app.scoring import BehaviorResult, ScoringResult

#: At most this many strengths and gaps on the summary page.
HIGHLIGHTS = 3


def level_names(rubric: Rubric, locale: str = SOURCE_LOCALE) -> tuple[str, ...]:
    """Names by order, 0 ("Not yet") to the top order; an unused order gets "Level k"."""
    top = max(level.order for level in rubric.levels)
    by_order = {level.order: level.name for level in rubric.levels}
    unused = gettext(locale, "Level %(num)d")
    return (
        gettext(locale, NOT_YET),
        *(by_order.get(k, unused % {"num": k}) for k in range(1, top + 1)),
    )


def _check_inputs(
    rubric: Rubric,
    result: ScoringResult,
    review: ReviewInput | None,
    plan: Sequence[PlanActionInput],
    names: Sequence[str],
) -> None:
    """Inputs from other domains must match the rubric: a mismatch is a bug, not data."""
    if (result.rubric.id, result.rubric.version) != (rubric.id, rubric.version):
        raise ValueError(
            f"result is for {result.rubric.id} {result.rubric.version}, "
            f"not {rubric.id} {rubric.version}"
        )
    known = {b.id for c in rubric.competencies for b in c.behaviors}
    top = len(names) - 1
    for behavior_id, reviewed in review.behaviors.items() if review else ():
        if behavior_id not in known:
            raise ValueError(f"review rates unknown behavior {behavior_id!r}")
        for what, value in (("level", reviewed.level), ("target", reviewed.target)):
            if value is not None and not 0 <= value <= top:
                raise ValueError(f"review {what} {value} of {behavior_id!r} is outside 0..{top}")
    for action in plan:
        if action.behavior_id is not None and action.behavior_id not in known:
            raise ValueError(f"plan action refers to unknown behavior {action.behavior_id!r}")


def _ref(order: int, names: Sequence[str]) -> LevelRef:
    return LevelRef(order, names[order])


def _calibration(self_level: int, reviewed: ReviewedBehavior, locale: str) -> str | None:
    if reviewed.calibration:
        return reviewed.calibration
    if reviewed.level is None or reviewed.level == self_level:
        return None
    diff = self_level - reviewed.level
    if diff > 0:
        text = ngettext(
            locale,
            "Self-assessment %(num)d level above the coach's rating",
            "Self-assessment %(num)d levels above the coach's rating",
            diff,
        )
    else:
        text = ngettext(
            locale,
            "Self-assessment %(num)d level below the coach's rating",
            "Self-assessment %(num)d levels below the coach's rating",
            -diff,
        )
    return text % {"num": abs(diff)}


def _path(
    rubric: Rubric, behavior: Behavior, reference: int, target: int | None, names: Sequence[str]
) -> tuple[str | None, tuple[PathStep, ...]]:
    """The current descriptor and the steps from the reference level up to the target.

    The rule is coaching's (:func:`app.coaching.calibration.next_steps`), shared
    with the results page, so the web and the PDF say the same.
    """
    current, steps = next_steps(rubric, behavior, reference=reference, target=target)
    return current, tuple(
        PathStep(level=_ref(step.order, names), descriptor=step.descriptor, actions=step.actions)
        for step in steps
    )


def _behavior(
    rubric: Rubric,
    behavior: Behavior,
    scored: BehaviorResult,
    reviewed: ReviewedBehavior,
    names: Sequence[str],
    locale: str,
) -> ReportBehavior:
    reference = reference_level(scored.level, reviewed.level)
    current, path = _path(rubric, behavior, reference, reviewed.target, names)
    return ReportBehavior(
        id=behavior.id,
        name=behavior.name,
        description=behavior.description,
        self_level=_ref(scored.level, names),
        self_score=scored.score,
        coach_level=None if reviewed.level is None else _ref(reviewed.level, names),
        target_level=None if reviewed.target is None else _ref(reviewed.target, names),
        reference_level=_ref(reference, names),
        current_descriptor=current,
        path=path,
        calibration=_calibration(scored.level, reviewed, locale),
        shared_note=clip_optional(reviewed.shared_note or None, MAX_NOTE),
        consistent=scored.consistent,
        answered=scored.answered,
        total=scored.total,
    )


def _competency(
    rubric: Rubric,
    competency: Competency,
    result: ScoringResult,
    review: ReviewInput | None,
    names: Sequence[str],
    locale: str,
) -> ReportCompetency:
    scored = result.competency(competency.id)
    reviewed = review.behaviors if review else {}
    behaviors = tuple(
        _behavior(
            rubric,
            b,
            result.behavior(b.id),
            reviewed.get(b.id) or ReviewedBehavior(),
            names,
            locale,
        )
        for b in competency.behaviors
    )
    agreed = agreed_competency_level(
        rubric, [b.coach_level.order if b.coach_level else None for b in behaviors]
    )
    coach = None if agreed is None else _ref(agreed, names)
    return ReportCompetency(
        id=competency.id,
        name=competency.name,
        purpose=competency.purpose,
        self_level=_ref(scored.level, names),
        coach_level=coach,
        behaviors=behaviors,
    )


def _highlights(
    competencies: Sequence[ReportCompetency], top: int, locale: str
) -> tuple[tuple[Highlight, ...], tuple[Highlight, ...]]:
    """Strengths and gaps; gaps are chosen first, so a long way to a target is never a strength."""
    pairs = [(c, b) for c in competencies for b in c.behaviors]
    count = min(HIGHLIGHTS, max(1, len(pairs) // 2))
    index = {b.id: i for i, (_, b) in enumerate(pairs)}

    def distance(b: ReportBehavior) -> int:
        return (b.target_level.order if b.target_level else 0) - b.reference_level.order

    gaps: list[Highlight] = []
    with_target = [p for p in pairs if distance(p[1]) > 0]
    if with_target:
        with_target.sort(
            key=lambda p: (
                -distance(p[1]),
                p[1].reference_level.order,
                p[1].self_score,
                index[p[1].id],
            )
        )
        for c, b in with_target[:count]:
            assert b.target_level is not None
            detail = ngettext(
                locale,
                "%(num)d level to the target, %(target)s",
                "%(num)d levels to the target, %(target)s",
                distance(b),
            ) % {"num": distance(b), "target": b.target_level.name}
            gaps.append(Highlight(b.id, b.name, c.name, b.reference_level, detail))

    def describe(b: ReportBehavior) -> str:
        text = gettext(locale, "Self %(score)s") % {
            "score": format_fixed_in(locale, b.self_score, 2)
        }
        if b.coach_level is None:
            return text
        return gettext(locale, "Coach: %(level)s · %(self)s") % {
            "level": b.coach_level.name,
            "self": text,
        }

    taken = {g.behavior_id for g in gaps}
    ranked = sorted(
        (p for p in pairs if p[1].reference_level.order > 0 and p[1].id not in taken),
        key=lambda p: (-p[1].reference_level.order, -p[1].self_score, index[p[1].id]),
    )
    strengths = tuple(
        Highlight(b.id, b.name, c.name, b.reference_level, describe(b)) for c, b in ranked[:count]
    )
    if not with_target:
        taken = {h.behavior_id for h in strengths}
        lowest = sorted(
            (p for p in pairs if p[1].reference_level.order < top and p[1].id not in taken),
            key=lambda p: (p[1].reference_level.order, p[1].self_score, index[p[1].id]),
        )
        for c, b in lowest[:count]:
            step = b.path[0].level.name if b.path else None
            detail = (
                gettext(locale, "Next step: %(level)s") % {"level": step} if step else describe(b)
            )
            gaps.append(Highlight(b.id, b.name, c.name, b.reference_level, detail))
    return strengths, tuple(gaps)


def _status(status: str, locale: str) -> str:
    """The status as the plan pages name it, in ``locale``; an unknown one as written."""
    label = ACTION_STATUS_LABELS.get(status or "planned")  # type: ignore[call-overload]
    if label is not None:
        return gettext(locale, label)
    text = status.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def _plan(
    plan: Iterable[PlanActionInput], behavior_names: dict[str, str], locale: str
) -> tuple[PlanAction, ...]:
    """The actions due first, at most :data:`~app.reports.limits.MAX_PLAN_ACTIONS`."""
    ordered = sorted(plan, key=lambda a: due_first(a.due_on))
    return tuple(
        PlanAction(
            title=clip(a.title, MAX_PLAN_TEXT),
            behavior_name=behavior_names.get(a.behavior_id) if a.behavior_id else None,
            success_measure=clip_optional(a.success_measure or None, MAX_PLAN_TEXT),
            due_on=a.due_on,
            status=_status(a.status, locale),
        )
        for a in ordered[:MAX_PLAN_ACTIONS]
    )


def _growth(
    competencies: Sequence[ReportCompetency],
    assessed_on: date,
    history: Sequence[HistoryPoint],
    names: Sequence[str],
) -> tuple[GrowthSeries, ...]:
    """One series per competency: earlier assessments, then this one; empty without history."""
    if not history:
        return ()
    earlier = sorted(
        (h for h in history if h.assessed_on <= assessed_on), key=lambda h: h.assessed_on
    )
    top = len(names) - 1
    series = []
    for c in competencies:
        points = [
            GrowthPoint(h.assessed_on, _ref(min(max(h.competency_levels[c.id], 0), top), names))
            for h in earlier
            if c.id in h.competency_levels
        ]
        points.append(GrowthPoint(assessed_on, c.coach_level or c.self_level))
        series.append(GrowthSeries(c.id, c.name, tuple(points)))
    return tuple(series)


def build_report_data(
    *,
    rubric: Rubric,
    result: ScoringResult,
    participant_name: str,
    assessed_on: date,
    review: ReviewInput | None = None,
    plan: Sequence[PlanActionInput] = (),
    history: Sequence[HistoryPoint] = (),
    feedback: ReportFeedback | None = None,
    role_title: str | None = None,
    role_gaps: Sequence[BehaviorGap] = (),
    not_assessed: Sequence[str] = (),
    locale: str = SOURCE_LOCALE,
) -> ReportData:
    """Everything one development report shows, from plain inputs (see module docstring).

    ``history`` holds the participant's *earlier* assessments of the same
    rubric; each level there should follow the same rule as here (the coach's
    when reviewed, else the self-assessed one). Inputs naming behaviors the
    rubric does not have raise ``ValueError``. ``role_gaps`` and
    ``not_assessed`` come from the results page's builder
    (:func:`app.assessments.result_page_models.build_role_view`), so both say the same.
    ``locale`` is the language the report is written in (the participant's).
    """
    names = level_names(rubric, locale)
    _check_inputs(rubric, result, review, plan, names)
    competencies = tuple(
        _competency(rubric, c, result, review, names, locale) for c in rubric.competencies
    )
    strengths, gaps = _highlights(competencies, len(names) - 1, locale)
    behavior_names = {b.id: b.name for c in rubric.competencies for b in c.behaviors}
    return ReportData(
        locale=locale,
        participant_name=participant_name,
        rubric_id=rubric.id,
        rubric_title=rubric.title,
        rubric_version=rubric.version,
        assessed_on=assessed_on,
        coach_name=review.coach_name if review else None,
        reviewed_on=review.reviewed_on if review else None,
        review_summary=clip_optional(review.summary or None, MAX_NOTE) if review else None,
        overall_rule=rubric.scoring.overall,
        level_names=names,
        competencies=competencies,
        strengths=strengths,
        gaps=gaps,
        plan=_plan(plan, behavior_names, locale),
        plan_omitted=max(0, len(plan) - MAX_PLAN_ACTIONS),
        feedback=feedback,
        role_title=role_title,
        role_gaps=tuple(role_gaps),
        not_assessed=tuple(not_assessed),
        growth=_growth(competencies, assessed_on, history, names),
        framework_levels=tuple(
            LevelDefinition(level.order, level.name, level.summary)
            for level in rubric.ordered_levels
        ),
        competency_levels=tuple(
            CompetencyLevels(
                c.name,
                tuple(
                    LevelDefinition(level.order, level.name, c.levels[level.id].summary)
                    for level in rubric.ordered_levels
                    if level.id in c.levels
                ),
            )
            for c in rubric.competencies
        ),
    )
