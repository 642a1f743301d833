"""Author names: BibTeX splitting, role marks, annotations and owner matching."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .latex import latex_to_text
from .model import Author

__all__ = ["OwnerMatcher", "apply_annotations", "name_key", "parse_annotations", "split_names"]

ROLE_WORDS = {
    "equal": "equal",
    "corresponding": "corresponding",
    "advising": "advising",
    "equal-advising": "advising",
}

# -- role marks ------------------------------------------------------------------------

_ATOM = r"(?:\*|∗|†|‡|\\ast(?![A-Za-z])|\\dagger|\\dag(?![A-Za-z])|\\ddagger|\\ddag(?![A-Za-z]))"
_ATOMS = rf"{_ATOM}(?:[\s,]*{_ATOM})*"
_TRAILING_MARKS = re.compile(
    rf"(?:\$\s*(?:\^\s*)?\{{?\s*{_ATOMS}\s*\}}?\s*\$"  # $^*$  $^{*}$  $^\dagger$  $\dagger$
    rf"|\\textsuperscript\s*\{{\s*{_ATOMS}\s*\}}"  # \textsuperscript{*}
    rf"|\^\s*\{{?\s*{_ATOMS}\s*\}}?"  # ^*  ^{*}
    rf"|\{{\s*{_ATOMS}\s*\}}"  # {*}  {\dag}
    rf"|{_ATOMS})\s*\Z"
)
_ATOM_RE = re.compile(_ATOM)
_ATOM_ROLE = {
    "*": "equal",
    "∗": "equal",
    "\\ast": "equal",
    "†": "corresponding",
    "\\dag": "corresponding",
    "\\dagger": "corresponding",
    "‡": "advising",
    "\\ddag": "advising",
    "\\ddagger": "advising",
}


# what a text with trailing marks ends with (the last character of each form of mark)
_MARK_ENDS = ("*", "∗", "†", "‡", "$", "}", "\\ast", "\\dag", "\\dagger", "\\ddag", "\\ddagger")


def _strip_marks(text: str) -> tuple[str, set[str]]:
    """Remove trailing role marks from one name (part); return it and the roles."""
    roles: set[str] = set()
    text = text.rstrip()
    while True:
        if not text.endswith(_MARK_ENDS):
            return text, roles  # the common case, without a search from every position
        m = _TRAILING_MARKS.search(text)
        if m is None or m.start() == 0:
            return text, roles
        roles.update(_ATOM_ROLE[a] for a in _ATOM_RE.findall(m.group()))
        text = text[: m.start()].rstrip()


# -- splitting -------------------------------------------------------------------------


_SEP_RES: dict[str, re.Pattern[str]] = {}


def _split_depth0(value: str, seps: str) -> list[str]:
    """Split at characters of `seps` outside braces (empty pieces kept)."""
    if "{" not in value and "}" not in value:
        pattern = _SEP_RES.get(seps)
        if pattern is None:
            pattern = _SEP_RES[seps] = re.compile(f"[{re.escape(seps)}]")
        return pattern.split(value)
    out: list[str] = []
    depth, start = 0, 0
    for i, c in enumerate(value):
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and c in seps:
            out.append(value[start:i])
            start = i + 1
    out.append(value[start:])
    return out


# `and` as a whole word (the look-behind comes second: a leading letter is found faster)
_AND = re.compile(r"[aA](?<![^ \t\n\r][aA])[nN][dD](?![^ \t\n\r])")
_BLANKS = re.compile(r"[ \t\n\r]+")
_BLANK = re.compile(r"[ \t\n\r]")
_BRACE = re.compile(r"[{}]")
_NESTED = re.compile(r"\{[^{}]*\{")  # braces two deep
_BLANK_AFTER_BRACE = re.compile(r"\{[^{}]*[ \t\n\r]")


def _blank_in_braces(value: str) -> bool:
    """Is there a blank inside braces (where it does not separate words)?"""
    if not _NESTED.search(value):  # then a blank inside braces follows a '{' directly
        return _BLANK_AFTER_BRACE.search(value) is not None
    depth, start = 0, 0
    for m in _BRACE.finditer(value):
        if m.group() == "{":
            if depth == 0:
                start = m.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and _BLANK.search(value, start, m.start()):
                return True
    return depth > 0 and _BLANK.search(value, start) is not None


def _split_and(value: str) -> list[str]:
    """Split an author list on the word `and` (any case) outside braces."""
    names: list[str] = []
    if ("{" not in value and "}" not in value) or not _blank_in_braces(value):
        # every blank separates words: split with regular expressions
        if "\t" in value or "\n" in value or "\r" in value or "  " in value:
            value = _BLANKS.sub(" ", value)
        for piece in _AND.split(value):
            name = piece.strip(" ")
            if name and name.strip():
                names.append(name)
        return names
    current: list[str] = []
    for word in _split_depth0(value, " \t\n\r"):
        if not word:
            continue
        if word.lower() == "and":
            names.append(" ".join(current))
            current = []
        else:
            current.append(word)
    names.append(" ".join(current))
    return [n for n in names if n.strip()]


_FOREIGN = {"i", "j", "oe", "OE", "ae", "AE", "aa", "AA", "o", "O", "l", "L", "ss"}
_CONTROL = re.compile(r"\\([A-Za-z]+|.)")


def _is_lower(word: str) -> bool:
    """BibTeX's von test: the first letter at brace depth 0 (or of a `{\\...}`) is lowercase."""
    depth, i, n = 0, 0, len(word)
    while i < n:
        c = word[i]
        if c == "{":
            if depth == 0 and word.startswith("{\\", i):
                m = _CONTROL.match(word, i + 1)
                if m and m.group(1) in _FOREIGN:
                    return m.group(1)[0].islower()
                j = m.end() if m else i + 1
                while j < n and word[j] != "}":
                    if word[j].isalpha():
                        return word[j].islower()
                    j += 1
                return False
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "\\" and depth == 0:
            m = _CONTROL.match(word, i)
            if m and m.group(1) in _FOREIGN:
                return m.group(1)[0].islower()
            i = m.end() if m else i + 1
            continue
        elif depth == 0 and c.isalpha():
            return c.islower()
        i += 1
    return False


