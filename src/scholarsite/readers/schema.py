"""Typed checks for YAML values: each returns a clean value or records a diagnostic."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from ..errors import Diagnostics, did_you_mean
from ..markdown import UNSAFE_CHARS, unsafe_urls
from ..model import SourceLocation, Text
from ..urls import is_safe_url
from .yamlfile import YList, YMap

Checker = Callable[[object, SourceLocation, str, Diagnostics], object]


def check_keys(
    mapping: YMap, allowed: Mapping[str, object] | set[str], what: str, diags: Diagnostics
) -> None:
    """Record an error for each key of `mapping` not in `allowed`, with a hint."""
    for key in mapping:
        if key not in allowed:
            diags.error(
                mapping.where(key),
                f"unknown key '{key}' in {what}",
                did_you_mean(key, allowed),
            )


def scalar_text(value: object) -> str | None:
    """A YAML scalar as text (numbers and booleans as written), None for containers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def text(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> Text:
    """A text field: a scalar, or a map of language code -> text."""
    plain = scalar_text(value)
    if plain is not None:
        plain = clean_text(plain, where, key, diags)
        _check_markdown_links(plain, where, key, diags)
        return plain
    if isinstance(value, YMap):
        out: dict[str, str] = {}
        for lang, item in value.items():
            s = scalar_text(item)
            if s is None:
                diags.error(value.where(lang), f"'{key}.{lang}' must be text")
                continue
            s = clean_text(s, value.where(lang), f"{key}.{lang}", diags)
            _check_markdown_links(s, value.where(lang), key, diags)
            out[str(lang)] = s
        return MappingProxyType(out)
    diags.error(where, f"'{key}' must be text or a map of language -> text", _got(value))
    return ""


def string(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> str:
    """A plain string (numbers accepted and kept as written)."""
    plain = scalar_text(value)
    if plain is None:
        diags.error(where, f"'{key}' must be a single value", _got(value))
        return ""
    return clean_text(plain, where, key, diags)


def clean_text(value: str, where: SourceLocation, key: str, diags: Diagnostics) -> str:
    """`value` without invisible control characters and bidi overrides (`UNSAFE_CHARS`):
    each removal is a warning naming the place."""
    if not UNSAFE_CHARS.search(value):
        return value
    codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in UNSAFE_CHARS.findall(value)}))
    diags.warning(
        where,
        f"invisible control character {codes} removed from '{key}'",
        "delete it from the file: it can hide or reverse text (U+202E shows 'exe.gpj' as "
        "'jpg.exe')",
    )
    return UNSAFE_CHARS.sub("", value)


def url(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> str:
    """A URL or site path; unsafe schemes (javascript:, data:...) are refused."""
    s = string(value, where, key, diags).strip()
    if s and not is_safe_url(s):
        diags.error(
            where,
            f"unsafe URL in '{key}': {s[:60]!r}",
            "only http(s), mailto, tel and relative links are allowed",
        )
        return ""
    return s


def boolean(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> bool:
    """true/false (yes/no accepted)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
        return value.lower() in ("yes", "true")
    diags.error(where, f"'{key}' must be true or false", _got(value))
    return False


def count(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> int:
    """A whole number, 0 or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    diags.error(where, f"'{key}' must be a whole number, 0 or more", _got(value))
    return 0


def listof(item: Checker) -> Checker:
    """A list of items checked by `item`; a single scalar is taken as a one-item list."""

    def check(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> tuple:
        if value is None:
            return ()
        if isinstance(value, YList):
            return tuple(item(v, value.item_locations[i], key, diags) for i, v in enumerate(value))
        if isinstance(value, YMap):
            diags.error(where, f"'{key}' must be a list", _got(value))
            return ()
        return (item(value, where, key, diags),)

    return check


def url_map(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> Mapping:
    """A map of name -> URL (profile links)."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, YMap):
        diags.error(where, f"'{key}' must be a map of name: URL", _got(value))
        return MappingProxyType({})
    return MappingProxyType(
        {
            clean_text(str(k), value.where(k), key, diags): url(
                v, value.where(k), f"{key}.{k}", diags
            )
            for k, v in value.items()
        }
    )


def any_map(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> Mapping:
    """A free-form map (theme options)."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, YMap):
        diags.error(where, f"'{key}' must be a map", _got(value))
        return MappingProxyType({})
    return MappingProxyType(dict(value))


def choice(*options: str) -> Checker:
    """One of a fixed set of words."""

    def check(value: object, where: SourceLocation, key: str, diags: Diagnostics) -> str:
        s = string(value, where, key, diags)
        if s not in options:
            diags.error(
                where,
                f"'{key}' must be one of {', '.join(options)}, not {s!r}",
                did_you_mean(s, options),
            )
            return options[0]
        return s

    return check


def read_fields(
    mapping: YMap, spec: Mapping[str, Checker], prefix: str, diags: Diagnostics
) -> dict[str, object]:
    """Check each present key of `mapping` against `spec`; returns the clean values."""
    out: dict[str, object] = {}
    for key, checker in spec.items():
        if key in mapping:
            out[key] = checker(mapping[key], mapping.where(key), prefix + key, diags)
    return out


def _check_markdown_links(s: str, where: SourceLocation, key: str, diags: Diagnostics) -> None:
    if "](" not in s and "<" not in s:
        return
    for bad in unsafe_urls(s):
        diags.error(
            where,
            f"unsafe link in '{key}': {bad[:60]!r}",
            "only http(s), mailto, tel and relative links are allowed",
        )


def _got(value: object) -> str:
    kind = {YMap: "a map", YList: "a list"}.get(type(value), type(value).__name__)
    return f"got {kind}"
