"""The BibTeX reader: values, macros, locations, diagnostics, recovery, writing."""

from __future__ import annotations

import re
import textwrap
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarsite.model import SourceLocation
from scholarsite.readers.bibtex import RawEntry, parse_bibtex, write_entry


def parse(text: str, path: str = "refs.bib") -> tuple[list[RawEntry], list[str]]:
    entries, diags = parse_bibtex(textwrap.dedent(text).lstrip("\n"), path)
    return entries, [str(d) for d in diags]


def one(text: str) -> RawEntry:
    entries, diags = parse(text)
    assert diags == []
    assert len(entries) == 1
    return entries[0]


# -- values ----------------------------------------------------------------------------


def test_acl_anthology_entry() -> None:
    e = one(
        """
        @inproceedings{xu-etal-2022-s4,
            title = "{S}$^4$-Tuning: A Simple Cross-lingual Sub-network Tuning Method",
            author = "Xu, Runxin  and
              Luo, Fuli  and
              Chang, Baobao",
            booktitle = "Proceedings of the 60th Annual Meeting of the Association for Computational Linguistics (Volume 2: Short Papers)",
            month = may,
            year = "2022",
            address = "Dublin, Ireland",
            url = "https://aclanthology.org/2022.acl-short.58",
            doi = "10.18653/v1/2022.acl-short.58",
            pages = "530--537",
        }
        """  # noqa: E501
    )
    assert e.entry_type == "inproceedings"
    assert e.key == "xu-etal-2022-s4"
    assert e.fields["title"] == "{S}$^4$-Tuning: A Simple Cross-lingual Sub-network Tuning Method"
    assert e.fields["author"] == "Xu, Runxin and Luo, Fuli and Chang, Baobao"
    assert e.fields["month"] == "May"
    assert e.fields["year"] == "2022"
    assert e.fields["pages"] == "530--537"
    assert list(e.fields) == [
        "title",
        "author",
        "booktitle",
        "month",
        "year",
        "address",
        "url",
        "doi",
        "pages",
    ]
    assert e.location == SourceLocation("refs.bib", 1, 1)
    assert e.field_locations["title"] == SourceLocation("refs.bib", 2, 5)
    assert e.field_locations["pages"] == SourceLocation("refs.bib", 12, 5)
    assert e.raw.startswith("@inproceedings{xu-etal-2022-s4,\n")
    assert e.raw.endswith('pages = "530--537",\n}')


def test_google_scholar_entry_braces_and_numbers() -> None:
    e = one(
        """
        @article{xu2021contrastive,
          title={From Dense to Sparse: Contrastive Pruning for Better Pre-trained Language Model Compression},
          author={Xu, Runxin and Luo, Fuli and Wang, Chengyu and Chang, Baobao and Huang, Jun and Huang, Songfang and Huang, Fei},
          journal={arXiv preprint arXiv:2112.07198},
          year={2021}
        }
        """  # noqa: E501
    )
    assert e.entry_type == "article"
    assert e.fields["journal"] == "arXiv preprint arXiv:2112.07198"
    assert e.fields["year"] == "2021"


def test_types_and_field_names_are_lowercased_keys_kept() -> None:
    e = one("@ARTICLE{Smith:2020/x.y-z, TITLE = {A}, Author+AN = {1=equal}}")
    assert e.entry_type == "article"
    assert e.key == "Smith:2020/x.y-z"
    assert e.fields == {"title": "A", "author+an": "1=equal"}


def test_nested_braces_kept_outer_removed() -> None:
    e = one('@misc{k, title = {The {BERT} of {{Deep} Nets}}, note = "a {"quoted"} b"}')
    assert e.fields["title"] == "The {BERT} of {{Deep} Nets}"
    assert e.fields["note"] == 'a {"quoted"} b'


def test_quoted_value_with_escaped_quote_and_braces() -> None:
    e = one(r'@misc{k, author = "M\"uller, J{\"o}rg", title = "x {a, b} y"}')
    assert e.fields["author"] == r"M\"uller, J{\"o}rg"
    assert e.fields["title"] == "x {a, b} y"


def test_whitespace_runs_collapse() -> None:
    e = one("@misc{k, title = {  A\n\t  long\n\n title  }}")
    assert e.fields["title"] == "A long title"


def test_string_macros_and_concatenation() -> None:
    entries, diags = parse(
        """
        @string{acl = "Proceedings of the Annual Meeting of the ACL"}
        @STRING(conf = {ACL} # " " # "2022")
        @string{ a = "x", b = a # "y" }
        @inproceedings{k,
          booktitle = acl # { (Volume 1)},
          series = conf,
          note = b # 1 # jan,
          month = DEC,
        }
        """
    )
    assert diags == []
    (e,) = entries
    assert e.fields["booktitle"] == "Proceedings of the Annual Meeting of the ACL (Volume 1)"
    assert e.fields["series"] == "ACL 2022"
    assert e.fields["note"] == "xy1January"
    assert e.fields["month"] == "December"


