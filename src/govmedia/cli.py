"""The `govmedia` command: Django's manage.py commands plus the project's own (demo, token, audit, scan, mask)."""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("scan", "mask"):
        # The screening engine needs no Django: start fast, as a tool an office worker runs on a file.
        from govmedia.screening.cli import COMMANDS

        code = COMMANDS[sys.argv[1]](sys.argv[2:])
        # Out at once, once everything is written: freeing a 20 MB input's millions of objects one by one would
        # take longer than the OS takes to reclaim the memory. Nothing is left to clean up (the worker is gone).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:  # the reader is gone: there is no one to tell
                pass
            except OSError:  # a full disk: the output is not whole, which the exit status says (as Python's own)
                code = 120
        os._exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
