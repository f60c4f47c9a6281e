"""Production settings from the environment: Django's deployment checks pass, and bad values fail loudly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

GOVMEDIA = str(Path(sys.executable).with_name("govmedia"))


def _govmedia(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run the installed `govmedia` command with a clean, production-like environment."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ"}}
    return subprocess.run(
        [GOVMEDIA, *args], capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**keep, "VAR_DIR": str(tmp_path / "var"), **env},
    )


def test_the_deployment_check_is_clean_with_debug_off(tmp_path):
    result = _govmedia(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="govmedia.wujiang.gov.cn",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output
    assert "System check identified no issues" in output


def test_debug_off_without_a_secret_key_fails_loudly(tmp_path):
    result = _govmedia(tmp_path, "check", DEBUG="0", ALLOWED_HOSTS="govmedia.wujiang.gov.cn")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG=0" in result.stderr


def test_a_debug_value_that_is_not_a_boolean_fails_loudly(tmp_path):
    result = _govmedia(tmp_path, "check", DEBUG="maybe", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be 0 or 1, not 'maybe'" in result.stderr
