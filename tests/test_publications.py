"""BibTeX entries -> Publications: decoding, authors, links, URL safety, slugs."""

from __future__ import annotations

import textwrap
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.errors import Diagnostics
from scholarsite.model import Link, Publication, SourceLocation
from scholarsite.readers.bibtex import parse_bibtex, write_entry
from scholarsite.readers.publications import decode_url, parse_links, to_publication
from scholarsite.slug import slugify


def convert(text: str) -> tuple[list[Publication | None], list[str]]:
    entries, problems = parse_bibtex(textwrap.dedent(text).lstrip("\n"), "pubs.bib")
    assert problems == []
    diags = Diagnostics()
    pubs = [to_publication(e, diags) for e in entries]
    return pubs, [str(d) for d in diags.items]


def pub(text: str) -> Publication:
    pubs, diags = convert(text)
    assert diags == []
    (p,) = pubs
    assert p is not None
    return p


SEED_ENTRY = r"""
@inproceedings{xu2022contrastive,
  title = {From Dense to Sparse: Contrastive Pruning for Better Pre-trained Language Model Compression},
  author = {Xu, Runxin* and Luo, Fuli* and Wang, Chengyu and Chang, Baobao and Huang, Jun and Huang, Songfang and Huang, Fei},
  booktitle = {Proceedings of the {AAAI} Conference on Artificial Intelligence},
  year = {2022},
  month = feb,
  abbr = {AAAI},
  award = {Oral},
  selected = {true},
  pdf = {https://arxiv.org/abs/2112.07198},
  code = {https://github.com/RunxinXu/ContrastivePruning},
  links = {Report = https://www.jiqizhixin.com/articles/2022-01-14-5, Youtube = https://www.youtube.com/watch?v=abc&t=1},
  note = {Win the \textbf{first} place},
  doi = {https://doi.org/10.1609/aaai.v36i10.21408},
}
"""  # noqa: E501


def test_seed_publication() -> None:
    p = pub(SEED_ENTRY)
    assert p.key == p.slug == "xu2022contrastive"
    assert p.entry_type == "inproceedings"
    assert p.title.startswith("From Dense to Sparse: Contrastive Pruning")
    assert [a.display for a in p.authors][:3] == ["Runxin Xu", "Fuli Luo", "Chengyu Wang"]
    assert [a.marks for a in p.authors][:3] == ["*", "*", ""]
    assert p.roles_used == frozenset({"equal"})
    assert (p.year, p.month) == (2022, "February")
    assert p.venue == "Proceedings of the AAAI Conference on Artificial Intelligence"
    assert (p.abbr, p.award, p.selected) == ("AAAI", "Oral", True)
    assert p.note == "Win the **first** place"
    assert p.doi == "10.1609/aaai.v36i10.21408"
    assert p.arxiv == "2112.07198"
    assert p.links == (
        Link("PDF", "https://arxiv.org/abs/2112.07198", "pdf"),
        Link("Code", "https://github.com/RunxinXu/ContrastivePruning", "code"),
        # the arXiv link equals the PDF link: shown once
        Link("DOI", "https://doi.org/10.1609/aaai.v36i10.21408", "doi"),
        Link("Report", "https://www.jiqizhixin.com/articles/2022-01-14-5", "other"),
        Link("Youtube", "https://www.youtube.com/watch?v=abc&t=1", "other"),
    )
    assert p.location == SourceLocation("pubs.bib", 1, 1)
    # the fields as written (LaTeX and case braces kept), for the cite.bib export
    assert p.bib_fields["booktitle"] == (
        "Proceedings of the {AAAI} Conference on Artificial Intelligence"
    )
    assert isinstance(p.bib_fields, MappingProxyType)
    assert isinstance(p.fields, MappingProxyType)
    assert p.fields["note"] == "Win the **first** place"
    assert p.fields["abbr"] == "AAAI"


def test_link_order_and_labels() -> None:
    p = pub(
        """
        @misc{k, title = {T},
          url = {https://u.org}, links = {project page = https://p.org},
          doi = {10.1/x}, arxiv = {arXiv:2101.00001},
          website = {https://w.org}, talk = {https://t.org}, video = {https://v.org},
          poster = {poster.pdf}, slides = {/files/slides.pdf}, code = {https://c.org},
          pdf = {https://p.pdf},
        }
        """
    )
    assert [(link.label, link.url) for link in p.links] == [
        ("PDF", "https://p.pdf"),
        ("Code", "https://c.org"),
        ("Slides", "/files/slides.pdf"),
        ("Poster", "poster.pdf"),
        ("Video", "https://v.org"),
        ("Talk", "https://t.org"),
        ("Website", "https://w.org"),
        ("arXiv", "https://arxiv.org/abs/2101.00001"),
        ("DOI", "https://doi.org/10.1/x"),
        ("URL", "https://u.org"),
        ("project page", "https://p.org"),
    ]
    assert [link.kind for link in p.links][:3] == ["pdf", "code", "slides"]


