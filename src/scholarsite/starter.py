"""`scholarsite new DIR`: a complete starter site folder, ready to build and to deploy.

The files are package data under `starter/` with `<<placeholders>>`; `create_site` fills
them in and writes, into an empty or new folder only:

    site.yaml, data/*.yaml, content/about.md, publications.bib (a sample publication, or
    the entries of --from-bibtex), README.md, .gitignore and
    .github/workflows/deploy.yml (GitHub Pages, scholarsite installed from its git
    repository at a pinned ref).

`--from-jekyll PAGE` imports an existing Jekyll "About Me" page instead of the samples
(through `importers.jekyll`) and adds the same README, .gitignore and workflow.
Nothing here asks questions: the command line does, and only on a terminal.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import Diagnostic, UserError
from .model import SourceLocation
from .project import DEFAULT_REF, REPOSITORY

__all__ = ["NewSiteReport", "StarterOptions", "check_target", "create_site", "guess_owner"]

PLACEHOLDER_NAME = "Your Name"

#: Package file -> path in the new site (the dot-files cannot be package data as such).
SAMPLE_FILES = {
    "site.yaml": "site.yaml",
    "data/news.yaml": "data/news.yaml",
    "data/education.yaml": "data/education.yaml",
    "data/experience.yaml": "data/experience.yaml",
    "data/awards.yaml": "data/awards.yaml",
    "data/teaching.yaml": "data/teaching.yaml",
    "data/talks.yaml": "data/talks.yaml",
    "content/about.md": "content/about.md",
    "publications.bib": "publications.bib",
}
INFRA_FILES = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "deploy.yml": ".github/workflows/deploy.yml",
}

_TOKEN = re.compile(r"<<(\w+)>>")
_PLAIN_YAML = re.compile(r"^[A-Za-z0-9\u00C0-\uFFFF][\w\u00C0-\uFFFF .'()&+/@:~-]*$")
_YAML_WORDS = re.compile(r"^(true|false|yes|no|null|on|off|y|n|~)$", re.I)
_PROFILE_BLOCK = re.compile(
    r"^profile:[ \t]*(#[^\n]*)?\n((?:[ \t]*(?:#[^\n]*)?\n)*)([ \t]+)\S", re.M
)
_BASE_URL = re.compile(r"^(https?://[^\s/]+(/[^\s]*)?|/[^\s]*)$")


@dataclass(frozen=True)
class StarterOptions:
    """What `new` was told. `None` means "not given" (a default, or the imported value)."""

    name: str | None = None
    email: str | None = None
    theme: str | None = None
    base_url: str | None = None
    source_repo: str = REPOSITORY
    source_ref: str = DEFAULT_REF
    from_bibtex: Path | None = None
    from_jekyll: Path | None = None
    today: _dt.date | None = None


@dataclass
class NewSiteReport:
    """What `create_site` wrote."""

    root: Path
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    import_report: str = ""


def _error(where: str, message: str, hint: str, exit_code: int = 2) -> UserError:
    error = UserError([Diagnostic(SourceLocation(where), message, hint)])
    error.exit_code = exit_code
    return error


def check_target(root: Path) -> None:
    """Refuse a folder that exists and is not empty (or is a file)."""
    if root.exists() and not root.is_dir():
        raise _error(str(root), "exists and is not a folder", "choose a new folder name")
    if root.is_dir() and any(root.iterdir()):
        raise _error(
            str(root),
            "folder is not empty; scholarsite new only writes into a new or empty folder",
            f"choose another name, e.g. scholarsite new {root.name or 'site'}-homepage",
        )


def yaml_scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that is safe, else double-quoted (JSON is YAML)."""
    tricky = ": " in text or text.endswith(":") or _YAML_WORDS.match(text)
    if _PLAIN_YAML.match(text) and not tricky:
        return text
    return json.dumps(text, ensure_ascii=False)


def bib_name(name: str) -> str:
    """A display name as a BibTeX name: "Ada Lovelace" -> "Lovelace, Ada"."""
    from .importers.bibentry import escape_text
    from .names import split_names

    people = split_names(name)
    if len(people) != 1 or not people[0].last:
        return "{" + escape_text(name) + "}"
    p = people[0]
    last = " ".join(x for x in (p.von, p.last) if x)
    parts = [last, p.jr, p.first] if p.jr else [last, p.first]
    return escape_text(", ".join(x for x in parts if x))


