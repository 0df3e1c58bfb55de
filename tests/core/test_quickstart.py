"""What ``make run`` does, end to end, as real processes on a fresh database.

Migrate, load rubrics, seed demo accounts, serve; then sign in with a demo
login over HTTP and read the Product Owner rubric.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fixtures.processes import run_cli, serving


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEPWISE_")}
    env["STEPWISE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'stepwise.db'}"
    return env


def _stepwise(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, inherit=False, timeout=120)


@pytest.fixture
def server(fresh_env: dict[str, str]) -> Iterator[str]:
    for args in (("db", "upgrade"), ("rubrics", "load"), ("demo", "seed")):
        result = _stepwise(fresh_env, *args)
        assert result.returncode == 0, result.stderr
    seeded = _stepwise(fresh_env, "demo", "seed")
    assert "nothing created" in seeded.stdout  # idempotent on a second run
    with serving(fresh_env) as base:
        yield base


def test_make_run_sequence_serves_the_product_owner_rubric(server: str) -> None:
    token = httpx.post(
        f"{server}/api/v1/auth/token",
        data={"username": "pat@example.com", "password": "stepwise-demo"},
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    rubrics = httpx.get(f"{server}/api/v1/rubrics", headers=headers).json()
    assert [r["id"] for r in rubrics] == ["product-owner"]
    rubric = httpx.get(f"{server}/api/v1/rubrics/product-owner", headers=headers).json()["rubric"]
    names = [c["name"] for c in rubric["competencies"]]
    assert names[0] == "Product Management"
    assert [lvl["name"] for lvl in rubric["levels"]][-1] == "Catalyst"
