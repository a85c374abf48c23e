"""The ``sandbox`` command: run the JobMojito stand-in as its own HTTP server."""

from __future__ import annotations

from pathlib import Path

import click

from webapp.jobmojito.sandbox.app import create_sandbox_app
from webapp.jobmojito.sandbox.server import (
    SandboxServer,
    make_sandbox_server,
    serve_sandbox_in_thread,
)

__all__ = ["SandboxServer", "sandbox_command", "serve_sandbox_in_thread"]


@click.command("sandbox")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5001, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--token",
    envvar="JOBMOJITO_API_TOKEN",
    show_envvar=True,
    help="Bearer token the sandbox accepts (the same one the site sends).",
)
@click.option(
    "--latency",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="How long each create call takes, jittered by a quarter either way; 0 for none.",
)
@click.option("--webhook-url", default=None, metavar="URL", help="Where to deliver webhooks.")
@click.option(
    "--webhook-secret",
    envvar="JOBMOJITO_WEBHOOK_SECRET",
    show_envvar=True,
    help="Secret sent in the webhook header with every delivery.",
)
@click.option(
    "--webhook-header",
    default="X-Webhook-Secret",
    show_default=True,
    help="Name of the header that carries the webhook secret.",
)
@click.option(
    "--public-url",
    default=None,
    metavar="URL",
    help="The sandbox's base URL as others reach it (default: from each request's host).",
)
@click.option(
    "--state-file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSON file keeping positions and interviews across restarts (default: memory only).",
)
def sandbox_command(
    host: str,
    port: int,
    token: str | None,
    latency: float,
    webhook_url: str | None,
    webhook_secret: str | None,
    webhook_header: str,
    public_url: str | None,
    state_file: Path | None,
) -> None:
    """Run a local JobMojito sandbox: the interview API, embed pages, webhooks and faults."""
    if not token or not token.strip():
        raise click.UsageError("a token is required: pass --token or set JOBMOJITO_API_TOKEN")
    app = create_sandbox_app(
        token=token,
        latency=latency,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        webhook_header=webhook_header,
        public_url=public_url,
        state_path=state_file,
    )
    server = make_sandbox_server(app, host, port)
    base = (public_url or f"http://{host}:{server.server_port}").rstrip("/")
    click.echo(f"JobMojito sandbox API: {base}/functions/v1")
    click.echo(f"Embed base:            {base}/embed")
    click.echo(f"Webhooks:              {webhook_url or 'not configured'}")
    click.echo(f"Recruiter console:     {base}/console")
    click.echo(f"State file:            {state_file or 'none (memory only)'}")
    click.echo("Press Ctrl+C to stop.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
