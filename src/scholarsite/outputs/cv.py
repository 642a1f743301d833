"""The CV: `cv.pdf` typeset with typst from the same data as the site.

`cv_data` turns the Site into plain JSON (profile, then the sections in `site.yaml`'s order:
education, experience, publications with the owner in bold and role marks, awards,
teaching, talks, service, projects); the theme's `cv/cv.typ` (or the site's
`templates/cv.typ`) lays it out. Inline Markdown becomes lists of styled text spans, so no
value is ever read as typst markup.

Reproducible: the document has no date, typst gets a fixed timestamp and only the fonts
embedded in typst plus, when a name needs one, a CJK font folder (Debian's
fonts-noto-cjk). Text that no available font covers is reported as a warning.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..deps import Job, TrackedSite
from ..errors import Diagnostics
from ..i18n import strings
from ..markdown import inline_text
from ..model import ROLE_SYMBOLS, Publication, Site, SourceLocation
from ..readers.config import DEFAULT_SECTIONS
from ..theme import Theme
from ..urls import is_safe_url
from ..views import Lang, Urls, date_range, email_view, role_legend
from .output import Output

__all__ = [
    "CV_SECTIONS",
    "CvFiles",
    "cjk_font_dirs",
    "cv_data",
    "cv_pdf",
    "cv_sections",
    "find_template",
    "spans",
    "uncovered",
]

#: Sections a CV shows, when the site has them.
CV_SECTIONS = tuple(s for s in DEFAULT_SECTIONS if s not in ("news", "contact"))
BASE_FONT = "Libertinus Serif"  # embedded in typst, like New Computer Modern
CJK_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk",  # Arch, Fedora
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/Library/Fonts",
)
#: 2000-01-01T00:00:00Z: the PDF is the same bytes whenever it is built.
FIXED_TIMESTAMP = 946684800
_CJK_CLASS = (
    "[\u2e80-\u2fdf\u3000-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
# What typst's embedded fonts (Libertinus Serif, New Computer Modern, DejaVu Sans Mono)
# cover: Latin, IPA, Greek, Cyrillic, Hebrew, punctuation, symbols, arrows, maths.
_COVERED_CLASS = "[\u0000-\u052f\u0590-\u05ff\u1e00-\u1fff\u2000-\u2bff\ufb00-\ufb06]"


@cache
def _pattern(char_class: str) -> re.Pattern[str]:
    """Compiled when the CV is typeset (3 ms a build without a PDF does not spend)."""
    return re.compile(char_class)


_MEMO: dict[str, tuple[bytes, tuple[str, ...]]] = {}


@cache
def _md() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["image", "autolink", "html_inline"])
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    return md


def spans(text: str) -> list[dict[str, object]]:
    """Inline Markdown as styled text spans: {t, b, i, c, u} (bold, italic, code, link)."""
    if not text:
        return []
    out: list[dict[str, object]] = []
    bold = italic = 0
    links: list[str] = []
    tokens = _md().parseInline(text)[0].children or []
    for tok in tokens:
        kind = tok.type
        if kind in ("text", "code_inline", "softbreak", "hardbreak"):
            value = tok.content if kind in ("text", "code_inline") else " "
            span: dict[str, object] = {"t": value}
            if bold:
                span["b"] = True
            if italic:
                span["i"] = True
            if kind == "code_inline":
                span["c"] = True
            if links:
                span["u"] = links[-1]
            out.append(span)
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            links.append(str(tok.attrGet("href") or ""))
        elif kind == "link_close" and links:
            links.pop()
    return out


def cv_sections(site: Site) -> list[str]:
    """The CV's sections, in `site.yaml`'s `sections` order, then any others it has."""
    order = [s for s in site.config.sections if s in CV_SECTIONS]
    order += [s for s in CV_SECTIONS if s not in order]
    return [
        s for s in order if (site.publications if s == "publications" else site.sections.get(s))
    ]


def cv_publications(pubs: tuple[Publication, ...]) -> list[Publication]:
    """Preprints first, then newest year first; file order within a year."""
    return sorted(pubs, key=lambda p: -(p.year or 10_000))


class _Collect:
    """Builds the CV data and remembers where each text came from (for font warnings)."""

    def __init__(self, site: Site, lang: Lang) -> None:
        self.site, self.lang = site, lang
        self.texts: list[tuple[str, SourceLocation, str]] = []

    def text(self, value: object, what: str, where: SourceLocation) -> str:
        text = self.lang.t(value) if value else ""  # type: ignore[arg-type]
        if text:
            self.texts.append((what, where, text))
        return text

    def rich(self, value: object, what: str, where: SourceLocation) -> list[dict[str, object]]:
        return spans(self.text(value, what, where))

    def entries(self, name: str) -> list[dict[str, object]]:
        out = []
        for e in self.site.sections.get(name, ()):
            main, sub = (e.org, e.title) if e.org else (e.title, "")
            what = self.rich(main, f"{name} item", e.location)
            if e.url and what and not any("u" in s for s in what):
                what = [{**s, "u": e.url} for s in what]
            for s in what:
                s["b"] = True
            out.append(
                {
                    "what": what,
                    "sub": self.rich(sub, f"{name} item", e.location),
                    "role": self.rich(e.role, f"{name} item", e.location),
                    "dates": date_range(e),
                    "location": self.text(e.location_name, f"{name} item", e.location),
                    "details": [self.rich(d, f"{name} item", e.location) for d in e.details],
                }
            )
        return out

    def publication(self, pub: Publication) -> dict[str, object]:
        what = f"publication '{pub.key}'"
        authors = [
            {
                "name": self.text(a.display, what, pub.location),
                "owner": a.is_owner,
                "marks": "".join(sym for role, sym in ROLE_SYMBOLS.items() if role in a.roles),
            }
            for a in pub.authors
        ]
        status = pub.status or ("" if pub.year else "preprint")
        venue = inline_text(pub.venue)
        if status.lower() in venue.lower():  # "arXiv preprint, Preprint" says it twice
            status = ""
        return {
            "title": [{**s, "b": True} for s in self.rich(pub.title, what, pub.location)],
            "authors": authors,
            "venue": self.text(venue, what, pub.location),
            "when": str(pub.year) if pub.year else status.capitalize(),
            "award": self.text(pub.award, what, pub.location),
            "note": self.rich(pub.note, what, pub.location),
        }


def cv_data(site: Site, lang: Lang, fonts: list[str]) -> tuple[dict, list[tuple]]:
    """The JSON the typst template reads, and every text with where it came from."""
    cfg, prof, t = site.config, site.config.profile, strings(lang.code)
    c = _Collect(site, lang)
    where = cfg.location
    name = c.text(prof.name, "profile.name", where) or c.text(cfg.title, "title", where)
    headline = c.rich(prof.position, "profile.position", where)
    affiliation = c.rich(prof.affiliation, "profile.affiliation", where)
    if affiliation:
        if prof.affiliation_url:
            affiliation = [{**s, "u": s.get("u", prof.affiliation_url)} for s in affiliation]
        headline += ([{"t": ", "}] if headline else []) + affiliation
    contact = []
    if prof.email:
        contact.append({"text": email_view(prof.email)["text"], "url": ""})
    home = lang.urls.absolute("/")
    if "://" in home:
        contact.append({"text": home.split("://", 1)[1].rstrip("/"), "url": home})
    for key, url in prof.links.items():
        if url:
            contact.append({"text": _link_text(key, url), "url": url})
    sections = []
    for section in cv_sections(site):
        title = t.get(section, section.replace("_", " ").title())
        if section == "publications":
            pubs = cv_publications(site.publications)
            groups, start = [], 1
            by_year: dict[int | None, list[Publication]] = {}
            for p in pubs:
                by_year.setdefault(p.year, []).append(p)
            for year, items in by_year.items():  # preprints, then newest year first
                label = str(year) if year else t["preprints"]
                groups.append(
                    {"label": label, "start": start, "items": [c.publication(p) for p in items]}
                )
                start += len(items)
            used: set[str] = set()
            for p in pubs:
                used |= p.roles_used
            legend = "   ".join(f"{r['symbol']} {r['label']}" for r in role_legend(used, lang.code))
            sections.append(
                {"kind": "publications", "title": title, "legend": legend, "groups": groups}
            )
        else:
            sections.append({"kind": "entries", "title": title, "items": c.entries(section)})
    data = {
        "title": f"{name} — CV",
        "name": name,
        "native_name": c.text(prof.native_name, "profile.native_name", where),
        "lang": lang.code.split("-")[0],
        "fonts": fonts,
        "accent": "#2456a6",
        "headline": headline,
        "contact": contact,
        "sections": sections,
    }
    return data, c.texts


def _link_text(key: str, url: str) -> str:
    bare = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    return bare if len(bare) <= 40 else key.replace("_", " ").title()


@cache
def cjk_font_dirs() -> tuple[str, ...]:
    """Folders holding a CJK font (Noto CJK / Source Han), found once per process."""
    import subprocess  # only here: the CV page of a build does not need it

    for d in CJK_FONT_DIRS:
        p = Path(d)
        if p.is_dir() and (any(p.glob("*CJK*")) or any(p.glob("SourceHan*"))):
            return (d,)
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return ()
        dirs = sorted({str(Path(line.split(":")[0]).parent) for line in out.splitlines() if line})
        return tuple(dirs[:1])
    return ()


def uncovered(text: str, cjk: bool) -> str:
    """The characters of `text` that no available font covers (each once, in order)."""
    missing = []
    for ch in text:
        if (
            _pattern(_COVERED_CLASS).match(ch)
            or (cjk and _pattern(_CJK_CLASS).match(ch))
            or ch in missing
        ):
            continue
        missing.append(ch)
    return "".join(missing)


def find_template(theme: Theme) -> Path | None:
    """The site's `templates/cv.typ`, else the first theme (or parent) with `cv/cv.typ`."""
    for d in theme.template_dirs:
        for candidate in (d / "cv.typ", d.parent / "cv" / "cv.typ"):
            if candidate.is_file():
                return candidate
    return None


