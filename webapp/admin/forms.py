"""Forms shared by the admin areas."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        "E-mail", validators=[DataRequired("Enter your e-mail."), Email("Enter a valid e-mail.")]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token makes a button-only POST safe."""
