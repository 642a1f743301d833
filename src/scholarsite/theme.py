"""Themes as data packages: `theme.yaml`, `templates/`, `static/`, with `extends`.

`theme.yaml` declares typed options::

    options:
      accent: {type: color, default: "#2456a6", css_var: --accent, contrast: "#ffffff"}
      pub_style: {type: choice, choices: [detailed, compact], default: detailed}

A theme that extends another may redeclare an option or just give it a new default
(`accent: "#7a1f2b"`). The site picks values in `site.yaml` under `theme_options`; every
value is checked against its type, and every problem is reported with its location.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from .errors import Diagnostics, did_you_mean
from .model import Config, SourceLocation
from .readers.yamlfile import YMap, load_yaml

BUILTIN_THEMES = Path(__file__).parent / "themes"

OPTION_TYPES = ("color", "choice", "font", "boolean", "string", "language")
THEME_KEYS = ("name", "description", "extends", "options", "stylesheets", "author", "license")
SPEC_KEYS = ("type", "default", "choices", "css_var", "contrast", "help")

#: Named font stacks (system fonts only: no web-font request).
FONT_STACKS: Mapping[str, str] = MappingProxyType(
    {
        "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        '"Noto Sans", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
        '"Noto Sans CJK SC", sans-serif',
        "serif": '"Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Charter, '
        '"Bitstream Charter", Georgia, Cambria, "Noto Serif", "Liberation Serif", '
        '"DejaVu Serif", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif',
        "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", '
        '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
        "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", "Noto Sans", "DejaVu Sans", '
        '"PingFang SC", "Noto Sans CJK SC", sans-serif',
        "mono": 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, '
        '"DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace',
    }
)

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_FAMILY = r"""(?:"[\w .-]+"|'[\w .-]+'|[\w .-]+)"""
_FONT_LIST = re.compile(rf"^\s*{_FAMILY}(?:\s*,\s*{_FAMILY})*\s*$")
_CSS_VAR = re.compile(r"^--[a-z][a-z0-9-]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
#: WCAG 2.1 AA contrast for normal text.
MIN_CONTRAST = 4.5


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """One typed option of a theme."""

    name: str
    type: str = "string"
    default: object = ""
    choices: tuple[str, ...] = ()
    css_var: str = ""
    contrast: str = ""
    help: str = ""


@dataclass(frozen=True, slots=True)
class Theme:
    """A resolved theme: lookup order is the site's templates, the theme, its parents."""

    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    options: dict[str, object]
    stylesheets: tuple[str, ...] = ("style.css",)
    specs: Mapping[str, OptionSpec] = field(default_factory=dict)

    @property
    def style(self) -> str:
        """CSS custom properties of the options that declare a `css_var`, e.g.
        ``:root{--accent:#2456a6}``; every value was validated (no markup possible)."""
        decls = [
            f"{spec.css_var}:{self.options[name]}"
            for name, spec in self.specs.items()
            if spec.css_var and self.options.get(name) not in (None, "")
        ]
        return ":root{" + ";".join(decls) + "}" if decls else ""


def available_themes() -> list[str]:
    """Names of the themes shipped with scholarsite."""
    return sorted(p.name for p in BUILTIN_THEMES.iterdir() if (p / "theme.yaml").is_file())