def cv_pdf(site: Site, theme: Theme, diags: Diagnostics) -> Output | None:
    """`cv.pdf`, or None (with an error in `diags`) when typst fails."""
    template = find_template(theme)
    if template is None:
        return None
    cfg = site.config
    lang = Lang(cfg.language, cfg.language, Urls(cfg.base_url))
    probe, texts = cv_data(site, lang, [BASE_FONT])
    needs_cjk = any(_pattern(_CJK_CLASS).search(text) for _, _, text in texts)
    font_dirs = cjk_font_dirs() if needs_cjk else ()
    fonts = [BASE_FONT, *(_cjk_families(font_dirs) if font_dirs else ())]
    for what, where, text in texts:
        missing = uncovered(text, bool(font_dirs))
        if missing:
            hint = (
                "install a CJK font, e.g. Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)"
                if _pattern(_CJK_CLASS).search(missing)
                else "install a font covering these characters, or write them in Latin script"
            )
            diags.warning(where, f"cv.pdf: no font covers {' '.join(missing)!s} (in {what})", hint)
    data = {**probe, "fonts": fonts}
    try:
        pdf, warnings = compile_pdf(template, data, Path(site.root), font_dirs)
    except RuntimeError as exc:  # typst.TypstError
        message = getattr(exc, "message", str(exc)).strip()
        diags.error(SourceLocation(str(template)), f"typst could not typeset the CV: {message}")
        return None
    for message in warnings:
        if "unknown font family" not in message:
            diags.warning(SourceLocation(str(template)), f"typst: {message}")
    return Output("cv.pdf", pdf)


