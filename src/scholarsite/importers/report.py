"""What an import did: records made, text kept as Markdown, doubts, problems, files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..errors import Diagnostic, UserError
from ..model import SourceLocation

T = TypeVar("T")

__all__ = ["ImportReport", "ReportItem"]


@dataclass(frozen=True)
class ReportItem:
    """One line of the report: where it came from, what it became, where it went."""

    source: SourceLocation
    what: str
    target: str = ""
    detail: str = ""

    def __str__(self) -> str:
        where = _where(self.source)
        text = f"{where}: {self.what}"
        if self.detail:
            text += f" {_excerpt(self.detail)}"
        if self.target:
            text += f" -> {self.target}"
        return text


def _where(loc: SourceLocation) -> str:
    return f"{loc.path}:{loc.line}" if loc.line > 0 else loc.path


def _excerpt(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


@dataclass
class ImportReport:
    """The structured result of one import; `format()` is what the command prints."""

    importer: str
    source: str
    into: str
    records: list[ReportItem] = field(default_factory=list)
    markdown: list[ReportItem] = field(default_factory=list)
    doubtful: list[ReportItem] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_site: bool = True

    def record(self, source: SourceLocation, what: str, target: str, detail: str = "") -> None:
        """Something became a structured record."""
        self.records.append(ReportItem(source, what, target, detail))

    def keep(self, source: SourceLocation, what: str, target: str, detail: str = "") -> None:
        """Something stayed as Markdown (or as a comment)."""
        self.markdown.append(ReportItem(source, what, target, detail))

    def doubt(self, source: SourceLocation, what: str, detail: str = "", target: str = "") -> None:
        """Something was guessed or could not be carried over exactly."""
        self.doubtful.append(ReportItem(source, what, target, detail))

    def problem(self, diagnostic: Diagnostic) -> None:
        """A problem in the input (malformed BibTeX, duplicate YAML key...)."""
        self.problems.append(diagnostic)

    def extend_problems(self, diagnostics: list[Diagnostic]) -> None:
        self.problems.extend(diagnostics)

    def guard(self, path: str, run: Callable[[], T]) -> T | None:
        """Import one file; if it fails unexpectedly, report it and go on with the others."""
        try:
            return run()
        except UserError:
            raise
        except Exception as exc:  # a strange file must not stop the whole import
            self.problem(
                Diagnostic(
                    SourceLocation(path),
                    f"could not import this file ({type(exc).__name__}: {exc})",
                    "the other files were imported; please report this file as a bug",
                )
            )
            return None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity == "error"]

    def format(self) -> str:
        """The report as plain text, section by section."""
        kind = "new site folder" if self.new_site else "existing site folder, merged"
        out = [f"Imported {self.source} ({self.importer}) into {self.into} ({kind})"]
        for title, items in (
            ("Became structured records", self.records),
            ("Stayed as Markdown or comments", self.markdown),
            ("Doubtful: please check", self.doubtful),
        ):
            if items:
                out.append(f"{title} ({len(items)}):")
                out.extend(f"  {item}" for item in items)
        if self.problems:
            out.append(f"Problems in the input ({len(self.problems)}):")
            for d in self.problems:
                out.append(f"  {_where(d.location)}: {d.severity}: {d.message}")
                if d.hint:
                    out.append(f"    hint: {d.hint}")
        if self.files:
            out.append("Files written: " + ", ".join(self.files))
        if self.unchanged:
            out.append("Left unchanged: " + ", ".join(self.unchanged))
        return "\n".join(out)
