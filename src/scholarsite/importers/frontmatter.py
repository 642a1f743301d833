"""Reading other tools' files leniently: any encoding, YAML or TOML front matter, broken
YAML (reported with its line, read key by key where possible), duplicate keys (last wins)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Diagnostics
from ..model import SourceLocation
from ..readers.yamlfile import load_yaml

__all__ = [
    "Document",
    "parse_yaml",
    "plain",
    "read_document",
    "read_text",
    "read_yaml_file",
    "shown_path",
]

_SIMPLE_PAIR = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*?)\s*$")


@dataclass
class Document:
    """A Markdown (or other text) file split into front matter and body."""

    path: str
    data: dict = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    has_front_matter: bool = False
    problems: list[Diagnostic] = field(default_factory=list)


def shown_path(path: Path) -> str:
    """A path as the report shows it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_text(path: Path, shown: str) -> tuple[str, list[Diagnostic]]:
    """A file as text: UTF-8 (BOM and CRLF removed), else a guessed encoding with a warning."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return "", [Diagnostic(SourceLocation(shown), f"cannot read the file: {exc.strerror}")]
    problems: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        for enc in ("gb18030", "cp1252", "latin-1"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        problems.append(
            Diagnostic(
                SourceLocation(shown, line, 1),
                f"file is not UTF-8; read it as {enc}",
                "check the accents and non-Latin text of the result",
                "warning",
            )
        )
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        problems.append(Diagnostic(SourceLocation(shown, 1, 1), "NUL bytes removed", "", "warning"))
        text = text.replace("\x00", "")
    return text, problems


def plain(value: object) -> object:
    """YMap/YList (which keep line marks) as plain dicts and lists."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _fallback(text: str, path: str, line_offset: int) -> tuple[dict, list[Diagnostic]]:
    """Top-level `key: value` pairs of YAML that does not parse (best effort; last wins)."""
    out: dict[str, object] = {}
    lines: dict[str, int] = {}
    problems: list[Diagnostic] = []
    for number, line in enumerate(text.splitlines(), start=line_offset + 1):
        m = _SIMPLE_PAIR.match(line)
        if m and not line.startswith((" ", "\t")):
            value = m.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            elif value[:1] in "'\"":
                value = value[1:]
            key = m.group(1)
            if key in lines:
                problems.append(
                    Diagnostic(
                        SourceLocation(path, number, 1),
                        f"duplicate key '{key}' (first at line {lines[key]}); the last one wins",
                        "remove one of the two",
                        "warning",
                    )
                )
            out[key] = value
            lines[key] = number
    return out, problems


def parse_yaml(text: str, path: str, line_offset: int = 0) -> tuple[object, list[Diagnostic]]:
    """YAML with duplicate-key warnings (last wins) and syntax errors as diagnostics.

    On a syntax error the top-level `key: value` lines are still read (with a warning).
    """
    diags = Diagnostics()
    data = load_yaml(text, path, diags, line_offset=line_offset)
    problems = list(diags.items)
    if data is None and any(d.severity == "error" for d in problems) and text.strip():
        data, more = _fallback(text, path, line_offset)
        problems.extend(more)
        if data:
            problems.append(
                Diagnostic(
                    SourceLocation(path, line_offset + 1, 1),
                    f"read {len(data)} top-level keys line by line despite the YAML error",
                    "fix the YAML and import again to be sure nothing is missed",
                    "warning",
                )
            )
    return data, problems


def read_yaml_file(path: Path, shown: str) -> tuple[object, list[Diagnostic]]:
    """A YAML file (e.g. _config.yml) as data, with its problems."""
    text, problems = read_text(path, shown)
    data, more = parse_yaml(text, shown)
    return data, problems + more


def _toml(text: str, path: str, line_offset: int) -> tuple[dict, list[Diagnostic]]:
    try:
        return tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) + line_offset if m else line_offset + 1
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        problem = Diagnostic(SourceLocation(path, line, 1), f"TOML syntax error: {message}")
        data, more = _fallback(text, path, line_offset)
        return data, [problem, *more]


def read_document(path: Path, shown: str) -> Document:
    """A Markdown file with `---` YAML or `+++` TOML front matter (both optional)."""
    text, problems = read_text(path, shown)
    doc = Document(shown, problems=problems)
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        doc.body = text
        return doc
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (fence, "...")), None)
    if end is None:
        doc.problems.append(
            Diagnostic(
                SourceLocation(shown, 1, 1),
                "front matter is not closed; the whole file is read as front matter",
                f"end the front matter with a line '{fence}'",
            )
        )
        end = len(lines)
    fm_text = "\n".join(lines[1:end])
    if fence == "+++":
        data, more = _toml(fm_text, shown, 1)
    else:
        data, more = parse_yaml(fm_text, shown, 1)
    doc.problems.extend(more)
    if data is not None and not isinstance(data, dict):
        doc.problems.append(
            Diagnostic(SourceLocation(shown, 2, 1), "front matter is not a map of keys; ignored")
        )
        data = {}
    doc.data = data or {}
    doc.has_front_matter = True
    doc.body = "\n".join(lines[end + 1 :])
    doc.body_line = end + 2
    return doc