def load_theme(
    name: str, site_root: Path, diags: Diagnostics, config: Config | None = None
) -> Theme:
    """Resolve `name` (a built-in theme or `themes/<name>/` in the site) and its parents,
    then check the site's `theme_options` (from `config`) against the theme's option types."""
    chain: list[tuple[Path, Mapping]] = []
    current: str | None = name
    while current:
        folder = _find(current, site_root)
        if folder is None:
            diags.error(
                _config_where(config, "theme"),
                f"unknown theme '{current}'",
                "available: " + ", ".join(available_themes()),
            )
            break
        if any(folder == f for f, _ in chain):
            diags.error(SourceLocation(_shown(folder / "theme.yaml", site_root)),
                        "themes extend each other", "remove one of the 'extends'")
            break
        path = _shown(folder / "theme.yaml", site_root)
        meta = load_yaml((folder / "theme.yaml").read_text("utf-8"), path, diags)
        meta = meta if isinstance(meta, YMap) else YMap(SourceLocation(path, 1, 1))
        for key in meta:
            if key not in THEME_KEYS:
                diags.error(meta.where(key), f"unknown key '{key}' in theme.yaml",
                            did_you_mean(key, THEME_KEYS))
        chain.append((folder, meta))
        extends = meta.get("extends")
        current = str(extends) if extends else None

    specs: dict[str, OptionSpec] = {}
    stylesheets: list[str] = []
    for _folder, meta in reversed(chain):  # the root parent first, each child refines
        _read_specs(meta, specs, diags)
        for css in meta.get("stylesheets") or ():
            if str(css) not in stylesheets:
                stylesheets.append(str(css))
    options = {name: spec.default for name, spec in specs.items()}
    if config is not None:
        options.update(_site_options(config, specs, name, diags))

    folders = [f for f, _ in chain]
    template_dirs = [site_root / "templates"] if (site_root / "templates").is_dir() else []
    template_dirs += [f / "templates" for f in folders if (f / "templates").is_dir()]
    static_dirs = tuple(f / "static" for f in reversed(folders) if (f / "static").is_dir())
    return Theme(
        name,
        tuple(template_dirs),
        static_dirs,
        options,
        tuple(stylesheets) or ("style.css",),
        MappingProxyType(specs),
    )


# -- option types --------------------------------------------------------------------


def check_value(spec: OptionSpec, value: object) -> tuple[object, str, str]:
    """(clean value, error message or "", hint) for `value` of option `spec`."""
    kind, label = spec.type, f"theme option '{spec.name}'"
    if kind == "boolean":
        if isinstance(value, bool):
            return value, "", ""
        return False, f"{label} must be true or false, not {value!r}", ""
    if isinstance(value, (dict, list)) or value is None:
        return spec.default, f"{label} must be a single value", _hint(spec)
    text = str(value).strip()
    if kind == "color":
        if not _HEX.match(text):
            return spec.default, f"{label} must be a hex colour, not {text!r}", _hint(spec)
        return text.lower(), "", ""
    if kind == "choice":
        if text not in spec.choices:
            return (
                spec.default,
                f"{label} must be one of {', '.join(spec.choices)}, not {text!r}",
                did_you_mean(text, spec.choices),
            )
        return text, "", ""
    if kind == "font":
        if text in FONT_STACKS:
            return FONT_STACKS[text], "", ""
        if ("," in text or text.startswith(("'", '"'))) and _FONT_LIST.match(text):
            return text, "", ""
        return (
            spec.default,
            f"{label} must be one of {', '.join(FONT_STACKS)} or a CSS font-family list, "
            f"not {text!r}",
            did_you_mean(text, FONT_STACKS).replace("valid keys", "presets")
            + " (or a list like '\"Source Serif 4\", Georgia, serif')",
        )
    if kind == "language":
        if not _LANG.match(text):
            return spec.default, f"{label} must be a language code, not {text!r}", _hint(spec)
        return text, "", ""
    if any(c in text for c in "<>{};\\"):
        return spec.default, f"{label} may not contain < > {{ }} ; or \\", ""
    return text, "", ""


def contrast_ratio(fg: str, bg: str) -> float:
    """The WCAG 2.1 contrast ratio of two hex colours (1 to 21)."""
    lighter, darker = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _hint(spec: OptionSpec) -> str:
    if spec.type == "color":
        return f"write it as #rrggbb, e.g. {spec.default}"
    if spec.type == "language":
        return "e.g. zh, ja, de, pt-BR"
    return spec.help


