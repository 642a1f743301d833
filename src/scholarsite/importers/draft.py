"""The imported site before it is written: settings, profile, data lists, entries, pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import SourceLocation
from .bibentry import BibEntry

__all__ = ["DataItem", "SiteDraft"]


@dataclass
class DataItem:
    """One item of a data list, with YAML comments to write before or after it."""

    fields: dict[str, object]
    source: SourceLocation
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


@dataclass
class SiteDraft:
    """Everything an importer found, in the shape of a site folder."""

    settings: dict[str, object] = field(default_factory=dict)
    profile: dict[str, object] = field(default_factory=dict)
    #: YAML comment lines written before a site.yaml key ("title", "profile.photo"...).
    comments: dict[str, list[str]] = field(default_factory=dict)
    sections: dict[str, list[DataItem]] = field(default_factory=dict)
    #: Header comment lines of each data file, and comments after its last item.
    section_headers: dict[str, list[str]] = field(default_factory=dict)
    section_footers: dict[str, list[str]] = field(default_factory=dict)
    entries: list[BibEntry] = field(default_factory=list)
    about_front: dict[str, object] = field(default_factory=dict)
    #: YAML comment lines at the end of about.md's front matter (keys it cannot carry).
    about_comments: list[str] = field(default_factory=list)
    about_body: str = ""
    #: Other pages: path under content/ -> full text (front matter included).
    pages: dict[str, str] = field(default_factory=dict)
    #: Files to copy: path under static/ -> source file.
    static: dict[str, Path] = field(default_factory=dict)
    #: The folder imported from: files to copy must lie inside it (no '..', no symlink out).
    source_root: Path | None = None

    def add_item(self, section: str, item: DataItem) -> None:
        """Append an item to a data list."""
        self.sections.setdefault(section, []).append(item)

    def comment(self, key: str, lines: list[str]) -> None:
        """Attach YAML comment lines to a site.yaml key."""
        self.comments.setdefault(key, []).extend(lines)

    def set_profile(self, key: str, value: object) -> bool:
        """Set a profile field unless it is set already; True when it was set."""
        if value in (None, "", [], {}) or self.profile.get(key):
            return False
        self.profile[key] = value
        return True
