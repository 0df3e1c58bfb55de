"""Every table, imported in one place so Alembic and the tests see them all."""

from app.accounts.models import ApiToken, CoachAssignment, User
from app.rubrics.models import RubricVersion

__all__ = ["ApiToken", "CoachAssignment", "RubricVersion", "User"]
