"""The ASGI application: ``app.main:app``.

Start-up validates every rubric file and stores new versions; an invalid
rubric or an edited-without-version-bump rubric stops the server with a
message naming the file and field, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from app import models  # noqa: F401 - every table registered before use
from app.accounts.admin_pages import router as accounts_admin_pages
from app.accounts.pages import router as accounts_pages
from app.accounts.password_reset_pages import router as password_reset_pages
from app.accounts.routes import router as accounts_router
from app.assessments.pages import router as assessment_pages
from app.assessments.routes import router as assessments_router
from app.coaching.pages import router as coaching_pages
from app.coaching.routes import router as coaching_router
from app.core.config import Settings, get_settings
from app.core.db import session_scope
from app.core.deps import SessionDep
from app.core.errors import install_error_handlers
from app.core.logs import configure_logging
from app.core.security_headers import SecurityHeadersMiddleware
from app.core.static import CachedStaticFiles
from app.jobs.in_process import in_process_jobs
from app.jobs.pages import router as jobs_pages
from app.mail.pages import router as mail_pages
from app.reports.pool import shutdown_pool
from app.reports.routes import public_router as reports_public_router
from app.reports.routes import router as reports_router
from app.rubrics.routes import router as rubrics_router
from app.rubrics.startup import load_and_sync_rubrics


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
    async with in_process_jobs(settings):  # SQLite: jobs run inside the server
        yield
    shutdown_pool()  # the report renderer's worker processes


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging()
    app = FastAPI(
        title="Stepwise",
        version="0.1.0",
        summary="Competency self-assessment and coaching engine",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.https)
    app.mount("/static", CachedStaticFiles(directory=settings.static_dir), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz(session: SessionDep) -> dict[str, str]:
        """Liveness and readiness: 200 when the database answers."""
        session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        return {"status": "ok"}

    # Routes are matched in order, by a linear scan: the JSON API (integrators'
    # hot path, e.g. POST /api/v1/score) first, then the HTML pages. No path
    # is served by both groups, so the order changes speed, not behaviour.
    for api in (
        assessments_router,
        accounts_router,
        rubrics_router,
        coaching_router,
        reports_router,
    ):
        app.include_router(api)
    for pages in (
        accounts_pages,
        accounts_admin_pages,
        password_reset_pages,
        mail_pages,
        jobs_pages,
        assessment_pages,
        coaching_pages,
        reports_public_router,
    ):
        app.include_router(pages)
    return app


app = create_app()
