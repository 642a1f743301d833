"""Deterministic generator of benchmark sites: one data set, three equivalent sites.

    python benchmarks/gen_site.py SIZE OUTDIR [--seed 42]

writes OUTDIR/scholarsite/ (our site folder, docs/site-folder.md), OUTDIR/hugo/ and
OUTDIR/jekyll/ holding the same profile, sections, publications, news and pages, so the three
tools do the same work:

- S: a real researcher's home page: ~20 publications, education, experience, awards; no news.
- M: 300 publications, a publications list, 50 news posts, 10 pages.
- L: 5,000 publications, the publications list grouped by year, 1,000 news posts, 50 pages.

Every publication gets its own page on all three sides (scholarsite always writes
/publications/<key>/), the home page shows the selected publications (all of them when none
is selected, as in S). The Hugo and Jekyll layouts live in benchmarks/site_templates/.

Everything comes from `random.Random(seed)`: no clock, no environment, byte-identical output.
`edit_one_publication(site_root, tool)` changes one publication's title in one tool's copy,
for "rebuild after one edit" timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

TOOLS = ("scholarsite", "hugo", "jekyll")
TEMPLATES = Path(__file__).resolve().parent / "site_templates"
MARKER = ".gen_site.json"
FEED_LIMIT = 20
EDIT_SUFFIX = " (Revised)"


@dataclass(frozen=True)
class Size:
    pubs: int
    news: int
    pages: int
    selected: int
    first_year: int
    pubs_by_year: bool


SIZES = {
    "S": Size(pubs=20, news=0, pages=0, selected=0, first_year=2016, pubs_by_year=False),
    "M": Size(pubs=300, news=50, pages=10, selected=10, first_year=2005, pubs_by_year=False),
    "L": Size(pubs=5000, news=1000, pages=50, selected=12, first_year=2005, pubs_by_year=True),
}
LAST_YEAR = 2025

# ---------------------------------------------------------------------------------------------
# Word lists, venues, profile and sections: benchmarks/site_templates/corpus.yaml

with (TEMPLATES / "corpus.yaml").open(encoding="utf-8") as _f:
    CORPUS = yaml.load(_f, Loader=yaml.CSafeLoader)
FIRST_NAMES = tuple(CORPUS["first_names"].split())
LAST_NAMES = tuple(CORPUS["last_names"].split())
ACRONYMS = tuple(CORPUS["acronyms"].split())
ADJECTIVES, METHODS, TASKS = CORPUS["adjectives"], CORPUS["methods"], CORPUS["tasks"]
QUALITIES, VERBS, GERUNDS = CORPUS["qualities"], CORPUS["verbs"], CORPUS["gerunds"]
PAIRS = CORPUS["pairs"]
QUESTIONS, FIELDS, PROBLEMS = CORPUS["questions"], CORPUS["fields"], CORPUS["problems"]
VENUES = [tuple(v) for v in CORPUS["venues"]]  # (abbr, full name, entry type, publisher)
LATEX = CORPUS["latex"]
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# ---------------------------------------------------------------------------------------------
# The data set


@dataclass(frozen=True)
class Name:
    display: str  # what Hugo/Jekyll show: "Jürgen Müller"
    first: str
    last: str
    corporate: bool = False  # written {The BigScience Workshop} in BibTeX


@dataclass
class Pub:
    key: str
    entry_type: str
    title: str
    authors: list[tuple[Name, frozenset[str]]]
    year: int | None
    venue: str
    abbr: str
    publisher: str
    abstract: str
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (bib field, label, url)
    extra_links: list[tuple[str, str]] = field(default_factory=list)  # links = {Report = ...}
    month: str = ""
    pages: str = ""
    volume: str = ""
    award: str = ""
    note: str = ""
    selected: bool = False
    bib: str = ""  # the BibTeX entry, filled by render_bib


@dataclass(frozen=True)
class Doc:
    slug: str
    title: str
    body: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Dataset:
    size: str
    site: dict
    sections: dict[str, list[dict]]
    bio: str
    pubs: list[Pub]
    news: list[Doc]
    pages: list[Doc]


OWNER = Name("Lin Qiao", "Lin", "Qiao")
OWNER_ALIAS = Name("L. Qiao", "L.", "Qiao")
CORPORATE = Name("The BigScience Workshop", "", "The BigScience Workshop", corporate=True)


def ascii_fold(text: str) -> str:
    text = text.replace("ø", "o").replace("ł", "l").replace("Ł", "L").replace("ı", "i")
    text = text.replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def short_slug(text: str, limit: int = 40) -> str:
    """A slug of whole words, at most `limit` characters (at least one word)."""
    words = slugify(text).split("-")
    slug = words[0]
    for word in words[1:]:
        if len(slug) + 1 + len(word) > limit:
            break
        slug += "-" + word
    return slug


def to_latex(text: str) -> str:
    """Non-ASCII letters as BibTeX-world LaTeX escapes (what Google Scholar and DBLP export)."""
    return "".join(LATEX.get(ch, ch) for ch in text)


def bib_escape(text: str) -> str:
    return text.replace("%", "\\%").replace("&", "\\&")


def text_fields(rng: random.Random) -> dict[str, object]:
    """Random values for the str.format fields of the corpus' text templates."""
    adj, meth, meth2 = rng.choice(ADJECTIVES), rng.choice(METHODS), rng.choice(METHODS)
    task, task2 = rng.choice(TASKS), rng.choice(TASKS)
    return {
        "acr": rng.choice(ACRONYMS), "adj": adj, "adj_l": adj.lower(),
        "a_adj_l": ("an " if adj[0] in "AEIOU" else "a ") + adj.lower(),
        "A_adj": ("An " if adj[0] in "AEIOU" else "A ") + adj, "meth": meth,
        "meth_l": meth.lower(), "meth2_l": meth2.lower(), "task": task, "task_l": task.lower(),
        "Task_l": task[0] + task[1:].lower(), "task2_l": task2.lower(),
        "quality": rng.choice(QUALITIES), "verb": rng.choice(VERBS),
        "gerund": rng.choice(GERUNDS), "pair": rng.choice(PAIRS),
        "question": rng.choice(QUESTIONS), "field": rng.choice(FIELDS),
        "problem": rng.choice(PROBLEMS), "problem2": rng.choice(PROBLEMS),
        "n": rng.randint(2, 9), "n2": rng.randint(2, 10), "pct": rng.randint(1, 15),
        "digit": rng.randint(0, 9), "share": rng.randint(55, 90), "thousands": rng.randint(2, 90),
        "hundreds": rng.randint(100, 999), "first": rng.choice(FIRST_NAMES),
        "last": rng.choice(LAST_NAMES), "abbr2": rng.choice(VENUES)[0],
    }  # fmt: skip