def _words(part: str) -> list[str]:
    return [w for w in _split_depth0(part, " \t\n\r~") if w]


def _decode(words: list[str]) -> str:
    return latex_to_text(" ".join(words)).strip()


def _fully_braced(name: str) -> bool:
    if not (name.startswith("{") and name.endswith("}")) or name.startswith("{\\"):
        return False
    depth = 0
    for i, c in enumerate(name):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i == len(name) - 1
    return False


@lru_cache(maxsize=1 << 14)
def _parse_name(name: str) -> Author:
    name, roles = _strip_marks(" ".join(name.split()))
    parts = _split_depth0(name, ",")
    if len(parts) > 1:
        stripped = []
        for part in parts:
            part, more = _strip_marks(part)
            roles |= more
            stripped.append(part.strip())
        parts = stripped
    else:
        parts = [name]
    frozen = frozenset(roles)
    if len(parts) == 1:
        whole = parts[0].strip()
        if _fully_braced(whole):
            return Author(last=latex_to_text(whole[1:-1]).strip(), literal=True, roles=frozen)
        words = _words(whole)
        if not words:
            return Author(roles=frozen)
        n = len(words)
        start = next((k for k in range(n - 1) if _is_lower(words[k])), -1)
        if start < 0:
            return Author(first=_decode(words[:-1]), last=_decode(words[-1:]), roles=frozen)
        end = n - 1
        while end > start + 1 and not _is_lower(words[end - 1]):
            end -= 1
        return Author(
            first=_decode(words[:start]),
            von=_decode(words[start:end]),
            last=_decode(words[end:]),
            roles=frozen,
        )
    words = _words(parts[0])
    end = len(words) - 1
    while end > 0 and not _is_lower(words[end - 1]):
        end -= 1
    end = max(end, 0)
    first = ", ".join(p for p in parts[2:] if p) if len(parts) > 2 else parts[1]
    return Author(
        first=_decode(_words(first)),
        von=_decode(words[:end]),
        last=_decode(words[end:]),
        jr=_decode(_words(parts[1])) if len(parts) > 2 else "",
        roles=frozen,
    )


