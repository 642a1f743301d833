"""Atomic output: assemble the new tree beside the old one, then swap by rename."""

from __future__ import annotations

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


def write_tree(outputs: Iterable[Output], out: Path, *, force: bool = False) -> int:
    """Write all outputs into a sibling temporary folder and swap it into place.

    Unchanged files are hard-linked from the previous tree instead of rewritten.
    Nothing outside `out` and its temporary siblings is touched. Returns the file count.
    """
    out = out.absolute()
    check_output_dir(out, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    tmp = out.parent / f".{out.name}.new-{token}"
    old = out.parent / f".{out.name}.old-{token}"
    count = 0
    try:
        tmp.mkdir()
        made: set[str] = set()
        for item in outputs:
            target = tmp / item.path
            parent = str(target.parent)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            if item.data is not None:
                _write_or_link(target, item.data, out / item.path)
            elif item.source is not None:
                _copy_or_link(item.source, target, out / item.path)
            count += 1
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if out.exists():
            os.rename(out, old)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return count


def _write_or_link(target: Path, data: bytes, previous: Path) -> None:
    try:
        if previous.stat().st_size == len(data) and previous.read_bytes() == data:
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
