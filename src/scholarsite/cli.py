"""The command line: thin click commands, lazy imports, exit codes by error type.

Exit codes: 0 success, 1 problems in the site's files (each shown as path:line:col),
2 wrong usage of the command line, 3 an environment problem (port taken, missing tool).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .project import DEFAULT_REF, REPOSITORY

EXAMPLES = {
    "build": "scholarsite build examples/about-me -o /tmp/site",
    "serve": "scholarsite serve examples/about-me --port 8000",
    "cv": "scholarsite cv examples/about-me -o /tmp/cv.pdf",
    "new": 'scholarsite new mysite --name "Ada Lovelace" --email ada@example.org',
    "sync": "scholarsite sync dblp 140/6685 --into mysite --dry-run",
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


def _verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ((ctx.find_root().obj or {}) if ctx else {}).get("verbosity", 0)


def _say(message: str, level: int = 0, **style) -> None:
    """Print `message` unless -q (level 0), or only with -v (level 1)."""
    if _verbosity() >= level:
        style = {k: v for k, v in style.items() if v is not None}
        click.secho(message, **style) if style else click.echo(message)


class _ProgressBar:
    """A progress bar on the terminal for a build that has run for a second: short builds
    print nothing more, and rich is imported only when the bar appears. No thread: it is
    redrawn as render jobs finish (at most ten times a second)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.bar = None
        self.drawn = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.bar is None:
            if now - self.start < 1.0 or done >= total:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("Rendering"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True),
                transient=True,
                auto_refresh=False,
            )
            self.bar.start()
            self.task = self.bar.add_task("render", total=total)
        if now - self.drawn >= 0.1 or done >= total:
            self.bar.update(self.task, completed=done)
            self.bar.refresh()
            self.drawn = now

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Start here: scholarsite new mysite && scholarsite serve mysite",
)
@click.version_option(__version__, prog_name="scholarsite")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more (timings, requests, diffs).")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Personal academic websites from plain files.

    Exit codes: 0 success, 1 problems in the site's files, 2 wrong usage,
    3 an environment problem (port taken, network down, missing tool).
    Colours only on a terminal (and never with NO_COLOR set)."""
    ctx.obj = {"verbosity": int(verbose) - int(quiet)}
    if os.environ.get("NO_COLOR"):
        ctx.color = False


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
@click.option(
    "--clean", is_flag=True, help="Ignore the cache (SITE_DIR/.scholarsite-cache) and build anew."
)
@click.option(
    "--search/--no-search",
    default=True,
    help="Build the site search index with pagefind (default: yes; seconds on big sites).",
)
@click.option(
    "--pdf/--no-pdf", default=True, help="Typeset cv.pdf (default: yes; seconds on big sites)."
)
@click.option(
    "--cite/--no-cite",
    default=True,
    help="Write each paper's cite.bib/.ris/.json and publications.bib (default: yes).",
)
def build(
    site_dir: Path,
    out: Path | None,
    drafts: bool,
    force: bool,
    timings: bool,
    clean: bool,
    search: bool,
    pdf: bool,
    cite: bool,
) -> None:
    """Build SITE_DIR into a static website (reusing what the last build parsed)."""
    from .build import build as run_build
    from .errors import UserError

    if _PROGRAM:
        # The process ends after the build, its objects with it: Python's cyclic collector,
        # back on after the build, first went over every record (0.37 s at 6,000 pages).
        gc.disable()
    options = {"search": search, "pdf": pdf, "cite": cite}
    bar = _ProgressBar() if sys.stderr.isatty() and _verbosity() >= 0 else None
    try:
        report = run_build(
            site_dir, out, drafts=drafts, force=force, clean=clean, progress=bar, **options
        )
    except UserError as exc:
        _fail(exc)
        return
    finally:
        if bar is not None:
            bar.close()
    for w in report.warnings:
        _echo_diagnostic(w)
    if report.up_to_date:
        _say(
            f"Nothing changed: the {report.files} files in {report.out_dir} are up to date "
            f"({report.seconds * 1000:.0f} ms)."
        )
    else:
        _say(f"Built {report.files} files into {report.out_dir} in {report.seconds * 1000:.0f} ms.")
    for stage, secs in report.timings.items():
        on = f" ({report.workers} processes)" if stage == "render" and report.workers > 1 else ""
        _say(f"  {stage:<8} {secs * 1000:8.1f} ms{on}", level=0 if timings else 1)
    global _LEAVE_FAST
    _LEAVE_FAST = True


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
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve(site_dir: Path, port: int, host: str, drafts: bool, open_browser: bool) -> None:
    """Serve a live preview of SITE_DIR on http://127.0.0.1:PORT: every saved edit
    re-renders the pages it reaches and reloads the browser; errors show in the page.
    Nothing is written into SITE_DIR/_site."""
    from .errors import UserError
    from .serve.server import run_server

    try:
        run_server(site_dir, host=host, port=port, drafts=drafts, open_browser=open_browser)
    except UserError as exc:
        if exc.exit_code == 3:  # the machine, not the site: port taken, bad address
            for d in exc.diagnostics:
                _echo_diagnostic(d)
            sys.exit(exc.exit_code)
        _fail(exc)


@main.command(epilog=f"Example: {EXAMPLES['cv']}")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write (default: SITE_DIR/_site/cv.pdf).",
)
def cv(site_dir: Path, out: Path | None) -> None:
    """Typeset the CV of SITE_DIR as a PDF (the same cv.pdf `build` makes), alone."""
    from .build import build_cv
    from .errors import UserError

    try:
        report = build_cv(site_dir, out)
    except UserError as exc:
        _fail(exc)
        return
    for w in report.warnings:
        _echo_diagnostic(w)
    click.echo(f"Wrote {report.out_dir} in {report.seconds * 1000:.0f} ms.")


@main.command(epilog="Example: scholarsite check examples/about-me --strict")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, e.g. in CI.")
def check(site_dir: Path, strict: bool) -> None:
    """Check SITE_DIR: broken links and anchors, missing files, incomplete or duplicate
    publications, the owner missing from author lists, malformed URLs. Writes nothing."""
    from .check import check_site, format_finding
    from .errors import UserError

    try:
        report = check_site(site_dir)
    except UserError as exc:
        _fail(exc)
        return
    for d in report.findings:
        colour = "red" if d.severity == "error" else "yellow"
        click.secho(format_finding(d), fg=colour)
        if d.hint:
            click.echo("  hint: " + d.hint)
    e, w = len(report.errors), len(report.warnings)
    summary = f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"
    click.echo(f"Checked {report.pages} pages, {report.links} links: {summary}.", err=True)
    if report.failed(strict):
        sys.exit(1)


@main.command(epilog=f"Example: {EXAMPLES['new']}")
@click.argument("site_dir", type=click.Path(path_type=Path))
@click.option("--name", help="Your name, as shown on the site and in author lists.")
@click.option("--email", help="Your email (shown so that scrapers cannot read it).")
@click.option("--theme", help="The theme (default: default).")
@click.option("--base-url", help="Where the site will be published, e.g. https://ada.github.io/.")
@click.option(
    "--from-bibtex",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start with the publications of this .bib file instead of the sample.",
)
@click.option(
    "--from-jekyll",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Start from an existing Jekyll 'About Me' page (imported) instead of the samples.",
)
@click.option(
    "--source-repo",
    default=REPOSITORY,
    show_default=True,
    help="Git repository the deploy workflow installs scholarsite from.",
)
@click.option(
    "--source-ref",
    default=DEFAULT_REF,
    show_default=True,
    help="Tag or commit of that repository the workflow pins.",
)
@click.option("--no-input", is_flag=True, help="Ask nothing, even on a terminal.")
def new(site_dir: Path, no_input: bool, **options) -> None:
    """Create a new site folder SITE_DIR: profile, sections, a sample publication, a
    .gitignore and a GitHub Pages workflow. Asks for what is missing only on a terminal."""
    from .errors import UserError
    from .starter import StarterOptions, check_target, create_site, guess_owner

    try:
        check_target(site_dir)
        if _stdin_is_terminal() and not no_input:
            options = _ask_new(options, guess_owner)
        report = create_site(site_dir, StarterOptions(**options))
    except UserError as exc:
        _fail(exc)
        return
    if report.import_report:
        _say(report.import_report, level=1)
    for note in report.notes:
        _say(f"note: {note}", fg="yellow")
    where = _quoted(site_dir)
    _say(f"Created {site_dir} ({len(report.files)} files). Next:", fg="green")
    _say(f"  {_invoked_as()} serve {where}    # preview on http://127.0.0.1:8000")
    _say("  edit site.yaml, data/*.yaml, content/about.md and publications.bib")
    _say(f"  publish on GitHub Pages: see {site_dir / 'README.md'}")


def _invoked_as() -> str:
    """How to type this command again: `scholarsite` when that is on PATH, else the path
    it was run by (`.venv/bin/scholarsite` from a fresh clone)."""
    import shutil

    here = Path(sys.argv[0])
    found = shutil.which("scholarsite")
    if here.name != "scholarsite" or (found and Path(found).resolve() == here.resolve()):
        return "scholarsite"
    return _quoted(here)


def _quoted(path: Path) -> str:
    """`path` as a shell word."""
    import shlex  # 7 ms of start-up a build does not need

    return shlex.quote(str(path))


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _ask_new(options: dict, guess_owner) -> dict:
    """The questions of `new`, for what the command line did not say."""
    from .theme import available_themes

    options = dict(options)
    if options["from_jekyll"] is None:
        if options["name"] is None:
            bib = options["from_bibtex"]
            guess = guess_owner(bib.read_text("utf-8")) if bib and bib.is_file() else ""
            options["name"] = click.prompt("Your name", default=guess or None)
        if options["email"] is None:
            options["email"] = click.prompt("Email (blank: none)", default="", show_default=False)
    if options["base_url"] is None:
        options["base_url"] = click.prompt(
            "Address of the site (e.g. https://ada.github.io/; / until you know)", default="/"
        )
    themes = available_themes()
    if options["theme"] is None and len(themes) > 1:
        options["theme"] = click.prompt("Theme", type=click.Choice(themes), default="default")
    return options


@main.group(epilog=f"Example: {EXAMPLES['sync']}")
def sync() -> None:
    """Fetch publications from dblp, ORCID, Crossref (DOIs) or arXiv and merge them into
    publications.bib: hand edits kept, a preprint and its published version merged.
    Exit code 2 for an identifier a service does not know, 3 when it cannot be reached."""


def _sync_options(command):
    for decorator in reversed(
        (
            click.option(
                "--into",
                default=".",
                show_default=True,
                type=click.Path(file_okay=False, path_type=Path),
                help="The site folder (holding site.yaml).",
            ),
            click.option("--dry-run", is_flag=True, help="Show the changes; write nothing."),
            click.option(
                "--update-existing",
                is_flag=True,
                help="Overwrite fields that differ in entries already in the file.",
            ),
            click.option(
                "--timeout", default=20.0, show_default=True, help="Seconds to wait per request."
            ),
            click.option("--mailto", help="Contact sent to the services (default: profile.email)."),
        )
    ):
        command = decorator(command)
    return command


def _run_sync(source: str, ids: list[str], into: Path, dry_run: bool, **opts) -> None:
    from .errors import UserError
    from .sync import INTERVALS, Http, site_email, sync_site

    mailto = opts["mailto"] or site_email(into)
    http = Http(mailto=mailto, timeout=opts["timeout"], intervals=INTERVALS)
    try:
        result = sync_site(
            source, ids, into, dry_run=dry_run, update_existing=opts["update_existing"], http=http
        )
    except UserError as exc:
        _fail(exc)
        return
    finally:
        for url in http.requests:
            _say(f"GET {url}", level=1)
    for d in result.merge.problems:
        _echo_diagnostic(d)
    for line in result.lines():
        quiet_line = line.endswith("nothing new")
        _say(f"  {line}", level=1 if quiet_line else 0)
    _say(result.summary())
    if dry_run:
        for line in result.diff().splitlines():
            colour = {"+": "green", "-": "red", "@": "cyan"}.get(line[:1])
            _say(line, fg=colour)
        _say(f"Dry run: {result.path} was not written.", fg="yellow")
    elif result.written:
        _say(f"Wrote {result.path}.", fg="green")
    else:
        _say(f"{result.path} is up to date.")


@sync.command("dblp", epilog="Example: scholarsite sync dblp 140/6685 --into mysite")
@click.argument("pid")
@_sync_options
def sync_dblp(pid: str, into: Path, dry_run: bool, **opts) -> None:
    """All publications of a dblp person: PID is the end of the person's dblp address
    (https://dblp.org/pid/140/6685.html -> 140/6685); the address itself works too."""
    _run_sync("dblp", [pid], into, dry_run, **opts)


@sync.command("orcid", epilog="Example: scholarsite sync orcid 0000-0002-1825-0097 --dry-run")
@click.argument("orcid_id", metavar="ID")
@_sync_options
def sync_orcid(orcid_id: str, into: Path, dry_run: bool, **opts) -> None:
    """All public works of an ORCID record (each work's BibTeX, else its DOI's)."""
    _run_sync("orcid", [orcid_id], into, dry_run, **opts)


@sync.command("doi", epilog="Example: scholarsite sync doi 10.1145/3292500.3330701 --into mysite")
@click.argument("dois", metavar="DOI...", nargs=-1, required=True)
@_sync_options
def sync_doi(dois: tuple[str, ...], into: Path, dry_run: bool, **opts) -> None:
    """Publications by DOI (Crossref, or the DOI's own registration agency)."""
    _run_sync("doi", list(dois), into, dry_run, **opts)


@sync.command("arxiv", epilog="Example: scholarsite sync arxiv 2112.07198 2205.00241")
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
@_sync_options
def sync_arxiv(ids: tuple[str, ...], into: Path, dry_run: bool, **opts) -> None:
    """Preprints by arXiv id (2112.07198, hep-th/9901001 or an arxiv.org address)."""
    _run_sync("arxiv", list(ids), into, dry_run, **opts)


@main.group("import", epilog="Example: scholarsite import jekyll old/about.md --into mysite")
def import_group() -> None:
    """Bring in what you have: a Jekyll About page, an academicpages or Hugo Blox site, a
    BibTeX export. Each run prints what became which record, what stayed Markdown and what
    is doubtful. Into an existing site it merges: nothing there is overwritten."""


_INTO = click.Path(file_okay=False, path_type=Path)


def _run_import(run, *args) -> None:
    from .errors import UserError

    try:
        report = run(*args)
    except UserError as exc:
        _fail(exc)
        return
    click.echo(report.format())


@import_group.command("jekyll", epilog="Example: scholarsite import jekyll about.md --into mysite")
@click.argument("page", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The site's _config.yml (default: the one beside or above the page).",
)
@click.option("--into", required=True, type=_INTO, help="The site folder to create or merge into.")
def import_jekyll(page: Path, config: Path | None, into: Path) -> None:
    """A hand-written Jekyll page (About Me) into site.yaml, data/*.yaml, publications.bib
    and content/about.md; what cannot be classified stays in about.md."""
    from .importers.jekyll import import_jekyll as run

    _run_import(run, page, into, config)


@import_group.command("academicpages", epilog="Example: scholarsite import academicpages "
                      "ada.github.io --into mysite")  # fmt: skip
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.option("--into", required=True, type=_INTO, help="The site folder to create or merge into.")
def import_academicpages(site: Path, into: Path) -> None:
    """An academicpages site: _publications, _talks, _teaching, _pages/about.md, _config.yml."""
    from .importers.academicpages import import_academicpages as run

    _run_import(run, site, into)


@import_group.command("hugo", epilog="Example: scholarsite import hugo my-hugo-site --into mysite")
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.option("--into", required=True, type=_INTO, help="The site folder to create or merge into.")
def import_hugo(site: Path, into: Path) -> None:
    """A Hugo Blox (wowchemy) site: publication bundles with cite.bib, the admin author."""
    from .importers.hugo import import_hugo as run

    _run_import(run, site, into)


@import_group.command("bibtex", epilog="Example: scholarsite import bibtex scholar.bib --into .")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", default=".", show_default=True, type=_INTO, help="The site folder.")
def import_bibtex(file: Path, into: Path) -> None:
    """Merge a BibTeX export (Google Scholar, DBLP, ACL Anthology, Zotero) into
    publications.bib: duplicates merged, hand edits kept, conflicts reported."""
    from .importers.bibtex import import_bibtex as run

    _run_import(run, file, into)


#: Running as the `scholarsite` program (`run`), not called from other code or tests.
_PROGRAM = False
#: Set by a command whose process may end without freeing its objects one by one.
_LEAVE_FAST = False


def run() -> None:
    """The `scholarsite` program: `main`, then, after a build, leave at once: the system
    frees the memory, while Python's freeing of a large site's records one by one took
    50 ms of its build (measured at 6,000 pages). Output is flushed first; a build has
    waited for every process it started."""
    global _PROGRAM
    _PROGRAM = True
    try:
        main()
    except SystemExit as exc:  # click always ends this way
        if not _LEAVE_FAST:
            raise
        code = exc.code
    else:
        return
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
