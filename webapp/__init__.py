"""Careerframe: a company's careers site hosting JobMojito interviews in its own pages."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv import load_dotenv
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(
    test_config: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    instance_path: str | os.PathLike[str] | None = None,
) -> Flask:
    """Build the application: configuration, extensions, services, blueprints, errors, commands."""
    if env is None:
        load_dotenv(ROOT / ".env")
        env = os.environ
    app = Flask(
        __name__,
        instance_path=str(instance_path or env.get("INSTANCE_PATH") or ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    configure(app, env, test_config)
    register_extensions(app)
    register_services(app)
    register_blueprints(app)
    register_security(app)
    register_templating(app)
    register_i18n(app)
    register_errorhandlers(app)
    register_commands(app)
    register_front_cache(app)
    return app


def configure(app: Flask, env: Mapping[str, str], test_config: Mapping[str, Any] | None) -> None:
    """Load validated settings from the environment, then any test overrides."""
    from webapp.config import load_settings
    from webapp.logs import configure_logging
    from webapp.sessions import CachedSerializerSessionInterface

    app.config.from_mapping(load_settings(env, Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    app.session_interface = CachedSerializerSessionInterface()
    if app.config["PROXY_FIX_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind N proxies, the client's address and scheme come from their X-Forwarded headers.
        count = app.config["PROXY_FIX_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]
    configure_logging(app)


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF, rate limits, upload slots and logins to this app."""
    from flask_login import current_user

    from webapp import ratelimit, uploads
    from webapp.extensions import csrf, db, login_manager, migrate
    from webapp.services.accounts import load_session_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    ratelimit.init_app(app)
    uploads.init_app(app)
    # Flask-Login's context processor loads the staff member for every template, the public pages'
    # too; the admin's templates read the same proxy, loaded only where they use it.
    login_manager.init_app(app, add_context_processor=False)
    app.jinja_env.globals["current_user"] = current_user
    login_manager.user_loader(load_session_user)
    login_manager.login_view = "admin.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"


def register_services(app: Flask) -> None:
    """Build this app's upstream client, vault, page cache and published-content cache."""
    from webapp import page_cache
    from webapp.i18n import offer_languages_from
    from webapp.mail.outcomes import init_app as init_outcome_mail
    from webapp.services import funnel, site_cache
    from webapp.services.platform import init_app as init_platform
    from webapp.services.site import site_languages
    from webapp.services.worker import init_app as init_jobs

    init_platform(app)
    init_outcome_mail(app)
    init_jobs(app)
    page_cache.init_app(app)
    site_cache.init_app(app)
    offer_languages_from(app, site_languages)
    funnel.init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per audience."""
    from webapp import admin
    from webapp.views import apply, careers, feeds, find, preview, webhooks, widget

    app.register_blueprint(careers.bp)
    app.register_blueprint(apply.bp)
    app.register_blueprint(find.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(widget.bp)
    app.register_blueprint(feeds.bp)


def register_security(app: Flask) -> None:
    """Security headers and the framing policy."""
    from webapp.security import init_app as init_security

    init_security(app)


def register_templating(app: Flask) -> None:
    """Template filters and the brand and texts every public page reads."""
    from webapp.templating import init_app as init_templating

    init_templating(app)


def register_i18n(app: Flask) -> None:
    """Languages: catalogues, URL prefixes, the language switch and per-language names."""
    from webapp.i18n import init_app as init_i18n

    init_i18n(app)


def register_errorhandlers(app: Flask) -> None:
    """Error pages for candidates, JSON for machine endpoints."""
    from webapp.errors import init_app as init_errors

    init_errors(app)


def register_commands(app: Flask) -> None:
    """The ``flask`` commands operators use."""
    from webapp.cli import init_app as init_cli

    init_cli(app)


def register_front_cache(app: Flask) -> None:
    """Anonymous public GETs answered again before Flask (outermost, after every middleware)."""
    from webapp.front_cache import install

    install(app)
