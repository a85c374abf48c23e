"""The base of every form: text fields read only text parts, file fields only file parts."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # the "read the request" default, as Flask-WTF spells it
from werkzeug.datastructures import MultiDict
from wtforms.fields import FileField

_SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _file_field_names(form: Any) -> set[str]:
    return {field.name for field in form if isinstance(field, FileField)}


class Form(FlaskForm):
    """A FlaskForm whose fields only ever see the kind of value they were made for.

    Flask-WTF merges ``request.files`` into the form data, so a text field sent as a file part
    received a ``FileStorage`` and every validator after it failed with a traceback. It also read
    a JSON body as form data, where a list, a number or a nested object did the same. Our forms
    are HTML forms: they read the urlencoded or multipart body, files go to ``FileField``s only.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is not _Auto:  # given explicitly
                return super().wrap_formdata(form, formdata)
            if not request or request.method not in _SUBMIT_METHODS:
                return None
            file_fields = _file_field_names(form)
            items: list[tuple[str, Any]] = [
                (name, value)
                for name, value in request.form.items(multi=True)
                if name not in file_fields
            ]
            items += [
                (name, upload)
                for name, upload in request.files.items(multi=True)
                if name in file_fields
            ]
            return MultiDict(items)
