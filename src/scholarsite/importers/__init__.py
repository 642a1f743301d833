"""Importers: what researchers already have -> a site folder (they write sources, never build).

- `import_jekyll(page, into, config=None)`: a hand-written Jekyll About page;
- `import_academicpages(site, into)`: an academicpages site folder;
- `import_hugo(site, into)`: a Hugo Blox (wowchemy) site folder;
- `import_bibtex(file, into)`: a BibTeX export merged into publications.bib;
- `merge_bibtex(existing_text, incoming_entries, ...)`: the merge itself (used by `sync`).

Each importer returns an `ImportReport` (records made, text kept as Markdown, doubts,
problems as `path:line: message`). Names are loaded on first use, so that importing one
module (e.g. `importers.bibentry`) does not load them all.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .academicpages import import_academicpages
    from .bibentry import BibEntry
    from .bibmerge import MergeReport, merge_bibtex
    from .bibtex import import_bibtex
    from .hugo import import_hugo
    from .jekyll import import_jekyll
    from .report import ImportReport

_WHERE = {
    "import_jekyll": "jekyll",
    "import_academicpages": "academicpages",
    "import_hugo": "hugo",
    "import_bibtex": "bibtex",
    "merge_bibtex": "bibmerge",
    "MergeReport": "bibmerge",
    "BibEntry": "bibentry",
    "ImportReport": "report",
}
__all__ = [
    "BibEntry",
    "ImportReport",
    "MergeReport",
    "import_academicpages",
    "import_bibtex",
    "import_hugo",
    "import_jekyll",
    "merge_bibtex",
]


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
