"""Site search: a pagefind index of the rendered pages, under `/pagefind/`.

Pagefind reads HTML files, so the pages to index are written to a temporary folder (on the
RAM disk when there is one), `python -m pagefind` indexes them, and the bundle comes back as
ordinary outputs: the build writes it atomically with everything else. Only each page's
`<main>` is indexed; `data-pagefind-ignore` parts (list pages, cite boxes) and the 404
page are left out. The bundle includes pagefind's own UI script and styles, so search
works with only the site's files, offline.

The publications page also gets a filter by year, type, venue and tag: each list item
carries `data-year`, `data-kind`, `data-venue` and `data-tags`, and `site.js` hides what does
not match (no network, and without JavaScript the filter is simply not shown).

Indexing costs seconds on a big site, so it is a step of `build` (skipped with
`--no-search`), never of the edit loop; and when the indexed pages are the same as those
of the index in the previous output folder, that index is reused without running pagefind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from ..csl import is_preprint
from ..errors import Diagnostics
from ..model import Publication, SourceLocation
from .meta import keywords_of
from .output import Output

__all__ = ["BUNDLE_DIR", "KIND_LABELS", "facet_options", "pub_facets", "pub_kind", "search_index"]

BUNDLE_DIR = "pagefind"
STAMP_FILE = "scholarsite-index.txt"
#: pagefind's other UIs (web components, modular UI): not used by the theme.
_UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.")
#: Index each page's <main>, without the parts that repeat other pages: publication lists
#: (home, CV), legends, breadcrumbs (list and cite boxes carry data-pagefind-ignore).
OPTIONS = (
    "--root-selector", "main",
    "--exclude-selectors", "ol.pubs",
    "--exclude-selectors", ".legend",
    "--exclude-selectors", ".crumbs",
)  # fmt: skip


def _indexed(outputs: Iterable[Output]) -> list[Output]:
    return [
        o
        for o in outputs
        if o.path.endswith(".html")
        and o.path != "404.html"
        and not o.path.startswith(BUNDLE_DIR + "/")
        and o.data is not None
    ]


def _stamp(pages: list[Output]) -> str:
    h = hashlib.sha256(" ".join(OPTIONS).encode())
    h.update(_pagefind_version().encode())
    for page in sorted(pages, key=lambda o: o.path):
        h.update(page.path.encode() + b"\0")
        h.update(hashlib.sha256(page.data or b"").digest())
    return h.hexdigest()


def _pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "?"


def _reuse(previous: Path | None, stamp: str) -> list[Output] | None:
    """The previous output's index, when it was made from the same pages."""
    if previous is None:
        return None
    folder = previous / BUNDLE_DIR
    try:
        if (folder / STAMP_FILE).read_text("utf-8").strip() != stamp:
            return None
    except OSError:
        return None
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(previous).as_posix()
            out.append(Output(rel, path.read_bytes()))
    return out


def search_index(
    outputs: Iterable[Output], diags: Diagnostics, *, previous: Path | None = None
) -> list[Output]:
    """The pagefind bundle for the HTML among `outputs` ([] and a warning on failure)."""
    import subprocess  # here: the pages' facets (below) are needed by every build, not these
    import tempfile

    pages = _indexed(outputs)
    if not pages:
        return []
    stamp = _stamp(pages)
    reused = _reuse(previous, stamp)
    if reused is not None:
        return reused
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="scholarsite-search-", dir=base) as tmp:
        site = Path(tmp) / "site"
        bundle = Path(tmp) / "bundle"
        made: set[Path] = set()
        for page in pages:
            target = site / page.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(page.data or b"")
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path",
               str(bundle), *OPTIONS, "--quiet"]  # fmt: skip
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            _failed(diags, str(exc))
            return []
        if done.returncode != 0 or not bundle.is_dir():
            _failed(diags, (done.stderr or done.stdout).strip()[-500:])
            return []
        out = [
            Output(f"{BUNDLE_DIR}/{p.relative_to(bundle).as_posix()}", _stable(p))
            for p in sorted(bundle.rglob("*"))
            if p.is_file() and not p.name.startswith(_UNUSED)
        ]
    out.append(Output.text(f"{BUNDLE_DIR}/{STAMP_FILE}", stamp + "\n"))
    return out


def _stable(path: Path) -> bytes:
    """A bundle file's bytes; pagefind-entry.json with its keys sorted (pagefind lists the
    languages in hash-map order, which differs from run to run)."""
    data = path.read_bytes()
    if path.name == "pagefind-entry.json":
        return json.dumps(json.loads(data), sort_keys=True, separators=(",", ":")).encode()
    return data


def _failed(diags: Diagnostics, detail: str) -> None:
    diags.warning(
        SourceLocation("pagefind"),
        f"the search index was not built: {detail or 'pagefind failed'}",
        "check that pagefind is installed (pip install 'pagefind[bin]'); "
        "the site works without search",
    )


# -- the publications filter ----------------------------------------------------------

#: Filter types of publications (entry types grouped as a reader thinks of them).
KIND_LABELS = {
    "conference": "Conference paper",
    "journal": "Journal article",
    "preprint": "Preprint",
    "book": "Book or chapter",
    "thesis": "Thesis",
    "report": "Report",
    "other": "Other",
}
_KINDS = {
    "inproceedings": "conference",
    "conference": "conference",
    "proceedings": "conference",
    "article": "journal",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "masterthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
}


def pub_kind(pub: Publication) -> str:
    """The filter type of a paper: a preprint (see `is_preprint`), else by entry type."""
    if is_preprint(pub):
        return "preprint"
    return _KINDS.get(pub.entry_type.lower(), "other")


def pub_facets(pub: Publication) -> dict[str, object]:
    """The filter values a list item carries (as data- attributes)."""
    return {"kind": pub_kind(pub), "tags": keywords_of(pub)}


def facet_options(pubs: list[Publication], preprints: str) -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices of each filter, only those the list has; a filter with fewer
    than two choices is left out (it could not narrow anything)."""
    years = sorted({p.year for p in pubs if p.year}, reverse=True)
    year_opts = [(str(y), str(y)) for y in years]
    if any(not p.year for p in pubs):
        year_opts.insert(0, ("preprint", preprints))
    kinds = [k for k in KIND_LABELS if any(pub_kind(p) == k for p in pubs)]
    venues = sorted({p.abbr for p in pubs if p.abbr}, key=str.lower)
    tags = sorted({t for p in pubs for t in keywords_of(p)}, key=str.lower)
    options = {
        "year": year_opts,
        "kind": [(k, KIND_LABELS[k]) for k in kinds],
        "venue": [(v, v) for v in venues],
        "tag": [(t, t) for t in tags],
    }
    return {name: opts for name, opts in options.items() if len(opts) > 1}
