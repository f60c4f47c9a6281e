"""One compiled Screener for the whole screening suite (it builds an automaton; scanning is what is tested)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govmedia.screening import Screener

GOVMEDIA = Path(sys.executable).parent / "govmedia"


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory):
    """The suite's own cache folder (compiled lexicons, the typo model), never the user's; the commands it runs
    inherit it. Tests of the cache itself give their own."""
    folder = tmp_path_factory.mktemp("govmedia-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOVMEDIA_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener()


def run_govmedia(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """The real command, as an office worker runs it."""
    return subprocess.run([str(GOVMEDIA), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture
def govmedia():
    return run_govmedia
