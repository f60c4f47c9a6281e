"""The server key of the password hashes lives outside the database: the environment, or a 0600 file under var/."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from govmedia.security.keyfile import MIN_KEY_CHARS, credential_key, resolve

GOVMEDIA = str(Path(sys.executable).with_name("govmedia"))
PRINT_KEY = "from django.conf import settings; print(settings.CREDENTIAL_HASH_KEY)"


def test_the_key_file_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "credential.key"
    key = credential_key(path)
    assert len(key) >= MIN_KEY_CHARS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credential_key(path) == key                  # read back, not regenerated
    assert list(tmp_path.iterdir()) == [path]           # no temporary file left behind


def test_the_environment_key_wins_and_a_short_one_fails_loudly(tmp_path):
    path = tmp_path / "credential.key"
    assert resolve("k" * MIN_KEY_CHARS, path) == "k" * MIN_KEY_CHARS
    assert not path.exists()
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        resolve("short", path)


def test_a_truncated_key_file_fails_loudly(tmp_path):
    path = tmp_path / "credential.key"
    path.write_text("abc")
    with pytest.raises(ImproperlyConfigured, match="fewer than 32 characters"):
        credential_key(path)


def _settings_key(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    return subprocess.run([GOVMEDIA, "shell", "--no-imports", "-c", PRINT_KEY], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={**keep, "VAR_DIR": str(tmp_path / "var"), **env})


def test_settings_take_the_key_from_var_when_the_environment_has_none(tmp_path):
    result = _settings_key(tmp_path)
    assert result.returncode == 0, result.stderr
    key_file = tmp_path / "var" / "credential.key"
    assert result.stdout.strip() == key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _settings_key(tmp_path).stdout == result.stdout   # the same key on the next start


def test_settings_take_the_key_from_the_environment(tmp_path):
    key = "env-key-" + "z" * 40
    result = _settings_key(tmp_path, GOVMEDIA_CREDENTIAL_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key
    assert not (tmp_path / "var" / "credential.key").exists()