def guess_owner(bib_text: str, path: str = "publications.bib") -> str:
    """The name found in most author lists of a BibTeX text ("" when there is none)."""
    from .names import name_key, split_names
    from .readers.bibtex import parse_bibtex

    raws, _ = parse_bibtex(bib_text, path)
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for raw in raws:
        seen = set()
        for author in split_names(raw.fields.get("author", "")):
            if author.is_others or not author.last:
                continue
            key = name_key(author.display)
            if key not in seen:
                seen.add(key)
                counts[key] += 1
                shown.setdefault(key, author.display)
    if not counts:
        return ""
    return shown[counts.most_common(1)[0][0]]


def _fill(text: str, values: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        return values[m.group(1)]  # a KeyError here is a bug in the starter files

    return _TOKEN.sub(one, text)


def _starter_text(rel: str) -> str:
    return resources.files("scholarsite").joinpath("starter", rel).read_text(encoding="utf-8")


def _check_options(opts: StarterOptions) -> None:
    from .theme import available_themes

    themes = available_themes()
    if opts.theme is not None and opts.theme not in themes:
        raise _error("--theme", f"unknown theme '{opts.theme}'", "available: " + ", ".join(themes))
    if opts.base_url is not None and not _BASE_URL.match(opts.base_url.strip()):
        raise _error(
            "--base-url",
            f"{opts.base_url!r} is not an address",
            "e.g. https://ada.github.io/ or https://ada.github.io/homepage/ (or / for now)",
        )
    if opts.email and "@" not in opts.email:
        raise _error("--email", f"{opts.email!r} is not an email address", "e.g. ada@example.org")
    for flag, path in (("--from-bibtex", opts.from_bibtex), ("--from-jekyll", opts.from_jekyll)):
        if path is not None and not path.is_file():
            raise _error(str(path), f"{flag}: no such file", "pass the path of an existing file")
    if opts.from_bibtex is not None and opts.from_jekyll is not None:
        raise _error(
            "--from-jekyll",
            "--from-bibtex and --from-jekyll cannot be combined",
            "start from the page, then: scholarsite import bibtex FILE --into DIR",
        )


def _base_url(value: str | None) -> str:
    url = (value or "/").strip()
    return url if url.endswith("/") else url + "/"


def _values(opts: StarterOptions, name: str) -> dict[str, str]:
    today = opts.today or _dt.date.today()
    repo = opts.source_repo.rstrip("/")
    email = (opts.email or "").strip()
    return {
        "title": yaml_scalar(name),
        "name": name,
        "name_yaml": yaml_scalar(name),
        "owner_name": yaml_scalar(name),
        "bib_name": bib_name(name),
        "description": yaml_scalar(f"Homepage of {name}"),
        "email_line": f"email: {yaml_scalar(email)}" if email else "# email: you@example.org",
        "base_url": yaml_scalar(_base_url(opts.base_url)),
        "theme": yaml_scalar(opts.theme or "default"),
        "today": today.isoformat(),
        "repository": repo,
        "ref": opts.source_ref,
        "docs": f"{repo}/blob/{opts.source_ref}/docs",
    }


def _bibtex_from(path: Path) -> str:
    """The entries of a BibTeX file, cleaned as the bibtex importer cleans them."""
    from .importers.bibentry import from_raw
    from .importers.bibmerge import merge_bibtex
    from .readers.bibtex import parse_bibtex

    raws, diags = parse_bibtex(path.read_text(encoding="utf-8"), str(path))
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise UserError(errors)
    text, _ = merge_bibtex("", [from_raw(r) for r in raws])
    return f"% Imported by scholarsite new from {path.name}\n\n{text}"


def create_site(root: Path, opts: StarterOptions) -> NewSiteReport:
    """Write a new site folder at `root` (new or empty); nothing is left on failure."""
    check_target(root)
    _check_options(opts)
    existed = root.exists()
    root.mkdir(parents=True, exist_ok=True)
    try:
        if opts.from_jekyll is not None:
            return _from_jekyll(root, opts)
        return _from_samples(root, opts)
    except BaseException:
        if existed:
            for child in root.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        else:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _write(root: Path, rel: str, text: str, report: NewSiteReport) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report.files.append(rel)


def _from_samples(root: Path, opts: StarterOptions) -> NewSiteReport:
    report = NewSiteReport(root)
    bib = _bibtex_from(opts.from_bibtex) if opts.from_bibtex is not None else None
    name = (opts.name or "").strip() or (guess_owner(bib) if bib else "") or PLACEHOLDER_NAME
    if name == PLACEHOLDER_NAME:
        report.notes.append(f"no name given: edit '{PLACEHOLDER_NAME}' in site.yaml")
    elif not opts.name:
        report.notes.append(f"owner guessed from the publications: {name}")
    values = _values(opts, name)
    for src, dest in {**SAMPLE_FILES, **INFRA_FILES}.items():
        if dest == "publications.bib" and bib is not None:
            _write(root, dest, bib, report)
            continue
        _write(root, dest, _fill(_starter_text(src), values), report)
    (root / "static").mkdir(exist_ok=True)
    return report


def _from_jekyll(root: Path, opts: StarterOptions) -> NewSiteReport:
    from .importers.jekyll import import_jekyll

    assert opts.from_jekyll is not None
    imported = import_jekyll(opts.from_jekyll, root)
    report = NewSiteReport(root, list(imported.files), import_report=imported.format())
    config = root / "site.yaml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    if opts.theme is not None:
        text = _set_top(text, "theme", yaml_scalar(opts.theme))
    if opts.base_url is not None:
        text = _set_top(text, "base_url", yaml_scalar(_base_url(opts.base_url)))
    for key, value in (("name", opts.name), ("email", opts.email)):
        if value:
            text = _add_profile(text, key, yaml_scalar(value.strip()), report)
    if text:
        config.write_text(text, encoding="utf-8")
    name = _profile_name(root) or (opts.name or PLACEHOLDER_NAME)
    values = _values(opts, name)
    for src, dest in INFRA_FILES.items():
        if not (root / dest).exists():
            _write(root, dest, _fill(_starter_text(src), values), report)
    return report


def _set_top(text: str, key: str, value: str) -> str:
    """Set a top-level `key: value` line of site.yaml (replaced, or appended)."""
    line = re.compile(rf"^{re.escape(key)}:[^\n]*$", re.M)
    if line.search(text):
        return line.sub(lambda _: f"{key}: {value}", text, count=1)
    return text.rstrip("\n") + f"\n{key}: {value}\n" if text else f"{key}: {value}\n"


def _add_profile(text: str, key: str, value: str, report: NewSiteReport) -> str:
    """Add `profile.key` when site.yaml lacks it (the imported value wins)."""
    block = _PROFILE_BLOCK.search(text)
    if block is None:
        if re.search(r"^profile:", text, re.M):
            report.notes.append(f"profile.{key} not added (profile is not a block): add it")
            return text
        return text.rstrip("\n") + f"\nprofile:\n  {key}: {value}\n"
    indent = block.group(3)
    start = block.start(3)
    body_end = re.search(r"^\S", text[start:], re.M)
    body = text[start : start + body_end.start()] if body_end else text[start:]
    if re.search(rf"^{indent}{re.escape(key)}:", body, re.M):
        report.notes.append(f"kept profile.{key} from the imported page")
        return text
    return text[:start] + f"{indent}{key}: {value}\n" + text[start:]


def _profile_name(root: Path) -> str:
    from .errors import Diagnostics
    from .readers.yamlfile import YMap, load_yaml

    path = root / "site.yaml"
    if not path.is_file():
        return ""
    data = load_yaml(path.read_text(encoding="utf-8"), "site.yaml", Diagnostics())
    profile = data.get("profile") if isinstance(data, YMap) else None
    name = profile.get("name") if isinstance(profile, dict) else None
    if isinstance(name, dict):
        name = next(iter(name.values()), "")
    return name if isinstance(name, str) else ""
