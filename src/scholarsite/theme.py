"""Themes as data packages: `theme.yaml`, `templates/`, `static/`, with `extends`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .model import SourceLocation
from .readers.yamlfile import YMap, load_yaml

BUILTIN_THEMES = Path(__file__).parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    """A resolved theme: lookup order is the site's templates, the theme, its parents."""

    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    options: dict[str, object]


def available_themes() -> list[str]:
    """Names of the themes shipped with scholarsite."""
    return sorted(p.name for p in BUILTIN_THEMES.iterdir() if (p / "theme.yaml").is_file())


def load_theme(name: str, site_root: Path, diags: Diagnostics) -> Theme:
    """Resolve `name` (a built-in theme or `themes/<name>/` in the site) and its parents."""
    chain: list[Path] = []
    options: dict[str, object] = {}
    current: str | None = name
    while current:
        folder = _find(current, site_root)
        if folder is None:
            diags.error(
                SourceLocation("site.yaml"),
                f"unknown theme '{current}'",
                "available: " + ", ".join(available_themes()),
            )
            break
        if folder in chain:
            diags.error(SourceLocation(str(folder / "theme.yaml")), "themes extend each other")
            break
        chain.append(folder)
        meta = load_yaml(
            (folder / "theme.yaml").read_text("utf-8"), str(folder / "theme.yaml"), diags
        )
        meta = meta if isinstance(meta, YMap) else {}
        for key, value in dict(meta.get("options") or {}).items():
            options.setdefault(key, value)
        current = meta.get("extends")
    template_dirs = [site_root / "templates"] if (site_root / "templates").is_dir() else []
    template_dirs += [f / "templates" for f in chain if (f / "templates").is_dir()]
    static_dirs = tuple(f / "static" for f in reversed(chain) if (f / "static").is_dir())
    return Theme(name, tuple(template_dirs), static_dirs, options)


def _find(name: str, site_root: Path) -> Path | None:
    for base in (site_root / "themes", BUILTIN_THEMES):
        folder = base / name
        if (folder / "theme.yaml").is_file():
            return folder
    return None
