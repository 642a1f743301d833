"""Author names: BibTeX splitting, roles, annotations, keys and owner matching."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.model import Author
from scholarsite.names import (
    _ATOM_RE,
    _ATOM_ROLE,
    _TRAILING_MARKS,
    OwnerMatcher,
    _split_and,
    _strip_marks,
    apply_annotations,
    name_key,
    parse_annotations,
    split_names,
)


def parts(value: str) -> list[tuple[str, str, str, str]]:
    return [(a.first, a.von, a.last, a.jr) for a in split_names(value)]


# -- splitting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Runxin Xu", [("Runxin", "", "Xu", "")]),
        ("Xu, Runxin", [("Runxin", "", "Xu", "")]),
        ("Ludwig van Beethoven", [("Ludwig", "van", "Beethoven", "")]),
        ("van Beethoven, Ludwig", [("Ludwig", "van", "Beethoven", "")]),
        ("Jean de la Fontaine", [("Jean", "de la", "Fontaine", "")]),
        ("de la Fontaine, Jean", [("Jean", "de la", "Fontaine", "")]),
        (
            r"Charles Louis Xavier Joseph de la Vall{\'e}e Poussin",
            [("Charles Louis Xavier Joseph", "de la", "Vallée Poussin", "")],
        ),
        ("Della Robbia, Luca", [("Luca", "", "Della Robbia", "")]),
        ("King, Jr., Martin Luther", [("Martin Luther", "", "King", "Jr.")]),
        ("van der Merwe, Jr, Johan", [("Johan", "van der", "Merwe", "Jr")]),
        ("jean de la fontaine", [("", "jean de la", "fontaine", "")]),
        (r"{\"O}zt{\"u}rk, Ali", [("Ali", "", "Öztürk", "")]),
        (r"Ali {\"O}zt{\"u}rk", [("Ali", "", "Öztürk", "")]),
        (r"{\'E}mile Zola", [("Émile", "", "Zola", "")]),
        (r"M{\"u}ller, J{\"o}rg", [("Jörg", "", "Müller", "")]),
        (r"Jos{\'e} Fern{\'a}ndez-Garc{\'\i}a", [("José", "", "Fernández-García", "")]),
        ("Ludwig~van Beethoven", [("Ludwig", "van", "Beethoven", "")]),
        ("{van} Gogh, Vincent", [("Vincent", "", "van Gogh", "")]),
        ("Vincent {van Gogh}", [("Vincent", "", "van Gogh", "")]),
        ("Aristotle", [("", "", "Aristotle", "")]),
        ("罗巍耀", [("", "", "罗巍耀", "")]),
        ("张 三", [("张", "", "三", "")]),
        ("Zhang, San", [("San", "", "Zhang", "")]),
        ("J. R. R. Tolkien", [("J. R. R.", "", "Tolkien", "")]),
        ("Xu, R.", [("R.", "", "Xu", "")]),
        ("  Runxin    Xu  ", [("Runxin", "", "Xu", "")]),
    ],
)
def test_name_forms(value: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert parts(value) == expected


def test_acl_author_list() -> None:
    value = "Xu, Runxin  and Luo, Fuli  and Chang, Baobao  and Huang, Songfang  and Huang, Fei"
    assert [a.display for a in split_names(value)] == [
        "Runxin Xu",
        "Fuli Luo",
        "Baobao Chang",
        "Songfang Huang",
        "Fei Huang",
    ]


def test_and_splitting_is_case_insensitive_and_brace_aware() -> None:
    value = "Ada Lovelace AND Charles Babbage And {Barnes and Noble} and Anderson, Sand"
    assert [a.display for a in split_names(value)] == [
        "Ada Lovelace",
        "Charles Babbage",
        "Barnes and Noble",
        "Sand Anderson",
    ]


def test_and_others() -> None:
    authors = split_names("Runxin Xu and Fuli Luo and others")
    assert authors[-1] == Author(is_others=True)
    assert authors[-1].display == "et al."
    assert len(authors) == 3
    assert split_names("Runxin Xu and Others")[-1].is_others


def test_fully_braced_name_is_literal_and_decoded_after_splitting() -> None:
    (team,) = split_names(r"{Research Team Foo}")
    assert team.literal and team.last == "Research Team Foo" and team.display == team.last
    (org,) = split_names(r"{Universit{\"a}t Z{\"u}rich, Team and Friends}")
    assert org.literal and org.last == "Universität Zürich, Team and Friends"


def test_empty_values() -> None:
    assert split_names("") == []
    assert split_names("  and  ") == []


# -- roles -----------------------------------------------------------------------------

EQUAL = frozenset({"equal"})


@pytest.mark.parametrize(
    "value",
    [
        "Runxin Xu*",
        "Runxin Xu *",
        "Runxin Xu∗",
        "Runxin Xu$^*$",
        "Runxin Xu$^{*}$",
        "Runxin Xu$^\\ast$",
        "Runxin Xu\\textsuperscript{*}",
        "Runxin Xu^*",
        "Runxin Xu{*}",
        "Xu, Runxin*",
        "Xu*, Runxin",
        "Xu, Runxin$^{*}$",
    ],
)
def test_equal_contribution_marks(value: str) -> None:
    assert split_names(value) == [Author(first="Runxin", last="Xu", roles=EQUAL)]


@pytest.mark.parametrize(
    ("value", "roles"),
    [
        ("Baobao Chang†", {"corresponding"}),
        ("Baobao Chang\\dag", {"corresponding"}),
        ("Baobao Chang$^\\dagger$", {"corresponding"}),
        ("Baobao Chang\\textsuperscript{\\dag}", {"corresponding"}),
        ("Baobao Chang‡", {"advising"}),
        ("Baobao Chang\\ddag", {"advising"}),
        ("Baobao Chang$^{\\ddagger}$", {"advising"}),
        ("Baobao Chang*†", {"equal", "corresponding"}),
        ("Baobao Chang$^{*\\dagger}$", {"equal", "corresponding"}),
        ("Baobao Chang$^{*,\\dagger}$", {"equal", "corresponding"}),
        ("Baobao Chang\\textsuperscript{*}\\textsuperscript{\\ddag}", {"equal", "advising"}),
        ("Baobao Chang† ‡", {"corresponding", "advising"}),
    ],
)
def test_other_role_marks(value: str, roles: set[str]) -> None:
    (author,) = split_names(value)
    assert (author.first, author.last, author.roles) == ("Baobao", "Chang", frozenset(roles))


def test_a_lone_star_is_not_stripped_to_nothing() -> None:
    assert split_names("*")[0].last == "*"


def test_both_role_syntaxes_give_the_same_authors() -> None:
    marked = split_names(
        "Xu, Runxin* and Luo, Fuli$^*$ and Wang, Chengyu and Chang, Baobao\\textsuperscript{\\dag}"
        " and Sui, Zhifang‡"
    )
    annotated = apply_annotations(
        split_names(
            "Xu, Runxin and Luo, Fuli and Wang, Chengyu and Chang, Baobao and Sui, Zhifang"
        ),
        "1=equal; 2=equal; 4=corresponding; 5=equal-advising",
    )
    assert marked == annotated
    assert [a.marks for a in marked] == ["*", "*", "", "†", "‡"]


# -- annotations -----------------------------------------------------------------------


def test_parse_annotations() -> None:
    assert parse_annotations("1=equal; 2=equal,corresponding, 4=owner ; 5:family=highlight") == {
        1: {"equal"},
        2: {"equal", "corresponding"},
        4: {"owner"},
        5: {"highlight"},
    }
    assert parse_annotations("1-3=equal") == {1: {"equal"}, 2: {"equal"}, 3: {"equal"}}
    assert parse_annotations("") == {}
    assert parse_annotations("nonsense") == {}


def test_apply_annotations() -> None:
    authors = split_names("A One and B Two and C Three and others")
    out = apply_annotations(authors, "1=equal, 2=Equal; 3=owner, highlight, 9=equal; 2=whatever")
    assert [(a.roles, a.is_owner) for a in out] == [
        (EQUAL, False),
        (EQUAL, False),
        (frozenset(), True),
        (frozenset(), False),
    ]
    assert authors[0].roles == frozenset()  # inputs untouched
    assert apply_annotations(authors, "") == authors


# -- keys and owner matching -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (r"M{\"u}ller", "muller"),
        ("Müller", "muller"),
        ("MULLER", "muller"),
        ("Run-Xin", "runxin"),
        ("R.-X. Xu", "rx xu"),
        ("{Runxin}  {Xu}", "runxin xu"),
        ("Łukasz Øster", "lukasz oster"),
        ("José", "jose"),
        ("罗巍耀", "罗巍耀"),
    ],
)
def test_name_key(text: str, key: str) -> None:
    assert name_key(text) == key


def owner_matches(owner: list[str], author: str) -> bool:
    return OwnerMatcher(owner).matches(split_names(author)[0])


@pytest.mark.parametrize(
    "author",
    [
        "Runxin Xu",
        "Xu, Runxin",
        "R. Xu",
        "Xu, R.",
        "R Xu",
        "R.Xu",
        "Runxin  Xu",
        "runxin xu",
        "RUNXIN XU",
        "Run-Xin Xu",
        "Run Xin Xu",
        "R.-X. Xu",
        "R. X. Xu",
        "Xu, RX",
        "{R}unxin {X}u",
        "{Runxin Xu}",
        "Runxin Xu*",
    ],
)
def test_owner_matches(author: str) -> None:
    assert owner_matches(["Runxin Xu"], author)


@pytest.mark.parametrize(
    "author",
    [
        "Ruixin Xu",
        "Xu Sun",
        "J. Xu",
        "Runxin Xue",
        "Runxin Hu",
        "Xu Runxin",  # no comma: Runxin is the last name
        "Xu",
        "{Runxin Xu Lab}",
        "Rui-Xin Xu",
        "Q. Xu",
    ],
)
def test_owner_does_not_match(author: str) -> None:
    assert not owner_matches(["Runxin Xu"], author)


def test_owner_written_with_initials_or_comma() -> None:
    assert owner_matches(["Xu, Runxin"], "R. Xu")
    assert owner_matches(["R. Xu"], "Runxin Xu")
    assert owner_matches(["Run-Xin Xu"], "R. Xu")
    assert owner_matches(["Run-Xin Xu"], "R.-X. Xu")
    assert not owner_matches(["Run-Xin Xu"], "R.-Q. Xu")


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        (r"J{\"o}rg M{\"u}ller", True),
        (r"M\"uller, J\"org", True),
        ("Jorg Muller", True),
        ("J. Müller", True),
        ("Jürgen Müller", False),
        ("Jörg Miller", False),
    ],
)
def test_owner_accents_and_latex(author: str, expected: bool) -> None:
    assert owner_matches(["Müller, Jörg"], author) is expected


def test_owner_aliases_von_middle_initials_and_cjk() -> None:
    owners = ["Weiyai Luo", "罗巍耀", "Ludwig van Beethoven", "John Smith"]
    assert owner_matches(owners, "罗巍耀")
    assert owner_matches(owners, "Luo, Weiyai")
    assert owner_matches(owners, "L. van Beethoven")
    assert owner_matches(owners, "van Beethoven, Ludwig")
    assert owner_matches(owners, "John A. Smith")
    assert not owner_matches(owners, "John Adam Smith")
    assert not owner_matches(owners, "罗巍")
    assert not owner_matches(owners, "Wei Luo")


def test_owner_flags() -> None:
    matcher = OwnerMatcher(["Runxin Xu"])
    assert matcher.matches(Author(first="Someone", last="Else", is_owner=True))
    assert not matcher.matches(Author(is_others=True))
    assert not OwnerMatcher([]).matches(Author(first="Runxin", last="Xu"))


# -- robustness ------------------------------------------------------------------------


def test_long_inputs_finish() -> None:
    assert split_names("A B" + "*" * 100000)[0].roles == EQUAL
    assert split_names("A B" + " " * 100000 + "$^*$")[0].roles == EQUAL
    assert len(split_names(" and ".join(["A B"] * 20000))) == 20000


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AB{}\\,.*$^†‡~-'\"and ")), max_size=60))
def test_split_names_never_raises(value: str) -> None:
    for author in split_names(value):
        assert isinstance(author.display, str)
    OwnerMatcher([value]).matches(Author(first="A", last="B"))


def _split_and_char_by_char(value: str) -> list[str]:
    """The reference: words split at blanks outside braces, names at the word `and`."""
    words, start, depth = [], 0, 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and c in " \t\n\r":
            words.append(value[start:i])
            start = i + 1
    words.append(value[start:])
    names, current = [], []
    for word in filter(None, words):
        if word.lower() == "and":
            names.append(" ".join(current))
            current = []
        else:
            current.append(word)
    names.append(" ".join(current))
    return [n for n in names if n.strip()]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("a", "and", "AnD", "band", "andy", " ", "  ", "\t", "\n", "\xa0", "{", "}"),
                *("{A B}", "Xu", ",", "{\\AA}", "others"),
            ]
        ),
        max_size=16,
    ).map("".join)
)
def test_and_splitting_matches_the_char_by_char_reading(value: str) -> None:
    assert _split_and(value) == _split_and_char_by_char(value)


def _strip_marks_by_search(text: str) -> tuple[str, set[str]]:
    """The reference: search for trailing marks until there are none."""
    roles: set[str] = set()
    text = text.rstrip()
    while True:
        m = _TRAILING_MARKS.search(text)
        if m is None or m.start() == 0:
            return text, roles
        roles.update(_ATOM_ROLE[a] for a in _ATOM_RE.findall(m.group()))
        text = text[: m.start()].rstrip()


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *(
                    "Xu",
                    " ",
                    "*",
                    "∗",
                    "†",
                    "‡",
                    "$",
                    "^",
                    "{",
                    "}",
                    ",",
                    "\\ast",
                    "\\astx",
                    "\\dag",
                ),
                *("\\dagger", "\\ddag", "\\ddagger", "\\textsuperscript", "t", "r", "g", "\xa0"),
            ]
        ),
        max_size=10,
    ).map("".join)
)
def test_trailing_marks_are_found_as_a_full_search_finds_them(text: str) -> None:
    assert _strip_marks(text) == _strip_marks_by_search(text)
