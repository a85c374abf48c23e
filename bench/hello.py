"""The yardstick: a bare Flask "hello" app, served under the same gunicorn settings as ours."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest useful response."""
    return "hello"
