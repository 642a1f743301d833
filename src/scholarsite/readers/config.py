"""`site.yaml` -> Config (settings and the owner's Profile)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ..errors import Diagnostics
from ..model import Config, Profile, SourceLocation
from . import schema as s
from .yamlfile import YMap, load_yaml

PROFILE_FIELDS: Mapping[str, s.Checker] = {
    "name": s.text,
    "native_name": s.string,
    "photo": s.url,
    "motto": s.text,
    "position": s.text,
    "affiliation": s.text,
    "affiliation_url": s.url,
    "email": s.string,
    "notices": s.listof(s.text),
    "interests": s.listof(s.text),
    "links": s.url_map,
}

CONFIG_FIELDS: Mapping[str, s.Checker] = {
    "title": s.text,
    "base_url": s.string,
    "language": s.string,
    "languages": s.listof(s.string),
    "theme": s.string,
    "theme_options": s.any_map,
    "reference_style": s.string,
    "owner_names": s.listof(s.string),
    "raw_html": s.choice("passthrough", "sanitize", "escape"),
    "sections": s.listof(s.string),
    "description": s.text,
    "footer": s.text,
    "feed_limit": s.count,
    "profile": lambda v, w, k, d: v,  # checked below, field by field
}

DEFAULT_SECTIONS = (
    "news",
    "education",
    "experience",
    "publications",
    "awards",
    "teaching",
    "talks",
    "service",
    "projects",
    "contact",
)
#: How many of the newest news items atom.xml carries by default (0 in site.yaml: all).
FEED_LIMIT = 20
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def read_config(text: str, path: str, diags: Diagnostics) -> Config:
    """Validate site.yaml; every problem is recorded with its location."""
    data = load_yaml(text, path, diags)
    if data is None:
        return Config(location=SourceLocation(path, 1, 1))
    if not isinstance(data, YMap):
        diags.error(
            SourceLocation(path, 1, 1),
            "site.yaml must be a map of settings",
            "start with e.g. 'title: My Site'",
        )
        return Config(location=SourceLocation(path, 1, 1))
    s.check_keys(data, CONFIG_FIELDS, "site.yaml", diags)
    values = s.read_fields(data, CONFIG_FIELDS, "", diags)
    profile = _read_profile(data, diags)

    languages = tuple(values.get("languages") or ()) or (values.get("language") or "en",)
    for lang in languages:
        if not _LANG.match(lang):
            diags.error(
                data.where("languages" if "languages" in data else "language"),
                f"'{lang}' is not a language code",
                "use codes like en, zh, de, pt-BR",
            )
    base_url = str(values.get("base_url") or "/").strip()
    if not base_url.endswith("/"):
        base_url += "/"
    if not (base_url.startswith(("http://", "https://", "/"))):
        diags.error(
            data.where("base_url"),
            f"base_url must be an absolute URL, not {base_url!r}",
            "e.g. https://username.github.io/ or https://username.github.io/repo/",
        )
    sections = tuple(values.get("sections") or ()) or DEFAULT_SECTIONS
    return Config(
        title=values.get("title") or profile.name or "Home",
        base_url=base_url,
        languages=languages,
        theme=values.get("theme") or "default",
        theme_options=values.get("theme_options") or {},
        reference_style=values.get("reference_style") or "default",
        owner_names=tuple(values.get("owner_names") or ()) or _names_of(profile),
        raw_html=values.get("raw_html") or "passthrough",
        sections=sections,
        profile=profile,
        description=values.get("description") or "",
        footer=values.get("footer") or "",
        feed_limit=values.get("feed_limit", FEED_LIMIT),
        location=data.location,
        key_locations=_key_locations(data),
    )


def _key_locations(data: YMap) -> Mapping[str, SourceLocation]:
    out = {key: data.where(key) for key in ("theme", "theme_options", "languages", "language")}
    options = data.get("theme_options")
    if isinstance(options, YMap):
        out.update({f"theme_options.{k}": options.where(k) for k in options})
    profile = data.get("profile")
    if isinstance(profile, YMap):
        out.update({f"profile.{k}": profile.where(k) for k in profile})
    return MappingProxyType(out)


def _read_profile(data: YMap, diags: Diagnostics) -> Profile:
    raw = data.get("profile")
    if raw is None:
        return Profile()
    if not isinstance(raw, YMap):
        diags.error(data.where("profile"), "'profile' must be a map", "e.g. profile: {name: Ada}")
        return Profile()
    s.check_keys(raw, PROFILE_FIELDS, "profile", diags)
    return Profile(**s.read_fields(raw, PROFILE_FIELDS, "profile.", diags))


def _names_of(profile: Profile) -> tuple[str, ...]:
    name = profile.name
    if isinstance(name, Mapping):
        return tuple(dict.fromkeys(name.values()))
    return (name,) if name else ()
