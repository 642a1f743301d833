"""Test helper: read back what an importer wrote into a site folder."""

from __future__ import annotations

from pathlib import Path

import yaml

from scholarsite.errors import Diagnostics
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.publications import to_publication


def read_imported(into: Path) -> tuple[dict, dict, dict]:
    """(site.yaml, data lists by name, publications by key); the files must read cleanly."""
    raws, problems = parse_bibtex((into / "publications.bib").read_text(encoding="utf-8"), "p")
    assert problems == []
    diags = Diagnostics()
    pubs = {raw.key: to_publication(raw, diags) for raw in raws}
    assert diags.errors == []
    data = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (into / "data").glob("*.yaml")
    }
    site = yaml.safe_load((into / "site.yaml").read_text(encoding="utf-8"))
    return site, data, pubs