def split_names(value: str) -> list[Author]:
    """Split a BibTeX name list (`A and B and others`) into Authors.

    Names may be "First von Last", "von Last, First" or "von Last, Jr, First"; the von
    part is found by BibTeX's rule (words starting lowercase at brace depth 0). A fully
    braced name is a literal (not split). Trailing role marks (`*`, `∗`, `†`, `‡`, also as
    `$^*$`, `\\textsuperscript{*}`, `$^\\dagger$`, `\\dag`, `\\ddag`) become roles. LaTeX is
    decoded after splitting.
    """
    out: list[Author] = []
    for name in _split_and(value):
        if name.strip().lower() == "others":
            out.append(Author(is_others=True))
            continue
        author = _parse_name(name)
        if author.first or author.last or author.von:
            out.append(author)
    return out


# -- annotations -----------------------------------------------------------------------

_ANNOTATION = re.compile(r"^\s*(\d+)(?:\s*-\s*(\d+))?(?::[A-Za-z]+)?\s*=\s*(.*)$", re.S)


def parse_annotations(annotation: str) -> dict[int, set[str]]:
    """Read `1=equal; 2=equal,corresponding; 4=owner` into {1: {"equal"}, ...}.

    Items are separated by `;` or `,`; a bare word after an item adds to that item.
    Indexes are 1-based; ranges `1-2=equal` are allowed. Words are kept lowercase,
    unknown ones included (callers ignore them).
    """
    result: dict[int, set[str]] = {}
    current: list[int] = []
    for token in re.split(r"[;,]", annotation):
        if not token.strip():
            continue
        m = _ANNOTATION.match(token)
        if m:
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            current = list(range(lo, min(hi, lo + 1000) + 1))
            words = m.group(3)
        else:
            words = token
        for word in words.lower().split():
            for index in current:
                result.setdefault(index, set()).add(word)
    return result


def apply_annotations(authors: list[Author], annotation: str | dict[int, set[str]]) -> list[Author]:
    """Add the roles of a biblatex data annotation (`author+an`, as written or as read by
    `parse_annotations`) to `authors`.

    Role words: equal, corresponding, advising, equal-advising (= advising); `owner` sets
    is_owner; `highlight` and unknown words are ignored, as are indexes out of range.
    """
    parsed = parse_annotations(annotation) if isinstance(annotation, str) else annotation
    out = list(authors)
    for index, words in parsed.items():
        if not 1 <= index <= len(out):
            continue
        author = out[index - 1]
        roles = {ROLE_WORDS[w] for w in words if w in ROLE_WORDS}
        owner = author.is_owner or "owner" in words
        if roles - author.roles or owner != author.is_owner:
            out[index - 1] = dataclasses.replace(
                author, roles=author.roles | frozenset(roles), is_owner=owner
            )
    return out


# -- keys and owner matching -----------------------------------------------------------

_FOLD = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ȷ": "j"}
)
_DROP = re.compile(r"[-.{}\u2010\u2011\u2012\u2013]")


