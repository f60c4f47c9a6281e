"""govmedia.screening — finds what must never be published, in text and files. Plain Python, no Django.

    from govmedia.screening import Screener
    screener = Screener()
    screener.scan_text("请张伟同志（手机18651234567）报送材料。")   # → [Finding(category="privacy", …)]
    screener.scan_file("公示名单.xlsx")                            # → FileResult(findings=[…], error=None)
"""

from govmedia.screening.findings import BLOCK, INFO, WARN, FileResult, Finding

__all__ = ["BLOCK", "INFO", "WARN", "FileResult", "Finding", "Screener"]


def __getattr__(name: str):
    """Screener, imported when asked for: the typo worker (workers.py) imports this package and needs none of
    the engine (0.06 s of its start, which the command waits for)."""
    if name == "Screener":
        from govmedia.screening.engine import Screener

        return Screener
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
