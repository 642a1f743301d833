"""The command line: thin click commands, lazy imports, exit codes by error type.

Exit codes: 0 success, 1 problems in the site's files (each shown as path:line:col),
2 wrong usage of the command line, 3 an environment problem (port taken, missing tool).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

EXAMPLES = {
    "build": "scholarsite build examples/about-me -o /tmp/site",
    "serve": "scholarsite serve examples/about-me --port 8000",
}


def _fail(exc: Exception) -> None:
    from .errors import UserError

    if isinstance(exc, UserError):
        for d in exc.diagnostics:
            _echo_diagnostic(d)
        n = len(exc.diagnostics)
        click.secho(
            f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", fg="red", err=True
        )
        sys.exit(exc.exit_code)
    raise exc


def _echo_diagnostic(d) -> None:
    colour = "red" if d.severity == "error" else "yellow"
    click.echo(
        click.style(f"{d.location}: {d.severity}:", fg=colour, bold=True) + f" {d.message}",
        err=True,
    )
    if d.hint:
        click.echo(click.style("  hint: ", fg="cyan") + d.hint, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scholarsite")
def main() -> None:
    """Personal academic websites from plain files."""


@main.command(epilog=f"Example: {EXAMPLES['build']}")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(path_type=Path),
    help="Output folder (default: SITE_DIR/_site).",
)
@click.option("--drafts", is_flag=True, help="Include pages with 'published: false'.")
@click.option("--force", is_flag=True, help="Replace an output folder scholarsite did not make.")
@click.option("--timings", is_flag=True, help="Print the time of each pipeline stage.")
def build(site_dir: Path, out: Path | None, drafts: bool, force: bool, timings: bool) -> None:
    """Build SITE_DIR into a static website."""
    from .build import build as run_build
    from .errors import UserError

    try:
        report = run_build(site_dir, out, drafts=drafts, force=force)
    except UserError as exc:
        _fail(exc)
        return
    for w in report.warnings:
        _echo_diagnostic(w)
    click.echo(
        f"Built {report.files} files into {report.out_dir} in {report.seconds * 1000:.0f} ms."
    )
    if timings:
        for stage, secs in report.timings.items():
            click.echo(f"  {stage:<8} {secs * 1000:8.1f} ms")


@main.command(epilog=f"Example: {EXAMPLES['serve']}")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind (only this machine by default).",
)
@click.option("--drafts/--no-drafts", default=True, help="Show draft pages (default: yes).")
def serve(site_dir: Path, port: int, host: str, drafts: bool) -> None:
    """Build SITE_DIR and serve a preview on http://127.0.0.1:PORT."""
    from .errors import UserError
    from .serve.server import run_server

    try:
        run_server(site_dir, host=host, port=port, drafts=drafts)
    except UserError as exc:
        _fail(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
