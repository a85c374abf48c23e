"""Run the sandbox without the careers site: ``python -m webapp.jobmojito.sandbox``."""

from webapp.jobmojito.sandbox.cli import sandbox_command

sandbox_command(prog_name="python -m webapp.jobmojito.sandbox")
