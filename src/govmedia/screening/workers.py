"""The typo family, and privacy in half the batches, in a second process, so that `govmedia scan` uses two cores.

The typo family is the engine's slowest: its word model takes ≈0.3 s to load and scoring clauses costs about as
much as every other family together. On a machine with two or more cores the command starts one worker process
at once; it loads the model while this process reads the lists and the inputs. For each input the Screener
(Screener.scan_segments(remote=…)) normalises every batch of segments first and hands the worker each batch's
joined normalised text, where each text starts in it, and the matches of the families' own terms (the curated
misspellings); the worker answers with the families' hits (rules.Hit, at offsets of that text), and the Screener
places them in their segments as it places its own batch rules' hits, whitelist and all — so the output is the
same as with one process, and the worker needs neither the inputs' original texts nor the normaliser. The privacy
family, which needs only the text too, is checked there in FAMILY_SHARES of the batches and here in the others:
that balances the two processes. One core, or a worker that fails: the families are checked here.

The worker is a plain `python -m govmedia.screening.workers` reading and writing one JSON document per line on
its stdin and stdout (a batch's text follows its line as so many bytes of UTF-8): unlike a multiprocessing fork
it shares no threads or locks with its parent (a test runner, a web server), unlike a multiprocessing spawn it
does not re-run the parent's main module, and unlike pickle what crosses the pipe is data, never code.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `govmedia scan` starts the worker before it imports the engine
    from govmedia.screening.rules import Hit, Term

# The share of the batches in which the worker checks each of its families (_families): typos in all of them,
# privacy in half. Measured on the benchmark's 20 MB (10⁵ terms, compiled) on 2 cores, three runs each: privacy in
# none of them 1.87–1.92 s, 0.3 → 1.76–1.86 s, 0.5 → 1.61–1.69 s, 0.7 → 1.68–1.72 s, all of them 1.75–1.87 s
# (the worker then finishing last). Matching a compiled list in some batches (for 10⁷ terms too) measured no faster
# once privacy moved here, and cost the worker numpy: the command matches those lists alone.
FAMILY_SHARES = (1.0, 0.5)


def available_cores() -> int:
    """The cores this process may run on (an affinity mask or a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Worker:
    """The worker process, serving input after input (`session`). `parallel` is False on one core, or once the
    worker has died: the caller then checks every family itself.

    The process starts at once and loads its model, while the caller reads its arguments, lists and inputs."""

    def __init__(self, cores: int | None = None):
        self._process: subprocess.Popen | None = None
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self._answers: dict[tuple, object] = {}  # (session, kind, start, end) → payload
        self._changed = threading.Condition()
        self._gone = False  # the worker died, or never started: nothing more will come
        self._sessions = 0
        if (cores or available_cores()) > 1:
            try:
                # This interpreter running this module; -P: not from the current folder, which may hold anything.
                # No input of the user's reaches the command line.
                self._process = subprocess.Popen(  # noqa: S603
                    [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL)
            except OSError:
                self._process = None
        if self._process is None:
            self._gone = True
            return
        _widen(self._process.stdin)
        # A writer, since the worker reads only once its model is in and 20 MB do not fit in a pipe meanwhile; a
        # reader, since answers that do not fit in the pipe would otherwise stop the worker until they are asked for.
        threading.Thread(target=self._write, args=(self._process.stdin,), daemon=True).start()
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()

    @property
    def parallel(self) -> bool:
        return not self._gone

    @property
    def families(self) -> tuple[type, ...]:
        """The rule families the worker checks (batch rules: Rule.check_batch)."""
        return _families()

    def session(self, waiting=None) -> Remote | None:
        """The worker's side of one input's scan (Screener.scan_segments(remote=…)); None once it is gone.
        waiting(): called once, when the scan must wait for the worker."""
        if self._gone:
            return None
        self._sessions += 1
        with self._changed:  # what an earlier input left unasked is dropped
            self._answers = {key: value for key, value in self._answers.items() if key[0] == self._sessions}
        return Remote(self, self._sessions, waiting)

    def _write(self, pipe) -> None:
        while (data := self._outbox.get()) is not None:
            try:
                pipe.write(data)
                pipe.flush()
            except (OSError, ValueError):  # the worker is gone (or closed)
                self._lost()
                return

    def _read(self, pipe) -> None:
        try:
            for line in pipe:
                session, kind, start, end, payload = _parse(line)
                with self._changed:
                    self._answers[session, kind, start, end] = payload
                    self._changed.notify_all()
        except (OSError, ValueError, TypeError):  # half a line, or a closed pipe: the worker died
            pass
        self._lost()

    def _lost(self) -> None:
        with self._changed:
            self._gone = True
            self._changed.notify_all()

    def _answer(self, key: tuple, waiting) -> object | None:
        """The answer named key, waited for; None when the worker is gone without giving it."""
        with self._changed:
            if key not in self._answers and not self._gone and waiting is not None:
                waiting()
            while key not in self._answers and not self._gone:
                self._changed.wait()
            return self._answers.pop(key, None)

    def stop(self) -> None:
        """Ends the worker now, without waiting for the system to take back its memory (close() reaps it)."""
        if self._process is not None:
            with contextlib.suppress(OSError):
                self._process.kill()

    def close(self) -> None:
        if self._process is not None:
            self._outbox.put(None)
            with contextlib.suppress(OSError):
                self._process.kill()
            self._process.wait()
            for pipe in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(OSError, ValueError):  # a pipe broken by a dead worker, or in use
                    pipe.close()
            self._process = None
        self._lost()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Remote:
    """One input's batches handed to the worker (see Screener._scan_batches): send them, then ask for the hits of
    each; None when the worker is gone without them."""

    def __init__(self, worker: Worker, number: int, waiting=None):
        self.worker, self.number, self.families = worker, number, worker.families
        self._waiting = waiting

    @staticmethod
    def batches_of(family: int, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The batches in which the worker checks the family at that index of `families`: its share of them."""
        return bounds[:round(len(bounds) * FAMILY_SHARES[family])]

    def send(self, bound: tuple[int, int], joined: str, starts: list[int],
             own: list[tuple[int, list[tuple[int, int, Term]]]]) -> None:
        """A batch: its joined normalised text, where each of its texts starts, and for each family to check in it
        (by its index in `families`) the matches of that family's terms (their data cross as JSON)."""
        if self.worker._gone:  # nothing would read it: the batch is checked here (Screener._scan_batches)
            return
        # The text follows its line as UTF-8 of the stated length: JSON would escape and unescape 20 MB.
        text = joined.encode("utf-8", "surrogatepass")
        self.worker._outbox.put(_line([self.number, *bound, starts,
                                       [[family, [[a, b, term.data] for a, b, term in matches]] for family, matches in own],
                                       len(text)]) + text)

    def arrived(self, bound: tuple[int, int]) -> bool:
        """Whether the hits of a batch are in (hits() then returns them at once)."""
        return (self.number, "hits", *bound) in self.worker._answers

    def hits(self, bound: tuple[int, int]) -> list[Hit] | None:
        from govmedia.screening.rules import Hit

        found = self.worker._answer((self.number, "hits", *bound), self._wait)
        return None if found is None else [Hit(*fields) for fields in found]

    def _wait(self) -> None:
        if self._waiting is not None:
            self._waiting()
            self._waiting = None


def _families() -> tuple[type, ...]:
    """Typos, the slowest family, in every batch, and privacy, which needs only the batch's text too (judged text by
    text where its trigger is), in FAMILY_SHARES of them: it balances the two processes."""
    from govmedia.screening.rules.expression import TypoRule
    from govmedia.screening.rules.privacy import PrivacyRule

    return TypoRule, PrivacyRule


def _widen(pipe) -> None:
    """The largest pipe buffer an unprivileged process may ask for (Linux: 1 MB, not 64 KB): the writing thread
    then wakes, and takes the interpreter's lock from the scanning thread, 16 times less often."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not Linux, or a lower limit
        import fcntl
        from pathlib import Path

        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, min(limit, 1 << 20))


def _line(value) -> bytes:
    """One JSON document on one line: JSON escapes every line break inside strings."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def _parse(line: bytes):
    return json.loads(line.decode("utf-8", "surrogatepass"))


def main() -> None:
    """The worker: batches, each answered with the hits of the families asked for in it."""
    import gc

    gc.disable()  # as in `govmedia scan` (cli.collector_paused); this process ends with it
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    from govmedia.screening.rules import Term

    families = [family() for family in _families()]
    for rule in families:
        rule.prepare()  # the typo model, while the command reads its word lists
    for line in source:
        session, start, end, starts, own, size = _parse(line)
        joined = source.read(size).decode("utf-8", "surrogatepass")
        hits = []
        for family, matches in own:
            rule = families[family]
            hits.extend(rule.check_batch(joined, [(a, b, Term(joined[a:b], rule, data)) for a, b, data in matches],
                                         starts))
        sink.write(_line([session, "hits", start, end, hits]))  # each hit a named tuple: a JSON array
        sink.flush()


if __name__ == "__main__":
    main()