def make_title(rng: random.Random) -> str:
    return rng.choice(CORPUS["titles"]).format(**text_fields(rng))


def bib_title(title: str) -> str:
    """Protect acronyms with braces the way BibTeX users do: {GRAPE}: ..."""
    return re.sub(r"\b([A-Z][A-Z0-9]+)\b", r"{\1}", title)


def emphasize(rng: random.Random, tokens: list[str]) -> list[str]:
    """Wrap two neighbouring words in *emphasis* or **strong emphasis**."""
    for _ in range(20):
        i = rng.randrange(len(tokens) - 1)
        first, second = tokens[i], tokens[i + 1]
        core = second.rstrip(".,")
        if first.isalpha() and core.isalpha():
            mark = rng.choice(("*", "*", "**"))
            tokens[i] = mark + first
            tokens[i + 1] = core + mark + second[len(core) :]
            break
    return tokens


def make_abstract(rng: random.Random, title: str) -> str:
    """80-200 words of Markdown; the method's name is the title's acronym when it has one."""
    values = text_fields(rng)
    if m := re.match(r"([A-Z]{3,}):", title):
        values["acr"] = m.group(1)
    body = list(CORPUS["abstract_body"])
    rng.shuffle(body)
    chosen = [t.format(**values) for t in CORPUS["abstract_open"]]
    words, target = sum(len(s.split()) for s in chosen), rng.randint(80, 200)
    for sentence in [*(t.format(**values) for t in body), CORPUS["abstract_close"]]:
        n = len(sentence.split())
        if words >= max(target, 80) or words + n > 200:
            break
        chosen.append(sentence)
        words += n
    tokens = " ".join(chosen).split()
    return " ".join(emphasize(rng, tokens) if rng.random() < 0.6 else tokens)


