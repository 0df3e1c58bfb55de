"""The import contracts in ``pyproject.toml`` hold, and ``lint-imports`` fails when one breaks.

Each breaking case copies ``app/`` into a temporary directory, adds one
import that a contract forbids, and runs ``lint-imports`` with the project's
own configuration on the copy (``PYTHONPATH`` puts the copy first, so the
installed project is not what is read). The run must fail and name the
contract: a contract that cannot fail would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="lint-imports not installed: pip install -e '.[dev]'"
)


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts, reading the ``app`` package in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(CONFIG)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_app(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__", "static")
    )
    return tmp_path


def add_line(tree: Path, module: str, line: str) -> None:
    """Append ``line`` to ``module``'s file (``app/core/pages.py``) in the copy."""
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_unchanged_copy_keeps_them_too(tmp_path: Path) -> None:
    """The copy is what is read (not the installed project), and it starts out clean."""
    tree = copy_of_app(tmp_path)
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    add_line(tree, "app/core/pages.py", "import app.coaching  # noqa")
    assert lint_imports(tree).returncode != 0


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        pytest.param(
            "app/core/pages.py",
            "import app.coaching  # noqa",
            "Layers: one direction of dependencies between app packages",
            id="core imports a domain",
        ),
        pytest.param(
            "app/accounts/policy.py",
            "from app.assessments import service  # noqa",
            "Layers: one direction of dependencies between app packages",
            id="a domain imports one above it",
        ),
        pytest.param(
            "app/rubrics/service.py",
            "from app.charts import radar  # noqa",
            "Layers: one direction of dependencies between app packages",
            id="two independent packages of one level",
        ),
        pytest.param(
            "app/scoring/engine.py",
            "import sqlalchemy  # noqa",
            "Scoring is pure: it imports only app.rubrics.schemas",
            id="scoring imports a database library",
        ),
        pytest.param(
            "app/scoring/engine.py",
            "from app.rubrics import loader  # noqa",
            "Scoring is pure: it imports only app.rubrics.schemas",
            id="scoring imports more of rubrics than the schema",
        ),
        pytest.param(
            "app/coaching/service.py",
            "from app.reports import repository  # noqa",
            "coaching imports no other domain's repository",
            id="a domain imports another's repository",
        ),
        pytest.param(
            "app/main.py",
            "from app.reports import builder  # noqa",
            "The report pipeline is private to reports",
            id="a reports internal imported from outside",
        ),
    ],
)
def test_a_forbidden_import_breaks_lint(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = copy_of_app(tmp_path)
    add_line(tree, module, line)
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    assert f"{contract} BROKEN" in result.stdout, result.stdout


def test_a_new_package_without_a_layer_breaks_lint(tmp_path: Path) -> None:
    """``exhaustive``: a new domain must be given its place in the order."""
    tree = copy_of_app(tmp_path)
    (tree / "app" / "newdomain").mkdir()
    (tree / "app" / "newdomain" / "__init__.py").write_text('"""New domain."""\n')
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    assert "app.newdomain" in result.stdout + result.stderr
