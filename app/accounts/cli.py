"""``stepwise demo`` and (later) ``stepwise users`` / ``stepwise coaches``."""

from __future__ import annotations

import typer

from app.accounts.demo import DEMO_PASSWORD, seed_demo_accounts
from app.core.config import get_settings
from app.core.db import session_scope

demo_app = typer.Typer(help="Demo data for a development database.", no_args_is_help=True)


@demo_app.command("seed")
def seed() -> None:
    """Create demo accounts if the database has no users yet, and print their logins."""
    settings = get_settings()
    for session in session_scope():
        created = seed_demo_accounts(
            session=session, password_min_length=settings.password_min_length
        )
    if not created:
        typer.echo("demo accounts: the database already has users; nothing created")
        return
    typer.echo(f"demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in created:
        roles = ",".join(sorted(account.roles))
        typer.echo(f"  {account.email:<22} {roles}")
