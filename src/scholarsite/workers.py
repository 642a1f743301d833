"""Rendering on every core: the render jobs of a large site split between this process
and forked workers.

`render_jobs` runs a build's jobs and hands each output to `add` (the new output tree,
which every process writes into). For a large site (PARALLEL_MIN jobs or more) it forks
one worker per extra core (fork: the workers share the parsed site, nothing is pickled on
the way in). The processes take chunks of jobs from a queue, the slowest kind first (a
PDF), so they finish together; each process writes what it renders and sends back small
facts only: how many files and which paths, the diagnostics its jobs reported, the
records it added to the cache (CSL references), progress as it goes, and the outputs
themselves only when the caller keeps them (for the search index). Diagnostics are put
back in plan order, so a parallel build reports exactly what a serial one does.

Jobs do not depend on each other (shared values are memoized per process), so the files
are the same bytes whichever process renders them; only two jobs writing one path would
depend on the order (the later job wins): then `Rendered.clash` is set and the caller
renders again serially.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .cache import can_fork
from .deps import Job
from .errors import Diagnostics
from .outputs.output import Output

#: Fewer jobs than this render in this process alone: forking costs more than it saves.
PARALLEL_MIN = 200
#: At most this many processes (memory grows with each; the gain flattens).
MAX_WORKERS = 8

_FRAME = struct.Struct("<I")


@dataclass
class Rendered:
    """What `render_jobs` did."""

    count: int = 0  # files written
    outputs: list[Output] | None = None  # when kept, in plan order
    workers: int = 1  # processes that rendered
    clash: bool = False  # two jobs wrote one path: render again serially
    paths: list[str] = field(default_factory=list)


def worker_count(jobs: int, requested: int | None = None) -> int:
    """How many processes render `jobs` jobs (`requested`: a fixed number, e.g. 1)."""
    if requested is not None:
        return max(1, requested) if can_fork() else 1
    if jobs < PARALLEL_MIN or not can_fork():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def render_jobs(
    jobs: Sequence[Job],
    add: Callable[[Output], None],
    diags: Diagnostics,
    *,
    workers: int | None = None,
    keep: bool = False,
    store: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """Run `jobs`, giving every output to `add` (in plan order when serial); the jobs'
    diagnostics go to `diags` in plan order. `store` (the build cache) receives the records
    the workers added to theirs. `progress(done, total)` is called as jobs finish."""
    n = worker_count(len(jobs), workers)
    if n <= 1:
        return _serial(jobs, add, keep, progress)
    return _Parallel(jobs, add, diags, n, keep, store, progress).run()


def _serial(
    jobs: Sequence[Job],
    add: Callable[[Output], None],
    keep: bool,
    progress: Callable[[int, int], None] | None,
) -> Rendered:
    done = Rendered(outputs=[] if keep else None)
    for i, job in enumerate(jobs, 1):
        for out in job():
            add(out)
            done.count += 1
            if done.outputs is not None:
                done.outputs.append(out)
        if progress is not None and (i % 64 == 0 or i == len(jobs)):
            progress(i, len(jobs))
    return done


class _Parallel:
    def __init__(self, jobs, add, diags, n, keep, store, progress) -> None:
        self.jobs, self.add, self.diags, self.n = jobs, add, diags, n
        self.keep, self.store, self.progress = keep, store, progress
        size = max(8, min(128, len(jobs) // (n * 16) or 1))
        self.chunks = [range(i, min(i + size, len(jobs))) for i in range(0, len(jobs), size)]
        # slowest first (a PDF is one job of seconds), so the processes end together
        slow = [c for c, rng in enumerate(self.chunks) if _slow(jobs, rng)]
        self.order = slow + [c for c in range(len(self.chunks)) if c not in set(slow)]
        self.results: dict[int, tuple] = {}  # chunk -> (count, paths, diagnostics, outputs)
        self.done_jobs = 0
        self.finished: set[int] = set()  # workers that sent everything

    def run(self) -> Rendered:
        queue_r, queue_w = os.pipe()
        payload = b"".join(_FRAME.pack(c) for c in self.order)
        if len(payload) > 65536:  # more than a pipe holds before a reader drains it
            os.close(queue_r)
            os.close(queue_w)
            return _serial(self.jobs, self.add, self.keep, self.progress)
        os.write(queue_w, payload)
        os.close(queue_w)
        base = len(self.diags.items)
        used = self.store.used() if self.store is not None else frozenset()
        children: dict[int, int] = {}  # pid -> read end of its result pipe
        buffers: dict[int, bytearray] = {}
        try:
            for _ in range(self.n - 1):
                result_r, result_w = os.pipe()
                sys.stdout.flush(), sys.stderr.flush()
                pid = os.fork()
                if pid == 0:  # the worker
                    os.close(result_r)
                    for fd in children.values():
                        os.close(fd)
                    self._work_child(queue_r, result_w, used)  # never returns
                os.close(result_w)
                os.set_blocking(result_r, False)
                _widen(result_r)
                children[pid] = result_r
                buffers[pid] = bytearray()
            pending = dict(children)
            for chunk in _chunks(queue_r):
                self._render_chunk(chunk)
                self._drain(pending, buffers, block=False)
            while pending:
                self._drain(pending, buffers, block=True)
        except BaseException:
            for pid in children:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            raise
        finally:
            os.close(queue_r)
            for pid, fd in children.items():
                with contextlib.suppress(OSError):
                    os.close(fd)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        return self._gather(base)

    # -- in every process --------------------------------------------------------------
    def _render_chunk(self, chunk: int) -> None:
        mark = len(self.diags.items)
        count, paths, outputs = 0, [], []
        for i in self.chunks[chunk]:
            for out in self.jobs[i]():
                self.add(out)
                count += 1
                paths.append(out.path)
                if self.keep:
                    outputs.append(out)
        found = self.diags.items[mark:]
        del self.diags.items[mark:]  # put back in plan order by _gather
        self.results[chunk] = (count, paths, found, outputs)
        self._advance(len(self.chunks[chunk]))

    def _advance(self, jobs: int) -> None:
        self.done_jobs += jobs
        if self.progress is not None:
            self.progress(self.done_jobs, len(self.jobs))

    # -- in a worker ---------------------------------------------------------------------
    def _work_child(self, queue_r: int, result_w: int, used: frozenset) -> None:
        code = 0
        self.progress = None  # the parent shows progress (it hears of every chunk)
        try:
            for chunk in _chunks(queue_r):
                self._render_chunk(chunk)
                _send(result_w, ("chunk", chunk, self.results.pop(chunk)))
            records = self.store.since(used) if self.store is not None else {}
            _send(result_w, ("done", records))
        except BaseException as exc:  # report it; the parent raises
            code = 1
            text = "".join(traceback.format_exception(exc))
            with contextlib.suppress(BaseException):
                _send(result_w, ("error", _picklable(exc), text))
        finally:
            os._exit(code)

    # -- in the parent -------------------------------------------------------------------
    def _drain(self, pending: dict[int, int], buffers: dict[int, bytearray], block: bool) -> None:
        if block:
            select.select(list(pending.values()), [], [])
        for pid, fd in list(pending.items()):
            buf, ended = buffers[pid], False
            while True:
                try:
                    data = os.read(fd, 1 << 20)
                except BlockingIOError:
                    break
                if not data:  # the worker ended
                    ended = True
                    break
                buf += data
            while len(buf) >= _FRAME.size:
                (size,) = _FRAME.unpack_from(buf)
                if len(buf) < _FRAME.size + size:
                    break
                message = pickle.loads(bytes(buf[_FRAME.size : _FRAME.size + size]))
                del buf[: _FRAME.size + size]
                self._receive(pid, message)
            if ended:
                del pending[pid]
                if buf or pid not in self.finished:
                    raise RuntimeError("a render worker ended before it had sent its results")

    def _receive(self, pid: int, message: tuple) -> None:
        kind = message[0]
        if kind == "chunk":
            _, chunk, result = message
            self.results[chunk] = result
            self._advance(len(self.chunks[chunk]))
        elif kind == "done":
            if self.store is not None:
                self.store.merge(message[1])
            self.finished.add(pid)
        else:
            _, exc, text = message
            if exc is not None:
                raise exc
            raise RuntimeError(f"a render worker failed:\n{text}")

    def _gather(self, base: int) -> Rendered:
        done = Rendered(outputs=[] if self.keep else None, workers=self.n)
        found = []
        for chunk in range(len(self.chunks)):
            count, paths, chunk_diags, outputs = self.results[chunk]
            done.count += count
            done.paths += paths
            found += chunk_diags
            if done.outputs is not None:
                done.outputs += outputs
        self.diags.items[base:] = found + self.diags.items[base:]
        done.clash = len(set(done.paths)) != len(done.paths)
        return done


def _widen(fd: int) -> None:
    """A larger pipe buffer (Linux), so a worker seldom waits for this process to read."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


def _slow(jobs: Sequence[Job], rng: range) -> bool:
    return any(jobs[i].key.endswith(".pdf") for i in rng)


def _chunks(queue_r: int):
    """Chunk numbers taken from the shared queue until it is empty (each read is atomic)."""
    while True:
        data = os.read(queue_r, _FRAME.size)
        if len(data) < _FRAME.size:
            return
        yield _FRAME.unpack(data)[0]


def _send(fd: int, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_FRAME.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _picklable(exc: BaseException) -> BaseException | None:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return None
    return exc