def test_all_month_macros() -> None:
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    text = "\n".join(f"@misc{{m{i}, month = {m}}}" for i, m in enumerate(months))
    entries, diags = parse(text)
    assert diags == []
    assert [e.fields["month"] for e in entries] == [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]


def test_paren_delimited_entry_with_parens_in_values() -> None:
    e = one("@article(k1, title = {A (very) short title}, year = 2020)")
    assert e.fields == {"title": "A (very) short title", "year": "2020"}
    assert e.raw == "@article(k1, title = {A (very) short title}, year = 2020)"


def test_preamble_comment_and_text_between_entries() -> None:
    entries, diags = parse(
        """
        This file was created by JabRef. Mail me@example.org for questions.
        @preamble{ "\\newcommand{\\noopsort}[1]{}" # "x" }
        @comment{ jabref-meta: databaseType:bibtex; {nested} }
        @comment this line is a comment too
        % a TeX comment line
        @misc{a, title = {A}}

        Some text; @misc{notanentry, title = {B}} is ignored because the @ is inside a line.
        @misc{b, title = {B}}
        """
    )
    assert diags == []
    assert [e.key for e in entries] == ["a", "b"]


def test_two_entries_on_one_line() -> None:
    entries, diags = parse("@string{x = {X}} @misc{a, title = x} @misc{b, title = {B}}\n")
    assert diags == []
    assert [(e.key, e.fields["title"]) for e in entries] == [("a", "X"), ("b", "B")]
    assert entries[1].location == SourceLocation("refs.bib", 1, 38)


def test_percent_comments_between_fields() -> None:
    e = one(
        """
        @article{k,
          title = {A},
          % note = {commented out},
          year = 2020, % trailing comment
        }
        """
    )
    assert e.fields == {"title": "A", "year": "2020"}


def test_key_only_entry_and_trailing_comma() -> None:
    entries, diags = parse("@misc{lonely}\n@misc{k, title = {A},}\n")
    assert diags == []
    assert [(e.key, e.fields) for e in entries] == [("lonely", {}), ("k", {"title": "A"})]


def test_empty_and_numeric_values() -> None:
    e = one("@misc{k, note = {}, volume = 12, pages = 3 # {--} # 4}")
    assert e.fields == {"note": "", "volume": "12", "pages": "3--4"}


def test_crlf_line_endings_and_bom() -> None:
    text = "\ufeff@misc{a,\r\n  title = {A\r\n B},\r\n  year = 2020\r\n}\r\n"
    entries, diags = parse_bibtex(text, "w.bib")
    assert diags == []
    assert entries[0].fields == {"title": "A B", "year": "2020"}
    assert entries[0].field_locations["year"] == SourceLocation("w.bib", 4, 3)


def test_raw_is_exact_source() -> None:
    src = '@book{k,\n  title = "T",\n  publisher = {P}  }'
    entries, _ = parse_bibtex("junk\n" + src + "\ntrailing\n", "b.bib")
    assert entries[0].raw == src


def test_tabs_count_as_one_column() -> None:
    entries, _ = parse_bibtex("@misc{k,\n\ttitle = {A}}", "t.bib")
    assert entries[0].field_locations["title"] == SourceLocation("t.bib", 2, 2)


# -- diagnostics -----------------------------------------------------------------------

BROKEN_BRACES = """\
@misc{first, title = {ok}}

@article{broken,
  title = {Unclosed {brace},
  year = 2020
}

@misc{after, title = {Still parsed}}
"""


def test_unbalanced_braces_report_entry_and_field_then_continue() -> None:
    entries, diags = parse(BROKEN_BRACES)
    assert [e.key for e in entries] == ["first", "after"]
    assert diags == [
        "refs.bib:3:1: error: entry 'broken' is not closed before the next entry at line 8\n"
        "  hint: add the missing '}' at its end, or check the braces of field 'title' (line 4)"
    ]


def test_value_running_into_next_entry() -> None:
    entries, diags = parse(
        """
        @article{a,
          title = {Never {closed},
          year = 2020,
        @misc{b, title = {B}}
        """
    )
    assert [e.key for e in entries] == ["b"]
    assert diags == [
        "refs.bib:2:11: error: the value of field 'title' is not closed before the next "
        "entry at line 4\n  hint: add the missing '}' (or '\"'), or remove an extra '{'"
    ]


