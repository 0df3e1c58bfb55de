"""The ASGI application: ``app.main:app``.

Start-up validates every rubric file and stores new versions; an invalid
rubric or an edited-without-version-bump rubric stops the server with a
message naming the file and field, never a traceback.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from sqlalchemy import text

from app import (
    models,  # noqa: F401 - every table registered before use
    tasks,  # noqa: F401 - every background task registered before use
)
from app.accounts import cookies
from app.accounts.admin_pages import router as accounts_admin_pages
from app.accounts.auth import bearer_secret
from app.accounts.deps import get_current_user
from app.accounts.language_pages import router as language_pages
from app.accounts.language_routes import router as language_router
from app.accounts.pages import router as accounts_pages
from app.accounts.password_reset_pages import router as password_reset_pages
from app.accounts.preferences_pages import router as preferences_pages
from app.accounts.preferences_routes import router as preferences_router
from app.accounts.routes import router as accounts_router
from app.accounts.signins_pages import router as signins_pages
from app.accounts.signins_routes import router as signins_router
from app.accounts.sso_pages import router as sso_pages
from app.assessments.health_pages import router as rubric_health_pages
from app.assessments.health_routes import router as rubric_health_router
from app.assessments.pages import router as assessment_pages
from app.assessments.routes import router as assessments_router
from app.coaching.feedback_results import router as feedback_results_router
from app.coaching.home_page import router as participant_home
from app.coaching.pages import router as coaching_pages
from app.coaching.results_page import router as results_page
from app.coaching.routes import router as coaching_router
from app.core.api_docs import install_api_docs
from app.core.config import Settings, get_settings
from app.core.db import session_scope
from app.core.deps import SessionDep, reads_locally
from app.core.errors import install_error_handlers
from app.core.faults import FaultMiddleware
from app.core.limits import RequestLimitsMiddleware, anonymous_body_gate, depends_on
from app.core.logs import configure_logging
from app.core.metrics import MetricsMiddleware
from app.core.metrics import router as metrics_router
from app.core.openapi import install_problem_openapi
from app.core.security_headers import SecurityHeadersMiddleware
from app.core.static import CachedStaticFiles
from app.feedback.pages import router as feedback_pages
from app.feedback.rater_pages import router as rater_pages
from app.feedback.routes import router as feedback_router
from app.jobs.in_process import in_process_jobs
from app.operations.audit_pages import csv_router as audit_csv_pages
from app.operations.audit_pages import router as audit_pages
from app.operations.audit_routes import router as audit_router
from app.operations.jobs_pages import router as jobs_pages
from app.operations.mail_pages import router as mail_pages
from app.operations.rubrics_pages import RUBRIC_UPLOAD_PATH, UPLOAD_OVERHEAD
from app.operations.rubrics_pages import router as rubrics_pages
from app.privacy.pages import router as privacy_pages
from app.privacy.routes import router as privacy_router
from app.programmes.cohort_pages import router as cohort_pages
from app.programmes.exports_routes import pages as exports_pages
from app.programmes.exports_routes import router as exports_router
from app.programmes.insights_pages import router as insights_pages
from app.programmes.insights_routes import router as insights_router
from app.programmes.pages import admin as programmes_admin_pages
from app.programmes.pages import router as programmes_pages
from app.programmes.routes import router as programmes_router
from app.reports.pages import router as reports_pages
from app.reports.pool import shutdown_pool
from app.reports.routes import public_router as reports_public_router
from app.reports.routes import router as reports_router
from app.rubrics.routes import case_router
from app.rubrics.routes import router as rubrics_router
from app.rubrics.startup import load_and_sync_rubrics
from app.webhooks.pages import router as webhooks_pages
from app.webhooks.routes import router as webhooks_router


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    if settings.environment != "test":
        try:
            for session in session_scope():
                load_and_sync_rubrics(session=session, directory=settings.rubrics_dir)
        except SystemExit:
            raise
        except Exception as exc:
            print(f"stepwise: refusing to start:\n{exc}", file=sys.stderr)
            raise SystemExit(3) from None
    # Everything alive now (modules, routes, templates, the ORM's mappers) lives as long
    # as the process: out of the collector's sight, a full collection during a request
    # walks only what requests made (it was ~40 % of the results page: docs/benchmarks.md).
    # Once per process: a second start (tests run many) would pin whatever garbage it found.
    if gc.get_freeze_count() == 0:
        gc.freeze()
    async with in_process_jobs(settings):  # SQLite: jobs run inside the server
        yield
    shutdown_pool()  # the report renderer's worker processes


def _requires_user(dependant: Dependant) -> bool:
    return depends_on(dependant, get_current_user)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(log_format=settings.log_format)
    app = FastAPI(
        title="Stepwise",
        version="0.1.0",
        summary="Competency self-assessment and coaching engine",
        lifespan=lifespan,
        docs_url=None,  # served from the app's own assets: app/core/api_docs.py
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)

    def has_credentials(request: Request) -> bool:
        return bool(bearer_secret(request) or cookies.session_cookie(request, settings=settings))

    # Added innermost first: security headers wrap everything (the 500 page
    # too), then request ids and the unexpected-error answer, then the limits.
    app.add_middleware(
        RequestLimitsMiddleware,
        max_json_bytes=settings.max_json_body_bytes,
        max_form_bytes=settings.max_form_body_bytes,
        refuse_before_body=anonymous_body_gate(
            lambda: app.routes, requires_user=_requires_user, has_credentials=has_credentials
        ),
        upload_limits={RUBRIC_UPLOAD_PATH: settings.rubric_upload_max_bytes + UPLOAD_OVERHEAD},
    )
    app.add_middleware(FaultMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.https)
    app.add_middleware(MetricsMiddleware)  # outermost: the time the client waits
    app.mount("/static", CachedStaticFiles(directory=settings.static_dir), name="static")
    install_api_docs(app)
    install_problem_openapi(app)

    @app.get("/healthz", tags=["health"])
    async def healthz(session: SessionDep) -> dict[str, str]:
        """Liveness and readiness: 200 when the database answers.

        A read-only SQLite ``SELECT 1`` runs on the event loop, as the token
        lookup does (:func:`app.core.deps.reads_locally`): the thread-pool hop
        of a sync route cost more than the query, and under load its wake-ups
        were the p99 (docs/benchmarks.md).
        """
        probe = partial(session.exec, text("SELECT 1"))
        if reads_locally(session):
            probe()
        else:
            await run_in_threadpool(probe)
        return {"status": "ok"}

    # Routes are matched in order, by a linear scan: the JSON API (integrators'
    # hot path, e.g. POST /api/v1/score) first, then the HTML pages. No path
    # is served by both groups, so the order changes speed, not behaviour.
    # Rubrics sit below accounts in the layer order, so their router does not
    # name the user itself: it is mounted behind sign-in here (401 when anonymous).
    app.include_router(metrics_router)
    app.include_router(assessments_router)
    app.include_router(rubric_health_router)
    app.include_router(accounts_router)
    app.include_router(preferences_router)
    app.include_router(language_router)
    app.include_router(signins_router)
    app.include_router(rubrics_router, dependencies=[Depends(get_current_user)])
    app.include_router(case_router, dependencies=[Depends(get_current_user)])
    app.include_router(coaching_router)
    app.include_router(feedback_results_router)
    app.include_router(reports_router)
    app.include_router(webhooks_router)
    app.include_router(feedback_router)
    app.include_router(insights_router)
    app.include_router(exports_router)
    app.include_router(programmes_router)
    app.include_router(privacy_router)
    app.include_router(audit_router)
    for pages in (
        accounts_pages,
        accounts_admin_pages,
        password_reset_pages,
        sso_pages,
        preferences_pages,
        language_pages,
        signins_pages,
        privacy_pages,
        mail_pages,
        jobs_pages,
        rubrics_pages,
        audit_pages,
        audit_csv_pages,
        webhooks_pages,
        insights_pages,
        exports_pages,
        cohort_pages,
        programmes_admin_pages,
        programmes_pages,
        assessment_pages,
        rubric_health_pages,
        participant_home,
        results_page,
        coaching_pages,
        feedback_pages,
        rater_pages,
        reports_public_router,  # /shared/{secret}.pdf before the page /shared/{secret}
        reports_pages,
    ):
        app.include_router(pages)
    return app


app = create_app()