@pytest.mark.parametrize(
    ("value", "pairs", "rest"),
    [
        (
            "Report = https://x.org/r, Youtube = https://youtu.be/abc",
            [("Report", "https://x.org/r"), ("Youtube", "https://youtu.be/abc")],
            "",
        ),
        (
            "A = https://x.org/?a=1,b=2;c=3, B = /rel/path.pdf; C=#anchor",
            [("A", "https://x.org/?a=1,b=2;c=3"), ("B", "/rel/path.pdf"), ("C", "#anchor")],
            "",
        ),
        (
            "Report=https://a.org,Video=https://b.org;Mail=mailto:me@x.org",
            [("Report", "https://a.org"), ("Video", "https://b.org"), ("Mail", "mailto:me@x.org")],
            "",
        ),
        ("Code = {https://x.org/a\\_b}", [("Code", "https://x.org/a_b")], ""),
        ("Blog = \\url{https://x.org/~me}", [("Blog", "https://x.org/~me")], ""),
        ("Project Page (v2) = https://x.org", [("Project Page (v2)", "https://x.org")], ""),
        ("https://x.org", [], "https://x.org"),
        ("Fine = https://f.org, nolabel", [("Fine", "https://f.org")], "nolabel"),
        ("junk, A = https://a.org", [("A", "https://a.org")], "junk"),
    ],
)
def test_parse_links(value: str, pairs: list[tuple[str, str]], rest: str) -> None:
    assert parse_links(value) == (pairs, rest)


def test_links_warnings() -> None:
    pubs, diags = convert("@misc{k, title = {T},\n  links = {https://x.org},\n}")
    assert pubs[0] is not None and pubs[0].links == ()
    assert diags == [
        "pubs.bib:2:3: warning: cannot read links 'https://x.org'\n"
        "  hint: write links = {Label = https://..., Other label = https://...}"
    ]


UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "\x01javascript:alert(1)",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls_are_errors_and_dropped(url: str) -> None:
    bib = write_entry("misc", "k", {"title": "T", "code": "https://ok.org", "pdf": url})
    entries, problems = parse_bibtex(bib, "pubs.bib")
    assert problems == []
    diags = Diagnostics()
    p = to_publication(entries[0], diags)
    assert p is not None
    assert p.links == (Link("Code", "https://ok.org", "code"),)
    assert [str(d) for d in diags.items] == [
        "pubs.bib:4:3: error: unsafe URL in field 'pdf'\n"
        "  hint: only http(s) and mailto links, relative paths and #anchors are allowed"
    ]


def test_unsafe_custom_link_and_preview() -> None:
    pubs, diags = convert(
        """
        @misc{k, title = {T},
          links = {Evil = javascript:alert(1), Fine = https://fine.org},
          preview = {data:image/png;base64,xx},
        }
        """
    )
    p = pubs[0]
    assert p is not None
    assert p.links == (Link("Fine", "https://fine.org", "other"),)
    assert p.preview == ""
    assert [d.split("\n")[0] for d in diags] == [
        "pubs.bib:2:3: error: unsafe URL in field 'links' (link 'Evil')",
        "pubs.bib:3:3: error: unsafe URL in field 'preview'",
    ]


@pytest.mark.parametrize(
    ("fields", "arxiv"),
    [
        ("arxiv = {arXiv:2112.07198}", "2112.07198"),
        ("arxiv = {https://arxiv.org/abs/2112.07198v2}", "2112.07198v2"),
        ("eprint = {2112.07198}, archiveprefix = {arXiv}", "2112.07198"),
        ("eprint = {2112.07198}, eprinttype = {arxiv}", "2112.07198"),
        ("eprint = {2112.07198}", "2112.07198"),
        ("eprint = {hep-th/9901001}, archivePrefix = {arXiv}", "hep-th/9901001"),
        ("eprint = {12345}, archiveprefix = {HAL}", ""),
        ("url = {https://arxiv.org/abs/2205.00241}", "2205.00241"),
        ("pdf = {https://arxiv.org/pdf/2205.00241v1.pdf}", "2205.00241v1"),
        ("journal = {arXiv preprint arXiv:2112.07198}", "2112.07198"),
        ("url = {https://example.org/2205.00241}", ""),
    ],
)
def test_arxiv_sources(fields: str, arxiv: str) -> None:
    assert pub(f"@misc{{k, title = {{T}}, {fields}}}").arxiv == arxiv


