"""The rubric health admin page and API: the figures, the flags, and who may see them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import Role, User
from app.core import i18n
from tests.fixtures.assessments import make_assessment
from tests.fixtures.factories import UserFactory
from tests.fixtures.health import ANSWERS, PL1_ITEM_TOTAL, PLANNING_ALPHA, REVIEW_ALPHA
from tests.fixtures.settings import changed_settings
from tests.fixtures.web import Browser

Login = Callable[..., str]
Headers = Callable[[User], dict[str, str]]


@pytest.fixture
def four_respondents(session: Session, make_user: UserFactory) -> None:
    for answers in ANSWERS:
        make_assessment(session=session, user=make_user(Role.participant), answers=answers)
    # Not submitted: left out.
    make_assessment(
        session=session, user=make_user(Role.participant), answers={"pl-1": 0}, submit=False
    )
    session.commit()


@pytest.fixture
def min_n_4(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with changed_settings(monkeypatch, STEPWISE_HEALTH_MIN_N="4"):
        yield


@pytest.fixture
def admin_client(client: TestClient, admin: User, login: Login) -> TestClient:
    """``client`` signed in as ``admin`` through the login form, for the health page."""
    login(client, admin)
    return client


@pytest.mark.usefixtures("four_respondents", "min_n_4")
def test_the_page_shows_the_figures_with_the_flags_highlighted(admin_client: TestClient) -> None:
    page = admin_client.get("/admin/rubrics/mini/health")
    assert page.status_code == 200
    text = page.text
    assert "Rubric health: mini 2" in text
    assert "4 submitted assessments" in text
    assert f"{PLANNING_ALPHA:.2f}" in text and f"{REVIEW_ALPHA:.2f}" in text
    assert f"{PL1_ITEM_TOTAL:.2f}" in text
    assert '<span class="tag tag-warning">alpha below 0.7</span>' in text
    assert '<span class="tag tag-warning">no variance</span>' in text
    assert '<span class="tag tag-warning">item-total below 0.3</span>' in text
    assert f'<span class="tag tag-warning">{REVIEW_ALPHA:.2f}</span>' in text
    assert f'<span class="tag">{PLANNING_ALPHA:.2f}</span>' in text  # not flagged


@pytest.mark.usefixtures("four_respondents", "min_n_4")
def test_the_page_in_german_translates_flags_and_formats_figures(admin_client: TestClient) -> None:
    admin_client.cookies.set(i18n.LOCALE_COOKIE, "de")
    text = admin_client.get("/admin/rubrics/mini/health").text
    assert '<html lang="de"' in text
    assert "Güte des Kompetenzmodells: mini 2" in text
    assert "4 abgegebene Einschätzungen" in text
    assert '<span class="tag tag-warning">\u03b1 unter 0,7</span>' in text
    assert '<span class="tag tag-warning">keine Varianz</span>' in text
    assert '<span class="tag tag-warning">Trennschärfe unter 0,3</span>' in text
    assert f"{PLANNING_ALPHA:.2f}".replace(".", ",") in text
    assert "alpha below" not in text


@pytest.mark.usefixtures("four_respondents")
def test_below_the_minimum_the_page_shows_no_figures(admin_client: TestClient) -> None:
    page = admin_client.get("/admin/rubrics/mini/health")
    assert page.status_code == 200
    assert page.text.count("Not shown: 4 complete respondents, fewer than 30.") == 2
    assert f"{PLANNING_ALPHA:.2f}" not in page.text


@pytest.mark.usefixtures("four_respondents", "min_n_4")
def test_the_api_gives_the_same_report_to_admins_only(
    client: TestClient, admin: User, participant: User, auth_headers: Headers
) -> None:
    response = client.get("/api/v1/rubrics/mini/health", headers=auth_headers(admin))
    assert response.status_code == 200
    report = response.json()
    assert report["respondents"] == 4
    assert report["behaviors"][0]["alpha"] == pytest.approx(PLANNING_ALPHA)
    refused = client.get("/api/v1/rubrics/mini/health", headers=auth_headers(participant))
    assert refused.status_code == 404


def test_unknown_rubrics_and_versions_are_404(
    client: TestClient, admin: User, login: Login, auth_headers: Headers
) -> None:
    assert client.get("/api/v1/rubrics/nope/health", headers=auth_headers(admin)).status_code == 404
    versioned = client.get(
        "/api/v1/rubrics/mini/health", params={"version": "9"}, headers=auth_headers(admin)
    )
    assert versioned.status_code == 404
    long = client.get(
        "/api/v1/rubrics/mini/health", params={"version": "9" * 40}, headers=auth_headers(admin)
    )
    assert long.status_code == 422 and "9" * 40 not in long.text
    login(client, admin)
    assert client.get("/admin/rubrics/nope/health").status_code == 404


def test_the_page_is_404_for_a_participant_and_coach(
    browser_for: Callable[[User], Browser], participant: User, coach: User
) -> None:
    for user in (participant, coach):
        assert browser_for(user).get("/admin/rubrics/mini/health").status_code == 404
