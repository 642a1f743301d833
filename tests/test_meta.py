"""Google Scholar citation_* tags, schema.org JSON-LD and OpenGraph/Twitter, read with lxml's
HTML parser (not regexes), on the example site and on inline sites."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from scholarsite.build import build, load_site

from .conftest import EXAMPLE

#: The schema.org vocabulary our JSON-LD may use: type -> its properties (all from schema.org).
SCHEMA = {
    "Person": {
        "@id", "name", "alternateName", "url", "jobTitle", "affiliation", "image",
        "knowsAbout", "alumniOf", "award", "sameAs",
    },
    "Organization": {"name", "url"},
    "EducationalOrganization": {"name", "url"},
    "ScholarlyArticle": {
        "@id", "headline", "name", "url", "author", "datePublished", "isPartOf", "publisher",
        "pagination", "pageStart", "pageEnd", "abstract", "keywords", "award", "identifier",
        "sameAs", "encoding",
    },
    "Book": {"name"},
    "Periodical": {"name"},
    "PropertyValue": {"propertyID", "value"},
    "MediaObject": {"contentUrl", "encodingFormat"},
}  # fmt: skip


def check_vocabulary(node: object, path: str = "$") -> None:
    """Every object is typed with a schema.org type and has only that type's properties."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            check_vocabulary(item, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    assert kind in SCHEMA, f"{path}: @type {kind!r} is not one we allow"
    for key, value in node.items():
        if key in ("@context", "@type"):
            continue
        assert key in SCHEMA[kind], f"{path}: {kind} has no property {key!r}"
        check_vocabulary(value, f"{path}.{key}")
    if "@context" in node:
        assert node["@context"] == "https://schema.org"