@lru_cache(maxsize=1 << 14)
def name_key(text: str) -> str:
    """A name normalised for comparison: LaTeX decoded, accents stripped (NFKD), case
    folded, hyphens/dots/braces removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", latex_to_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_FOLD)
    return " ".join(_DROP.sub("", text).split())


_GIVEN_SPLIT = re.compile(r"[\s.\-\u2010\u2011]+")


def _given_tokens(given: str) -> tuple[str, ...]:
    """Given names as lowercase tokens; an all-caps "RX" is read as initials."""
    raw = given.replace(".", ". ").split()
    if len(raw) == 1 and 2 <= len(raw[0]) <= 3 and raw[0].isalpha() and raw[0].isupper():
        return tuple(name_key(c) for c in raw[0])
    folded = name_key(given.replace("-", " ").replace(".", " "))
    return tuple(t for t in folded.split() if t)


def _given_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if not a or not b:
        return not a and not b
    if all(len(t) > 1 for t in a + b):
        return "".join(a) == "".join(b)
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    for x, y in zip(shorter, longer, strict=False):
        if len(x) > 1 and len(y) > 1:
            if x != y:
                return False
        elif x[0] != y[0]:
            return False
    if all(len(t) == 1 for t in shorter):
        return True  # an abbreviation may drop parts: "R." for "Run-Xin"
    return all(len(t) == 1 for t in longer[len(shorter) :])


class OwnerMatcher:
    """Recognise the site owner in author lists.

    Each owner name ("Runxin Xu", "Xu, Runxin", "R. Xu", `M{\\"u}ller`) is split the BibTeX
    way. An author matches an owner name when
    1. the last names are equal after `name_key` (LaTeX decoded, accents and case folded,
       hyphens, dots and braces dropped; the von part is ignored), and
    2. the given names agree: with no initials on either side their letters must be equal
       ("Run-Xin" = "Run Xin" = "Runxin", but "Ruixin" differs); otherwise they are
       compared token by token, an initial matching a full name with the same first letter,
       two full names only if equal; extra tokens on the longer side must be initials unless
       the shorter side is all initials ("R." and "R.-X." match "Runxin" and "Run-Xin";
       "J." does not; "John A." matches "John"; "R.-Q." does not match "Run-Xin").
    An all-caps given name of 2–3 letters ("RX") is read as initials, and a one-word
    "R.Xu" as "R. Xu". Name order is taken from the comma ("Xu, Runxin"); a reversed
    "Xu Runxin" without comma needs its own alias (swapping freely would make "Xu Sun"
    match "Sun Xu").
    A literal (fully braced) author matches when its key equals an owner's full-name key.
    Authors marked `is_owner` (annotation `owner`) always match.
    """

    def __init__(self, owner_names: Iterable[str]) -> None:
        self._by_last: dict[str, list[tuple[str, ...]]] = {}
        self._full: set[str] = set()
        self._seen: dict[Author, bool] = {}  # co-authors recur: each name is matched once
        for text in owner_names:
            for author in split_names(text):
                if author.is_others:
                    continue
                last, given = self._parts(author)
                if last:
                    self._by_last.setdefault(last, []).append(given)
                self._full.add(name_key(author.display).replace(" ", ""))

    @staticmethod
    def _parts(author: Author) -> tuple[str, tuple[str, ...]]:
        if author.literal:
            return "", ()
        given, last = author.first or author.von, author.last  # "runxin xu": only a von part
        if not given and "." in last.rstrip("."):  # "R.Xu" is one BibTeX word
            given, last = last.rstrip(".").rsplit(".", 1)
        return name_key(last).replace(" ", ""), _given_tokens(given)

    def matches(self, author: Author) -> bool:
        """Is `author` one of the owner's names?"""
        seen = self._seen.get(author)
        if seen is None:
            seen = self._seen[author] = self._match(author)
        return seen

    def _match(self, author: Author) -> bool:
        if author.is_owner:
            return True
        if author.is_others:
            return False
        if author.literal:
            return name_key(author.last).replace(" ", "") in self._full
        last, given = self._parts(author)
        candidates = self._by_last.get(last)
        if not candidates:
            return False
        return any(_given_match(given, owner) for owner in candidates)