def _read_specs(meta: Mapping, specs: dict[str, OptionSpec], diags: Diagnostics) -> None:
    raw = meta.get("options") or {}
    if not isinstance(raw, YMap):
        diags.error(meta.where("options"), "'options' in theme.yaml must be a map")
        return
    for key, value in raw.items():
        where = raw.where(key)
        base = specs.get(key)
        if isinstance(value, YMap):
            for k in value:
                if k not in SPEC_KEYS:
                    diags.error(value.where(k), f"unknown key '{k}' in option '{key}'",
                                did_you_mean(k, SPEC_KEYS))
            spec = _spec_from_map(key, value, base, diags)
        elif base is not None:  # a child theme's new default for an inherited option
            clean, error, hint = check_value(base, value)
            if error:
                diags.error(where, error, hint)
            spec = replace(base, default=clean)
        else:
            spec = OptionSpec(key, "boolean" if isinstance(value, bool) else "string", value)
        specs[key] = spec


def _spec_from_map(
    key: str, value: YMap, base: OptionSpec | None, diags: Diagnostics
) -> OptionSpec:
    spec = base or OptionSpec(key)
    kind = str(value.get("type", spec.type))
    if kind not in OPTION_TYPES:
        diags.error(value.where("type"), f"unknown option type '{kind}' for '{key}'",
                    did_you_mean(kind, OPTION_TYPES).replace("valid keys", "types"))
        kind = "string"
    choices = tuple(str(c) for c in value.get("choices") or spec.choices)
    if kind == "choice" and not choices:
        diags.error(value.where("type"), f"option '{key}' of type choice needs 'choices'")
    css_var = str(value.get("css_var", spec.css_var) or "")
    if css_var and not _CSS_VAR.match(css_var):
        diags.error(value.where("css_var"), f"css_var of '{key}' must look like --name")
        css_var = ""
    contrast = str(value.get("contrast", spec.contrast) or "")
    if contrast and not _HEX.match(contrast):
        diags.error(value.where("contrast"), f"contrast of '{key}' must be a hex colour")
        contrast = ""
    spec = OptionSpec(key, kind, spec.default, choices, css_var, contrast,
                      str(value.get("help", spec.help) or ""))
    if "default" in value:
        clean, error, hint = check_value(spec, value["default"])
        if error:
            diags.error(value.where("default"), error, hint)
        spec = replace(spec, default=clean)
    return spec


def _site_options(
    config: Config, specs: Mapping[str, OptionSpec], theme: str, diags: Diagnostics
) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in config.theme_options.items():
        where = _config_where(config, f"theme_options.{key}")
        spec = specs.get(key)
        if spec is None:
            diags.error(
                where,
                f"unknown theme option '{key}' for theme '{theme}'",
                did_you_mean(key, specs) if specs else "this theme has no options",
            )
            continue
        clean, error, hint = check_value(spec, value)
        if error:
            diags.error(where, error, hint)
            continue
        if spec.type == "color" and spec.contrast:
            ratio = contrast_ratio(str(clean), spec.contrast)
            if ratio < MIN_CONTRAST:
                diags.warning(
                    where,
                    f"theme option '{key}' {clean} has a contrast ratio of {ratio:.1f}:1 "
                    f"against the background {spec.contrast}; text needs {MIN_CONTRAST}:1 "
                    "(WCAG 2.1 AA)",
                    "pick a darker colour" if _luminance(spec.contrast) > 0.5
                    else "pick a lighter colour",
                )
        out[key] = clean
    return out


def _config_where(config: Config | None, key: str) -> SourceLocation:
    if config is None:
        return SourceLocation("site.yaml")
    return config.key_locations.get(key) or config.location


def _shown(path: Path, site_root: Path) -> str:
    """A theme file as errors name it: relative to the site, or inside scholarsite."""
    for base in (site_root, BUILTIN_THEMES.parent.parent):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def _find(name: str, site_root: Path) -> Path | None:
    for base in (site_root / "themes", BUILTIN_THEMES):
        folder = base / name
        if (folder / "theme.yaml").is_file():
            return folder
    return None