def head(page: Path) -> tuple[dict[str, list[str]], list[dict]]:
    """(meta name/property -> contents, JSON-LD objects) of one page."""
    doc = lxml.html.fromstring(page.read_bytes())
    meta: dict[str, list[str]] = {}
    for el in doc.xpath("//head/meta[@content]"):
        key = el.get("name") or el.get("property")
        if key:
            meta.setdefault(key, []).append(el.get("content"))
    data = [json.loads(s.text) for s in doc.xpath('//script[@type="application/ld+json"]')]
    return meta, data


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example published at a sub-path (base_url with a host), built once."""
    src = tmp_path_factory.mktemp("ex") / "site"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_site", ".scholarsite-cache"))
    yaml = re.sub(
        r"(?m)^base_url:.*$",
        "base_url: https://runxinxu.github.io/site/",
        (src / "site.yaml").read_text("utf-8"),
    )
    (src / "site.yaml").write_text(yaml, "utf-8")
    out = src.parent / "out"
    build(src, out, search=False)
    site, _, _ = load_site(src)
    return out, site


def test_every_landing_page_has_the_citation_tags_of_its_paper(example):
    out, site = example
    assert len(site.publications) == 18
    for pub in site.publications:
        meta, _ = head(out / "publications" / pub.slug / "index.html")
        assert meta["citation_title"] == [pub.title], pub.key
        assert meta["citation_author"] == [f"{a.last}, {a.first}" for a in pub.authors]
        assert meta["citation_abstract_html_url"] == [
            f"https://runxinxu.github.io/site/publications/{pub.slug}/"
        ]
        if pub.year:
            assert meta["citation_publication_date"] == [str(pub.year)]
            assert meta["citation_conference_title"] == [pub.venue]
        else:
            assert "citation_publication_date" not in meta
            assert "citation_conference_title" not in meta
            assert "citation_journal_title" not in meta  # "arXiv preprint" is no journal
        pdf = [ln.url for ln in pub.links if ln.kind == "pdf"]
        assert meta.get("citation_pdf_url", []) == pdf
        assert meta.get("citation_arxiv_id", []) == ([pub.arxiv] if pub.arxiv else [])


def test_citation_tags_of_three_pages_spelled_out(example):
    out, _ = example
    meta, _ = head(out / "publications" / "wang2021behind" / "index.html")
    assert meta["citation_title"] == [
        "Behind the Scenes: An Exploration of Trigger Biases Problem in Few-Shot Event "
        "Classification"
    ]
    assert meta["citation_author"] == [
        "Wang, Peiyi", "Xu, Runxin", "Liu, Tianyu", "Dai, Damai", "Chang, Baobao", "Sui, Zhifang",
    ]  # fmt: skip
    assert meta["citation_publication_date"] == ["2021"]
    assert meta["citation_conference_title"] == [
        "Proceedings of the 30th ACM International Conference on Information and Knowledge "
        "Management"
    ]
    assert meta["citation_doi"] == ["10.1145/3459637.3482236"]
    assert meta["citation_pdf_url"] == ["https://dl.acm.org/doi/pdf/10.1145/3459637.3482236"]
    assert "citation_arxiv_id" not in meta

    meta, _ = head(out / "publications" / "xu2022s4tuning" / "index.html")
    assert meta["citation_title"] == ["S⁴-Tuning: A Simple Cross-lingual Sub-network Tuning Method"]
    assert meta["citation_pdf_url"] == ["https://aclanthology.org/2022.acl-short.58.pdf"]

    meta, _ = head(out / "publications" / "wang2021explicit" / "index.html")
    assert meta["citation_arxiv_id"] == ["2106.11148"]
    assert meta["citation_author"][:2] == ["Wang, Peiyi", "Huang, Lianzhe"]  # no "*" marks


def test_landing_pages_carry_scholarly_article_json_ld(example):
    out, site = example
    for pub in site.publications:
        _, data = head(out / "publications" / pub.slug / "index.html")
        assert len(data) == 1
        check_vocabulary(data[0])
        art = data[0]
        assert art["@type"] == "ScholarlyArticle"
        assert art["headline"] == pub.title
        assert [a["name"] for a in art["author"]] == [a.display for a in pub.authors]
        assert art["url"] == f"https://runxinxu.github.io/site/publications/{pub.slug}/"
        owners = [a for a in art["author"] if "@id" in a]
        assert [a["name"] for a in owners] == ["Runxin Xu"]
        assert owners[0]["@id"] == "https://runxinxu.github.io/site/#person"
    _, (art,) = head(out / "publications" / "wang2021behind" / "index.html")
    assert art["datePublished"] == "2021"
    assert art["isPartOf"] == {
        "@type": "Book",
        "name": "Proceedings of the 30th ACM International Conference on Information and "
        "Knowledge Management",
    }
    assert art["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1145/3459637.3482236",
    }
    assert art["sameAs"] == ["https://doi.org/10.1145/3459637.3482236"]
    _, (pre,) = head(out / "publications" / "wang2021explicit" / "index.html")
    assert "datePublished" not in pre and "isPartOf" not in pre
    assert pre["publisher"] == {"@type": "Organization", "name": "arXiv"}
    assert pre["sameAs"] == ["https://arxiv.org/abs/2106.11148"]


def test_home_page_carries_person_json_ld(example):
    out, _ = example
    _, data = head(out / "index.html")
    (person,) = data
    check_vocabulary(person)
    assert person["@type"] == "Person"
    assert person["name"] == "Weiyai Luo"
    assert person["alternateName"] == "罗巍耀"
    assert person["jobTitle"] == "Master student"
    assert person["affiliation"] == {
        "@type": "Organization",
        "name": "Institute of Computational Linguistics, Peking University",
        "url": "https://icl.pku.edu.cn/",
    }
    assert [s["name"] for s in person["alumniOf"]] == [
        "Peking University",
        "Shanghai Jiao Tong University",
    ]
    assert person["award"][0] == "National scholarship (2018, 2019, 2021)"
    assert len(person["award"]) == 7
    assert person["sameAs"] == ["https://github.com/RunxinXu"]
    assert person["url"] == "https://runxinxu.github.io/site/"
    assert "email" not in json.dumps(person), "the address stays away from scrapers"
    # The Chinese home page: the same person, in Chinese.
    _, (zh,) = head(out / "zh" / "index.html")
    assert zh["name"] == "罗巍耀" and zh["jobTitle"] == "硕士研究生"


def test_every_page_has_opengraph_and_twitter_tags(example):
    out, _ = example
    pages = [p for p in out.rglob("*.html") if "pagefind" not in p.parts]
    assert len(pages) > 40
    for page in pages:
        meta, _ = head(page)
        rel = page.relative_to(out).as_posix()
        assert meta["og:title"] and meta["twitter:title"] == meta["og:title"], rel
        assert meta["twitter:card"] == ["summary"], rel
        assert len(meta["og:type"]) == 1, rel
        doc = lxml.html.fromstring(page.read_bytes())
        canonical = doc.xpath('//link[@rel="canonical"]/@href')[0]
        assert canonical.startswith("https://runxinxu.github.io/site/"), rel
        if rel != "404.html":
            assert meta["og:url"] == [canonical], rel
    meta, _ = head(out / "publications" / "xu2021raise" / "index.html")
    assert meta["og:type"] == ["article"]
    assert meta["og:image"] == ["https://runxinxu.github.io/site/img/photo.jpg"]
    assert meta["og:locale"] == ["en_US"]
    assert meta["article:published_time"] == ["2021"]
    meta, _ = head(out / "index.html")
    assert meta["og:type"] == ["profile"]
    assert meta["og:description"] == [
        "Master student, Institute of Computational Linguistics, Peking University"
    ]


def test_values_cannot_break_out_of_tags_or_scripts(build_site):
    read = build_site(
        {
            "publications.bib": r"""
                @article{evil,
                  title = {Close </script><script>alert(1)</script> "quotes" & more},
                  author = {Lovelace, Ada},
                  journal = {J}, year = {2020}
                }
            """,
        },
        search=False,
    )
    page = read.out / "publications" / "evil" / "index.html"
    html = page.read_text("utf-8")
    assert "<script>alert(1)" not in html
    meta, (art,) = head(page)
    assert meta["citation_title"] == ['Close </script><script>alert(1)</script> "quotes" & more']
    assert art["headline"] == meta["citation_title"][0]
    assert meta["citation_journal_title"] == ["J"]


def test_relative_base_url_gives_no_absolute_urls(build_site):
    read = build_site(
        {
            "site.yaml": """
                title: Ada
                base_url: /
                profile: {name: Ada Lovelace, photo: me.png}
            """
        },
        search=False,
    )
    meta, (person,) = head(read.out / "index.html")
    assert "og:url" not in meta and "og:image" not in meta  # OpenGraph wants absolute URLs
    assert person["url"] == "/" and person["image"] == "/me.png"
