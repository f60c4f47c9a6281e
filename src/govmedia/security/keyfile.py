"""The server key of the account passwords' keyed hashes, kept outside the database (第十二条(一)).

Settings take it from GOVMEDIA_CREDENTIAL_KEY; without it, from a file under VAR_DIR that is generated once,
readable by the service's user only (mode 0600). A database dump alone therefore cannot test guesses against
the stored hashes. Only Django's exception is imported: settings.py calls this while Django is being configured.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MIN_KEY_CHARS = 32


def resolve(env_value: str, path: Path) -> str:
    """The key from the environment when set (at least MIN_KEY_CHARS characters), else from the key file."""
    if env_value:
        if len(env_value.strip()) < MIN_KEY_CHARS:
            raise ImproperlyConfigured(f"GOVMEDIA_CREDENTIAL_KEY must be at least {MIN_KEY_CHARS} characters")
        return env_value.strip()
    return credential_key(path)


def credential_key(path: Path) -> str:
    """Return the key stored in ``path``, creating the file (mode 0600) with a new random key if it is missing.

    Creation is atomic: the key is written to a private temporary file and linked into place, so two
    processes starting together agree on one key and neither ever reads a half-written file.
    """
    path = Path(path)
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48) + "\n")
            with contextlib.suppress(FileExistsError):  # another process won the race: use its key
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < MIN_KEY_CHARS:
        raise ImproperlyConfigured(f"credential key file {path} holds fewer than {MIN_KEY_CHARS} characters")
    return key
