"""User-facing diagnostics: every problem names `path:line:col`, what and how to fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import SourceLocation


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the user's files."""

    location: SourceLocation
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class UserError(Exception):
    """Bad input: one or more diagnostics, shown together, no traceback."""

    exit_code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class Diagnostics:
    """Collects the diagnostics of one stage so all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, location: SourceLocation, message: str, hint: str = "") -> None:
        """Record an error."""
        self.items.append(Diagnostic(location, message, hint, "error"))

    def warning(self, location: SourceLocation, message: str, hint: str = "") -> None:
        """Record a warning."""
        self.items.append(Diagnostic(location, message, hint, "warning"))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        """Add diagnostics found elsewhere."""
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Stop the build when any error was recorded."""
        if self.errors:
            raise UserError(self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ...?" hint, or a list of valid choices when nothing is close."""
    import difflib  # only when a name was not found

    choices = sorted(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "valid keys: " + ", ".join(choices)