@pytest.mark.parametrize(
    ("doi", "expected"),
    [
        ("10.18653/v1/2022.acl-short.58", "10.18653/v1/2022.acl-short.58"),
        ("https://doi.org/10.18653/v1/N19-1423", "10.18653/v1/N19-1423"),
        ("http://dx.doi.org/10.1000/xyz", "10.1000/xyz"),
        ("doi:10.1000/xyz", "10.1000/xyz"),
        ("DOI: 10.1000/xyz", "10.1000/xyz"),
    ],
)
def test_doi_prefixes_stripped(doi: str, expected: str) -> None:
    p = pub(f"@misc{{k, title = {{T}}, doi = {{{doi}}}}}")
    assert p.doi == expected
    assert p.links == (Link("DOI", f"https://doi.org/{expected}", "doi"),)


def test_year_month_and_dates() -> None:
    assert pub("@misc{k, title = {T}}").year is None
    assert pub("@misc{k, title = {T}, year = 2023}").year == 2023
    assert pub("@misc{k, title = {T}, year = {2023 (to appear)}}").year == 2023
    p = pub("@misc{k, title = {T}, date = {2021-05-03}}")
    assert (p.year, p.month) == (2021, "May")
    assert pub("@misc{k, title = {T}, month = {10}}").month == "October"
    assert pub("@misc{k, title = {T}, month = {sep}}").month == "September"
    assert pub("@misc{k, title = {T}, month = {Spring}}").month == "Spring"
    pubs, diags = convert("@misc{k, title = {T},\n  year = {forthcoming}}")
    assert pubs[0] is not None and pubs[0].year is None
    assert diags == [
        "pubs.bib:2:3: warning: year 'forthcoming' is not a year\n"
        "  hint: write a four-digit year (year = {2023}), or remove it and set status = {preprint}"
    ]


@pytest.mark.parametrize(
    ("fields", "venue"),
    [
        ("venue = {AAAI 2022}, booktitle = {Proceedings}", "AAAI 2022"),
        ("booktitle = {Proc. of {ACL}}, publisher = {ACL}", "Proc. of ACL"),
        ('journal = {Trans. on M{\\"u}sic}', "Trans. on Müsic"),
        ("journaltitle = {TACL}", "TACL"),
        ("school = {Peking University}, publisher = {X}", "Peking University"),
        ("institution = {MSR}", "MSR"),
        ("publisher = {Springer}", "Springer"),
        ("howpublished = {\\url{https://x.org}}", "https://x.org"),
        ("note = {nothing}", ""),
    ],
)
def test_venue_precedence(fields: str, venue: str) -> None:
    assert pub(f"@misc{{k, title = {{T}}, {fields}}}").venue == venue


@pytest.mark.parametrize(
    ("value", "selected"),
    [("true", True), ("True", True), ("yes", True), ("1", True), ("false", False), ("no", False)],
)
def test_selected(value: str, selected: bool) -> None:
    assert pub(f"@misc{{k, title = {{T}}, selected = {{{value}}}}}").selected is selected


def test_presentation_fields_and_decoding() -> None:
    p = pub(
        r"""
        @article{k,
          title = {{S}$^4$-Tuning: {BERT} for M{\"u}ller's $\alpha$ data},
          status = {Preprint},
          preview = {img/s4.png},
          abstract = {We propose S\textsuperscript{4}~tuning.},
          url = {https://www.cs.sjtu.edu.cn/~gao-xf/a\_b},
          award = {Best Paper},
          customfield = {kept \& decoded},
        }
        """
    )
    assert p.title == "S⁴-Tuning: BERT for Müller's α data"
    assert p.status == "preprint"
    assert p.preview == "img/s4.png"
    assert p.abstract == "We propose S⁴\xa0tuning."
    assert p.fields["url"] == "https://www.cs.sjtu.edu.cn/~gao-xf/a_b"  # no LaTeX decoding
    assert p.links == (Link("URL", "https://www.cs.sjtu.edu.cn/~gao-xf/a_b", "url"),)
    assert p.fields["customfield"] == "kept & decoded"
    assert p.award == "Best Paper"
    assert p.status == "preprint" and pub("@misc{k, title = {T}}").status == ""


