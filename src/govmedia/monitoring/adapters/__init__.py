"""Clients that read what an account published from its platform: RSS/Atom feeds, the WeChat official-account
publishing list and the Weibo user timeline. Each returns ``Item`` rows or raises ``FetchError`` with a Chinese
reason; none writes to the database (``monitoring.feeds`` does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class FetchError(Exception):
    """Why a fetch failed, in Chinese, safe to store and show: never holds a secret or a token."""


@dataclass(frozen=True)
class Item:
    external_id: str
    published_at: datetime      # aware
    title: str
    url: str = ""
    text: str = ""              # plain text
    reprint: bool = False
