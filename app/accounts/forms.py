"""The accounts pages' form fields, with the same length limits as the API schemas.

One alias per kind of field, so the login, invitation and admin forms cannot
drift apart (a longer value is a located 422 before any route code runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form

EmailField = Annotated[str, Form(max_length=254)]
PasswordField = Annotated[str, Form(max_length=1024)]
DisplayNameField = Annotated[str, Form(max_length=120)]
CsrfField = Annotated[str, Form(max_length=256)]
NextField = Annotated[str, Form(max_length=2000)]


@dataclass(frozen=True, slots=True)
class NewPasswordForm:
    """The form of a one-time link (invitation, password reset): a password typed twice."""

    password: str
    confirmation: str
    csrf_token: str


def _new_password_form(
    password: PasswordField = "",
    password_confirmation: PasswordField = "",
    csrf_token: CsrfField = "",
) -> NewPasswordForm:
    return NewPasswordForm(password, password_confirmation, csrf_token)


#: The fields every one-time link's password form posts, parsed once for both routes.
NewPasswordFields = Annotated[NewPasswordForm, Depends(_new_password_form)]
