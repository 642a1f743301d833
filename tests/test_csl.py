"""CSL reference styles: output checked by eye and pinned, owner and role marks kept, cache."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scholarsite import csl
from scholarsite.build import build, load_site
from scholarsite.csl import STYLES, ReferenceFormatter, csl_item, resolve_style
from scholarsite.errors import Diagnostics, UserError
from scholarsite.names import OwnerMatcher
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.publications import to_publication
from scholarsite.resolve import _mark_owner

from .conftest import EXAMPLE

OWNER = '<strong class="owner">'
EQUAL = '<sup class="role role-equal">*</sup>'
CORRESPONDING = '<sup class="role role-corresponding">†</sup>'


def pub_from(bib: str, owner: str = "Runxin Xu"):
    entries, problems = parse_bibtex(bib, "test.bib")
    assert not problems
    pub = to_publication(entries[0], Diagnostics())
    return _mark_owner(pub, OwnerMatcher((owner,)))


@pytest.fixture(scope="module")
def example_pubs():
    site, _, _ = load_site(EXAMPLE)
    return {p.key: p for p in site.publications}


# Each style's output for the example's first paper, read and judged correct by eye
# (APA 7, IEEE, Chicago author-date 17th, ACM), then pinned.
EXPECTED = {
    "apa": (
        f"{OWNER}Xu, R.</strong>{EQUAL}, Luo, F.{EQUAL}, Wang, C., Chang, B., Huang, J., "
        "Huang, S., &amp; Huang, F. (2022). From Dense to Sparse: Contrastive Pruning for "
        "Better Pre-trained Language Model Compression. <i>Proceedings of the AAAI Conference "
        "on Artificial Intelligence</i>. https://arxiv.org/abs/2112.07198"
    ),
    "ieee": (
        f"{OWNER}R. Xu</strong>{EQUAL}, F. Luo{EQUAL}, C. Wang, B. Chang, J. Huang, S. Huang, "
        "and F. Huang, “From Dense to Sparse: Contrastive Pruning for Better Pre-trained "
        "Language Model Compression,” in <i>Proceedings of the AAAI Conference on Artificial "
        "Intelligence</i>, 2022. [Online]. Available: https://arxiv.org/abs/2112.07198"
    ),
    "chicago": (
        f"{OWNER}Xu, Runxin</strong>{EQUAL}, Fuli Luo{EQUAL}, Chengyu Wang, Baobao Chang, "
        "Jun Huang, Songfang Huang, and Fei Huang. 2022. “From Dense to Sparse: Contrastive "
        "Pruning for Better Pre-trained Language Model Compression.” In <i>Proceedings of the "
        "AAAI Conference on Artificial Intelligence</i>. https://arxiv.org/abs/2112.07198."
    ),
    "acm": (
        f"{OWNER}Runxin Xu</strong>{EQUAL}, Fuli Luo{EQUAL}, Chengyu Wang, Baobao Chang, "
        "Jun Huang, Songfang Huang, and Fei Huang. 2022. From Dense to Sparse: Contrastive "
        "Pruning for Better Pre-trained Language Model Compression. In <i>Proceedings of the "
        "AAAI Conference on Artificial Intelligence</i>. Retrieved from "
        "https://arxiv.org/abs/2112.07198"
    ),
}


def test_every_shipped_style_has_a_pinned_output():
    assert set(EXPECTED) == set(STYLES)
    shipped = {p.name for p in csl.STYLES_DIR.glob("*.csl")}
    assert shipped == set(STYLES.values()), "ship exactly the styles offered"


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_style_output_as_checked_by_eye(style, example_pubs):
    assert (
        str(ReferenceFormatter(style).format(example_pubs["xu2022contrastive"]))
        == (EXPECTED[style])
    )


def test_apa_preprint_is_cited_as_a_preprint(example_pubs):
    html = str(ReferenceFormatter("apa").format(example_pubs["wang2021explicit"]))
    assert html.endswith(
        "(n.d.). <i>Explicit Interaction Network for Aspect Sentiment Triplet Extraction</i> "
        "(arXiv:2106.11148). arXiv. https://arxiv.org/abs/2106.11148"
    )
    assert f"{OWNER}Xu, R.</strong>, Wang, H." in html  # the owner, 5th of 8, no et al.
    assert html.startswith(f"Wang, P.{EQUAL}, Huang, L.{EQUAL}, ")


BIB_NAMES = r"""
@article{names2020,
  title = {Particles, Suffixes and Corporate Authors},
  author = {van Buren, Jan-Peter and Xu, Jr., Runxin and {Research Team Foo} and Smith, Ann},
  author+an = {2=corresponding; 4=equal},
  journal = {Journal of Names}, volume = {7}, number = {2}, pages = {10--20}, year = {2020},
  doi = {10.1000/names.7.2}
}
"""


@pytest.mark.parametrize(
    ("style", "owner_html"),
    [
        ("apa", f"{OWNER}Xu, R., Jr.</strong>{CORRESPONDING}"),
        ("ieee", f"{OWNER}R. Xu Jr.</strong>{CORRESPONDING}"),
        ("chicago", f"{OWNER}Runxin Xu Jr.</strong>{CORRESPONDING}"),
        ("acm", f"{OWNER}Runxin Xu Jr.</strong>{CORRESPONDING}"),
    ],
)
def test_owner_and_marks_survive_any_name_order(style, owner_html):
    pub = pub_from(BIB_NAMES)
    html = str(ReferenceFormatter(style).format(pub))
    assert owner_html in html
    assert html.count(OWNER) == 1
    assert "Research Team Foo" in html
    assert re.search(r"Smith(, A\.|, Ann| A\.)?</?", html) or "Smith" in html
    assert EQUAL in html and html.index("Smith") < html.index(EQUAL)
    assert not re.search("[\U000f0000-\U000ffffd]", html), "markers must not leak"
    assert html.count("<strong") == html.count("</strong>")


def test_the_owner_span_takes_the_whole_name_wherever_the_style_puts_its_parts():
    pub = pub_from(BIB_NAMES, owner="Jan-Peter van Buren")
    # Chicago inverts the first author and demotes the particle ("display-and-sort").
    html = str(ReferenceFormatter("chicago").format(pub))
    assert html.startswith(f"{OWNER}Buren, Jan-Peter van</strong>, Runxin Xu Jr.")
    html = str(ReferenceFormatter("ieee").format(pub))
    assert html.startswith(f"{OWNER}J.-P. van Buren</strong>, R. Xu Jr.")


def test_long_author_lists_keep_the_owner():
    names = " and ".join(f"Author{i}, A." for i in range(12)) + " and Xu, Runxin"
    pub = pub_from(
        f"@inproceedings{{big2023, title={{Big}}, author={{{names}}}, booktitle={{B}}, year=2023}}"
    )
    for style in STYLES:
        html = str(ReferenceFormatter(style).format(pub))
        assert OWNER in html, style
        assert "et al" not in html, style


def test_formatted_references_are_cached_in_memory_and_in_the_store(monkeypatch):
    class Store(dict):
        def put(self, key, value):
            self[key] = value

    pub = pub_from(BIB_NAMES)
    calls = []
    real = ReferenceFormatter._render

    def counting(self, item, marked):
        calls.append(item["title"])
        return real(self, item, marked)

    monkeypatch.setattr(ReferenceFormatter, "_render", counting)
    monkeypatch.setattr(csl, "_MEMORY", csl.OrderedDict())
    store = Store()
    first = ReferenceFormatter("ieee", store=store).format(pub)
    again = ReferenceFormatter("ieee", store=store).format(pub)
    assert first == again and len(calls) == 1
    assert list(store.values()) == [str(first)]
    monkeypatch.setattr(csl, "_MEMORY", csl.OrderedDict())  # a new process: only the store
    assert ReferenceFormatter("ieee", store=store).format(pub) == first
    assert len(calls) == 1
    ReferenceFormatter("apa", store=store).format(pub)  # another style: another entry
    assert len(calls) == 2 and len(store) == 2


def test_build_uses_the_style_and_persists_references(make_site, tmp_path):
    root = make_site(
        {
            "site.yaml": """
                title: Runxin
                base_url: https://example.org/
                reference_style: ieee
                owner_names: [Runxin Xu]
                profile: {name: Runxin Xu}
            """,
            "publications.bib": BIB_NAMES,
        }
    )
    build(root, tmp_path / "out", search=False)
    html = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    assert '<li class="pub" id="names2020" data-style="csl"' in html
    assert f"{OWNER}R. Xu Jr.</strong>{CORRESPONDING}" in html
    assert "“Particles, Suffixes and Corporate Authors,” <i>Journal of Names</i>" in html
    landing = (tmp_path / "out" / "publications" / "names2020" / "index.html").read_text()
    assert 'class="cite-reference"' in landing and f"{OWNER}R. Xu Jr.</strong>" in landing
    records = (root / ".scholarsite-cache" / "records.json").read_text("utf-8")
    assert '"csl:' in records


def test_a_site_csl_file_can_be_the_style(make_site, tmp_path):
    ieee = (csl.STYLES_DIR / "ieee.csl").read_text("utf-8")
    root = make_site(
        {
            "styles/mine.csl": ieee,
            "site.yaml": """
                title: Runxin
                base_url: https://example.org/
                reference_style: styles/mine.csl
                owner_names: [Runxin Xu]
                profile: {name: Runxin Xu}
            """,
            "publications.bib": BIB_NAMES,
        }
    )
    assert resolve_style("styles/mine.csl", root) == root / "styles/mine.csl"
    build(root, tmp_path / "out", search=False)
    html = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    assert f"{OWNER}R. Xu Jr.</strong>" in html


def test_unknown_style_is_an_error_with_a_suggestion(make_site, tmp_path):
    root = make_site(
        {
            "site.yaml": """
                title: Runxin
                reference_style: ieeee
                profile: {name: Runxin Xu}
            """,
            "publications.bib": BIB_NAMES,
        }
    )
    with pytest.raises(UserError) as err:
        build(root, tmp_path / "out", search=False)
    text = "\n".join(f"{d.message} {d.hint}" for d in err.value.diagnostics)
    assert "unknown reference_style 'ieeee'" in text and "ieee" in text
    with pytest.raises(ValueError):
        ReferenceFormatter("nope")


def test_csl_item_maps_bibtex_fields():
    item = csl_item(pub_from(BIB_NAMES))
    assert item["type"] == "article-journal"
    assert item["container-title"] == "Journal of Names"
    assert item["issue"] == "2" and item["volume"] == "7" and item["page"] == "10-20"
    assert item["issued"] == {"date-parts": [[2020]]}
    assert item["DOI"] == "10.1000/names.7.2"
    assert item["author"][0] == {
        "family": "Buren",
        "given": "Jan-Peter",
        "non-dropping-particle": "van",
    }
    assert item["author"][1] == {"family": "Xu", "given": "Runxin", "suffix": "Jr."}
    assert item["author"][2] == {"literal": "Research Team Foo"}
    json.dumps(item)  # plain JSON


def test_cost_per_reference_is_milliseconds_and_cached_is_microseconds(example_pubs):
    import time

    pubs = list(example_pubs.values())
    fmt = ReferenceFormatter("apa")
    csl._MEMORY.clear()
    t0 = time.perf_counter()
    fmt.format_all(pubs)
    t1 = time.perf_counter()
    fmt.format_all(pubs)
    t2 = time.perf_counter()
    cold, warm = (t1 - t0) / len(pubs), (t2 - t1) / len(pubs)
    assert warm * 20 < cold, (cold, warm)


def test_styles_folder_says_where_the_styles_come_from():
    text = (csl.STYLES_DIR / "README.md").read_text("utf-8")
    assert "CC BY-SA 3.0" in text
    for name in STYLES.values():
        assert name in text
    assert Path(csl.__file__).parent / "styles" == csl.STYLES_DIR
