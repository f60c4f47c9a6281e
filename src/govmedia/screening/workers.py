"""The typo family in a second process, so that `govmedia scan` uses two cores.

The typo family is the engine's slowest: its word model takes ≈1.5 s to load and scoring clauses costs about as
much as every other family together. On a machine with two or more cores the command starts one worker process
at once; it loads the model while this process reads the inputs and compiles the lexicons, then checks each
input's segments for typos while this process runs every other family on them. Its findings join this process's
before they are ordered (Screener.scan_segments(more=…)), so the output is the same as with one process. One
core, or a worker that fails: the typo family runs here.

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
from collections.abc import Callable

from govmedia.screening.engine import Screener
from govmedia.screening.extract import Segment
from govmedia.screening.findings import Finding
from govmedia.screening.rules.expression import TypoRule


def typo_screener(whitelist: list[str] | None) -> Screener:
    return Screener(whitelist=whitelist, rules=[TypoRule()])


def available_cores() -> int:
    """The cores this process may run on (an affinity mask or a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class TypoWorker:
    """Checks segments for typos in a worker process, one input at a time; `Screener(typos=False)` does the rest
    here. `parallel` is False on one core: the caller then keeps the typo family in its own Screener. A worker
    that dies, even while starting, leaves its inputs, and those after, to be checked in this process.

    The process starts at once and loads its model; the whitelist goes with the first input, so a caller may
    start the worker first and set `whitelist` once it has read the lists."""

    def __init__(self, whitelist: list[str] | None = None, cores: int | None = None):
        self.whitelist = whitelist
        self._started = False  # the whitelist has been sent
        self._process: subprocess.Popen | None = None
        self._here: Screener | None = None  # the typo family in this process, once the worker is gone
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

    def _write(self, data: bytes) -> None:
        self._process.stdin.write(data)
        self._process.stdin.flush()

    def _check_here(self, segments: list[Segment]) -> list[tuple[int, Finding]]:
        if self._here is None:
            self._here = typo_screener(self.whitelist)
        return self._here.placed_findings(segments)

    def submit(self, segments: list[Segment]) -> Callable[[], list[tuple[int, Finding]]]:
        """Starts the typo check of segments; the returned call waits for its placed findings
        (Screener.placed_findings: the index of each one's segment, then the finding)."""
        # Every segment, so that indexes agree; a picture's alt text is text like any other (Screener.scan_segment),
        # the picture itself is reported by the other families.
        def as_texts() -> list[Segment]:
            return [Segment(s.where, s.text, s.table, s.row, s.col) for s in segments]

        if self._process is None:  # one core, or the worker died on an earlier input
            return lambda: self._check_here(as_texts())
        failed: list[BaseException] = []
        # Encoded here, written by a thread: encoding holds the interpreter's lock, writing lets it go.
        data = _line([[s.where, s.text, s.table, s.row, s.col] for s in segments])
        if not self._started:
            data = _line(self.whitelist) + data
            self._started = True

        def send() -> None:
            try:
                self._write(data)
            except (OSError, ValueError) as exc:  # the worker is gone
                failed.append(exc)

        # A thread: the worker reads only once its model is loaded, and 20 MB do not fit in a pipe meanwhile.
        sender = threading.Thread(target=send, daemon=True)
        sender.start()

        def result() -> list[tuple[int, Finding]]:
            sender.join()
            if not failed and self._process is not None:
                try:
                    return [(place, Finding(**fields)) for place, fields in _parse(self._process.stdout.readline())]
                except (OSError, ValueError, TypeError):  # nothing, or half a line: the worker died
                    pass
            # The worker died (out of memory, killed): check here rather than lose the family.
            self.close()
            return self._check_here(as_texts())
        return result

    def close(self) -> None:
        if self._process is not None:
            for pipe in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(OSError):  # a pipe broken by a dead worker
                    pipe.close()
            self._process.kill()
            self._process.wait()
            self._process = None

    def __enter__(self) -> TypoWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _widen(pipe) -> None:
    """The largest pipe buffer an unprivileged process may ask for (Linux: 1 MB, not 64 KB): the sending thread
    then wakes, and takes the interpreter's lock from the checking thread, 16 times less often."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not Linux, or a lower limit
        import fcntl

        limit = int(open("/proc/sys/fs/pipe-max-size").read())  # noqa: SIM115, PTH123
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(limit, 1 << 20))


def _line(value) -> bytes:
    """One JSON document on one line: JSON escapes every line break inside strings. A lone surrogate (text from a
    broken file) crosses as it is, so that offsets and excerpts stay those of one process."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def _parse(line: bytes):
    return json.loads(line.decode("utf-8", "surrogatepass"))


def main() -> None:
    """The worker: a whitelist, then lists of segments; answers each list with its typo findings."""
    import gc

    gc.disable()  # as in `govmedia scan` (cli.collector_paused); this process ends with it
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    TypoRule().prepare()  # the model first, while the command reads its word lists
    screener = typo_screener(_parse(source.readline())).prepare()
    for line in source:
        segments = [Segment(where, text, table, row, col) for where, text, table, row, col in _parse(line)]
        sink.write(_line([[place, f.as_dict()] for place, f in screener.placed_findings(segments)]))
        sink.flush()


if __name__ == "__main__":
    main()
