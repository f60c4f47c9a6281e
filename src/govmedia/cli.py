"""The `govmedia` command: Django's manage.py commands plus the project's own (demo, token, audit, scan, mask)."""

import os
import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("scan", "mask"):
        # The screening engine needs no Django: start fast, as a tool an office worker runs on a file.
        from govmedia.screening.cli import COMMANDS

        sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
