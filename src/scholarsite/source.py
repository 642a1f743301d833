"""Discover the files of a site folder and classify each by kind."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, UserError
from .model import SourceLocation

#: Kinds of input, as the dev server classifies changes.
KINDS = ("config", "data", "bib", "page", "template", "static")

IGNORED_DIRS = {"_site", ".scholarsite-cache", ".git", ".venv", "node_modules", "__pycache__"}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file: its path relative to the site folder and its kind."""

    rel: str
    kind: str


def classify(rel: str) -> str | None:
    """The kind of a site-relative path, or None when the build does not read it."""
    parts = rel.split("/")
    if any(p.startswith(".") for p in parts) or parts[0] in IGNORED_DIRS:
        return None
    name = parts[-1]
    if rel in ("site.yaml", "site.yml"):
        return "config"
    if parts[0] == "data" and len(parts) == 2 and name.endswith((".yaml", ".yml")):
        return "data"
    if rel == "publications.bib" or (parts[0] == "bib" and name.endswith(".bib")):
        return "bib"
    if parts[0] == "content" and name.endswith((".md", ".markdown")):
        return "page"
    if parts[0] == "templates" and len(parts) > 1:
        return "template"
    if parts[0] == "static" and len(parts) > 1:
        return "static"
    return None


def discover(root: Path) -> list[SourceFile]:
    """Every input file under `root`, sorted by path so builds are deterministic."""
    found: list[SourceFile] = []
    root_s = str(root)
    for top in ("data", "bib", "content", "templates", "static"):
        base = os.path.join(root_s, top)
        if not os.path.isdir(base):
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in filenames:
                rel = os.path.relpath(os.path.join(dirpath, fn), root_s).replace(os.sep, "/")
                kind = classify(rel)
                if kind:
                    found.append(SourceFile(rel, kind))
    for rel in ("site.yaml", "site.yml", "publications.bib"):
        if os.path.isfile(os.path.join(root_s, rel)):
            found.append(SourceFile(rel, classify(rel) or "config"))
    found.sort(key=lambda f: f.rel)
    return found


def site_folder(path: Path | str) -> Path:
    """`path` as a Path when it is a folder; a UserError with a hint when it is not."""
    root = Path(path)
    if not root.is_dir():
        where = SourceLocation(str(root))
        raise UserError(
            [Diagnostic(where, "site folder not found", "pass the folder that holds site.yaml")]
        )
    return root
