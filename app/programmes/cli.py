"""``stepwise demo seed [--participants N [--coaches M]]``: demo people, and scale data.

Without options, the demo accounts of a fresh development database
(:func:`app.accounts.demo.seed_demo_accounts`, only when there are no users
yet). With ``--participants N``, also N participants with submitted
assessments and finalized reviews in a cohort with a closed and an open
cycle (:mod:`app.programmes.seed`), for benchmarks and demos.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from app.accounts.demo import DEMO_PASSWORD, seed_demo_accounts
from app.core.config import get_settings
from app.core.db import session_scope
from app.core.timeutils import utcnow
from app.programmes.seed import MAX_PARTICIPANTS, SEED_PASSWORD, SeedReport, seed_programme

demo_app = typer.Typer(help="Demo data for a development database.", no_args_is_help=True)


@demo_app.command("seed")
def seed(
    participants: Annotated[
        int | None,
        typer.Option(
            "--participants",
            min=1,
            max=MAX_PARTICIPANTS,
            help="Also seed N participants with results in a cohort with two cycles.",
        ),
    ] = None,
    coaches: Annotated[
        int | None,
        typer.Option("--coaches", min=1, help="Coaches for them (default: one per 20)."),
    ] = None,
    rubric: Annotated[str, typer.Option("--rubric", help="The rubric id.")] = "product-owner",
    random_seed: Annotated[int, typer.Option("--seed", help="Random seed of the answers.")] = 1,
) -> None:
    """Create demo accounts if the database has no users yet, and print their logins."""
    settings = get_settings()
    report: SeedReport | None = None
    started = time.perf_counter()
    for session in session_scope():
        created = seed_demo_accounts(
            session=session, password_min_length=settings.password_min_length
        )
        if participants is not None:
            report = seed_programme(
                session=session,
                participants=participants,
                coaches=coaches,
                rubric_id=rubric,
                seed=random_seed,
                now=utcnow(),
            )
    if not created:
        typer.echo("demo accounts: the database already has users; nothing created")
    else:
        typer.echo(f"demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in created:
            roles = ",".join(sorted(account.roles))
            typer.echo(f"  {account.email:<22} {roles}")
    if report is not None:
        seconds = time.perf_counter() - started
        typer.echo(
            f"seeded {report.participants} participants and {report.coaches} coaches "
            f"(password {SEED_PASSWORD}) in cohort {report.cohort_id}: closed cycle "
            f"{report.closed_cycle_id}, open cycle {report.open_cycle_id}; "
            f"{report.assessments} assessments, {report.reviews} finalized reviews "
            f"in {seconds:.1f} s"
        )
