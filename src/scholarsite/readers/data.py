"""`data/<section>.yaml` -> a tuple of Entry records."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..errors import Diagnostics
from ..model import Entry, SourceLocation
from . import schema as s
from .yamlfile import YList, YMap, load_yaml

ENTRY_FIELDS: Mapping[str, s.Checker] = {
    "title": s.text,
    "org": s.text,
    "url": s.url,
    "role": s.text,
    "location": s.text,
    "start": s.string,
    "end": s.string,
    "date": s.string,
    "years": s.listof(s.string),
    "details": s.listof(s.text),
}

#: Keys an item may carry for templates beyond the common ones (kept in `extra`).
EXTRA_FIELDS: Mapping[str, s.Checker] = {
    "description": s.text,
    "note": s.text,
    "venue": s.text,
    "event": s.text,
    "image": s.url,
    "slides": s.url,
    "video": s.url,
    "code": s.url,
    "tags": s.listof(s.string),
    "icon": s.string,
    "id": s.string,
}


def read_section(name: str, text: str, path: str, diags: Diagnostics) -> tuple[Entry, ...]:
    """Read one data list; each item is validated, unknown keys are errors."""
    data = load_yaml(text, path, diags)
    if data is None:
        return ()
    if not isinstance(data, YList):
        where = data.location if isinstance(data, YMap) else SourceLocation(path, 1, 1)
        diags.error(
            where,
            f"data/{name}.yaml must be a list of items",
            "start each item with '- title: ...'",
        )
        return ()
    allowed = {**ENTRY_FIELDS, **EXTRA_FIELDS}
    out = []
    for item, where in zip(data, data.item_locations, strict=True):
        if isinstance(item, str):  # a line of text is checked as a title
            out.append(
                Entry(section=name, title=s.text(item, where, "title", diags), location=where)
            )
            continue
        if not isinstance(item, YMap):
            diags.error(
                where,
                "each item must be a map of fields or a line of text",
                "e.g. '- title: Best Paper Award'",
            )
            continue
        s.check_keys(item, allowed, f"a {name} item", diags)
        values = s.read_fields(item, ENTRY_FIELDS, "", diags)
        extra = s.read_fields(item, EXTRA_FIELDS, "", diags)
        if not any(values.get(k) for k in ("title", "org")):
            diags.error(
                where, f"a {name} item needs 'title' or 'org'", "e.g. '- title: Teaching Assistant'"
            )
        out.append(
            Entry(
                section=name,
                title=values.get("title", ""),
                org=values.get("org", ""),
                url=values.get("url", ""),
                role=values.get("role", ""),
                location_name=values.get("location", ""),
                start=values.get("start", ""),
                end=values.get("end", ""),
                date=values.get("date", ""),
                years=tuple(values.get("years", ())),
                details=tuple(values.get("details", ())),
                extra=MappingProxyType(extra),
                location=where,
            )
        )
    return tuple(out)
