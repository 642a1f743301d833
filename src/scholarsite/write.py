"""Atomic output: assemble the new tree beside the old one, then swap by rename."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from .errors import Diagnostic, UserError
from .model import SourceLocation
from .outputs.output import Output

MARKER = ".scholarsite"
MARKER_TEXT = "This folder is written by scholarsite; it is replaced on every build.\n"


def check_output_dir(out: Path, *, force: bool = False) -> None:
    """Refuse to replace a folder that scholarsite did not create (no marker file)."""
    if not out.exists() or force:
        return
    if not out.is_dir() or out.is_symlink():
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(out)), "output path is not a folder", "choose another -o"
                )
            ]
        )
    if (out / MARKER).is_file():
        return
    if any(out.iterdir()):
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(out)),
                    "output folder exists and was not made by scholarsite; refusing to replace it",
                    f"choose another -o, empty it, or add a '{MARKER}' file to allow replacing it",
                )
            ]
        )


#: Folders of a site folder the build reads: an output folder may not lie in them.
INPUT_FOLDERS = ("content", "data", "static", "templates", "bib", "themes")


def check_not_site(out: Path, root: Path) -> None:
    """Refuse an output folder that is the site folder, holds it (`-o .`, `-o ..`) or lies
    in one of its input folders: replacing it would delete the sources (or the next build
    would read its own output), so not even --force allows it."""
    real_out, real_root = Path(os.path.realpath(out)), Path(os.path.realpath(root))
    inputs = [real_root / name for name in INPUT_FOLDERS]
    if (
        real_out == real_root
        or real_out in real_root.parents
        or any(real_out == d or d in real_out.parents for d in inputs)
    ):
        raise UserError(
            [
                Diagnostic(
                    SourceLocation(str(out)),
                    "the output folder would replace the site folder or part of its sources",
                    "choose an output outside content/, data/, static/ and templates/, "
                    "e.g. SITE_DIR/_site (the default)",
                )
            ]
        )


def write_tree(outputs: Iterable[Output], out: Path, *, force: bool = False) -> int:
    """Write all outputs into a sibling temporary folder and swap it into place.

    Unchanged files are hard-linked from the previous tree instead of rewritten.
    Nothing outside `out` and its temporary siblings is touched. Returns the file count.
    """
    with NewTree(out, force=force) as tree:
        for item in outputs:
            tree.add(item)
        return tree.commit()


class NewTree:
    """The next output tree, assembled in a temporary sibling of `out` and swapped into
    place by `commit`; until then `out` is untouched, and leaving the `with` block without
    a commit (an error) removes the temporary folder. Forked processes may `add` files
    to the same tree (each keeps its own `count`)."""

    def __init__(self, out: Path, *, force: bool = False) -> None:
        self.out = out.absolute()
        check_output_dir(self.out, force=force)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:8]
        self.tmp = self.out.parent / f".{self.out.name}.new-{token}"
        self.old = self.out.parent / f".{self.out.name}.old-{token}"
        self.count = 0
        self.committed = False
        self._tmp, self._out = str(self.tmp), str(self.out)
        self._made: set[str] = set()
        self._written: set[str] = set()
        self.tmp.mkdir()

    def __enter__(self) -> NewTree:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.abort()

    def add(self, item: Output) -> None:
        """Write one output into the new tree (a hard link when the old file is the same)."""
        target = os.path.join(self._tmp, item.path)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        if item.path in self._written:  # a later output wins; never write through a link
            with contextlib.suppress(OSError):
                os.unlink(target)
        self._written.add(item.path)
        if item.data is not None:
            _write_or_link(target, item.data, os.path.join(self._out, item.path))
        elif item.source is not None:
            _copy_or_link(item.source, Path(target), self.out / item.path)
        self.count += 1

    def commit(self) -> int:
        """Swap the new tree into place (the old one is removed); returns the file count."""
        out, tmp, old = self.out, self.tmp, self.old
        try:
            (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            if out.exists() and _exchange(tmp, out):
                os.rename(tmp, old)  # the previous tree, now under tmp's name
            else:  # two renames: a crash between them leaves no `out` (clean_stale restores it)
                if out.exists():
                    os.rename(out, old)
                os.rename(tmp, out)
        except BaseException:
            self.abort()
            raise
        self.committed = True
        shutil.rmtree(old, ignore_errors=True)
        return self.count

    def abort(self) -> None:
        """Remove the new tree; `out` stays (or comes back) as it was."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.old.exists() and not self.out.exists():
            os.rename(self.old, self.out)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux `renameat2(RENAME_EXCHANGE)`), so there
    is no moment without a complete output folder; False where the system cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


@functools.cache
def _libc() -> object:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to ask
        return None


def _write_or_link(target: str, data: bytes, previous: str) -> None:
    try:
        if os.stat(previous).st_size == len(data):
            with open(previous, "rb") as fh:
                same = fh.read() == data
            if same:
                os.link(previous, target)
                return
    except OSError:
        pass
    with open(target, "wb") as fh:
        fh.write(data)


def _copy_or_link(source: Path, target: Path, previous: Path) -> None:
    try:
        st_new, st_old = source.stat(), previous.stat()
        if st_new.st_size == st_old.st_size and source.read_bytes() == previous.read_bytes():
            os.link(previous, target)
            return
    except OSError:
        pass
    shutil.copyfile(source, target)


def clean_stale(out: Path) -> None:
    """Remove temporary siblings a killed build left behind (ours only, by name)."""
    parent = out.absolute().parent
    if not parent.is_dir():
        return
    for p in parent.iterdir():
        if p.name.startswith((f".{out.name}.new-", f".{out.name}.old-")) and p.is_dir():
            if p.name.startswith(f".{out.name}.old-") and not out.exists():
                os.rename(p, out)
                continue
            shutil.rmtree(p, ignore_errors=True)
