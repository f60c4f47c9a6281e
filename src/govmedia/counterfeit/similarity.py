"""The registry's genuine accounts closest to a reported name, the reported platform's accounts first. Shown
beside a case so the office sees at once what is being imitated.

The score is difflib's ratio on normalised names, averaged with how much of the shorter name appears unbroken in
the longer one: a fake usually keeps the genuine name whole and adds words ("吴江人社服务号"), which the ratio
alone ranks below a different account that merely shares more scattered characters ("吴江人才服务").
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from govmedia import policy
from govmedia.registry.models import Account


@dataclass(frozen=True)
class Match:
    account: Account
    score: int              # 0–100
    same_platform: bool


def normalise(name: str) -> str:
    """Width-folded, case-folded, letters and digits only: "吴江 人社（官方）" and "吴江人社官方" compare equal."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def score(a: str, b: str) -> int:
    """0–100: the mean of difflib's ratio and the longest common block's share of the shorter name."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    block = matcher.find_longest_match(0, len(a), 0, len(b)).size
    return round((matcher.ratio() + block / min(len(a), len(b))) / 2 * 100)


def closest(platform: str, name: str, limit: int = policy.COUNTERFEIT_SIMILAR_SHOWN) -> list[Match]:
    accounts = Account.objects.not_cancelled().select_related("unit", "platform")
    matches = [Match(a, score(name, a.name), a.platform.name == platform) for a in accounts]
    matches.sort(key=lambda m: (not m.same_platform, -m.score, m.account.pk))
    return matches[:limit]
