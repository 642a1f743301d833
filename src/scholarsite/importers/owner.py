"""The site owner among the authors (the bold name that recurs) and the publication
drafts turned into BibTeX entries."""

from __future__ import annotations

from collections import Counter

from ..model import SourceLocation
from ..names import OwnerMatcher, name_key, split_names
from .authors import infer_owner
from .draft import SiteDraft
from .publist import PubDraft, to_entry
from .report import ImportReport

__all__ = ["settle_owner"]


def _most_common_author(pubs: list[PubDraft]) -> tuple[str, int]:
    counts: Counter[str] = Counter()
    printed: dict[str, str] = {}
    for pub in pubs:
        for key in {name_key(a.name) for a in pub.authors if not a.others}:
            counts[key] += 1
        for a in pub.authors:
            printed.setdefault(name_key(a.name), a.name)
    if not counts:
        return "", 0
    key, count = counts.most_common(1)[0]
    return printed[key], count


def _is(matcher: OwnerMatcher, name: str) -> bool:
    authors = split_names(name.replace(" and ", " "))
    return bool(authors) and matcher.matches(authors[0])


def settle_owner(draft: SiteDraft, pubs: list[PubDraft], report: ImportReport, path: str) -> None:
    """Set `owner_names` and the profile name if missing; add the entries to the draft."""
    where = SourceLocation(path)
    owner, count = infer_owner([p.authors for p in pubs])
    if owner and (count >= 2 or len(pubs) == 1):
        report.record(
            where, f"owner: bold in {count} of {len(pubs)} author lists", "owner_names", owner
        )
    elif pubs:
        name = draft.profile.get("name")
        matcher = OwnerMatcher([name]) if isinstance(name, str) and name else None
        found = matcher and sum(any(_is(matcher, a.name) for a in p.authors) for p in pubs)
        if found:
            owner = name
            report.doubt(
                where, "no bold author name; the profile name was taken as the owner", owner
            )
        else:
            owner, count = _most_common_author(pubs)
            if owner:
                report.doubt(
                    where,
                    f"no bold author name; the most frequent author ({count} of "
                    f"{len(pubs)}) was taken as the owner",
                    owner,
                )
    if owner:
        names = list(draft.settings.get("owner_names") or [])
        if owner not in names:
            names.append(owner)
        draft.settings["owner_names"] = names
        if draft.set_profile("name", owner):
            report.doubt(where, "the page does not say the owner's name; the owner is used", owner)
    owner_key = name_key(owner) if owner else ""
    taken = {e.key.casefold() for e in draft.entries}
    expanded: list[str] = []
    for pub in pubs:
        for a in pub.authors:
            if a.bold and name_key(a.name) != owner_key:
                report.doubt(pub.source, "bold author who is not the owner: bold not kept", a.name)
            if a.url:
                report.doubt(
                    pub.source,
                    "author link not kept (BibTeX has no place for it)",
                    f"{a.name} {a.url}",
                )
        for doubt in pub.doubts:
            report.doubt(pub.source, doubt)
        entry = to_entry(pub, taken)
        draft.entries.append(entry)
        if pub.venue is not None and pub.venue.expanded:
            expanded.append(f"{entry.key} ({pub.venue_line.rstrip(' .')})")
        report.record(pub.source, "publication", f"publications.bib @{entry.key}", pub.title)
    if expanded:
        report.doubt(
            where,
            f"booktitle written out from the venue name in {len(expanded)} "
            "entries (no volume or track): check " + ", ".join(expanded),
        )
