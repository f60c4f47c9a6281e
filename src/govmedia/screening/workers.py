"""The typo and map families in a second process, so that `govmedia scan` uses two cores.

The typo family is the engine's slowest: its word model takes ≈0.3 s to load and scoring clauses costs about as
much as every other family together. On a machine with two or more cores the command starts one worker process
at once; it loads the model while this process reads the inputs and compiles the lexicons, then checks each
input's segments for typos and maps (WORKER_FAMILIES: families that need neither the lexicons nor each other nor
any configuration) while this process runs every other family on them. Its findings join this process's before
they are ordered (Screener.scan_segments(more=…), which orders by family, not by process), so the output is the
same as with one process. One core, or a worker that fails: those families run here.

A lexicon compiled into the cache (compiled.py) is slow to match, in Python: with one, the worker also matches it
in the last WORKER_SHARE of an input's batches, first, and sends those matches ahead of its findings; this
process matches it in the other batches and takes the worker's matches for the rest
(Screener.scan_segments(compiled_elsewhere=…)), so both cores share that work too.

The worker is a plain `python -m govmedia.screening.workers` reading and writing one JSON document per line on
its stdin and stdout: unlike a multiprocessing fork it shares no threads or locks with its parent (a test
runner, a web server), unlike a multiprocessing spawn it does not re-run the parent's main module, and unlike
pickle what crosses the pipe is data, never code.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading

from govmedia.screening.compiled import CompiledLexicon
from govmedia.screening.engine import Screener, compiled_matches
from govmedia.screening.extract import Segment
from govmedia.screening.findings import Finding
from govmedia.screening.normalize import normalize_each
from govmedia.screening.rules.expression import TypoRule
from govmedia.screening.rules.maps import MapRule

# The families the worker runs: typos, the slowest, and maps, which balance the two processes. Measured on 2 cores
# with the benchmark's 20 MB (wall seconds, CPU seconds of this process / the worker): typos alone 3.0–3.4 s,
# 3.0 / 2.3 (3.1–3.3 s once typos got cheaper, this process then finishing last); with maps 3.05–3.3 s, six runs
# each in alternation, 0.06 s apart in the median; with expression as well 3.6–3.8 s, 2.9 / 2.8 — the worker then
# finishes last and this process still has the output to write.
WORKER_FAMILIES = (MapRule, TypoRule)
# The batches (the last ones) whose compiled-lexicon matching the worker takes: it also runs its families, so a
# little less than half (measured with 10⁷ terms on 2 cores: 0.3 → 3.45 s, 0.4 → 3.3 s, 0.5 → 3.5 s).
WORKER_SHARE = 0.4


def worker_screener(whitelist: list[str] | None) -> Screener:
    """WORKER_FAMILIES, as a Screener(elsewhere=WORKER_FAMILIES) leaves them. Each is made without arguments: a
    family taking configuration (the reprint sources, leaders' names) would need it sent here first."""
    return Screener(whitelist=whitelist, rules=[family() for family in WORKER_FAMILIES])


def available_cores() -> int:
    """The cores this process may run on (an affinity mask or a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Worker:
    """Checks segments with WORKER_FAMILIES in a worker process, one input at a time;
    `Screener(elsewhere=WORKER_FAMILIES)` does the rest here. `parallel` is False on one core: the caller then
    keeps every family in its own Screener. A worker that dies, even while starting, leaves its inputs, and those
    after, to be checked in this process.

    The process starts at once and loads its model; the whitelist, and the cache keys of the compiled lexicons
    it may match (`compiled`, in the order of the caller's Screener.compiled), go with the first input, so a caller
    may start the worker first and set them once it has read the lists."""

    def __init__(self, whitelist: list[str] | None = None, cores: int | None = None):
        self.whitelist = whitelist
        self.compiled: list[str] = []
        self._started = False  # the whitelist has been sent
        self._sender: threading.Thread | None = None  # the last thread writing to the worker
        self.failed: list[BaseException] = []  # why writing to the worker failed
        self._pending: Submission | None = None  # the input whose answers are still to be read
        self._process: subprocess.Popen | None = None
        self._here: Screener | None = None  # WORKER_FAMILIES in this process, once the worker is gone
        if (cores or available_cores()) > 1:
            try:
                # This interpreter running this module; -P: not from the current folder, which may hold anything.
                # No input of the user's reaches the command line.
                self._process = subprocess.Popen(  # noqa: S603
                    [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL)
                _widen(self._process.stdin)
            except OSError:
                self.close()

    @property
    def parallel(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        """Sends the whitelist and compiled lexicons' keys now, rather than with the first input: the worker
        loads those lexicons while the caller reads its input."""
        if self._process is not None and not self._started:
            self._started = True
            self._send(_line([self.whitelist, self.compiled]))

    def _send(self, data: bytes) -> threading.Thread:
        """Writes data in a thread, after what was sent before: the worker reads only once its model is loaded,
        and a large whitelist or 20 MB of input do not fit in a pipe meanwhile. failed holds the error when the
        worker is gone."""
        before = self._sender

        def send() -> None:
            if before is not None:
                before.join()
            try:
                self._process.stdin.write(data)
                self._process.stdin.flush()
            except (OSError, ValueError, AttributeError) as exc:  # the worker is gone (or closed: no process)
                self.failed.append(exc)

        self._sender = threading.Thread(target=send, daemon=True)
        self._sender.start()
        return self._sender

    def _check_here(self, segments: list[Segment]) -> list[tuple[int, Finding]]:
        if self._here is None:
            self._here = worker_screener(self.whitelist)
        return self._here.placed_findings(segments)

    def submit(self, segments: list[Segment], shares: list[tuple[int, int]] = ()) -> Submission:
        """Starts the check of segments, and the matching of the compiled lexicons in the batches `shares`
        (batch_bounds' (start, end) pairs, see worker_shares)."""
        if self._pending is not None:
            self._pending()  # its answers come first on the pipe; nobody asked for them: read and dropped
        self._pending = Submission(self, segments, [tuple(share) for share in shares] if self.compiled else [])
        return self._pending

    def _read(self) -> bytes:
        return self._process.stdout.readline()

    def close(self) -> None:
        if self._process is not None:
            for pipe in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(OSError):  # a pipe broken by a dead worker
                    pipe.close()
            self._process.kill()
            self._process.wait()
            self._process = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Submission:
    """One input handed to the worker. Called (as Screener.scan_segments' `more`), waits for the worker's findings
    placed in the input's segments; compiled(start, end) gives the worker's compiled-lexicon matches of one of its
    batches (Screener.scan_segments' `compiled_elsewhere`), None for the others or when the worker is gone."""

    def __init__(self, worker: Worker, segments: list[Segment], shares: list[tuple[int, int]]):
        self.worker, self.segments, self.shares = worker, segments, shares
        self._matches: dict[tuple[int, int], list] | None = None  # the worker's first answer, parsed
        self._found: list[tuple[int, Finding]] | None = None
        self._first_line: list[bytes] = []
        if worker._process is None:  # one core, or the worker died on an earlier input
            self._sender = self._reader = None
            return
        # Encoded here, written by a thread: encoding holds the interpreter's lock, writing lets it go.
        data = _line([[[s.where, s.text, s.table, s.row, s.col] for s in segments], shares])
        if not worker._started:
            data = _line([worker.whitelist, worker.compiled]) + data
            worker._started = True
        self._sender = worker._send(data)
        # The first answer (the compiled matches) is read as soon as it comes: a worker whose answer does not fit
        # in the pipe would otherwise wait, with its checking, until this process asks for it.
        process = worker._process
        self._reader = threading.Thread(target=lambda: self._first_line.append(process.stdout.readline()),
                                        daemon=True)
        self._reader.start()

    def _answer(self, line: bytes | None, parse):
        """An answer of the worker, parsed; None when it is gone."""
        self._sender.join()
        if not self.worker.failed and self.worker._process is not None:
            try:
                return parse(_parse(self.worker._read() if line is None else line))
            except (OSError, ValueError, TypeError):  # nothing, or half a line: the worker died
                pass
        self.worker.close()  # gone: later inputs are checked in this process
        return None

    def _first_answer(self) -> dict[tuple[int, int], list]:
        if self._matches is None:
            self._reader.join()
            found = self._answer(self._first_line[0] if self._first_line else b"",
                                 lambda rows: {(start, end): matches for start, end, matches in rows})
            self._matches = found if found is not None else {}
        return self._matches

    def compiled(self, start: int, end: int) -> list | None:
        if (start, end) not in self.shares or self._sender is None:
            return None
        return self._first_answer().get((start, end))

    def __call__(self) -> list[tuple[int, Finding]]:
        if self._found is None:
            if self.worker._pending is self:
                self.worker._pending = None
            found = None
            if self._sender is not None:
                self._first_answer()   # the matches come first, asked for or not
                found = self._answer(None, lambda rows: [(place, Finding(**fields)) for place, fields in rows])
            # One core, or the worker died (out of memory, killed): checked here rather than lose the families. A
            # picture's alt text is text like any other (Screener.scan_segment).
            self._found = found if found is not None else self.worker._check_here(
                [Segment(s.where, s.text, s.table, s.row, s.col) for s in self.segments])
        return self._found


def worker_shares(bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The batches (engine.batch_bounds) whose compiled-lexicon matching the worker takes: the last ones, reached
    here when the worker has long sent their matches."""
    return bounds[len(bounds) - int(len(bounds) * WORKER_SHARE):]


def _widen(pipe) -> None:
    """The largest pipe buffer an unprivileged process may ask for (Linux: 1 MB, not 64 KB): the sending thread
    then wakes, and takes the interpreter's lock from the checking thread, 16 times less often."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not Linux, or a lower limit
        import fcntl
        from pathlib import Path

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(limit, 1 << 20))


def _line(value) -> bytes:
    """One JSON document on one line: JSON escapes every line break inside strings. A lone surrogate (text from a
    broken file) crosses as it is, so that offsets and excerpts stay those of one process."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def _parse(line: bytes):
    return json.loads(line.decode("utf-8", "surrogatepass"))


def main() -> None:
    """The worker: a whitelist and compiled lexicons' keys, then inputs (segments and the batches whose compiled
    matches it gives); answers each input with those matches, then with its findings."""
    import gc

    gc.disable()  # as in `govmedia scan` (cli.collector_paused); this process ends with it
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    TypoRule().prepare()  # the model first, while the command reads its word lists
    whitelist, keys = _parse(source.readline())
    screener = worker_screener(whitelist).prepare()
    lexicons = [CompiledLexicon.load(key) for key in keys]  # while the command reads its input
    for line in source:
        rows, shares = _parse(line)
        segments = [Segment(where, text, table, row, col) for where, text, table, row, col in rows]
        answer, normalised = [], {}
        if shares and lexicons and all(lexicons):  # one missing from the cache: the command matches them all
            for start, end in shares:
                normalised[start, end] = normalize_each([s.text for s in segments[start:end]])
                answer.append([start, end, compiled_matches(lexicons, "\n".join(normalised[start, end][0]))])
        sink.write(_line(answer))
        sink.flush()
        found = screener.placed_findings(segments, normalised=normalised)  # those batches are not normalised again
        sink.write(_line([[place, f.as_dict()] for place, f in found]))
        sink.flush()


if __name__ == "__main__":
    main()