def test_value_not_closed_at_end_of_file() -> None:
    entries, diags = parse('@misc{a, title = {A}}\n@misc{b, title = "open}\n')
    assert [e.key for e in entries] == ["a"]
    assert diags == [
        "refs.bib:2:23: error: unbalanced '}' in the value of field 'title'\n"
        "  hint: remove the extra '}' or add the missing '{'"
    ]
    _, diags = parse("@misc{b, title = {open\n")
    assert diags == [
        "refs.bib:1:18: error: the value of field 'title' is not closed\n"
        "  hint: add the missing '}', or remove an extra '{'"
    ]


def test_entry_not_closed_at_end_of_file() -> None:
    _, diags = parse("@misc{a,\n  title = {A},\n")
    assert diags == [
        "refs.bib:1:1: error: entry 'a' is not closed\n"
        "  hint: add the missing '}' at its end, or check the braces of field 'title' (line 2)"
    ]


def test_missing_key() -> None:
    entries, diags = parse(
        """
        @misc{ok1, title = {A}}
        @article{
          title = {No key},
          year = 2020,
        }
        @misc{ok2, title = {B}}
        """
    )
    assert [e.key for e in entries] == ["ok1", "ok2"]
    assert diags == [
        "refs.bib:2:1: error: @article entry has no citation key\n"
        "  hint: write '@article{key, title = ...}': the key goes before the first comma"
    ]
    _, diags = parse("@article{, title = {x}}")
    assert diags[0].startswith("refs.bib:1:1: error: @article entry has no citation key")


def test_missing_equals() -> None:
    entries, diags = parse(
        """
        @article{k,
          title {No equals},
          year = 2020,
        }
        @misc{next, title = {B}}
        """
    )
    assert [e.key for e in entries] == ["next"]
    assert diags == [
        "refs.bib:2:3: error: missing '=' after field 'title' in entry 'k'\n"
        "  hint: write 'title = {value}'"
    ]


def test_missing_comma_between_fields() -> None:
    _, diags = parse(
        """
        @article{k,
          title = {A}
          year = 2020,
        }
        """
    )
    assert diags == [
        "refs.bib:3:3: error: expected ',' or '}' after the value of field 'title'\n"
        "  hint: add a ',' after the value of 'title' (line 2)"
    ]


def test_duplicate_field_keeps_first_value() -> None:
    entries, diags = parse(
        """
        @article{k,
          title = {First},
          year = 2020,
          Title = {Second},
        }
        """
    )
    assert entries[0].fields["title"] == "First"
    assert diags == [
        "refs.bib:4:3: error: duplicate field 'title' in entry 'k' (first at line 2)\n"
        "  hint: delete one of the two 'title' fields; the first one is used"
    ]


def test_duplicate_key_in_file_is_case_insensitive() -> None:
    entries, diags = parse(
        """
        @misc{Xu2022, title = {First}}
        @misc{other, title = {Other}}
        @article{xu2022, title = {Second}}
        """
    )
    assert [(e.key, e.fields["title"]) for e in entries] == [
        ("Xu2022", "First"),
        ("other", "Other"),
    ]
    assert diags == [
        "refs.bib:3:1: error: duplicate key 'xu2022' (first defined at refs.bib:1:1)\n"
        "  hint: rename one of the two entries or delete the copy; the first one is used"
    ]


def test_undefined_macro_is_a_warning_and_kept() -> None:
    entries, diags = parse("@misc{k,\n  journal = tacl,\n}")
    assert entries[0].fields["journal"] == "tacl"
    assert diags == [
        "refs.bib:2:13: warning: undefined string 'tacl'\n"
        "  hint: put the value in braces ({tacl}) or define it with @string{tacl = {...}} "
        "before this entry"
    ]


def test_extra_closing_brace_warns_about_ignored_text() -> None:
    entries, diags = parse("@misc{k,\n  title = {A}},\n  year = 2020,\n}\n")
    assert entries[0].fields == {"title": "A"}
    assert diags == [
        "refs.bib:3:3: warning: text after the end of entry 'k' is ignored\n"
        "  hint: entry 'k' probably has one '}' too many; check its last fields"
    ]
    _, diags = parse("@misc{k, title = {A}}}\n@misc{j, title = {A}} % fine\n")
    assert diags == [
        "refs.bib:1:22: warning: text after the end of entry 'k' is ignored\n"
        "  hint: entry 'k' probably has one '}' too many; check its last fields"
    ]


