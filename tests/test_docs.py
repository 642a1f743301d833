"""Every example in README.md and docs/*.md runs here.

A fenced block's info string says what it is: the language, then optional words.

- `yaml site.yaml`, `yaml data/<section>.yaml`, `markdown content/<page>.md`, `bibtex`
  (or `bibtex publications.bib`): read by scholarsite's own readers, no error allowed.
- `html templates/<name>.html`, `css static/<name>.css`: written into a new site, which
  must then build.
- `yaml` with another file name, or none: must parse as YAML.
- `sh` / `console`: every line starting with `scholarsite` runs (in-process) in one
  workspace per page, in order; `cd` is followed; other commands (pip, git, make) are
  shown, not run. `# exits N` at the end of a line expects that exit code. `serve` runs
  with `--help` appended (its options are checked; it would never return). `sync`
  talks to the recorded services of tests/fixtures/sync/.
- the word `illustrative` skips a block (kept for the few that cannot run).
- other languages (`text`, a file tree) are not code.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scholarsite.cli import main
from scholarsite.errors import Diagnostics
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.config import CONFIG_FIELDS, PROFILE_FIELDS, read_config
from scholarsite.readers.data import ENTRY_FIELDS, EXTRA_FIELDS, read_section
from scholarsite.readers.pages import FRONT_MATTER, read_page
from scholarsite.readers.publications import LINK_FIELDS, to_publication

from .conftest import ROOT, SEED
from .sync_server import FIX, start_services, stop_services

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
SHELL = {"sh", "shell", "bash", "console"}
EXITS = re.compile(r"#\s*exits?\s+(\d+)")
MAX_ILLUSTRATIVE = 6


@dataclass(frozen=True)
class Snippet:
    page: Path
    line: int
    lang: str
    words: tuple[str, ...]
    text: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def target(self) -> str:
        return next((w for w in self.words if "." in w or "/" in w), "")


def snippets(page: Path) -> list[Snippet]:
    text = page.read_text("utf-8")
    out = []
    for m in FENCE.finditer(text):
        info = m.group(1).split()
        line = text.count("\n", 0, m.start()) + 1
        if info:
            out.append(Snippet(page, line, info[0].lower(), tuple(info[1:]), m.group(2)))
    return out


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """An empty folder with the files the docs' commands name, and the recorded services."""
    (tmp_path / "about.md").write_text(SEED.read_text("utf-8"), "utf-8")
    (tmp_path / "scholar.bib").write_text(SCHOLAR_BIB, "utf-8")
    imports = ROOT / "tests" / "fixtures" / "import"
    for name, source in (("academicpages", "academicpages/basic"), ("hugo-site", "hugo/basic")):
        if (imports / source).is_dir():
            shutil.copytree(imports / source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    person = FIX / "dblp" / "person.bib"
    server = start_services(
        monkeypatch, {"/dblp/pid/": (200, "application/x-bibtex", person.read_bytes(), {})}
    )
    yield tmp_path
    stop_services(server)


SCHOLAR_BIB = """@inproceedings{lovelace1843notes,
  title={Notes on the Analytical Engine},
  author={Lovelace, Ada and Babbage, Charles},
  booktitle={Scientific Memoirs},
  year={1843}
}
"""


def _check_file_snippet(s: Snippet, tmp: Path) -> list[str]:
    """Read a snippet as the file it stands for; returns the problems."""
    diags = Diagnostics()
    target = s.target
    if s.lang in ("yaml", "yml"):
        if target in ("site.yaml", "site.yml"):
            read_config(s.text, target, diags)
        elif re.fullmatch(r"data/[\w-]+\.ya?ml", target):
            read_section(Path(target).stem, s.text, target, diags)
        else:
            try:
                yaml.safe_load(s.text)
            except yaml.YAMLError as exc:
                return [f"not YAML: {exc}"]
            return []
    elif s.lang in ("markdown", "md") and target.startswith("content/"):
        read_page(s.text, target, target.removeprefix("content/"), diags, ("en",))
    elif s.lang in ("bibtex", "bib"):
        raws, problems = parse_bibtex(s.text, target or "publications.bib")
        diags.extend(problems)
        for raw in raws:
            to_publication(raw, diags)
        if not raws:
            return ["no BibTeX entry in the snippet"]
    elif target.startswith(("templates/", "static/", "themes/")):
        return _build_with(s, tmp)
    else:
        return []
    return [str(d) for d in diags.errors]


def _build_with(s: Snippet, tmp: Path) -> list[str]:
    from scholarsite.build import build
    from scholarsite.errors import UserError
    from scholarsite.starter import StarterOptions, create_site

    root = tmp / f"snippet-{s.line}"
    if not root.exists():
        create_site(root, StarterOptions(name="Ada Lovelace"))
    path = root / s.target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(s.text, "utf-8")
    theme = re.fullmatch(r"themes/([\w-]+)/theme\.yaml", s.target)
    if theme:  # a theme of the site's own: use it
        config = root / "site.yaml"
        config.write_text(
            re.sub(
                r"^theme: .*$", f"theme: {theme.group(1)}", config.read_text("utf-8"), flags=re.M
            ),
            "utf-8",
        )
    try:
        build(root, root / "_site")
    except UserError as exc:
        return [str(exc)]
    return []


def _commands(s: Snippet) -> list[tuple[list[str], int, str]]:
    """(argv, expected exit code, line) for each shell line, continuations joined; in a
    `console` block only the `$ ` lines are commands (the others are their output)."""
    out = []
    joined = re.sub(r"\\\n\s*", " ", s.text)
    for raw in joined.splitlines():
        line = raw.strip()
        if s.lang == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        if not line or line.startswith("#"):
            continue
        m = EXITS.search(line)
        argv = shlex.split(line, comments=True)
        if argv:
            out.append((argv, int(m.group(1)) if m else 0, line))
    return out


def _run_shell(s: Snippet, state: dict) -> list[str]:
    problems = []
    runner = CliRunner()
    commands = _commands(s)
    if not any(argv[0] == "scholarsite" for argv, _, _ in commands):
        return []  # git, pip, make...: shown to the reader, not run here
    cwd = state["workspace"]
    for argv, expected, line in commands:
        if argv[0] == "cd":
            cwd = (cwd / argv[1]).resolve()
            continue
        if argv[0] != "scholarsite":
            continue
        args = argv[1:]
        if any(a.startswith("/") for a in args):
            problems.append(f"{line!r}: use relative paths (the examples run in a temp folder)")
            continue
        if args and args[0] not in main.commands and not args[0].startswith("-"):
            state["pending"].append(f"{s.where}: {line}")  # a command still being built
            continue
        if "serve" in args[:3]:
            args = [*args, "--help"]
        os.chdir(cwd)
        result = runner.invoke(main, args)
        if result.exception and not isinstance(result.exception, SystemExit):
            problems.append(f"{line!r} raised {result.exception!r}")
        elif result.exit_code != expected:
            problems.append(
                f"{line!r} exited {result.exit_code}, not {expected}:\n{result.output[-1500:]}"
            )
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_snippet_runs(page: Path, workspace: Path):
    problems = []
    state: dict = {"workspace": workspace, "pending": []}
    for s in snippets(page):
        if "illustrative" in s.words:
            continue
        if s.lang in SHELL:
            found = _run_shell(s, state)
        else:
            found = _check_file_snippet(s, workspace / ".snippets")
        problems += [f"{s.where}: {p}" for p in found]
    assert not problems, "\n".join(problems)
    if state["pending"]:
        pytest.skip("commands not in this build yet: " + "; ".join(state["pending"]))


def test_few_snippets_are_illustrative_only():
    marked = [s.where for page in PAGES for s in snippets(page) if "illustrative" in s.words]
    assert len(marked) <= MAX_ILLUSTRATIVE, marked


def test_the_docs_have_snippets_of_each_kind():
    langs = {s.lang for page in PAGES for s in snippets(page)}
    assert {"yaml", "bibtex", "sh", "markdown"} <= langs


def _documented(page: str) -> str:
    return (ROOT / "docs" / page).read_text("utf-8")


@pytest.mark.parametrize(
    ("fields", "prefix"),
    [
        (CONFIG_FIELDS, ""),
        (PROFILE_FIELDS, ""),
        (ENTRY_FIELDS, ""),
        (EXTRA_FIELDS, ""),
        (FRONT_MATTER, ""),
        (dict(LINK_FIELDS), ""),
    ],
    ids=["site.yaml", "profile", "data items", "data extras", "front matter", "link fields"],
)
def test_site_folder_reference_names_every_key(fields, prefix):
    text = _documented("site-folder.md")
    missing = [k for k in fields if f"`{prefix}{k}`" not in text]
    assert not missing, f"docs/site-folder.md does not describe: {missing}"


def test_cli_reference_names_every_command():
    text = _documented("cli.md")
    missing = [name for name in main.commands if f"scholarsite {name}" not in text]
    assert not missing, f"docs/cli.md does not describe: {missing}"


def test_every_command_has_an_example_in_its_help():
    def walk(group, prefix):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from walk(cmd, f"{prefix} {name}")
            yield f"{prefix} {name}", cmd

    ours = {" new", " sync", " sync dblp", " sync orcid", " sync doi", " sync arxiv",
            " build", " serve"}  # fmt: skip
    for name, cmd in walk(main, ""):
        if name in ours:
            assert cmd.epilog and "Example: scholarsite" in cmd.epilog, name
