"""`scholarsite check`: find what is wrong with a site before its visitors do.

The site is read and rendered in memory, as `build` would (nothing is written), then:

- every internal link, `#anchor` and referenced file (href, src, srcset) of every rendered
  page must resolve to an output file (and an `id` in it); a broken link is reported where
  it was written (page, data list, site.yaml, BibTeX field), or at the output page when a
  template made it;
- publications without a year (and no `status`), without a venue, or duplicated (same DOI,
  or near-identical title);
- publications whose author list never names the owner, and a profile name that
  `owner_names` does not match;
- malformed URLs (no network is used: `https//x.org`, `http://a b`, `www.x.org` written
  as a relative link, `mailto:` without an address...).

Every build diagnostic is a finding too. Findings are printed `path:line: message`; errors
make `check` fail, warnings do too with `--strict`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .build import render_site
from .errors import Diagnostic, Diagnostics, UserError
from .markdown import link_targets
from .model import Publication, Site, SourceLocation
from .names import OwnerMatcher, split_names
from .outputs.output import Output
from .parse import load_config, parse, read_text
from .readers.bibtex import parse_bibtex
from .readers.publications import LINK_FIELDS, decode_url, parse_links
from .readers.yamlfile import YList, YMap, load_yaml, split_front_matter
from .resolve import resolve
from .source import discover
from .theme import load_theme

__all__ = ["CheckReport", "check_site", "format_finding", "malformed_url"]

#: YAML keys whose value is a URL or site path (anything else may hold inline Markdown).
URL_KEYS = frozenset(
    {"url", "affiliation_url", "photo", "image", "slides", "video", "code", "preview"}
)
#: YAML keys whose value is a map of name -> URL.
URL_MAP_KEYS = frozenset({"links"})
#: BibTeX fields holding one URL or site path.
BIB_URL_FIELDS = (*(name for name, _ in LINK_FIELDS), "url", "preview")
#: URL keys the default theme shows (the others are checked where they are written).
RENDERED_KEYS = frozenset({"url", "affiliation_url", "photo", "preview"})
#: Keys shown through `Urls.static`: a relative value is relative to the site root.
STATIC_KEYS = frozenset({"photo", "preview", "image"})
#: Titles at least this similar (after normalising) are reported as duplicates.
TITLE_SIMILARITY = 0.92

_ORIGIN = "https://site.invalid"
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9\u00a1-\uffff-]{1,63}(?<!-)$")
_BARE_DOMAIN = re.compile(
    r"^(?:www\d?\.[^/\s]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\."
    r"(?:com|org|net|edu|gov|io|ai|cn|de|uk|fr|jp|ca|au|info|me|dev|ac\.[a-z]{2}))(?:[/:?#]|$)",
    re.I,
)
_MISSING_COLON = re.compile(r"^(https?|ftp)//", re.I)
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


@dataclass
class CheckReport:
    """What `check_site` found."""

    findings: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    links: int = 0

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.findings if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.findings if d.severity != "error"]

    def failed(self, strict: bool = False) -> bool:
        """True when `check` should exit 1: any error, or any warning under --strict."""
        return bool(self.errors) or (strict and bool(self.findings))


def format_finding(d: Diagnostic) -> str:
    """One finding as `path:line: severity: message` (the column is left out)."""
    loc = d.location
    where = f"{loc.path}:{loc.line}" if loc.line > 0 else loc.path
    return f"{where}: {d.severity}: {d.message}"


# -- URLs -------------------------------------------------------------------------------


def malformed_url(url: str) -> str | None:
    """Why `url` is malformed, or None. Purely syntactic: no network is used."""
    url = url.strip()
    if not url:
        return None
    if any(c.isspace() for c in url):
        return "contains a space"
    if "\\" in url:
        return "contains a backslash; URLs use '/'"
    if _MISSING_COLON.match(url):
        return f"missing ':' after '{url.split('/', 1)[0]}'"
    if _BAD_PERCENT.search(url):
        return "'%' not followed by two hex digits"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "mailto":
        address = url[7:].split("?", 1)[0]
        return None if "@" in address.strip("@") else "mailto: link without an e-mail address"
    if scheme in ("http", "https", "ftp", "ftps"):
        return _malformed_host(url)
    if not scheme and _BARE_DOMAIN.match(url):
        return "looks like a web address without 'https://' (it would be a relative link)"
    return None


def _malformed_host(url: str) -> str | None:
    parts = urlsplit(url)
    if not url.split(":", 1)[1].startswith("//") or not parts.netloc:
        return "has no host (write scheme://host/...)"
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "has an invalid port"
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address, [::1]
        return None
    if not host:
        return "has no host"
    if host == "localhost" or _IPV4.match(host):
        return None
    labels = host.rstrip(".").split(".")
    if len(labels) < 2:
        return f"host '{host}' has no domain (e.g. '{host}.org')"
    if not all(_HOST_LABEL.match(label) for label in labels):
        return f"host '{host}' is not a valid host name"
    return None


@dataclass(frozen=True, slots=True)
class _Source:
    """A link as written in a source file."""

    location: SourceLocation
    url: str
    scope: str | None = None  # the only output page it is shown on (page bodies)
    static: bool = False  # shown through Urls.static: relative means site-root relative
    prefixed: bool = False  # a root-relative URL is moved under the base path
    rendered: bool = True  # False when no default template shows it (checked at the source)


class _Resolver:
    """Turn a link on an output page into an output file (+ fragment), the way a browser
    would on the published site."""

    def __init__(self, site: Site, outputs: Iterable[Output]) -> None:
        parts = urlsplit(site.config.base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else _ORIGIN
        self.base_path = parts.path if parts.path.endswith("/") else parts.path + "/"
        self.files = {o.path for o in outputs}

    def page_url(self, out_path: str) -> str:
        rel = out_path[: -len("index.html")] if out_path.endswith("index.html") else out_path
        return self.origin + self.base_path + rel

    def target(
        self, url: str, out_path: str, *, static: bool = False, prefixed: bool = False
    ) -> str | None:
        """`path#fragment` of the site this link points to (path relative to the base),
        `"!outside:/path"` for a link to this host outside the base path, None for an
        external or non-HTTP link. `static`: a relative URL is relative to the site root;
        `prefixed` (and `static`): a root-relative URL goes under the base path."""
        url = url.strip()
        if not url or url.startswith(("mailto:", "tel:", "data:")):
            return None
        if static and "://" not in url and not url.startswith(("/", "#")):
            url = "/" + url
        if (static or prefixed) and url.startswith("/") and not url.startswith("//"):
            url = self.base_path + url.lstrip("/")
        absolute = urljoin(self.page_url(out_path), url)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return f"!outside:{path}"
        fragment = f"#{unquote(parts.fragment)}" if parts.fragment else ""
        return path[len(self.base_path) :] + fragment

    def file_of(self, rel: str) -> str | None:
        """The output file a site path names (`x/` -> `x/index.html`), or None."""
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in self.files:
            return rel
        return rel + "/index.html" if rel + "/index.html" in self.files else None


class _PageScan(HTMLParser):
    """Ids and links (with lines) of one HTML page."""

    LINK_ATTRS = frozenset({"href", "src", "srcset", "poster"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in self.LINK_ATTRS:
                if name == "srcset":
                    self.links.extend((line, c.split()[0]) for c in value.split(",") if c.strip())
                elif not (tag == "link" and name == "href" and _is_preconnect(attrs)):
                    self.links.append((line, value))

    handle_startendtag = handle_starttag


def _is_preconnect(attrs: list[tuple[str, str | None]]) -> bool:
    rel = next((v for k, v in attrs if k == "rel"), "") or ""
    return any(r in rel.split() for r in ("preconnect", "dns-prefetch"))


# -- sources of links --------------------------------------------------------------------


def _line_of(lines: list[str], needle: str, start: int) -> int:
    """1-based line of the first of `lines` from `start` (0-based) containing `needle`."""
    for i in range(max(start, 0), len(lines)):
        if needle in lines[i]:
            return i + 1
    return start + 1


def _yaml_sources(value: object, where: SourceLocation, key: str) -> Iterator[_Source]:
    """Links in a YAML value: URL keys as they are, other text as inline Markdown."""
    if isinstance(value, YMap):
        for k, v in value.items():
            loc = value.where(k)
            if k in URL_MAP_KEYS and isinstance(v, YMap):
                for name, link in v.items():
                    if isinstance(link, str):
                        yield _Source(v.where(name), link, prefixed=True)
            else:
                yield from _yaml_sources(v, loc, k)
    elif isinstance(value, YList):
        for item, loc in zip(value, value.item_locations, strict=False):
            yield from _yaml_sources(item, loc, key)
    elif isinstance(value, str):
        if key in URL_KEYS:
            static, rendered = key in STATIC_KEYS, key in RENDERED_KEYS
            yield _Source(where, value, static=static, prefixed=True, rendered=rendered)
        elif "](" in value or "<" in value:
            for _, url in link_targets(value):
                yield _Source(where, url, prefixed=True)


def _sources(root: Path, site: Site, page_outputs: dict[str, str]) -> list[_Source]:
    found: list[_Source] = []
    quiet = Diagnostics()  # problems of the files were reported by the build already
    yaml_files = [p for p in ("site.yaml", "site.yml") if (root / p).is_file()][:1]
    yaml_files += sorted(
        f"data/{p.name}" for p in (root / "data").glob("*.y*ml") if p.suffix in (".yaml", ".yml")
    )
    for rel in yaml_files:
        text = read_text(root, rel, quiet)
        data = load_yaml(text, rel, quiet) if text is not None else None
        found.extend(_yaml_sources(data, SourceLocation(rel, 1, 1), ""))
    for page in site.pages:
        text = read_text(root, page.location.path, quiet)
        if text is None:
            continue
        lines = text.split("\n")
        fm_text, _, _ = split_front_matter(text)
        if fm_text:
            fm = load_yaml(fm_text, page.location.path, quiet, line_offset=1)
            found.extend(_yaml_sources(fm, page.location, ""))
        scope = page_outputs.get(page.location.path)
        for line, url in link_targets(page.body):
            at = _line_of(lines, url, page.body_line - 1 + line)
            where = SourceLocation(page.location.path, at, 1)
            found.append(_Source(where, url, scope, prefixed=True))
    bib_files = sorted({p.location.path for p in site.publications})
    for rel in bib_files:
        text = read_text(root, rel, quiet)
        if text is None:
            continue
        entries, _ = parse_bibtex(text, rel)
        for raw in entries:
            for name in BIB_URL_FIELDS:
                if raw.fields.get(name):
                    loc = raw.field_locations.get(name, raw.location)
                    url = decode_url(raw.fields[name])
                    found.append(_Source(loc, url, static=name == "preview", prefixed=True))
            if raw.fields.get("links"):
                loc = raw.field_locations.get("links", raw.location)
                pairs = parse_links(raw.fields["links"])[0]
                found.extend(_Source(loc, url, prefixed=True) for _, url in pairs)
            for name in ("title", "note"):  # inline Markdown
                if "](" in raw.fields.get(name, ""):
                    loc = raw.field_locations.get(name, raw.location)
                    targets = link_targets(raw.fields[name])
                    found.extend(_Source(loc, url, prefixed=True) for _, url in targets)
    return found


# -- publications ------------------------------------------------------------------------


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _publication_findings(site: Site, diags: Diagnostics) -> None:
    for pub in site.publications:
        if pub.year is None and not pub.status:
            diags.warning(
                pub.location,
                f"publication '{pub.key}' has no year (it is listed under Preprints)",
                "add year = {...}, or status = {preprint} if it is one",
            )
        if not pub.venue and not pub.status:
            diags.warning(
                pub.location,
                f"publication '{pub.key}' has no venue",
                "add journal = {...} or booktitle = {...} (or venue = {...})",
            )
    _duplicates(site.publications, diags)
    _owner_findings(site, diags)


def _duplicates(pubs: tuple[Publication, ...], diags: Diagnostics) -> None:
    by_doi: dict[str, Publication] = {}
    by_title: dict[str, Publication] = {}
    buckets: dict[str, list[tuple[str, Publication]]] = {}
    for pub in pubs:
        doi = pub.doi.strip().lower()
        if doi and doi in by_doi:
            first = by_doi[doi]
            diags.warning(
                pub.location,
                f"publication '{pub.key}' has the same DOI as '{first.key}' ({first.location})",
                "keep one entry per paper",
            )
            continue
        if doi:
            by_doi[doi] = pub
        key = _title_key(pub.title)
        if not key:
            continue
        first = by_title.get(key)
        if first is None:
            near = {key[:16], key[-16:]}
            for bucket in near:
                for other_key, other in buckets.get(bucket, ()):
                    ratio = difflib.SequenceMatcher(None, key, other_key).ratio()
                    if ratio >= TITLE_SIMILARITY:
                        first = other
                        break
                if first is not None:
                    break
        if first is not None:
            diags.warning(
                pub.location,
                f"publication '{pub.key}' looks like a duplicate of '{first.key}' "
                f"({first.location}): near-identical title",
                "keep one entry per paper (or make the titles differ)",
            )
            continue
        by_title[key] = pub
        for bucket in {key[:16], key[-16:]}:
            buckets.setdefault(bucket, []).append((key, pub))


def _owner_findings(site: Site, diags: Diagnostics) -> None:
    cfg = site.config
    if not cfg.owner_names:
        return
    shown = ", ".join(cfg.owner_names)
    for pub in site.publications:
        authors = [a for a in pub.authors if not a.is_others]
        if authors and not any(a.is_owner for a in authors):
            diags.warning(
                pub.location,
                f"the owner ({shown}) is not among the authors of '{pub.key}'",
                "check the spelling of the name, or add the variant to owner_names",
            )
    names = cfg.profile.name
    matcher = OwnerMatcher(cfg.owner_names)
    values = [names] if isinstance(names, str) else list(names.values())
    people = [a for name in values for a in split_names(name) if not a.is_others]
    if people and not any(matcher.matches(a) for a in people):
        name = values[0] if isinstance(names, str) else names.get(cfg.language, values[0])
        diags.warning(
            cfg.key_locations.get("profile.name", cfg.location),
            f"profile name '{name}' is not one of owner_names ({shown})",
            "if both are you, add the name to owner_names; the site is built as it is",
        )


# -- links ---------------------------------------------------------------------------------


def _page_outputs(site: Site) -> dict[str, str]:
    """Source path of each page -> the output file its body is rendered into."""
    cfg = site.config
    out: dict[str, str] = {}
    for page in site.pages:
        prefix = "" if page.lang in ("", cfg.language) else f"{page.lang}/"
        stem = page.url.strip("/")
        out[page.location.path] = f"{prefix}{stem}/index.html" if stem else f"{prefix}index.html"
    return out


def _link_findings(
    root: Path, site: Site, outputs: list[Output], report: CheckReport, diags: Diagnostics
) -> None:
    resolver = _Resolver(site, outputs)
    earlier = list(diags.items)  # the build's own: a missing image is reported there
    scans: dict[str, _PageScan] = {}
    for out in outputs:
        if out.path.endswith(".html") and out.data is not None:
            scan = _PageScan()
            scan.feed(out.data.decode("utf-8", "replace"))
            scan.close()
            scans[out.path] = scan
    report.pages = len(scans)
    sources = _sources(root, site, _page_outputs(site))
    done: set[tuple[str, int, str]] = set()  # (path, line, url as written)

    for src in sources:
        reason = malformed_url(src.url)
        if reason:
            key = (src.location.path, src.location.line, src.url)
            if key not in done:
                done.add(key)
                diags.warning(src.location, f"malformed URL {src.url!r}: {reason}")

    def problem(target: str | None, page: str) -> str | None:
        if target is None:
            return None
        if target.startswith("!outside:"):
            return f"points outside the site's base path {resolver.base_path}"
        path, _, fragment = target.partition("#")
        file = resolver.file_of(path) if path else page
        if file is None:
            return "points to a file that does not exist"
        if fragment and fragment != "top" and not fragment.startswith(":~:"):
            scan = scans.get(file)
            if scan is not None and fragment not in scan.ids:
                shown = "/" + (path or page).removesuffix("index.html")
                return f"anchor '#{fragment}' does not exist on {shown}"
        return None

    reported_outside: set[str] = set()
    for page, scan in scans.items():
        for line, url in scan.links:
            report.links += 1
            target = resolver.target(url, page)
            why = problem(target, page)
            if why is None:
                continue
            owners = [
                s
                for s in sources
                if (s.scope is None or s.scope == page)
                and resolver.target(s.url, page, static=s.static, prefixed=s.prefixed) == target
            ]
            for owner in owners:  # every place the link is written
                key = (owner.location.path, owner.location.line, owner.url)
                if key not in done and not _named(earlier, owner.location.path, target):
                    done.add(key)
                    diags.warning(owner.location, f"broken link {owner.url!r}: {why}")
            if not owners and target not in reported_outside:
                reported_outside.add(target or "")
                where = SourceLocation(f"_site/{page}", line, 1)
                diags.warning(where, f"broken link {url!r}: {why}")

    for src in sources:  # links no default template shows: check the file at the source
        key = (src.location.path, src.location.line, src.url)
        if src.rendered or key in done:
            continue
        target = resolver.target(src.url, "index.html", static=True)
        why = problem(target, "index.html")
        if why and not _named(earlier, src.location.path, target):
            done.add(key)
            diags.warning(src.location, f"broken link {src.url!r}: {why}")


def _named(earlier: list[Diagnostic], path: str, target: str | None) -> bool:
    """Did a build diagnostic of file `path` already name the file `target` points to?"""
    name = (target or "").partition("#")[0]
    return bool(name) and any(d.location.path == path and name in d.message for d in earlier)


# -- the check -----------------------------------------------------------------------------


def check_site(site_dir: Path | str = ".") -> CheckReport:
    """Read, render (in memory) and check the site folder; never writes anything.

    Raises UserError only when `site_dir` is not a site folder.
    """
    root = Path(site_dir)
    if not root.is_dir() or not any((root / n).is_file() for n in ("site.yaml", "site.yml")):
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(root)),
                    "no site.yaml here: not a site folder",
                    "pass the folder that holds site.yaml",
                )
            ]
        )
    diags = Diagnostics()
    report = CheckReport()
    config = load_config(root, diags)
    site = resolve(parse(root, config, discover(root), diags), str(root), diags)
    theme = load_theme(config.theme, root, diags, config)
    _publication_findings(site, diags)
    if theme.template_dirs:
        try:
            outputs, warnings = render_site(site, theme)
        except UserError as exc:
            diags.extend(exc.diagnostics)
        else:
            diags.extend(warnings)
            _link_findings(root, site, outputs, report, diags)
    seen: set[tuple[str, int, str]] = set()
    for d in diags.items:
        key = (d.location.path, d.location.line, d.message)
        if key not in seen:
            seen.add(key)
            report.findings.append(d)
    report.findings.sort(key=lambda d: (d.location.path, d.location.line, d.location.col))
    return report
