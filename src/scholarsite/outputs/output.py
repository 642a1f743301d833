"""One file of the built site: bytes to write, or a source file to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Output:
    """A file of the output tree, at `path` (relative, '/'-separated)."""

    path: str
    data: bytes | None = None
    source: Path | None = None

    @staticmethod
    def text(path: str, text: str) -> Output:
        """An output from text (UTF-8)."""
        return Output(path, text.encode("utf-8"))
