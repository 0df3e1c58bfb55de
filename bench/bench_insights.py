"""Team insights at 200 and 2,000 participants x 23 behaviors: time and statements.

Usage::

    .venv/bin/python bench/bench_insights.py [--sizes 200 2000] [--repeat 15]

For each size, a throw-away SQLite database (migrated, ``rubrics/`` loaded)
is filled by bulk inserts: one cohort, one open cycle on the product-owner
rubric (23 behaviors), N members with a submitted assessment each, its 23
self levels (``assessment_levels``) and a finalized coach review rating all
23 behaviors (``review_ratings``). The levels are seeded random. The app is
then called in-process (ASGI, ``TestClient``) with an admin's bearer token:

* ``GET /api/v1/cycles/{id}/insights/distribution`` (self and coach levels);
* ``GET /api/v1/cycles/{id}/insights/heatmap?limit=100`` (the first page).

Each request is timed ``--repeat`` times after a warm-up (the median is
reported) and its SQL statements are counted with SQLAlchemy's
``before_cursor_execute``. The goals (issue #15): the same statement count
at both sizes, the distribution at most 3x the time at 10x the data, a
heatmap page within 1.5x. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUBRIC = "product-owner"
DISTRIBUTION_GOAL = 3.0
HEATMAP_GOAL = 1.5


def _seed(url: str, size: int) -> tuple[int, str]:
    """Fill the database; the cycle id and an admin's bearer token."""
    from sqlalchemy import insert
    from sqlmodel import Session, select

    from app.accounts import service as accounts
    from app.accounts.models import Role, User
    from app.assessments.models import Assessment, AssessmentLevel
    from app.coaching.models import CoachReview, ReviewRating
    from app.core.db import make_engine
    from app.programmes.models import Cohort, CohortMember, Cycle, CycleParticipation
    from app.rubrics.models import RubricVersion
    from app.rubrics.service import rubric_of

    rng = random.Random(size)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    engine = make_engine(url)
    with Session(engine) as session:
        version = session.exec(
            select(RubricVersion).where(
                RubricVersion.rubric_id == RUBRIC,
                RubricVersion.is_current == True,  # noqa: E712
            )
        ).one()
        rubric = rubric_of(version)
        behaviors = [(c.id, b.id) for c in rubric.competencies for b in c.behaviors]
        top = max(level.order for level in rubric.levels)
        admin = accounts.create_user(
            session=session,
            email="admin@example.com",
            display_name="Admin",
            roles=frozenset({Role.admin, Role.coach}),
            password=None,
            password_min_length=10,
        )
        secret, _ = accounts.issue_api_token(session=session, user=admin, ttl=timedelta(hours=2))
        cohort = Cohort(name="Bench cohort")
        session.add(cohort)
        session.flush()
        cycle = Cycle(
            name="Bench cycle",
            cohort_id=cohort.id,
            rubric_version_id=version.id,
            opens_at=now,
            closes_at=now + timedelta(days=14),
            status="open",
        )
        session.add(cycle)
        session.flush()
        assert cohort.id is not None and cycle.id is not None and admin.id is not None
        conn = session.connection()
        conn.execute(
            insert(User),
            [
                {
                    "email": f"p{i}@example.com",
                    "display_name": f"Participant {i}",
                    "roles": "participant",
                    "is_active": True,
                    "created_at": now,
                }
                for i in range(size)
            ],
        )
        users = session.exec(
            select(User.id).where(User.roles == "participant").order_by(User.id)
        ).all()
        conn.execute(
            insert(Assessment),
            [
                {
                    "participant_id": uid,
                    "rubric_version_id": version.id,
                    "status": "submitted",
                    "version": 2,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                    "method": "bench",
                }
                for uid in users
            ],
        )
        assessments = dict(
            session.exec(select(Assessment.participant_id, Assessment.id)).all()  # type: ignore[arg-type]
        )
        conn.execute(
            insert(AssessmentLevel),
            [
                {
                    "assessment_id": assessments[uid],
                    "behavior_id": b,
                    "competency_id": c,
                    "level": rng.randint(0, top),
                }
                for uid in users
                for c, b in behaviors
            ],
        )
        conn.execute(
            insert(CoachReview),
            [
                {
                    "assessment_id": assessments[uid],
                    "participant_id": uid,
                    "coach_id": admin.id,
                    "status": "final",
                    "version": 2,
                    "shared_notes": "",
                    "private_notes": "",
                    "created_at": now,
                    "updated_at": now,
                    "finalized_at": now,
                }
                for uid in users
            ],
        )
        reviews = session.exec(select(CoachReview.id)).all()
        conn.execute(
            insert(ReviewRating),
            [
                {
                    "review_id": rid,
                    "behavior_id": b,
                    "coach_level": rng.randint(0, top),
                    "rationale": "",
                    "evidence": "",
                }
                for rid in reviews
                for _, b in behaviors
            ],
        )
        conn.execute(
            insert(CohortMember),
            [
                {"cohort_id": cohort.id, "user_id": uid, "coach_id": admin.id, "added_at": now}
                for uid in users
            ],
        )
        conn.execute(
            insert(CycleParticipation),
            [
                {"cycle_id": cycle.id, "user_id": uid, "assessment_id": assessments[uid]}
                for uid in users
            ],
        )
        session.commit()
        cycle_id = cycle.id
    engine.dispose()
    return cycle_id, secret