#: Font files -> the family typst sees (read from the file name: no 150 ms font scan).
_FAMILY_BY_FILE = (
    ("NotoSerifCJK", "Noto Serif CJK SC"),
    ("NotoSansCJK", "Noto Sans CJK SC"),
    ("SourceHanSerif", "Source Han Serif SC"),
)


@cache
def _cjk_families(dirs: tuple[str, ...]) -> tuple[str, ...]:
    names = [p.name for d in dirs for p in Path(d).iterdir()]
    known = [fam for prefix, fam in _FAMILY_BY_FILE if any(n.startswith(prefix) for n in names)]
    if known:
        return tuple(known)
    import typst  # another CJK font (found by fontconfig): ask typst what it is called

    found = typst.Fonts(include_system_fonts=False, font_paths=list(dirs)).families()
    return tuple(f for f in found if f not in (BASE_FONT, "New Computer Modern"))


def compile_pdf(
    template: Path, data: dict, root: Path, font_dirs: tuple[str, ...] = ()
) -> tuple[bytes, tuple[str, ...]]:
    """Typeset `data` with the typst `template`; the same input gives the same bytes."""
    import typst  # 7 ms to import; only builds that make a PDF pay it

    source = template.read_bytes()
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True)
    key = hashlib.sha256(
        source + payload.encode() + "\0".join(font_dirs).encode() + str(root).encode()
    ).hexdigest()
    if key not in _MEMO:
        pdf, warnings = typst.compile_with_warnings(
            source,
            root=str(root.absolute()),
            font_paths=list(font_dirs),
            ignore_system_fonts=True,
            sys_inputs={"data": payload},
            timestamp=FIXED_TIMESTAMP,
        )
        _MEMO[key] = (bytes(pdf), tuple(w.message for w in warnings))
    return _MEMO[key]


class CvFiles:
    """`cv.pdf` as a render job (the `/cv/` HTML page is rendered with the other pages)."""

    def __init__(self, site: Site | TrackedSite, theme: Theme, diags: Diagnostics) -> None:
        self.site = site if isinstance(site, TrackedSite) else TrackedSite(site)
        self.theme = theme
        self.diags = diags

    def jobs(self) -> Iterator[Job]:
        yield Job("cv.pdf", self._pdf)

    def _pdf(self) -> Iterator[Output]:
        pdf = cv_pdf(self.site, self.theme, self.diags)  # type: ignore[arg-type]
        if pdf is not None:
            yield pdf
