"""`scholarsite sync`: publications from DBLP, ORCID, Crossref/doi.org and arXiv, merged
into the site's `publications.bib`.

    result = sync_site("dblp", ["140/6685"], Path("mysite"), dry_run=True)
    print(result.summary()); print(result.diff())

Each source module turns identifiers into BibTeX entries (`fetch_*`); `apply` merges them
through `importers.bibmerge.merge_bibtex`. All network access goes through `http.Http`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Diagnostic, Diagnostics, UserError
from ..importers.bibentry import BibEntry
from ..model import SourceLocation
from . import arxiv, crossref, dblp, orcid
from .apply import SyncResult, apply_entries
from .http import FetchError, Http

__all__ = ["SOURCES", "FetchError", "Http", "Source", "SyncResult", "site_email", "sync_site"]


@dataclass(frozen=True)
class Source:
    """One sync source: how to read an identifier, how to fetch a list of them."""

    name: str
    what: str  # "a dblp person id", for messages
    example: str
    parse: Callable[[str], str | None]
    fetch: Callable[[list[str], Http], list[BibEntry]]
    many: bool


def _dblp(ids: list[str], http: Http) -> list[BibEntry]:
    return [e for pid in ids for e in dblp.fetch_dblp(pid, http, dblp.BASE)]


def _orcid(ids: list[str], http: Http) -> list[BibEntry]:
    more = {"doi_api": crossref.API, "resolver": crossref.RESOLVER}
    return [e for i in ids for e in orcid.fetch_orcid(i, http, orcid.API, **more)]


def _dois(ids: list[str], http: Http) -> list[BibEntry]:
    on_arxiv = [i for i in ids if arxiv.arxiv_id_of(i)]
    rest = [i for i in ids if i not in on_arxiv]
    found = crossref.fetch_dois(rest, http, api=crossref.API, resolver=crossref.RESOLVER)
    if on_arxiv:
        found += arxiv.fetch_arxiv([arxiv.arxiv_id_of(i) or i for i in on_arxiv], http, arxiv.API)
    return found


def _arxiv(ids: list[str], http: Http) -> list[BibEntry]:
    return arxiv.fetch_arxiv(ids, http, arxiv.API)


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("dblp", "a dblp person id", "140/6685", dblp.pid_of, _dblp, False),
        Source("orcid", "an ORCID iD", "0000-0002-1825-0097", orcid.orcid_of, _orcid, False),
        Source("doi", "a DOI", "10.1145/3292500.3330701", crossref.doi_of, _dois, True),
        Source("arxiv", "an arXiv id", "2112.07198", arxiv.arxiv_id_of, _arxiv, True),
    )
}
"""Each source reads its identifiers at call time (`dblp.BASE` etc.), so tests can point
them at a local server."""

#: Seconds between two requests to one host, as each service asks.
INTERVALS = {"export.arxiv.org": 3.0, "dblp.org": 1.0}


def site_email(root: Path) -> str:
    """profile.email of the site, for the polite User-Agent ("" when there is none)."""
    from ..readers.yamlfile import YMap, load_yaml

    path = root / "site.yaml"
    if not path.is_file():
        return ""
    data = load_yaml(path.read_text(encoding="utf-8"), "site.yaml", Diagnostics())
    profile = data.get("profile") if isinstance(data, YMap) else None
    email = profile.get("email") if isinstance(profile, dict) else None
    return email.strip() if isinstance(email, str) and "@" in email else ""


def parse_ids(source: Source, ids: list[str]) -> list[str]:
    """Normalised identifiers; a UserError (exit 2) naming each one that is not valid."""
    good, bad = [], []
    for raw in ids:
        ident = source.parse(raw)
        (good if ident else bad).append(ident or raw)
    if bad:
        error = UserError(
            Diagnostic(
                SourceLocation(raw),
                f"'{raw}' is not {source.what}",
                f"e.g. scholarsite sync {source.name} {source.example}",
            )
            for raw in bad
        )
        error.exit_code = 2
        raise error
    return list(dict.fromkeys(good))


def sync_site(
    source_name: str,
    ids: list[str],
    root: Path,
    *,
    dry_run: bool = False,
    update_existing: bool = False,
    http: Http | None = None,
) -> SyncResult:
    """Fetch `ids` from one source and merge them into ROOT/publications.bib."""
    source = SOURCES[source_name]
    idents = parse_ids(source, ids)
    if http is None:
        http = Http(mailto=site_email(root), intervals=INTERVALS)
    if not (root / "site.yaml").is_file() and not (root / "site.yml").is_file():
        apply_entries(root, source_name, [])  # raises the "not a site folder" error first
    entries = source.fetch(idents, http)
    return apply_entries(
        root, source_name, entries, dry_run=dry_run, update_existing=update_existing
    )
