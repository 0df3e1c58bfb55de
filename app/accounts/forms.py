"""The accounts pages' form fields, with the same length limits as the API schemas.

One alias per kind of field, so the login, invitation and admin forms cannot
drift apart (a longer value is a located 422 before any route code runs).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form

EmailField = Annotated[str, Form(max_length=254)]
PasswordField = Annotated[str, Form(max_length=1024)]
DisplayNameField = Annotated[str, Form(max_length=120)]
CsrfField = Annotated[str, Form(max_length=256)]
NextField = Annotated[str, Form(max_length=2000)]