def make_people(rng: random.Random) -> list[Name]:
    pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    return [Name(f"{f} {last}", f, last) for f, last in pairs[:260]]


def bib_name(name: Name, rng: random.Random) -> str:
    """A name as BibTeX exports write it: mostly "Last, First", LaTeX or Unicode accents."""
    if name.corporate:
        return f"{{{name.display}}}"
    first, last = name.first, name.last
    if rng.random() < 0.6:
        first, last = to_latex(first), to_latex(last)
    return f"{first} {last}" if rng.random() < 0.15 else f"{last}, {first}"


def make_pub(
    rng: random.Random, people: list[Name], weights: list[float], year: int | None, keys: set[str]
) -> Pub:
    title = make_title(rng)
    n = rng.randint(3, 12) if rng.random() < 0.3 else rng.randint(3, 7)
    coauthors: list[Name] = []
    while len(coauthors) < n - 1:
        p = rng.choices(people, weights)[0]
        if p not in coauthors:
            coauthors.append(p)
    owner = OWNER_ALIAS if rng.random() < 0.06 else OWNER
    pos = 0 if rng.random() < 0.4 else rng.randrange(n)
    names = [*coauthors[:pos], owner, *coauthors[pos:]]
    roles: list[set[str]] = [set() for _ in names]
    if rng.random() < 0.2:
        roles[0].add("equal")
        roles[1].add("equal")
    if rng.random() < 0.1:
        roles[-1].add("corresponding")
    authors = [(nm, frozenset(rs)) for nm, rs in zip(names, roles, strict=True)]
    if n < 12 and rng.random() < 0.01:
        authors.append((CORPORATE, frozenset()))
    if year is None:
        abbr, venue, etype, publisher = "", "Preprint", "unpublished", ""
    else:
        abbr, venue, etype, publisher = rng.choice(VENUES)
        if etype == "inproceedings" and rng.random() < 0.08:
            abbr, venue = f"{abbr} Workshop", f"Workshop at the {venue}"
    first_word = next(w for w in re.findall(r"[A-Za-z]+", title) if len(w) > 3).lower()
    base = f"{slugify(names[0].last).replace('-', '')}{year or ''}{first_word}"
    key, i = base, 0
    while key in keys:
        key = f"{base}{chr(ord('b') + i)}" if i < 25 else f"{base}{i}"
        i += 1
    keys.add(key)
    pub = Pub(key, etype, title, authors, year, venue, abbr, publisher, make_abstract(rng, title))
    arxiv = f"{(year or 2025) % 100:02d}{rng.randint(1, 12):02d}.{rng.randint(1, 29999):05d}"
    gh = f"https://github.com/lqiao-lab/{slugify(title.split(':')[0])[:24].strip('-')}"
    if rng.random() < 0.85:
        pub.links.append(("pdf", "PDF", f"https://arxiv.org/pdf/{arxiv}.pdf"))
    if rng.random() < 0.5:
        pub.links.append(("code", "Code", gh))
    if rng.random() < 0.15:
        pub.links.append(("slides", "Slides", f"https://slides.example.com/{key}.pdf"))
    if rng.random() < 0.1:
        pub.links.append(("video", "Video", f"https://www.youtube.com/watch?v={key[:11]}"))
    if rng.random() < 0.4:
        pub.links.append(("arxiv", "arXiv", f"https://arxiv.org/abs/{arxiv}"))
    if year is not None and rng.random() < 0.5:
        doi = f"10.{rng.randint(1000, 99999)}/{key[:12]}.{rng.randint(100, 999)}"
        pub.links.append(("doi", "DOI", f"https://doi.org/{doi}"))
    if rng.random() < 0.05:
        pub.extra_links.append(("Report", f"https://news.example.com/{key}"))
    if year is not None:
        if rng.random() < 0.3:
            pub.month = rng.choice(MONTHS)
        if etype == "article":
            pub.volume = str(rng.randint(1, 48))
        pub.pages = f"{(p := rng.randint(1, 9000))}--{p + rng.randint(8, 14)}"
        if rng.random() < 0.1:
            pub.award = rng.choice(CORPUS["pub_awards"])
        if rng.random() < 0.04:
            pub.note = f"Win the *first place* of the {abbr} {year} shared task."
    else:
        pub.note = "Under review."
    return pub


