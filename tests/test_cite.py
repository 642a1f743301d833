"""Cite exports: BibTeX (normalised, round-trip), RIS and CSL-JSON, per paper and for all."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from scholarsite.build import build, load_site
from scholarsite.errors import Diagnostics
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.publications import to_publication

from .conftest import EXAMPLE

RICH_BIB = r"""
@inproceedings{rich2023,
  title     = {{BERT} Meets S$^4$: Caf{\'e} \& Co},
  author    = {M{\"u}ller, J{\"o}rg* and van der Berg, Anna* and Xu, Jr., Runxin
               and {Research Team Foo}},
  author+an = {3=corresponding},
  booktitle = {Proceedings of the 61st Annual Meeting of the ACL},
  volume    = {1},
  pages     = {100--112},
  year      = {2023},
  month     = jul,
  publisher = {Association for Computational Linguistics},
  address   = {Toronto, Canada},
  doi       = {https://doi.org/10.18653/v1/2023.acl-long.7},
  url       = {https://aclanthology.org/2023.acl-long.7},
  keywords  = {parsing; language models},
  abstract  = {We show things.},
  abbr      = {ACL},
  award     = {Best Paper},
  selected  = {true},
  pdf       = {https://aclanthology.org/2023.acl-long.7.pdf},
  code      = {https://github.com/x/y},
  note      = {Our *best* work.},
  links     = {Slides = https://example.org/slides.pdf},
}
@article{pre2024,
  title   = {A Preprint},
  author  = {Xu, Runxin},
  journal = {arXiv preprint},
  eprint  = {2401.01234},
  archivePrefix = {arXiv},
}
"""
SITE = {
    "site.yaml": """
        title: Runxin Xu
        base_url: https://u.github.io/repo/
        owner_names: [Runxin Xu]
        profile: {name: Runxin Xu}
    """,
    "publications.bib": RICH_BIB,
}
CUSTOM = ("abbr", "award", "selected", "pdf", "code", "links", "author+an", "note", "keywords")


def citation_fields(pub) -> dict:
    """What a citation is made of: these must survive export and re-import."""
    return {
        "title": pub.title,
        "authors": [a.display for a in pub.authors],
        "venue": pub.venue,
        "year": pub.year,
        "pages": pub.fields.get("pages", ""),
        "doi": pub.doi,
        "url": pub.fields.get("url", ""),
        "volume": pub.fields.get("volume", ""),
        "month": pub.month,
        "type": pub.entry_type,
        "arxiv": pub.arxiv,
    }


def reimport(text: str, path: str = "cite.bib") -> list:
    entries, problems = parse_bibtex(text, path)
    assert not problems, problems
    diags = Diagnostics()
    pubs = [to_publication(e, diags) for e in entries]
    assert not diags.errors and not diags.warnings
    return pubs


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    from .conftest import write_site

    root = write_site(tmp_path_factory.mktemp("rich") / "site", SITE)
    out = root.parent / "out"
    build(root, out, search=False)
    site, _, _ = load_site(root)
    return out, {p.key: p for p in site.publications}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "_site"
    build(EXAMPLE, out, search=False)
    site, _, _ = load_site(EXAMPLE)
    return out, site.publications


def test_bibtex_round_trip_keeps_the_citation(rich):
    out, pubs = rich
    for key, pub in pubs.items():
        text = (out / "publications" / key / "cite.bib").read_text("utf-8")
        (again,) = reimport(text)
        assert again.key == key
        assert citation_fields(again) == citation_fields(pub)


def test_bibtex_is_normalised(rich):
    out, _ = rich
    text = (out / "publications" / "rich2023" / "cite.bib").read_text("utf-8")
    names = re.findall(r"^\s+([a-z+]+)\s*=", text, re.M)
    assert names == [
        "title", "author", "booktitle", "volume", "pages", "year", "month", "publisher",
        "address", "doi", "url",
    ]  # fmt: skip
    for field in CUSTOM:
        assert f" {field} " not in text and f"{{{field}" not in text
    assert "*" not in text, "role marks are not part of a name"
    assert "doi = {10.18653/v1/2023.acl-long.7}" in re.sub(r"\s+=", " =", text)
    assert "{BERT}" in text, "case protection is kept as written"
    assert "author = {Müller, Jörg and van der Berg, Anna and Xu, Jr., Runxin and " in (
        re.sub(r"\s+=", " =", text)
    )
    assert "{Research Team Foo}" in text
    pre = (out / "publications" / "pre2024" / "cite.bib").read_text("utf-8")
    assert re.search(r"eprint\s+= \{2401.01234\}", pre)
    assert re.search(r"archiveprefix = \{arXiv\}", pre)


def test_bibtex_export_expands_string_macros(build_site):
    bib = """
    @string{acl = "Proceedings of the " # {ACL}}
    @inproceedings{m2024, title = {Macros}, author = {Xu, Runxin}, booktitle = acl # " 2024",
                   year = 2024}
    """
    read = build_site({**SITE, "publications.bib": bib}, search=False)
    text = (read.out / "publications" / "m2024" / "cite.bib").read_text("utf-8")
    assert re.search(r"booktitle = \{Proceedings of the ACL 2024\}", text), text


def test_publications_bib_holds_every_entry_and_round_trips(example):
    out, pubs = example
    text = (out / "publications.bib").read_text("utf-8")
    again = {p.key: p for p in reimport(text, "publications.bib")}
    assert list(again) == [p.key for p in pubs]
    for pub in pubs:
        assert citation_fields(again[pub.key]) == citation_fields(pub)


def parse_ris(text: str) -> list[tuple[str, str]]:
    assert text.endswith("ER  -\r\n")
    lines = text.split("\r\n")[:-1]
    pairs = []
    for line in lines:
        m = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert m, f"not a RIS line: {line!r}"
        pairs.append((m.group(1), m.group(2)))
    return pairs


def test_ris_carries_the_citation(rich):
    out, pubs = rich
    pairs = parse_ris((out / "publications" / "rich2023" / "cite.ris").read_bytes().decode())
    tags = dict(pairs)
    assert pairs[0] == ("TY", "CPAPER")
    assert [v for k, v in pairs if k == "AU"] == [
        "Müller, Jörg",
        "van der Berg, Anna",
        "Xu, Runxin, Jr.",
        "Research Team Foo",
    ]
    assert tags["TI"] == pubs["rich2023"].title == "BERT Meets S⁴: Café & Co"
    assert tags["T2"] == "Proceedings of the 61st Annual Meeting of the ACL"
    assert (tags["PY"], tags["SP"], tags["EP"], tags["VL"]) == ("2023", "100", "112", "1")
    assert tags["DO"] == "10.18653/v1/2023.acl-long.7"
    assert tags["UR"] == "https://aclanthology.org/2023.acl-long.7"
    assert [v for k, v in pairs if k == "KW"] == ["parsing", "language models"]
    pre_ris = (out / "publications" / "pre2024" / "cite.ris").read_bytes().decode()
    pre = dict(parse_ris(pre_ris))
    assert pre["TY"] == "UNPB" and pre["UR"] == "https://arxiv.org/abs/2401.01234"


def test_csl_json_loads_in_citeproc_and_formats(rich, example):
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    from scholarsite.csl import STYLES_DIR

    style = CitationStylesStyle(str(STYLES_DIR / "apa.csl"), validate=False)
    files = [rich[0] / "publications" / "rich2023" / "cite.json"]
    files += [example[0] / "publications" / p.key / "cite.json" for p in example[1]]
    for path in files:
        items = json.loads(path.read_text("utf-8"))
        assert isinstance(items, list) and len(items) == 1
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        bib.register(Citation([CitationItem(items[0]["id"])]))
        text = str(bib.bibliography()[0])
        assert items[0]["title"] in text, path
    rich_item = json.loads(files[0].read_text("utf-8"))[0]
    assert rich_item["DOI"] == "10.18653/v1/2023.acl-long.7"
    assert rich_item["issued"] == {"date-parts": [[2023, 7]]}
    assert rich_item["abstract"] == "We show things."


def test_landing_page_links_the_exports_and_has_a_copy_button(rich):
    out, _ = rich
    html = (out / "publications" / "rich2023" / "index.html").read_text("utf-8")
    for name in ("cite.bib", "cite.ris", "cite.json"):
        assert f'href="/repo/publications/rich2023/{name}"' in html
    pre = r'<pre class="cite-bibtex" id="cite-bibtex"[^>]*><code>@inproceedings\{rich2023,'
    assert re.search(pre, html)
    button = r'<button type="button" class="copy-cite" data-copy="cite-bibtex"[^>]* hidden>'
    assert re.search(button, html)
    # The BibTeX in the page is the file's, escaped.
    bib = (out / "publications" / "rich2023" / "cite.bib").read_text("utf-8")
    assert str(escape(bib)) in html


def test_every_paper_of_the_example_has_three_exports(example):
    out, pubs = example
    for pub in pubs:
        for name in ("cite.bib", "cite.ris", "cite.json"):
            assert (out / "publications" / pub.slug / name).stat().st_size > 50
    text = Path(out / "publications.bib").read_text("utf-8")
    assert len(re.findall(r"^@", text, re.M)) == len(pubs)