def test_authors_with_annotations_and_marks() -> None:
    pubs, diags = convert(
        """
        @misc{k, title = {T},
          author = {Xu, Runxin and Wang, Peiyi$^*$ and Liu, Tianyu and Sui, Zhifang},
          author+an = {1=equal; 4=corresponding; 9=equal},
        }
        """
    )
    p = pubs[0]
    assert p is not None
    assert [a.marks for a in p.authors] == ["*", "*", "", "†"]
    assert diags == [
        "pubs.bib:3:3: warning: annotation for author 9, but the entry has 4 authors\n"
        "  hint: author+an numbers authors from 1, e.g. author+an = {1=equal; 2=equal}"
    ]


def test_missing_title_is_an_error() -> None:
    pubs, diags = convert("@misc{a, title = {A}}\n@misc{b, author = {X Y}}\n@misc{c, title = {}}")
    assert pubs[0] is not None and pubs[1] is None and pubs[2] is None
    assert diags == [
        "pubs.bib:2:1: error: entry 'b' has no title\n  hint: add a field title = {...}",
        "pubs.bib:3:1: error: entry 'c' has no title\n  hint: add a field title = {...}",
    ]


def test_unknown_entry_type_is_fine() -> None:
    assert pub("@dataset{k, title = {T}}").entry_type == "dataset"


@pytest.mark.parametrize(
    ("key", "slug"),
    [
        ("xu2022contrastive", "xu2022contrastive"),
        ("Xu:2022/ACL-Short", "xu-2022-acl-short"),
        ("xu-etal-2022-s4", "xu-etal-2022-s4"),
        ("DBLP:conf/aaai/XuL22", "dblp-conf-aaai-xul22"),
        ("Müller_2020.v2", "muller-2020-v2"),
        ("罗2023", "2023"),
        ("---", "entry"),
        ("北京", "entry"),
    ],
)
def test_slugify(key: str, slug: str) -> None:
    assert slugify(key) == slug


def test_slug_comes_from_key() -> None:
    assert pub("@misc{DBLP:conf/aaai/XuL22, title = {T}}").slug == "dblp-conf-aaai-xul22"


def test_decode_url() -> None:
    assert decode_url(" {https://x.org/a\\_b\\%20} ") == "https://x.org/a_b%20"
    assert decode_url("\\url{https://x.org/\\~{}me}") == "https://x.org/~me"
    assert decode_url("{a}{b}") == "{a}{b}"


_text = st.text(alphabet=st.sampled_from(list("ab AB{}\\$~^_=,;:/.*†-javscript&#")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "author",
                "author+an",
                "year",
                "month",
                "date",
                "url",
                "pdf",
                "links",
                "doi",
                "eprint",
                "archiveprefix",
                "arxiv",
                "selected",
                "preview",
                "journal",
                "note",
            ]
        ),
        _text,
    )
)
def test_to_publication_never_raises(fields: dict[str, str]) -> None:  # fmt: skip
    entries, _ = parse_bibtex(write_entry("misc", "k", fields), "h.bib")
    diags = Diagnostics()
    p = to_publication(entries[0], diags)
    if p is not None:
        assert p.title
        for link in p.links:
            assert not link.url.lower().lstrip().startswith(("javascript:", "data:"))


def test_plain_urls_and_ids_take_the_short_way_to_the_same_result() -> None:
    assert decode_url("  https://x.org/a_b?c=d  ") == "https://x.org/a_b?c=d"
    assert decode_url("https://x.org/~me") == "https://x.org/~me"
    text = textwrap.dedent(
        """\
        @article{a, title = {A}, eprint = {2101.00001v2}, doi = {10.1000/x(1);[2]:y}}
        @article{b, title = {B}, arxiv = {hep th/9901001}, doi = {10.1000/a b<c>}}
        """
    )
    entries, _ = parse_bibtex(text, "q.bib")
    diags = Diagnostics()
    a, b = (to_publication(e, diags) for e in entries)
    assert a is not None and b is not None and not diags.items
    assert [link.url for link in a.links] == [
        "https://arxiv.org/abs/2101.00001v2",
        "https://doi.org/10.1000/x(1);[2]:y",
    ]
    assert [link.url for link in b.links] == [
        "https://arxiv.org/abs/hep%20th/9901001",
        "https://doi.org/10.1000/a%20b%3Cc%3E",
    ]


def test_entries_of_a_file_known_to_be_clean_read_the_same() -> None:
    entries, _ = parse_bibtex(SEED_ENTRY, "pubs.bib")
    for entry in entries:
        diags, checked = Diagnostics(), Diagnostics()
        assert to_publication(entry, diags) == to_publication(entry, checked, safe_chars=True)
        assert diags.items == checked.items