def render_bib(pub: Pub, rng: random.Random) -> str:
    fields: list[tuple[str, str]] = [("title", bib_escape(bib_title(pub.title)))]
    star = rng.random() < 0.25  # the al-folio habit: a trailing * on the name
    names = []
    for nm, roles in pub.authors:
        text = bib_name(nm, rng)
        names.append(text + "*" if star and "equal" in roles else text)
    fields.append(("author", " and ".join(names)))
    ann = [
        f"{i}={role}"
        for i, (_, roles) in enumerate(pub.authors, 1)
        for role in ("equal", "corresponding")
        if role in roles and not (star and role == "equal")
    ]
    if ann:
        fields.append(("author+an", "; ".join(ann)))
    if pub.entry_type == "article":
        fields += [("journal", pub.venue), ("volume", pub.volume)]
    elif pub.entry_type == "inproceedings":
        fields.append(("booktitle", f"Proceedings of the {pub.venue}"))
        fields.append(("venue", pub.venue))
    if pub.year is not None:
        fields.append(("year", str(pub.year)))
    if pub.pages:
        fields.append(("pages", pub.pages))
    if pub.publisher:
        fields.append(("publisher", bib_escape(pub.publisher)))
    if pub.abbr:
        fields.append(("abbr", pub.abbr))
    for name, _, url in pub.links:
        fields.append((name, url.removeprefix("https://doi.org/") if name == "doi" else url))
    if pub.extra_links:
        fields.append(("links", ", ".join(f"{k} = {v}" for k, v in pub.extra_links)))
    if pub.award:
        fields.append(("award", pub.award))
    if pub.note:
        fields.append(("note", pub.note))
    if pub.year is None:
        fields.append(("status", "preprint"))
    if pub.selected:
        fields.append(("selected", "true"))
    fields.append(("abstract", bib_escape(pub.abstract)))
    lines = [f"@{pub.entry_type}{{{pub.key},"]
    for name, value in fields:
        lines.append(f"  {name} = {{{value}}},")
        if name == "pages" and pub.month:
            lines.append(f"  month = {pub.month},")
    return "\n".join([*lines, "}"]) + "\n"