def _measure(client: Any, path: str, token: str, repeat: int) -> dict[str, Any]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(3):
        assert client.get(path, headers=headers).status_code == 200
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        response = client.get(path, headers=headers)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return {
        "median_ms": round(statistics.median(times) * 1000, 2),
        "statements": len(statements),
        "bytes": len(response.content),
    }


def _run_size(size: int, repeat: int, tmp: Path) -> dict[str, Any]:
    """Migrate, seed and measure one size in a child process (settings are per process)."""
    import subprocess

    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(size),
            "--repeat",
            str(repeat),
            "--tmp",
            str(tmp),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _child(size: int, repeat: int, tmp: Path) -> None:
    url = f"sqlite:///{tmp / f'insights-{size}.db'}"
    os.environ.update(
        {
            "STEPWISE_DATABASE_URL": url,
            "STEPWISE_RUBRICS_DIR": str(ROOT / "rubrics"),
            "STEPWISE_VAR_DIR": str(tmp / f"var-{size}"),
            "STEPWISE_ENVIRONMENT": "development",
            # No job worker polling in the background: only the requests' statements count.
            "STEPWISE_JOBS_IN_PROCESS": "false",
            "STEPWISE_SECRET_KEY": "bench-insights-secret-0123456789abcdef0123456789",
        }
    )
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from app.core import migrations
    from app.core.db import make_engine
    from app.rubrics.loader import load_rubric_dir
    from app.rubrics.service import sync_rubrics

    migrations.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_rubrics(session=session, loaded=load_rubric_dir(ROOT / "rubrics"))
        session.commit()
    engine.dispose()
    started = time.perf_counter()
    cycle_id, token = _seed(url, size)
    seeded = time.perf_counter() - started

    from app.main import create_app

    base = f"/api/v1/cycles/{cycle_id}/insights"
    with TestClient(create_app()) as client:
        result = {
            "participants": size,
            "seed_s": round(seeded, 1),
            "distribution_self": _measure(
                client, f"{base}/distribution?source=self", token, repeat
            ),
            "distribution_coach": _measure(
                client, f"{base}/distribution?source=coach", token, repeat
            ),
            "heatmap_page": _measure(client, f"{base}/heatmap?limit=100", token, repeat),
        }
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tmp", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.repeat, args.tmp)
        return
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-insights-") as tmp:
        results = [_run_size(size, args.repeat, Path(tmp)) for size in args.sizes]
    for r in results:
        print(
            f"{r['participants']:>6} participants (seeded in {r['seed_s']} s): "
            + ", ".join(
                f"{name} {r[name]['median_ms']} ms / {r[name]['statements']} statements"
                for name in ("distribution_self", "distribution_coach", "heatmap_page")
            )
        )
    small, big = results[0], results[-1]
    ratios = {
        name: round(big[name]["median_ms"] / small[name]["median_ms"], 2)
        for name in ("distribution_self", "distribution_coach", "heatmap_page")
    }
    same_statements = all(small[name]["statements"] == big[name]["statements"] for name in ratios)
    ok = (
        same_statements
        and ratios["distribution_self"] <= DISTRIBUTION_GOAL
        and ratios["distribution_coach"] <= DISTRIBUTION_GOAL
        and ratios["heatmap_page"] <= HEATMAP_GOAL
    )
    print(f"time ratios {big['participants']}/{small['participants']}: {ratios}")
    print(f"same statement counts: {same_statements}; goals met: {ok}; load average {load}")
    print(
        json.dumps(
            {
                "results": results,
                "ratios": ratios,
                "same_statements": same_statements,
                "ok": ok,
                "loadavg": load,
            }
        )
    )


if __name__ == "__main__":
    main()
