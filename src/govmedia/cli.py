"""The `govmedia` command: Django's manage.py commands plus the project's own (demo, token, audit, scan, mask)."""

import contextlib
import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("scan", "mask"):
        # The screening engine needs no Django: start fast, as a tool an office worker runs on a file.
        from govmedia.screening.cli import COMMANDS

        code = COMMANDS[sys.argv[1]](sys.argv[2:])
        # Out at once, once everything is written: freeing a 20 MB input's millions of objects one by one would
        # take longer than the OS takes to reclaim the memory. Nothing is left to clean up (the worker is gone).
        with contextlib.suppress(OSError):  # a reader gone (a closed pipe) changes nothing now
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
