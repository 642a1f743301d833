"""The read stage's shortcuts give what the long way gives."""

from __future__ import annotations

import dataclasses
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.markdown import UNSAFE_CHARS
from scholarsite.model import Author, Link, Publication, SourceLocation
from scholarsite.names import OwnerMatcher
from scholarsite.parse import _safe_chars
from scholarsite.readers.pages import _LINKISH_PARTS, _linkish
from scholarsite.resolve import _mark_owner, _with_authors

_ALL_LINKISH = re.compile("|".join(part for _, part in _LINKISH_PARTS), re.I | re.M)


def _targets(pattern: re.Pattern[str] | None, body: str) -> list[str]:
    found = pattern.finditer(body) if pattern is not None else ()
    return [next(g for g in m.groups() if g is not None) for m in found]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("](", "]:", "[", "]", "(", ")", "<", ">", "=", " ", "\n", "   ", "href", "SRC"),
                *("srcset", '"', "'", "javascript:x", "http://a", "a", "<a ", "[r]: ", "\t"),
            ]
        ),
        max_size=20,
    ).map("".join)
)
def test_link_targets_are_found_by_the_parts_the_body_needs(body: str) -> None:
    assert _targets(_linkish(body), body) == _targets(_ALL_LINKISH, body)


def test_a_whole_file_without_unsafe_characters_is_known_from_its_bytes() -> None:
    for text in ["plain", "Zürich 北京 — “quotes” \u2028", "tab\tand\nnewline\r\n", ""]:
        assert _safe_chars(text.encode(), text) is (UNSAFE_CHARS.search(text) is None)
    for bad in ["\x07", "\x85", "\u202e", "\u2066", "\ufffe", "\x7f", "\x1b[0m"]:
        text = f"a {bad} b"
        assert not _safe_chars(text.encode(), text)
    text = "\ufeffa BOM is not unsafe"
    assert _safe_chars(text.encode(), text[1:])


def test_owner_marks_rebuild_the_publication_as_replace_would() -> None:
    authors = (Author(first="Runxin", last="Xu"), Author(first="Fuli", last="Luo"))
    pub = Publication(
        key="k",
        slug="k",
        entry_type="article",
        title="T",
        authors=authors,
        year=2020,
        links=(Link("PDF", "https://x.org/a.pdf", "pdf"),),
        location=SourceLocation("p.bib", 3, 1),
    )
    marked = _mark_owner(pub, OwnerMatcher(["R. Xu"]))
    assert marked == dataclasses.replace(
        pub, authors=(dataclasses.replace(authors[0], is_owner=True), authors[1])
    )
    assert marked.authors[1] is authors[1]
    assert _mark_owner(pub, OwnerMatcher(["Someone Else"])) is pub
    assert _with_authors(pub, ()) == dataclasses.replace(pub, authors=())