def make_publications(rng: random.Random, size: Size) -> list[Pub]:
    people = make_people(rng)
    weights = [1.0 / (i + 1) ** 0.7 for i in range(len(people))]  # a few close collaborators
    years = list(range(size.first_year, LAST_YEAR + 1))
    growth = [1.0 + 0.15 * i for i in range(len(years))]  # more papers in later years
    keys: set[str] = set()
    n_pre = max(2, size.pubs // 40)
    pubs = [make_pub(rng, people, weights, None, keys) for _ in range(n_pre)]
    for _ in range(size.pubs - n_pre):
        pubs.append(make_pub(rng, people, weights, rng.choices(years, growth)[0], keys))
    for pub in rng.sample(pubs[n_pre:], size.selected):
        pub.selected = True
    pubs.sort(key=lambda p: (-(p.year or 9999), p.key))
    for pub in pubs:
        pub.bib = render_bib(pub, rng)
    return pubs


def make_news(rng: random.Random, size: Size, pubs: list[Pub]) -> list[Doc]:
    start = dt.date(size.first_year, 1, 1)
    span = (dt.date(LAST_YEAR, 6, 30) - start).days
    dates = sorted(start + dt.timedelta(days=d) for d in rng.sample(range(span), size.news))
    by_year: dict[int, list[Pub]] = {}
    for p in pubs:
        if p.year is not None:
            by_year.setdefault(p.year, []).append(p)
    news, slugs = [], set()
    for date in dates:
        values = text_fields(rng)
        kind = rng.choice(("paper", "paper", "talk", "defense", "chair"))
        if kind == "paper" and by_year.get(date.year):
            pub = rng.choice(by_year[date.year])
            values.update(pub_title=pub.title, key=pub.key, venue=pub.venue)
            values["abbr"] = pub.abbr or pub.venue
        elif kind == "paper":
            kind = "chair"
        title = CORPUS["news"][kind]["title"].format(year=date.year, **values)
        body = CORPUS["news"][kind]["body"].format(year=date.year, **values)
        if rng.random() < 0.3:
            body += "\n\n" + make_abstract(rng, title)
        slug = f"{date.isoformat()}-{short_slug(title)}"
        while slug in slugs:
            slug += "-2"
        slugs.add(slug)
        news.append(Doc(slug, title, body + "\n", date))
    return news


def make_page(rng: random.Random, slug: str, pubs: list[Pub]) -> Doc:
    title = slug.replace("-", " ").title()
    parts = [f"This page describes our {title.lower()} activities. {make_abstract(rng, title)}"]
    for _ in range(rng.randint(2, 5)):
        parts.append(f"## {rng.choice(ADJECTIVES)} {rng.choice(METHODS)}")
        parts.append(make_abstract(rng, title))
        items = []
        for _ in range(rng.randint(2, 6)):
            pub = rng.choice(pubs)
            items.append(f"- [{pub.title}](/publications/{pub.key}/), {pub.venue}.")
        parts.append("\n".join(items))
    if rng.random() < 0.3:
        rows = [
            f"| {rng.choice(ACRONYMS)} | {rng.choice(TASKS)} | {rng.randint(1, 99)} |"
            for _ in range(4)
        ]
        parts.append("\n".join(["| Name | Task | Size (k) |", "|---|---|---|", *rows]))
    return Doc(slug, title, "\n\n".join(parts) + "\n")


def make_pages(rng: random.Random, size: Size, pubs: list[Pub]) -> list[Doc]:
    projects = [f"project-{a.lower()}{suffix}" for suffix in ("", "-2") for a in ACRONYMS]
    slugs = [*CORPUS["page_slugs"], *projects][: size.pages]
    return [make_page(rng, slug, pubs) for slug in slugs]


def make_dataset(size_name: str, seed: int = 42) -> Dataset:
    size = SIZES[size_name]
    rng = random.Random(seed)
    pubs = make_publications(rng, size)
    news = make_news(rng, size, pubs)
    pages = make_pages(rng, size, pubs)
    return Dataset(size_name, CORPUS["site"], CORPUS["sections"], CORPUS["bio"], pubs, news, pages)


# ---------------------------------------------------------------------------------------------
# Writers


def front_matter(data: dict, body: str) -> str:
    """YAML front matter; values as JSON, which YAML (PyYAML, go-yaml, Psych) reads alike."""
    lines = ["---"]
    for key, value in data.items():
        if isinstance(value, dt.date):
            lines.append(f"{key}: {value.isoformat()}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "", body])


def dump_yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def toml_value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings, lists and bools are TOML too


class Writer:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._dirs: set[Path] = set()

    def text(self, rel: str, content: str) -> None:
        path = self.root / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        path.write_text(content, encoding="utf-8", newline="\n")

    def copy_tree(self, src: Path) -> None:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                self.text(path.relative_to(src).as_posix(), path.read_text(encoding="utf-8"))

    def copy(self, rel: str, src: Path) -> None:
        self.text(rel, src.read_text(encoding="utf-8"))


def pub_front_matter(pub: Pub) -> dict:
    authors = []
    for name, roles in pub.authors:
        a: dict = {"name": name.display}
        for role in sorted(roles):
            a[role] = True
        authors.append(a)
    data: dict = {"title": pub.title, "key": pub.key, "authors": authors}
    if pub.year is not None:
        data["year"] = pub.year
    data["venue"] = pub.venue
    for k in ("abbr", "award", "note"):
        if getattr(pub, k):
            data[k] = getattr(pub, k)
    if pub.year is None:
        data["status"] = "preprint"
    if pub.selected:
        data["selected"] = True
    data["links"] = [{"label": label, "url": url} for _, label, url in pub.links] + [
        {"label": label, "url": url} for label, url in pub.extra_links
    ]
    data["bibtex"] = pub.bib.rstrip("\n")
    return data


def write_scholarsite(ds: Dataset, w: Writer) -> None:
    w.text("site.yaml", dump_yaml({**ds.site, "feed_limit": FEED_LIMIT}))
    for name, items in ds.sections.items():
        w.text(f"data/{name}.yaml", dump_yaml(items))
    w.text("publications.bib", "\n".join(p.bib for p in ds.pubs))
    w.text("content/about.md", front_matter({"title": "About Me"}, ds.bio))
    for page in ds.pages:
        w.text(f"content/{page.slug}.md", front_matter({"title": page.title}, page.body))
    for post in ds.news:
        w.text(
            f"content/news/{post.slug}.md",
            front_matter({"title": post.title, "date": post.date}, post.body),
        )
    w.copy("static/img/photo.svg", TEMPLATES / "common/photo.svg")


def write_hugo(ds: Dataset, w: Writer) -> None:
    size = SIZES[ds.size]
    site, profile = ds.site, ds.site["profile"]
    cfg = [
        f"baseURL = {toml_value(site['base_url'])}",
        'languageCode = "en"',
        f"title = {toml_value(site['title'])}",
        'disableKinds = ["taxonomy", "term"]',
        "enableRobotsTXT = true",
        "buildFuture = true",
        "",
        "[outputs]",
        'home = ["HTML"]',
        'section = ["HTML"]',
        'page = ["HTML"]',
        "",
        "[services.rss]",
        f"limit = {FEED_LIMIT}",
        "",
        "[markup.goldmark.renderer]",
        "unsafe = true",
        "",
        "[params]",
        f"description = {toml_value(site['description'])}",
        f"footer = {toml_value(site['footer'])}",
        f"owner_names = {toml_value(site['owner_names'])}",
        f"pubs_by_year = {toml_value(size.pubs_by_year)}",
        "",
        "[params.profile]",
        *(f"{k} = {toml_value(v)}" for k, v in profile.items() if k != "links"),
        "",
        "[params.profile.links]",
        *(f"{k} = {toml_value(v)}" for k, v in profile["links"].items()),
    ]
    w.text("config.toml", "\n".join(cfg) + "\n")
    w.copy_tree(TEMPLATES / "hugo")
    w.copy("static/css/style.css", TEMPLATES / "common/style.css")
    w.copy("static/img/photo.svg", TEMPLATES / "common/photo.svg")
    for name, items in ds.sections.items():
        w.text(f"data/{name}.yaml", dump_yaml(items))
    w.text("content/_index.md", front_matter({"title": site["title"]}, ds.bio))
    w.text("content/publications/_index.md", front_matter({"title": "Publications"}, ""))
    for pub in ds.pubs:
        w.text(
            f"content/publications/{pub.key}.md",
            front_matter(pub_front_matter(pub), pub.abstract + "\n"),
        )
    for page in ds.pages:
        w.text(f"content/{page.slug}.md", front_matter({"title": page.title}, page.body))
    if ds.news:
        w.text(
            "content/news/_index.md",
            front_matter({"title": "News", "outputs": ["HTML", "RSS"]}, ""),
        )
    for post in ds.news:
        w.text(
            f"content/news/{post.slug}.md",
            front_matter({"title": post.title, "date": post.date}, post.body),
        )


def write_jekyll(ds: Dataset, w: Writer) -> None:
    size = SIZES[ds.size]
    site = ds.site
    cfg = {
        "title": site["title"],
        "description": site["description"],
        "url": site["base_url"].rstrip("/"),
        "baseurl": "",
        "timezone": "UTC",
        "future": True,
        "markdown": "kramdown",
        "kramdown": {"input": "GFM", "hard_wrap": False},
        "permalink": "pretty",
        "plugins": [],
        "footer": site["footer"],
        "owner_names": site["owner_names"],
        "pubs_by_year": size.pubs_by_year,
        "feed_limit": FEED_LIMIT,
        "owner": site["profile"],  # not `profile`: that key switches on Jekyll's Liquid profiler
        "collections": {
            "publications": {"output": True, "permalink": "/publications/:name/"},
            "news": {"output": True, "permalink": "/news/:name/"},
        },
        "defaults": [
            {"scope": {"path": "", "type": "publications"}, "values": {"layout": "publication"}},
            {"scope": {"path": "", "type": "news"}, "values": {"layout": "post"}},
            {"scope": {"path": "pages"}, "values": {"layout": "page"}},
        ],
    }
    w.text("_config.yml", dump_yaml(cfg))
    w.copy_tree(TEMPLATES / "jekyll")
    if ds.news:
        w.copy_tree(TEMPLATES / "jekyll_news")
    w.copy("css/style.css", TEMPLATES / "common/style.css")
    w.copy("img/photo.svg", TEMPLATES / "common/photo.svg")
    for name, items in ds.sections.items():
        w.text(f"_data/{name}.yml", dump_yaml(items))
    w.text("index.md", front_matter({"layout": "home", "title": site["title"]}, ds.bio))
    for pub in ds.pubs:
        w.text(
            f"_publications/{pub.key}.md", front_matter(pub_front_matter(pub), pub.abstract + "\n")
        )
    for page in ds.pages:
        w.text(
            f"pages/{page.slug}.md",
            front_matter({"title": page.title, "permalink": f"/{page.slug}/"}, page.body),
        )
    for post in ds.news:
        w.text(
            f"_news/{post.slug}.md",
            front_matter({"title": post.title, "date": post.date}, post.body),
        )


WRITERS = {"scholarsite": write_scholarsite, "hugo": write_hugo, "jekyll": write_jekyll}


def generate(size: str, outdir: str | Path, seed: int = 42) -> Dataset:
    """Write OUTDIR/{scholarsite,hugo,jekyll}/; replaces an earlier generation there."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    out = Path(outdir)
    marker = out / MARKER
    for tool in TOOLS:
        target = out / tool
        if target.exists() and any(target.iterdir()):
            if not marker.exists():
                raise FileExistsError(f"{target} exists and was not made by gen_site.py")
            shutil.rmtree(target)
    ds = make_dataset(size, seed)
    out.mkdir(parents=True, exist_ok=True)
    for tool in TOOLS:
        WRITERS[tool](ds, Writer(out / tool))
    marker.write_text(json.dumps({"size": size, "seed": seed}) + "\n", encoding="utf-8")
    return ds


# ---------------------------------------------------------------------------------------------
# One edit, for incremental-rebuild timings


def _tool_dir(site_root: Path, tool: str) -> Path:
    if tool not in TOOLS:
        raise ValueError(f"tool must be one of {', '.join(TOOLS)}, not {tool!r}")
    return site_root / tool if (site_root / tool).is_dir() else site_root


def _toggle(title: str) -> str:
    return title.removesuffix(EDIT_SUFFIX) if title.endswith(EDIT_SUFFIX) else title + EDIT_SUFFIX


def _toggle_bib_title(bib: str, key: str) -> str:
    start = bib.index(f"{{{key},")
    m = re.compile(r"^  title = \{(.*)\},$", re.M).search(bib, start)
    if m is None:
        raise ValueError(f"no title line in BibTeX entry {key}")
    return bib[: m.start(1)] + _toggle(m.group(1)) + bib[m.end(1) :]


def _toggle_front_matter(text: str, field: str, change: Callable[[str], str]) -> str:
    m = re.compile(rf"^{field}: (.*)$", re.M).search(text)
    if m is None:
        raise ValueError(f"no {field} in front matter")
    new = json.dumps(change(json.loads(m.group(1))), ensure_ascii=False)
    return text[: m.start(1)] + new + text[m.end(1) :]


def edit_one_publication(site_root: str | Path, tool: str) -> str:
    """Change one publication's title in `tool`'s copy; return its BibTeX key.

    `site_root` is the OUTDIR given to `generate` (or the tool's own folder inside it). The
    publication is the one with the smallest key, the same one in all three copies, and the
    edit toggles a " (Revised)" suffix, so every call changes the title and two calls restore it.
    One file changes: publications.bib, or the publication's Markdown file (its `title` and the
    title inside its `bibtex` field).
    """
    root = _tool_dir(Path(site_root), tool)
    if tool == "scholarsite":
        path = root / "publications.bib"
        text = path.read_text(encoding="utf-8")
        key = min(re.findall(r"^@\w+\{([^,\s]+),", text, re.M))
        path.write_text(_toggle_bib_title(text, key), encoding="utf-8", newline="\n")
        return key
    folder = root / ("content/publications" if tool == "hugo" else "_publications")
    path = min(p for p in folder.glob("*.md") if p.name != "_index.md")
    text = _toggle_front_matter(path.read_text(encoding="utf-8"), "title", _toggle)
    text = _toggle_front_matter(text, "bibtex", lambda bib: _toggle_bib_title(bib, path.stem))
    path.write_text(text, encoding="utf-8", newline="\n")
    return path.stem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES), help="S, M or L")
    parser.add_argument("outdir", help="writes OUTDIR/scholarsite, OUTDIR/hugo, OUTDIR/jekyll")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    ds = generate(args.size, args.outdir, args.seed)
    print(
        f"{args.outdir}: {len(ds.pubs)} publications, {len(ds.news)} news, "
        f"{len(ds.pages)} pages (seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