def test_at_without_entry_type() -> None:
    entries, diags = parse("@ {x}\n@misc{k, title = {A}}\n")
    assert [e.key for e in entries] == ["k"]
    assert diags[0].startswith("refs.bib:1:1: error: expected an entry type after '@'")


def test_missing_delimiter_and_bad_key() -> None:
    _, diags = parse("@misc k, title = {A}\n@misc{two words, title = {A}}\n")
    assert diags == [
        "refs.bib:1:7: error: expected '{' or '(' after '@misc'\n"
        "  hint: write '@misc{key, field = {value}, ...}'",
        "refs.bib:2:11: error: expected ',' after the key 'two'\n"
        "  hint: a citation key cannot contain spaces, braces, quotes or '=', '#', '%'",
    ]


def test_bad_value_and_dangling_concatenation() -> None:
    _, diags = parse("@misc{a, title = ,}\n@misc{b, title = {x} # ,}\n")
    assert [d.split("\n")[0] for d in diags] == [
        "refs.bib:1:18: error: expected a value for field 'title'",
        "refs.bib:2:24: error: expected a value after '#'",
    ]


def test_many_errors_all_reported_in_order() -> None:
    lines = ["@misc{a, title = {A}}", "@misc{, title = {x}}", "@misc{b title}", "@misc{c, t {x}}"]
    text = "\n".join([*lines, "@misc{d, title = {D}}"])
    entries, diags = parse(text)
    assert [e.key for e in entries] == ["a", "d"]
    assert [d.split(":")[1] for d in diags] == ["2", "3", "4"]


# -- robustness ------------------------------------------------------------------------

