"""Forms shared by the admin areas."""

from __future__ import annotations

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from webapp.form_base import Form


class LoginForm(Form):
    """E-mail and password."""

    email = EmailField(
        "E-mail",
        validators=[
            DataRequired("Enter your e-mail."),
            Length(max=254, message="Enter a valid e-mail."),
            Email("Enter a valid e-mail."),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            Length(max=1000, message="That password is too long."),
        ],
    )


class ConfirmForm(Form):
    """An empty form: its CSRF token makes a button-only POST safe."""
