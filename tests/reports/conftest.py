"""Report test helpers. The rubrics (``mini_rubric``, ``po_rubric``: from their files,
the report code needs no database) and ``submitted`` are shared (``tests/fixtures/``);
here ``submitted`` answers with :data:`MINI_ANSWERS`. Most API tests start from one
participant's submitted assessment (the ``report`` fixture, an :class:`AssessmentReport`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.accounts.models import User
from tests.fixtures.api import Headers
from tests.fixtures.assessments import MINI_CONSISTENT, Answers, SubmitFactory
from tests.fixtures.paths import ROOT

__all__ = ["MINI_ANSWERS", "ROOT", "AssessmentReport", "SubmitFactory"]

#: Answers to ``mini`` (scale 0..4, threshold 3): planning reaches 2, review 1.
MINI_ANSWERS = MINI_CONSISTENT


@pytest.fixture
def mini_answers() -> Answers:
    return MINI_ANSWERS


@pytest.fixture
def assessment_id(participant: User, submitted: SubmitFactory) -> int:
    """The participant's submitted assessment (:data:`MINI_ANSWERS`)."""
    return submitted(participant)


@dataclass(frozen=True)
class AssessmentReport:
    """One assessment's report endpoints, called with any headers.

    ``headers=None`` sends :meth:`owner_headers`; ``{}`` calls anonymously.
    """

    client: TestClient
    owner: User
    assessment_id: int
    headers: Headers

    def owner_headers(self) -> dict[str, str]:
        """The owner's bearer headers (a fresh token, as ``headers(owner)`` gives)."""
        return self.headers(self.owner)

    def _call(self, method: str, path: str, headers: dict[str, str] | None, **kw: Any) -> Response:
        url = f"/api/v1/assessments/{self.assessment_id}/{path}"
        sent = self.owner_headers() if headers is None else headers
        return self.client.request(method, url, headers=sent, **kw)

    def pdf(self, headers: dict[str, str] | None = None, **params: str) -> Response:
        return self._call("GET", "report.pdf", headers, params=params)

    def html(self, headers: dict[str, str] | None = None) -> Response:
        return self._call("GET", "report.html", headers)

    def share(self, headers: dict[str, str] | None = None, **body: object) -> Response:
        """Create a share link (``body``: its options)."""
        return self._call("POST", "share-links", headers, json=body)

    def share_links(self, headers: dict[str, str] | None = None) -> Response:
        return self._call("GET", "share-links", headers)


@pytest.fixture
def report(
    client: TestClient, participant: User, assessment_id: int, headers: Headers
) -> AssessmentReport:
    """The participant's submitted assessment (``assessment_id``) and its report API."""
    return AssessmentReport(client, participant, assessment_id, headers)