VALID = """\
@string{acl = "ACL"}
@inproceedings{xu-2022,
  title = "{S}$^4$-Tuning: {A} Simple",
  author = {Xu, Runxin* and M{\\"u}ller, J. and {Research Team}},
  booktitle = acl # " 2022",
  month = may, year = 2022,
  links = {Report = https://x.org/a?b=1,c=2; Video = https://y.org},
}
@article(paren, title = {Paren (P)}, note = "q {"} q")
@comment{ skipped {x} }
@misc{last, title = {Last}}
"""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from('@{}()"#=,% \n\\abcAND01~$'), max_size=300))
def test_never_raises_on_random_bibtex_like_text(text: str) -> None:
    entries, diags = parse_bibtex(text, "r.bib")
    for d in diags:
        assert d.location.line >= 1 and d.location.col >= 1
    for e in entries:
        assert e.raw in text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_on_random_unicode(text: str) -> None:
    parse_bibtex(text, "u.bib")


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(VALID)),
            st.integers(0, 3),
            st.sampled_from(list('{}()"@#=,% \n')) | st.text(max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_never_raises_on_mutated_valid_bibtex(edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for pos, delete, insert in edits:
        pos = min(pos, len(text))
        text = text[:pos] + insert + text[pos + delete :]
    entries, diags = parse_bibtex(text, "m.bib")
    lines = text.split("\n")
    for d in diags:
        assert 1 <= d.location.line <= len(lines)
        assert 1 <= d.location.col <= len(lines[d.location.line - 1]) + 1
    for e in entries:
        assert e.raw in text


def test_valid_sample_parses_clean() -> None:
    entries, diags = parse_bibtex(VALID, "v.bib")
    assert diags == []
    assert [e.key for e in entries] == ["xu-2022", "paren", "last"]
    assert entries[0].fields["booktitle"] == "ACL 2022"
    assert entries[1].fields["note"] == 'q {"} q'


def test_deep_nesting_and_huge_input_do_not_hang() -> None:
    deep = "@misc{k, title = " + "{" * 5000 + "x" + "}" * 5000 + "}"
    entries, diags = parse_bibtex(deep, "d.bib")
    assert diags == [] and len(entries[0].fields["title"]) == 2 * 4999 + 1
    opens = "@misc{k, title = {\n" * 20000  # each value would run to the end of the file
    entries, diags = parse_bibtex(opens, "o.bib")
    assert entries == [] and len(diags) == 20000
    assert str(diags[0]).startswith("o.bib:1:18: error: the value of field 'title' is not closed")


@pytest.mark.parametrize(
    "text",
    [
        "@misc{k," + " " * 5000 + "x}",  # blank runs before a broken field (regex backtracking)
        "@misc{k, title = {a}" + " " * 5000 + "x}",
        "@misc{k,\n" + "%" * 5000 + "\n x}",
        "@misc{k, title = {" + "{" * 100000,
        "@misc{k, title = " + "a # " * 5000 + "}",
        "@misc{" + "k" * 100000,
    ],
)
def test_pathological_inputs_finish(text: str) -> None:
    entries, diags = parse_bibtex(text, "p.bib")
    assert entries == [] and diags[-1].severity == "error"


def test_speed_5000_entries(capsys: pytest.CaptureFixture[str]) -> None:
    entry = textwrap.dedent(
        """\
        @inproceedings{{key{i},
          title = {{{{BERT}}: Pre-training of Deep Bidirectional Transformers {i}}},
          author = {{Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina}},
          booktitle = "Proceedings of NAACL-HLT",
          year = {{2019}},
          month = jun,
          pages = {{4171--4186}},
          url = {{https://aclanthology.org/N19-1423}},
          doi = {{10.18653/v1/N19-1423}},
        }}
        """
    )
    text = "\n".join(entry.format(i=i) for i in range(5000))
    start = time.perf_counter()
    entries, diags = parse_bibtex(text, "big.bib")
    elapsed = time.perf_counter() - start
    assert len(entries) == 5000 and diags == []
    with capsys.disabled():
        print(f"\nparse_bibtex: 5000 entries, {len(text) / 1e6:.1f} MB in {elapsed * 1000:.0f} ms")


# -- writing ---------------------------------------------------------------------------


def test_write_entry_format() -> None:
    text = write_entry(
        "InProceedings",
        "xu-2022",
        {"Title": "{S}$^4$-Tuning:\n  A {Simple}  Method", "year": "2022", "author+an": "1=equal"},
    )
    assert text == (
        "@inproceedings{xu-2022,\n"
        "  title = {{S}$^4$-Tuning: A {Simple} Method},\n"
        "  year = {2022},\n"
        "  author+an = {1=equal},\n"
        "}\n"
    )
    e = one(text)
    assert e.fields["title"] == "{S}$^4$-Tuning: A {Simple} Method"


def test_write_entry_drops_unpartnered_braces_and_duplicate_names() -> None:
    text = write_entry("misc", "k", {"title": "a } b { c {d}", "TITLE": "ignored"})
    assert text == "@misc{k,\n  title = {a b c {d}},\n}\n"


@pytest.mark.parametrize(
    ("entry_type", "key", "name"),
    [("art icle", "k", "title"), ("misc", "a b", "title"), ("misc", "", "title"),
     ("misc", "k", "ti tle"), ("misc", "k,", "title"), ("misc", "k", "a=b")],
)  # fmt: skip
def test_write_entry_rejects_what_bibtex_cannot_hold(entry_type: str, key: str, name: str) -> None:
    with pytest.raises(ValueError):
        write_entry(entry_type, key, {name: "x"})


def _collapse(value: str) -> str:
    return re.sub(r"[ \t\n\r\f\v]+", " ", value).strip(" \t\n\r\f\v")


_key = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9:_./+-]{0,15}", fullmatch=True)
_name = st.from_regex(r"[a-z][a-z0-9_+-]{0,10}", fullmatch=True)
_balanced = st.recursive(
    st.text(alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",))),
    lambda inner: st.lists(inner | inner.map(lambda s: "{" + s + "}"), max_size=3).map("".join),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"[a-z]{1,12}", fullmatch=True),
    _key,
    st.dictionaries(_name, _balanced, max_size=6),
)
def test_write_then_parse_round_trips(entry_type: str, key: str, fields: dict[str, str]) -> None:
    text = write_entry(entry_type, key, fields)
    entries, diags = parse_bibtex(text, "rt.bib")
    assert diags == []
    (e,) = entries
    assert (e.entry_type, e.key) == (entry_type, key)
    assert e.fields == {k: _collapse(v) for k, v in fields.items()}
    assert write_entry(e.entry_type, e.key, e.fields) == text


def test_field_locations_match_a_line_count() -> None:
    """Field locations are worked out when asked: the same as counting lines up to them."""
    text = (
        "% comment\n  @article{a, title = {T}, year = 2020,\n"
        "\tauthor = {X and Y},\n  note = {multi\n line}, pages = {1--2}}"
        '@misc{b,\n\n     title = "Q" # {R},\n  month = jan }\n'
        "@book{c, title={Z}}\n"
    )
    entries, diags = parse_bibtex(text, "f.bib")
    assert not diags
    assert [e.key for e in entries] == ["a", "b", "c"]
    for entry in entries:
        assert list(entry.field_locations) == list(entry.fields)
        at = text.index("{" + entry.key + ",")
        for name, loc in entry.field_locations.items():
            pos = text.index(name, at)
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            assert loc == SourceLocation("f.bib", line, col), (entry.key, name)
    first = entries[0]
    assert first.field_locations == dict(first.field_locations.items())
    assert "title" in first.field_locations
    assert first.field_locations.get("missing", first.location) == first.location
