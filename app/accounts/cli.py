"""``stepwise users …`` and ``stepwise coaches …`` (``stepwise demo seed``: app.programmes.cli).

The CLI is the server's operator (whoever can run it can read the database
anyway), so it calls the account services directly, without an admin actor.
Errors are domain exceptions that ``app.cli.main`` prints as one line with a
non-zero exit code. (Never ``return`` from inside ``for session in
session_scope()``: leaving the loop early rolls the unit of work back.)
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

import typer
from sqlmodel import Session

from app.accounts import invitations, service
from app.accounts.models import Role, User
from app.core.config import Settings, get_settings
from app.core.db import session_scope
from app.core.exceptions import InvalidInput, NotFound

users_app = typer.Typer(help="People: add, invite, list.", no_args_is_help=True)
coaches_app = typer.Typer(help="Assign coaches to participants.", no_args_is_help=True)

RoleOption = Annotated[
    list[str] | None,
    typer.Option("--role", "-r", help="participant, coach or admin; repeat for several."),
]
NameOption = Annotated[str | None, typer.Option("--name", help="Display name.")]
LoginEmail = Annotated[str, typer.Argument(help="The login; unique, case-insensitive.")]
CoachEmail = Annotated[str, typer.Argument(metavar="COACH_EMAIL")]
ParticipantEmail = Annotated[str, typer.Argument(metavar="PARTICIPANT_EMAIL")]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        envvar="STEPWISE_PUBLIC_URL",
        help="Public address of the site, for printed links "
        "(default: from STEPWISE_HTTPS/HOST/PORT).",
    ),
]


def _roles(values: list[str] | None) -> frozenset[Role]:
    roles = service.parse_roles(values or [], loc=["--role"])
    if not roles:
        raise InvalidInput("at least one --role is required (participant, coach or admin)")
    return roles


def _base_url(settings: Settings, override: str | None) -> str:
    if override:
        parts = urlsplit(override)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput(f"--base-url must be an http(s) URL, got {override!r}")
        return override.rstrip("/")
    scheme = "https" if settings.https else "http"
    host = "localhost" if settings.host in ("0.0.0.0", "::", "") else settings.host  # noqa: S104
    default_port = 443 if settings.https else 80
    port = "" if settings.port == default_port else f":{settings.port}"
    return f"{scheme}://{host}{port}"


def _describe(user: User) -> str:
    return f"{user.email} ({','.join(sorted(user.role_set))})"


def _print_invitation(issued: invitations.IssuedInvitation, base_url: str) -> None:
    expires = issued.invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    typer.echo(f"invited {_describe(issued.user)}; the link works once, until {expires}:")
    typer.echo(f"  {base_url}{issued.path}")


def _user(session: Session, email: str) -> User:
    user = service.get_user_by_email(session=session, email=email)
    if user is None:
        raise NotFound(f"no user with email {service.normalize_email(email)}")
    return user


def _pair(session: Session, coach_email: str, participant_email: str) -> tuple[User, User]:
    return _user(session, coach_email), _user(session, participant_email)


@users_app.command("add")
def add_user(
    email: LoginEmail,
    role: RoleOption = None,
    password: Annotated[
        str | None,
        typer.Option(help="Without it: prompted twice on a terminal, else an invitation link."),
    ] = None,
    name: NameOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Add a person with a password, or print an invitation link for them."""
    settings, roles, link_base = _new_person_inputs(role, base_url)
    if password is None and sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    _add(settings, email=email, roles=roles, password=password, name=name, link_base=link_base)


@users_app.command("invite")
def invite_user(
    email: LoginEmail,
    role: RoleOption = None,
    name: NameOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Print a single-use, expiring link where the person sets their password."""
    settings, roles, link_base = _new_person_inputs(role, base_url)
    _add(settings, email=email, roles=roles, password=None, name=name, link_base=link_base)


def _new_person_inputs(
    role: list[str] | None, base_url: str | None
) -> tuple[Settings, frozenset[Role], str]:
    """Settings, roles and link base of ``add``/``invite``, refused before any password prompt."""
    settings = get_settings()
    return settings, _roles(role), _base_url(settings, base_url)


def _add(
    settings: Settings,
    *,
    email: str,
    roles: frozenset[Role],
    password: str | None,
    name: str | None,
    link_base: str,
) -> None:
    """Create the person with ``password``, or (``None``) invite them and print the link."""
    for session in session_scope():
        user, issued = invitations.add_person(
            session=session,
            email=email,
            roles=roles,
            display_name=name,
            password=password,
            password_min_length=settings.password_min_length,
            invitation_ttl=timedelta(hours=settings.invitation_ttl_hours),
        )
        if issued is not None:
            _print_invitation(issued, link_base)
        else:
            typer.echo(f"added {_describe(user)}")


@users_app.command("list")
def list_users() -> None:
    """Everyone, with roles and whether they have set a password yet."""
    for session in session_scope():
        for user in service.list_users(session=session):
            state = (
                "deactivated"
                if not user.is_active
                else "invited"
                if user.password_hash is None
                else "active"
            )
            roles = ",".join(sorted(user.role_set))
            typer.echo(f"{user.email}\t{roles}\t{state}\t{user.display_name}")


@coaches_app.command("assign")
def assign(coach_email: CoachEmail, participant_email: ParticipantEmail) -> None:
    """Let a coach see a participant's assessments, reviews and reports."""
    for session in session_scope():
        coach, participant = _pair(session, coach_email, participant_email)
        service.assign_coach(session=session, coach=coach, participant=participant)
        typer.echo(f"assigned coach {coach.email} to participant {participant.email}")


@coaches_app.command("unassign")
def unassign(coach_email: CoachEmail, participant_email: ParticipantEmail) -> None:
    """End an assignment."""
    for session in session_scope():
        coach, participant = _pair(session, coach_email, participant_email)
        if not service.unassign_coach(session=session, coach=coach, participant=participant):
            raise NotFound(f"{coach.email} is not assigned to {participant.email}")
        typer.echo(f"unassigned coach {coach.email} from participant {participant.email}")
